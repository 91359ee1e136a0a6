package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.Foll.FOLL_LONGTERM;
import static org.userptrlab.mm.Foll.FOLL_WRITE;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every kernel change, on each side of it: the release that brought it, without and with the one
 * change, differs in exactly the behaviour the change names. Each probe runs a small program and
 * returns what it observed; the expected values state the kernel fact.
 */
class KernelChangeTest {
  /** What a probe observes before the change and after it. */
  private static Machine hugetlbMachine(KernelConfig k, int pages) {
    return new Machine(MachineConfig.builder().ram(64 * MiB).kernel(k).hugetlbPages(2 * MiB, pages).build());
  }

  /** Where a private anonymous mapping of {@code len} bytes goes below one of 1 MiB and a page (__get_unmapped_area). */
  private static String placedBelowAMisalignedMapping(KernelConfig k, long len) {
    Process p = machine(k).spawn("p");
    long top = anon(p, MiB + PAGE);
    long at = anon(p, len);
    return at == top - len ? "right below it" : at % THP == 0 ? "at a 2 MiB boundary" : "0x" + Long.toHexString(at);
  }

  record Fact(String what, Object without, Object with, Function<KernelConfig, Object> probe) {}

  /** Changes whose other side lives in a strategy or in the lab's programs, not in the model (tested there: io_uring in PinsTest). */
  static final EnumSet<KernelChange> TESTED_ELSEWHERE = EnumSet.of(KernelChange.INTERVAL_NOTIFIER, KernelChange.IO_URING,
      KernelChange.IO_URING_GUP_FILE_CHECK, KernelChange.DRM_GPUSVM);

  static final Map<KernelChange, Fact> FACTS = new EnumMap<>(KernelChange.class);
  private static final long THP = 2L << 20;

  static {
    FACTS.put(KernelChange.CMA, new Fact("a machine with a CMA region boots", "EINVAL", "ok",
        k -> errno(() -> new Machine(MachineConfig.builder().ram(16 * MiB).cma(4 * MiB).kernel(k).build()))));
    FACTS.put(KernelChange.THP_MIGRATION, new Fact("a THP migrate_pages moves is, where it lands", "small pages", "a THP", k -> {
      Machine m = machine(k);
      Process p = m.spawn("p");
      long buf = hugeAligned(p);
      p.fill(buf, THP, 1);
      m.kernel().migratePage((int) p.pagemap(buf));
      return p.pmdMapped(buf) ? "a THP" : "small pages";
    }));
    FACTS.put(KernelChange.THP_DEFRAG_MADVISE, new Fact("with THP always and memory fragmented, a fault outside MADV_HUGEPAGE gets",
        "a THP", "a small page", k -> {
          Machine m = new Machine(MachineConfig.builder().ram(32 * MiB).kernel(k).thp(MachineConfig.Thp.ALWAYS).build());
          ThpDefragTest.fragment(m);
          Process p = m.spawn("p");
          long area = p.mmap(0, 2 * THP, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
          long buf = (area + THP) & -THP;
          p.store(buf, (byte) 1);
          return p.pmdMapped(buf) ? "a THP" : "a small page";
        }));
    FACTS.put(KernelChange.THP_DEFRAG_DEFER_MADVISE, new Fact("a machine with transparent_hugepage/defrag defer+madvise boots", "EINVAL", "ok",
        k -> errno(() -> new Machine(MachineConfig.builder().ram(16 * MiB).kernel(k).thpDefrag(MachineConfig.ThpDefrag.DEFER_MADVISE).build()))));
    FACTS.put(KernelChange.THP_SWAP, new Fact("a THP reclaim sends to swap goes", "split first", "whole", k -> {
      Machine m = new Machine(MachineConfig.builder().ram(64 * MiB).swap(16 * MiB).kernel(k).build());
      Process p = m.spawn("p");
      long buf = hugeAligned(p);
      p.fill(buf, THP, 1);
      m.vmscan.reclaim((int) p.pagemap(buf));
      return !p.swappedOut(buf) ? "not out" : m.vmstat().get(VmEvent.THP_SPLIT_PAGE) == 0 ? "whole" : "split first";
    }));
    FACTS.put(KernelChange.SOFT_DIRTY, new Fact("a write of 4 to clear_refs, then the PTE of a written page", "EINVAL", "read-only", k -> {
      Process p = machine(k).spawn("p");
      long buf = anon(p, PAGE);
      p.fill(buf, PAGE, 1);
      String r = errno(p::clearSoftDirty);
      return r.equals("ok") ? (p.pteWritable(buf) ? "writable" : "read-only") : r;
    }));
    FACTS.put(KernelChange.HUGE_ZERO_PAGE, new Fact("a read of untouched MADV_HUGEPAGE memory maps", "a THP", "the huge zero page", k -> {
      Machine m = machine(k);
      Process p = m.spawn("p");
      long buf = hugeAligned(p);
      p.load(buf);
      return !p.pmdMapped(buf) ? "a small page" : m.mem.isZeroPage((int) p.pagemap(buf)) ? "the huge zero page" : "a THP";
    }));
    FACTS.put(KernelChange.THP_PTE_MAPPED, new Fact("mprotect of one page of a THP leaves the page in", "a small folio", "the THP", k -> {
      Machine m = machine(k);
      Process p = m.spawn("p");
      long buf = hugeAligned(p);
      p.fill(buf, THP, 1);
      p.mprotect(buf + PAGE, PAGE, Mman.PROT_READ);
      return m.mem.folioLarge(m.mem.folio((int) p.pagemap(buf + PAGE))) ? "the THP" : "a small folio";
    }));
    FACTS.put(KernelChange.THP_COW_SPLIT, new Fact("after fork, a write to the parent's THP leaves the rest of it", "copied", "shared",
        k -> {
          Machine m = machine(k);
          Process p = m.spawn("p");
          long buf = hugeAligned(p);
          p.fill(buf, THP, 1);
          Process child = p.fork();
          p.store(buf, (byte) 2);
          return p.pagemap(buf + PAGE) == child.pagemap(buf + PAGE) ? "shared" : "copied";
        }));
    FACTS.put(KernelChange.FORK_COPY_PINNED_HUGE, new Fact("after fork, a pin of a THP's page sees the parent's write", false, true, k -> {
      Machine m = machine(k);
      Process parent = m.spawn("parent");
      long buf = hugeAligned(parent);
      parent.fill(buf, THP, 1);
      PageRefs pin = m.kernel().pinUserPages(parent, buf, 1, FOLL_WRITE | FOLL_LONGTERM);
      parent.fork();
      parent.fill(buf, PAGE, 2);
      return m.content.matches(m.mem.content[pin.pfn(0)], 0, PAGE, 2, 0);
    }));
    FACTS.put(KernelChange.MADV_COLLAPSE, new Fact("madvise(MADV_COLLAPSE) of small pages under THP never", "EINVAL", "a THP", k -> {
      Machine m = new Machine(MachineConfig.builder().ram(64 * MiB).kernel(k).thp(MachineConfig.Thp.NEVER).build());
      Process p = m.spawn("p");
      long buf = hugeAligned(p);
      p.fill(buf, THP, 1);
      String r = errno(() -> p.madvise(buf, THP, Mman.MADV_COLLAPSE));
      return r.equals("ok") && p.anonHugePages(buf) == THP && p.matches(buf, THP, 1) ? "a THP" : r;
    }));
    FACTS.put(KernelChange.THP_ALIGN_ANON, new Fact("mmap of 4 MiB and a page of private anonymous memory below a misaligned mapping "
        + "goes", "right below it", "at a 2 MiB boundary", k -> placedBelowAMisalignedMapping(k, 4 * MiB + PAGE)));
    FACTS.put(KernelChange.THP_ALIGN_TOPDOWN, new Fact("the second of two 2 MiB private anonymous mmaps in a row goes", "a 2 MiB hole "
        + "below the first", "right below the first", k -> {
          Process p = machine(k).spawn("p");
          anon(p, MiB + PAGE);
          long first = anon(p, THP);
          long gap = first - anon(p, THP) - THP;
          return gap == 0 ? "right below the first" : gap == THP ? "a 2 MiB hole below the first" : "0x" + Long.toHexString(gap) + " below";
        }));
    FACTS.put(KernelChange.THP_ALIGN_PMD_SIZED, new Fact("mmap of 4 MiB and a page of private anonymous memory below a misaligned "
        + "mapping goes", "at a 2 MiB boundary", "right below it", k -> placedBelowAMisalignedMapping(k, 4 * MiB + PAGE)));
    FACTS.put(KernelChange.ANON_MTHP, new Fact("a write into 64 KiB of fresh memory with 64K THPs always gets", "a small page",
        "a 64 KiB folio", k -> {
          Machine m = new Machine(MachineConfig.builder().ram(64 * MiB).kernel(k).thpSize(64 << 10, MachineConfig.Thp.ALWAYS).build());
          Process p = m.spawn("p");
          long folio = (anon(p, 256 << 10) + (64 << 10)) & -(64 << 10);
          p.store(folio + 5 * PAGE, (byte) 1);
          int order = m.mem.folioOrder((int) p.pagemap(folio + 5 * PAGE));
          return order == 4 && p.pagemap(folio) >= 0 ? "a 64 KiB folio" : order == 0 ? "a small page" : "order " + order;
        }));
    FACTS.put(KernelChange.HUGE_ZERO_WP_THP, new Fact("a write to 2 MiB of THP-always memory read before leaves it", "small pages",
        "a THP", k -> {
          Machine m = new Machine(MachineConfig.builder().ram(64 * MiB).kernel(k).thp(MachineConfig.Thp.ALWAYS).build());
          Process p = m.spawn("p");
          long buf = (anon(p, 2 * THP) + THP) & -THP;
          p.load(buf);
          p.store(buf + PAGE, (byte) 1);
          return p.pmdMapped(buf) && p.anonHugePages(buf) == THP ? "a THP" : p.pmdMapped(buf) ? "still the zero page" : "small pages";
        }));
    FACTS.put(KernelChange.COW_REUSE_LARGE, new Fact("a write to a page of a THP a child shared until it exited", "copies it",
        "reuses it", k -> {
          Machine m = machine(k);
          Process p = m.spawn("p");
          long buf = hugeAligned(p);
          p.fill(buf, THP, 1);
          p.madvise(buf + PAGE, THP - PAGE, Mman.MADV_DONTFORK);
          p.fork().exit();
          long before = p.pagemap(buf);
          p.store(buf, (byte) 2);
          return p.pagemap(buf) == before ? "reuses it" : "copies it";
        }));
    FACTS.put(KernelChange.MAP_HUGE_SIZES, new Fact("mmap(MAP_HUGETLB|MAP_HUGE_1GB) of a page maps, in KiB", 2048L, 1048576L, k -> {
      Machine m = new Machine(MachineConfig.builder().ram(3L << 30).kernel(k).hugetlbPages(2 * MiB, 1).hugetlbPages(1L << 30, 1)
          .build());
      Process p = m.spawn("p");
      long mem = p.mmap(0, PAGE, Mman.PROT_READ | Mman.PROT_WRITE,
          Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | Mman.MAP_HUGETLB | Mman.MAP_HUGE_1GB);
      return p.vma(mem).size() >> 10;
    }));
    FACTS.put(KernelChange.MEMFD_HUGETLB, new Fact("memfd_create(MFD_HUGETLB) with a 2 MiB pool", "EINVAL", "ok",
        k -> errno(() -> hugetlbMachine(k, 1).createMemfd("m", 2 * MiB, Mman.MFD_HUGETLB))));
    FACTS.put(KernelChange.HUGETLB_FORK_EARLY_COW, new Fact("after fork, a pin of a hugetlb page sees the parent's write", false, true,
        k -> {
          Machine m = hugetlbMachine(k, 3);
          Process parent = m.spawn("parent");
          long mem = parent.mmap(0, 2 * MiB, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | Mman.MAP_HUGETLB);
          parent.fill(mem, 2 * MiB, 1);
          PageRefs pin = m.kernel().pinUserPages(parent, mem, 1, FOLL_WRITE | FOLL_LONGTERM);
          parent.fork();
          parent.fill(mem, 2 * MiB, 2);
          return parent.pagemap(mem) == pin.pfn(0);
        }));
    FACTS.put(KernelChange.MREMAP_HUGETLB, new Fact("mremap(MREMAP_MAYMOVE|MREMAP_FIXED) of a hugetlb mapping", "EINVAL", "ok", k -> {
      Machine m = hugetlbMachine(k, 2);
      Process p = m.spawn("p");
      long mem = p.mmap(0, 4 * MiB, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | Mman.MAP_HUGETLB);
      p.fill(mem, 2 * MiB, 1);
      return errno(() -> p.mremap(mem, 2 * MiB, 2 * MiB, Mman.MREMAP_MAYMOVE | Mman.MREMAP_FIXED, mem + 2 * MiB));
    }));
    FACTS.put(KernelChange.MADV_DONTNEED_HUGETLB, new Fact("madvise(MADV_DONTNEED) of a hugetlb page", "EINVAL", "ok", k -> {
      Machine m = hugetlbMachine(k, 1);
      Process p = m.spawn("p");
      long mem = p.mmap(0, 2 * MiB, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | Mman.MAP_HUGETLB);
      p.fill(mem, 2 * MiB, 1);
      return errno(() -> p.madvise(mem, 2 * MiB, Mman.MADV_DONTNEED));
    }));
    FACTS.put(KernelChange.MEMFD, new Fact("memfd_create", "ENOSYS", "ok", k -> errno(() -> machine(k).createMemfd("m", PAGE))));
    FACTS.put(KernelChange.TMPFS_DIRECT_IO, new Fact("an O_DIRECT read of 100 bytes of a tmpfs file into an unaligned buffer",
        "EINVAL", "ok", k -> {
          Machine m = machine(k);
          MemFile f = m.createShmemFile("t", PAGE);
          Process p = m.spawn("p");
          long buf = anon(p, PAGE);
          return errno(() -> p.readDirect(f, buf + 3, 100));
        }));
    FACTS.put(KernelChange.MLOCK_ONFAULT, new Fact("mlock2(MLOCK_ONFAULT)", "ENOSYS", "ok", k -> {
      Process p = machine(k).spawn("p");
      long buf = anon(p, 4 * PAGE);
      return errno(() -> p.mlock2(buf, 4 * PAGE, Mman.MLOCK_ONFAULT));
    }));
    FACTS.put(KernelChange.MLOCK_COUNT_LOCKED, new Fact("mlock of a range already locked, 6 of a limit of 8 pages", "ENOMEM", "ok", k -> {
      Process p = machine(k).spawn("p");
      p.setrlimitMemlock(8 * PAGE, 8 * PAGE);
      long buf = anon(p, 6 * PAGE);
      p.mlock(buf, 6 * PAGE);
      return errno(() -> p.mlock(buf, 6 * PAGE));
    }));
    FACTS.put(KernelChange.WIPEONFORK, new Fact("madvise(MADV_WIPEONFORK)", "EINVAL", "ok", k -> {
      Process p = machine(k).spawn("p");
      long buf = anon(p, PAGE);
      return errno(() -> p.madvise(buf, PAGE, Mman.MADV_WIPEONFORK));
    }));
    FACTS.put(KernelChange.LONGTERM_CMA, new Fact("a long-term pin of a page in CMA leaves it there", true, false, k -> {
      Machine m = new Machine(MachineConfig.builder().ram(64 * MiB).cma(48 * MiB).kernel(k).build());
      Process filler = m.spawn("filler");
      filler.fill(anon(filler, 16 * MiB), 16 * MiB, 9);
      Process p = m.spawn("p");
      long buf = anon(p, PAGE);
      p.fill(buf, PAGE, 3);
      assertThat(m.mem.isCma((int) p.pagemap(buf))).as("the page starts in CMA").isTrue();
      filler.exit();
      PageRefs pin = m.kernel().pinUserPages(p, buf, 1, FOLL_WRITE | FOLL_LONGTERM);
      return m.mem.isCma(pin.pfn(0));
    }));
    FACTS.put(KernelChange.FOLL_PIN, new Fact("folio_maybe_dma_pinned after pin_user_pages", false, true, k -> {
      Machine m = machine(k);
      Process p = m.spawn("p");
      long buf = anon(p, PAGE);
      p.fill(buf, PAGE, 1);
      return m.page(m.kernel().pinUserPages(p, buf, 1, FOLL_WRITE).pfn(0)).maybeDmaPinned();
    }));
    FACTS.put(KernelChange.CMA_BALANCED, new Fact("the first user page lands in CMA while CMA holds most free memory", "Normal", "Normal(CMA)", k -> {
      Machine m = new Machine(MachineConfig.builder().ram(32 * MiB).cma(24 * MiB).kernel(k).build());
      Process p = m.spawn("p");
      long buf = anon(p, PAGE);
      p.fill(buf, PAGE, 1);
      return m.page((int) p.pagemap(buf)).zone();
    }));
    FACTS.put(KernelChange.WP_PAGE_COUNT, new Fact("a write to a write-protected page a get_user_pages holder references copies it", false, true, k -> {
      Machine m = machine(k);
      Process p = m.spawn("p");
      long buf = anon(p, PAGE);
      p.fill(buf, PAGE, 1);
      PageRefs held = m.kernel().getUserPages(p, buf, 1, 0);
      m.kernel().writeProtectRange(p, buf, PAGE, false);
      p.fill(buf, PAGE, 2);
      return p.pagemap(buf) != held.pfn(0);
    }));
    FACTS.put(KernelChange.FORK_COPY_PINNED, new Fact("after fork, the pin sees the parent's write", false, true, k -> {
      Machine m = machine(k);
      Process parent = m.spawn("parent");
      long buf = anon(parent, PAGE);
      parent.fill(buf, PAGE, 1);
      PageRefs pin = m.kernel().pinUserPages(parent, buf, 1, FOLL_WRITE | FOLL_LONGTERM);
      parent.fork();
      parent.fill(buf, PAGE, 2);
      return m.content.matches(m.mem.content[pin.pfn(0)], 0, PAGE, 2, 0);
    }));
    FACTS.put(KernelChange.RECLAIM_SKIP_PINNED, new Fact("reclaim swaps out a pinned page", true, false, k -> {
      Machine m = new Machine(MachineConfig.builder().ram(32 * MiB).swap(32 * MiB).kernel(k).build());
      Process p = m.spawn("p");
      long buf = anon(p, PAGE);
      p.fill(buf, PAGE, 1);
      m.kernel().pinUserPages(p, buf, 1, FOLL_WRITE);
      m.kernel().reclaim((int) m.totalPages());
      return p.swappedOut(buf);
    }));
    FACTS.put(KernelChange.LONGTERM_MOVABLE, new Fact("a long-term pin of a page in ZONE_MOVABLE leaves it there", true, false, k -> {
      Machine m = new Machine(MachineConfig.builder().ram(32 * MiB).movable(16 * MiB).kernel(k).build());
      Process p = m.spawn("p");
      long buf = anon(p, PAGE);
      p.fill(buf, PAGE, 1);
      assertThat(m.mem.isMovableZone((int) p.pagemap(buf))).as("the page starts in ZONE_MOVABLE").isTrue();
      return m.mem.isMovableZone(m.kernel().pinUserPages(p, buf, 1, FOLL_WRITE | FOLL_LONGTERM).pfn(0));
    }));
    FACTS.put(KernelChange.MEMLOCK_8M, new Fact("a new process's RLIMIT_MEMLOCK", 64L << 10, 8L << 20,
        k -> machine(k).spawn("p").memlockLimit()));
    FACTS.put(KernelChange.ANON_EXCLUSIVE, new Fact("a fresh anonymous page is marked exclusive", false, true, k -> {
      Machine m = machine(k);
      Process p = m.spawn("p");
      long buf = anon(p, PAGE);
      p.fill(buf, PAGE, 1);
      return m.page((int) p.pagemap(buf)).flags().contains("anon_exclusive");
    }));
    FACTS.put(KernelChange.GUP_UNSHARE, new Fact("a read-only pin taken after fork sees the parent's later write", false, true, k -> {
      Machine m = machine(k);
      Process parent = m.spawn("parent");
      long buf = anon(parent, PAGE);
      parent.fill(buf, PAGE, 1);
      parent.fork();
      PageRefs pin = m.kernel().pinUserPages(parent, buf, 1, FOLL_LONGTERM);
      parent.fill(buf, PAGE, 2);
      return m.content.matches(m.mem.content[pin.pfn(0)], 0, PAGE, 2, 0);
    }));
    FACTS.put(KernelChange.LONGTERM_RO_UNSHARE, new Fact("a read-only long-term pin of the shared zeropage in a private mapping sees "
        + "the process's later write", false, true, k -> {
      Machine m = machine(k);
      Process p = m.spawn("p");
      long buf = anon(p, PAGE);
      p.load(buf);
      PageRefs pin = m.kernel().pinUserPages(p, buf, 1, FOLL_LONGTERM);
      p.fill(buf, PAGE, 2);
      return m.content.matches(m.mem.content[pin.pfn(0)], 0, PAGE, 2, 0);
    }));
    FACTS.put(KernelChange.MPROTECT_WRITABLE, new Fact("after mprotect(READ) then mprotect(READ|WRITE) the PTE is writable", false, true, k -> {
      Process p = machine(k).spawn("p");
      long buf = anon(p, PAGE);
      p.fill(buf, PAGE, 1);
      p.mprotect(buf, PAGE, Mman.PROT_READ);
      p.mprotect(buf, PAGE, Mman.PROT_READ | Mman.PROT_WRITE);
      return p.pteWritable(buf);
    }));
    FACTS.put(KernelChange.SWAP_PAGE_COUNT, new Fact("a write to a swapped-out page a get_user_pages holder references copies it",
        false, true, k -> {
          Machine m = new Machine(MachineConfig.builder().ram(32 * MiB).swap(32 * MiB).kernel(k).build());
          Process p = m.spawn("p");
          long buf = anon(p, PAGE);
          p.fill(buf, PAGE, 1);
          PageRefs held = m.kernel().getUserPages(p, buf, 1, Foll.FOLL_GET);
          m.kernel().reclaim((int) m.totalPages());
          p.store(buf, (byte) 2);
          m.checkInvariants();
          return p.pagemap(buf) != held.pfns()[0];
        }));
    FACTS.put(KernelChange.MUNMAP_LOCKED_VM, new Fact("locked_vm after munmap of 4 pages a driver locked uncharged", 0L, -4L, k -> {
      Machine m = machine(k);
      Process p = m.spawn("p");
      long buf = anon(p, 4 * PAGE);
      m.kernel().setVmLockedUnaccounted(p, buf, 4 * PAGE, true);
      p.munmap(buf, 4 * PAGE);
      m.checkInvariants();
      return p.lockedVm();
    }));
    FACTS.put(KernelChange.LONGTERM_NO_WRITEBACK, new Fact("a long-term writable pin of a shared file mapping", "ok", "EFAULT", k -> {
      Machine m = machine(k);
      Process p = m.spawn("p");
      long map = p.mmap(0, PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, m.createFile("data", PAGE), 0);
      return errno(() -> m.kernel().pinUserPages(p, map, 1, FOLL_WRITE | FOLL_LONGTERM));
    }));
  }

  static {
    FACTS.put(KernelChange.MADV_FREE, new Fact("madvise(MADV_FREE) of private anonymous memory", "EINVAL", "ok",
        k -> madvise(k, Mman.MADV_FREE)));
    FACTS.put(KernelChange.MAP_FIXED_NOREPLACE, new Fact("mmap(MAP_FIXED_NOREPLACE) over a mapping", "elsewhere", "EEXIST", k -> {
      Process p = machine(k).spawn("p");
      long buf = anon(p, PAGE);
      try {
        long at = p.mmap(buf, PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | Mman.MAP_FIXED_NOREPLACE);
        return at == buf ? "replaced" : "elsewhere";
      } catch (MmException e) {
        return e.errno().name();
      }
    }));
    FACTS.put(KernelChange.MADV_WILLNEED_SWAP, new Fact("madvise(MADV_WILLNEED) of private anonymous memory", "EBADF", "ok",
        k -> madvise(k, Mman.MADV_WILLNEED)));
    FACTS.put(KernelChange.MADV_COLD, new Fact("madvise(MADV_COLD)", "EINVAL", "ok", k -> madvise(k, Mman.MADV_COLD)));
    FACTS.put(KernelChange.MADV_PAGEOUT, new Fact("madvise(MADV_PAGEOUT)", "EINVAL", "ok", k -> madvise(k, Mman.MADV_PAGEOUT)));
    FACTS.put(KernelChange.MREMAP_DONTUNMAP, new Fact("mremap(MREMAP_MAYMOVE|MREMAP_DONTUNMAP) of private anonymous memory", "EINVAL", "ok",
        k -> dontunmap(k, Mman.MAP_PRIVATE)));
    FACTS.put(KernelChange.MREMAP_DONTUNMAP_ANY, new Fact("mremap(MREMAP_MAYMOVE|MREMAP_DONTUNMAP) of shared anonymous memory", "EINVAL",
        "ok", k -> dontunmap(k, Mman.MAP_SHARED)));
    FACTS.put(KernelChange.PAGEOUT_SKIP_SHARED, new Fact("MADV_PAGEOUT of a page a forked child shares swaps it out of the child",
        true, false, k -> {
          Process p = new Machine(MachineConfig.builder().ram(64 * MiB).swap(16 * MiB).kernel(k).build()).spawn("p");
          long buf = anon(p, PAGE);
          p.fill(buf, PAGE, 1);
          Process child = p.fork();
          p.madvise(buf, PAGE, Mman.MADV_PAGEOUT);
          return child.swappedOut(buf);
        }));
    FACTS.put(KernelChange.MADV_REMOVE_PUNCH_HOLE, new Fact("madvise(MADV_REMOVE) of a shared mapping of a disk file", "ENOSYS", "ok",
        k -> {
          Machine m = machine(k);
          Process p = m.spawn("p");
          long map = p.mmap(0, PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, m.createFile("data", PAGE), 0);
          return errno(() -> p.madvise(map, PAGE, Mman.MADV_REMOVE));
        }));
    FACTS.put(KernelChange.MADV_POPULATE, new Fact("madvise(MADV_POPULATE_WRITE)", "EINVAL", "ok",
        k -> madvise(k, Mman.MADV_POPULATE_WRITE)));
    FACTS.put(KernelChange.MADV_DONTNEED_LOCKED, new Fact("madvise(MADV_DONTNEED_LOCKED) of an mlocked range", "EINVAL", "ok", k -> {
      Process p = machine(k).spawn("p");
      long buf = anon(p, PAGE);
      p.mlock(buf, PAGE);
      return errno(() -> p.madvise(buf, PAGE, Mman.MADV_DONTNEED_LOCKED));
    }));
    FACTS.put(KernelChange.DEVICE_PRIVATE, new Fact("memremap_pages of 1 MiB of MEMORY_DEVICE_PRIVATE", "EINVAL", "ok",
        k -> errno(() -> new TestHmm(deviceMachine(k), MiB))));
    FACTS.put(KernelChange.MIGRATE_VMA_SETUP, new Fact("migrate_vma_setup of a written page into device memory", "not modelled", 1,
        k -> {
          Machine m = deviceMachine(k);
          TestHmm dev = new TestHmm(m, MiB);
          Process p = m.spawn("p");
          long buf = anon(p, PAGE);
          p.store(buf, (byte) 1);
          try {
            return dev.migrateToDevice(p, buf, 1);
          } catch (UnsupportedOperationException e) {
            return "not modelled";
          }
        }));
    FACTS.put(KernelChange.HMM_DEV_PRIVATE_OWNER, new Fact("hmm_range_fault, not faulting, of a page in another driver's device memory reports",
        "the device page", "nothing", k -> {
          Machine m = deviceMachine(k.with(KernelChange.HMM_PFN_API));
          Process p = m.spawn("p");
          long buf = inDeviceMemory(m, p);
          long got = m.kernel().hmmRangeFault(new HmmRange(p, buf, buf + PAGE, 0, "another driver"))[0];
          return got == 0 ? "nothing" : HmmRange.pfn(got) == p.devicePrivatePage(buf) ? "the device page" : "a system page";
        }));
    FACTS.put(KernelChange.HMM_PFN_API, new Fact("hmm_range_fault with HMM_PFN_REQ_FAULT of a written page answers",
        "not modelled", "its frame, valid and writable", k -> {
          Machine m = machine(k);
          Process p = m.spawn("p");
          long buf = anon(p, PAGE);
          p.store(buf, (byte) 1);
          try {
            long got = m.kernel().hmmRangeFault(new HmmRange(p, buf, buf + PAGE, HmmRange.HMM_PFN_REQ_FAULT, null))[0];
            return HmmRange.pfn(got) == p.pagemap(buf) && HmmRange.valid(got) && HmmRange.writable(got)
                ? "its frame, valid and writable" : "something else";
          } catch (UnsupportedOperationException e) {
            return "not modelled";
          }
        }));
    FACTS.put(KernelChange.HMM_FAULT_NON_OWNER, new Fact("hmm_range_fault with HMM_PFN_REQ_FAULT of a page in another driver's device memory",
        "EFAULT", "a system page", k -> {
          Machine m = deviceMachine(k);
          Process p = m.spawn("p");
          long buf = inDeviceMemory(m, p);
          try {
            long got = m.kernel().hmmRangeFault(new HmmRange(p, buf, buf + PAGE, HmmRange.HMM_PFN_REQ_FAULT, "another driver"))[0];
            return HmmRange.pfn(got) == p.pagemap(buf) ? "a system page" : "the device page";
          } catch (MmException e) {
            return e.errno().name();
          }
        }));
    FACTS.put(KernelChange.MIGRATE_DEVICE_RANGE, new Fact("migrate_device_range over a driver's pages, one of them mapped, collects",
        "not modelled", 1L, k -> {
          Machine m = deviceMachine(k);
          Process p = m.spawn("p");
          inDeviceMemory(m, p);
          DevicePagemap pgmap = m.pagemap(m.mem.nrFrames);
          try {
            return java.util.Arrays.stream(m.kernel().migrateDeviceRange(pgmap.firstPfn(), pgmap.nrPages()))
                .filter(e -> (e & MigrateVma.MIGRATE_PFN_MIGRATE) != 0).count();
          } catch (UnsupportedOperationException e) {
            return "not modelled";
          }
        }));
    FACTS.put(KernelChange.OOM_REAP_NONBLOCK, new Fact("one OOM reaper attempt over a victim with one touched page", "not modelled",
        1L, k -> {
          Machine m = machine(k);
          Process p = m.spawn("p");
          long buf = anon(p, PAGE);
          p.store(buf, (byte) 1);
          try {
            return m.kernel().oomReapTaskMm(p)[0];
          } catch (UnsupportedOperationException e) {
            return "not modelled";
          }
        }));
    FACTS.put(KernelChange.MUNMAP_DOWNGRADE, new Fact("how munmap holds mmap_lock while it zaps the pages", "write", "write, then read",
        k -> {
          Machine m = machine(k);
          Process p = m.spawn("p");
          long buf = anon(p, PAGE);
          p.store(buf, (byte) 1);
          java.util.List<String> modes = new java.util.ArrayList<>();
          m.mmapLockContention(new MmapLockContention() {
            @Override
            public void lock(int mm, boolean write, String call) {
              modes.add(write ? "write" : "read");
            }

            @Override
            public void downgrade(int mm) {
              modes.add("read");
            }
          });
          p.munmap(buf, PAGE);
          return String.join(", then ", modes);
        }));
    FACTS.put(KernelChange.PER_VMA_LOCK, new Fact("the lock a second fault in an anonymous VMA takes", "mmap_lock", "the VMA's lock",
        k -> {
          Machine m = machine(k);
          Process p = m.spawn("p");
          long buf = anon(p, 2 * PAGE);
          java.util.List<String> locks = new java.util.ArrayList<>();
          m.mmapLockContention(new MmapLockContention() {
            @Override
            public void lock(int mm, boolean write, String call) {}

            @Override
            public void downgrade(int mm) {}

            @Override
            public void fault(int mm, long addr, boolean vmaLock) {
              locks.add(vmaLock ? "the VMA's lock" : "mmap_lock");
            }
          });
          p.store(buf, (byte) 1);
          p.store(buf + PAGE, (byte) 1);
          // The first fault makes the VMA's anon_vma under mmap_lock on either side.
          return locks.get(0).equals("mmap_lock") ? locks.get(1) : "first fault: " + locks.get(0);
        }));
    FACTS.put(KernelChange.OOM_REAP_MLOCKED, new Fact("pages an OOM reaper attempt unmaps from an mlocked page", 0L, 1L, k -> {
      Machine m = machine(k.with(KernelChange.OOM_REAP_NONBLOCK));
      Process p = m.spawn("p");
      long buf = anon(p, PAGE);
      p.mlock(buf, PAGE);
      return m.kernel().oomReapTaskMm(p)[0];
    }));
    FACTS.put(KernelChange.DIO_PIN, new Fact("FOLL_PIN pins taken by an O_DIRECT read of 2 pages", 0L, 2L, k -> {
      Machine m = machine(k);
      Process p = m.spawn("p");
      long buf = anon(p, 2 * PAGE);
      MemFile f = m.createFile("data", 2 * PAGE);
      long before = m.vmstat().get(VmEvent.NR_FOLL_PIN_ACQUIRED);
      p.readDirect(f, buf, 2 * PAGE);
      return m.vmstat().get(VmEvent.NR_FOLL_PIN_ACQUIRED) - before;
    }));
  }

  private static String madvise(KernelConfig k, int advice) {
    Process p = machine(k).spawn("p");
    long buf = anon(p, PAGE);
    p.fill(buf, PAGE, 1);
    return errno(() -> p.madvise(buf, PAGE, advice));
  }

  private static String dontunmap(KernelConfig k, int type) {
    Process p = machine(k).spawn("p");
    long buf = p.mmap(0, PAGE, Mman.PROT_READ | Mman.PROT_WRITE, type | Mman.MAP_ANONYMOUS);
    long dst = anon(p, PAGE);
    p.munmap(dst, PAGE);
    return errno(() -> p.mremap(buf, PAGE, PAGE, Mman.MREMAP_MAYMOVE | Mman.MREMAP_DONTUNMAP, dst));
  }

  /** A 2 MiB-aligned range of private anonymous memory given MADV_HUGEPAGE, as cow.c's do_run_with_thp makes one. */
  static long hugeAligned(Process p) {
    long area = p.mmap(0, 2 * THP, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    long buf = (area + THP) & -THP;
    p.madvise(buf, THP, Mman.MADV_HUGEPAGE);
    return buf;
  }

  private static Machine machine(KernelConfig k) {
    return new Machine(MachineConfig.builder().ram(64 * MiB).kernel(k).build());
  }

  private static Machine deviceMachine(KernelConfig k) {
    return new Machine(MachineConfig.builder().ram(64 * MiB).devicePrivate(MiB).kernel(k).build());
  }

  /** A written page of {@code p} that a test_hmm device migrated into its memory. */
  private static long inDeviceMemory(Machine m, Process p) {
    TestHmm dev = new TestHmm(m, MiB);
    long buf = anon(p, PAGE);
    p.store(buf, (byte) 1);
    dev.migrateToDevice(p, buf, 1);
    return buf;
  }

  private static String errno(Runnable call) {
    try {
      call.run();
      return "ok";
    } catch (MmException e) {
      return e.errno().name();
    }
  }

  @Test
  void everyChangeHasAFactOnEachSide() {
    EnumSet<KernelChange> covered = EnumSet.copyOf(FACTS.keySet());
    covered.addAll(TESTED_ELSEWHERE);
    assertThat(covered).containsExactlyInAnyOrder(KernelChange.values());
  }

  @ParameterizedTest
  @EnumSource(value = KernelChange.class, names = {"INTERVAL_NOTIFIER", "IO_URING", "IO_URING_GUP_FILE_CHECK", "DRM_GPUSVM"}, mode = EnumSource.Mode.EXCLUDE)
  void theReleaseThatBroughtTheChangeBehavesAsItSaysOnlyWithIt(KernelChange change) {
    Fact fact = FACTS.get(change);
    KernelConfig with = KernelConfig.linux(change.release());
    KernelConfig without = with.without(change);
    assertThat(fact.probe().apply(without)).as("%s on %s", fact.what(), without).isEqualTo(fact.without());
    assertThat(fact.probe().apply(with)).as("%s on %s", fact.what(), with).isEqualTo(fact.with());
  }
}
