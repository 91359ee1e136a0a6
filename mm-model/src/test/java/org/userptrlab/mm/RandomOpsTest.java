package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.TestMachines.PAGE;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A seeded random sequence of system calls and accesses over several processes, with the invariant checker after every step. */
class RandomOpsTest {

  static List<Arguments> runs() {
    return runs(8);
  }

  /** Every preset with seeds 1 to {@code seeds}. */
  static List<Arguments> runs(int seeds) {
    List<Arguments> out = new ArrayList<>();
    for (KernelConfig era : KernelConfig.presets()) {
      for (long seed = 1; seed <= seeds; seed++) {
        out.add(Arguments.of(era, seed));
      }
    }
    return out;
  }

  /** A thousand random steps, the invariants checked after each; then everything released, and every process exited. */
  static void runChecked(Machine m, RandomOps ops) {
    for (int step = 0; step < 1000; step++) {
      String op = ops.step();
      try {
        m.checkInvariants();
      } catch (IllegalStateException e) {
        throw new AssertionError("after step " + step + " (" + op + "):\n" + e.getMessage(), e);
      }
    }
    ops.releaseAll();
    m.checkInvariants();
    ops.exitAll();
    m.checkInvariants();
  }

  /** The machine a random run takes place on: CMA, swap and four CPUs, ASLR on every other seed. */
  static Machine machine(KernelConfig era, long seed) {
    return new Machine(MachineConfig.builder().ram(32L << 20).cma(8L << 20).swap(16L << 20).cpus(4)
        .kernel(era.with(KernelChange.CMA)).seed(seed).aslr(seed % 2 == 0).build());
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("runs")
  void invariantsHoldAfterEveryStep(KernelConfig era, long seed) {
    Machine m = machine(era, seed);
    RandomOps ops = new RandomOps(m, new SplittableRandom(seed));
    runChecked(m, ops);
    // What is left is cache: swap-cache pages nobody maps and page-cache pages of the files. Reclaim drops it.
    m.kernel().reclaim((int) m.totalPages());
    m.checkInvariants();
    assertThat(m.swap.usedSlots()).isZero();
    long cached = 0;
    for (MemFile f : ops.files) {
      cached += f.cachedPages();
    }
    assertThat(m.freePages()).isEqualTo(m.totalPages() - 1 - cached);
  }

  /** The operations, each a small random choice of arguments (some of them deliberately bad). */
  static final class RandomOps {
    final Machine m;
    final SplittableRandom rnd;
    final List<Process> procs = new ArrayList<>();
    final List<MemFile> files = new ArrayList<>();
    final List<long[]> blocks = new ArrayList<>();
    final List<PageRefs> held = new ArrayList<>();
    final List<MmuIntervalNotifier> subs = new ArrayList<>();

    /** How many kinds of operation to draw from: the first 28, or all 32 (mremap, new madvise words, truncate, mmap_at). */
    final int kinds;
    /** Whether a third of the anonymous mappings are 4 MiB, room for a THP whatever their alignment. */
    boolean huge;

    RandomOps(Machine m, SplittableRandom rnd) {
      this(m, rnd, 28);
    }

    RandomOps(Machine m, SplittableRandom rnd, int kinds) {
      this.m = m;
      this.rnd = rnd;
      this.kinds = kinds;
      procs.add(m.spawn("init"));
      files.add(m.createFile("a", 16 * PAGE));
      files.add(m.createShmemFile("b", 8 * PAGE));
    }

    String step() {
      if (procs.isEmpty()) {
        procs.add(m.spawn("p"));
      }
      Process p = procs.get(rnd.nextInt(procs.size()));
      int op = rnd.nextInt(kinds);
      try {
        return run(p, op);
      } catch (MmException | SignalException e) {
        return "op " + op + " on " + p + " -> " + e.getMessage();
      }
    }

    private long anyAddress(Process p) {
      List<Vma> vmas = p.vmas();
      if (vmas.isEmpty() || rnd.nextInt(10) == 0) {
        return Page.down(0x7fff_0000_0000L - rnd.nextLong(1L << 30));
      }
      Vma v = vmas.get(rnd.nextInt(vmas.size()));
      return v.start() + Page.down(rnd.nextLong(v.size())) - (rnd.nextInt(4) == 0 ? PAGE : 0);
    }

    private String run(Process p, int op) {
      long len = (1 + rnd.nextInt(12)) * (long) PAGE;
      switch (op) {
        case 0: {
          if (huge && rnd.nextInt(3) == 0) {
            len = 4L << 20;
          }
          int flags = (rnd.nextBoolean() ? Mman.MAP_PRIVATE : Mman.MAP_SHARED) | Mman.MAP_ANONYMOUS;
          int prot = rnd.nextInt(4) == 0 ? Mman.PROT_READ : Mman.PROT_READ | Mman.PROT_WRITE;
          long a = p.mmap(0, len, prot, flags);
          if (huge && len == 4L << 20 && rnd.nextBoolean()) {
            // A touch of the 2 MiB-aligned middle: a THP where the mapping is private and writable.
            long mid = (a + (2L << 20)) & -(2L << 20);
            if ((prot & Mman.PROT_WRITE) != 0) {
              p.store(mid, (byte) 1);
            } else {
              p.load(mid);
            }
          }
          return "mmap anon " + Long.toHexString(a);
        }
        case 1: {
          MemFile f = files.get(rnd.nextInt(files.size()));
          int flags = rnd.nextBoolean() ? Mman.MAP_PRIVATE : Mman.MAP_SHARED;
          return "mmap file " + Long.toHexString(p.mmap(0, len, Mman.PROT_READ | Mman.PROT_WRITE, flags, f, PAGE * (long) rnd.nextInt(4)));
        }
        case 2: {
          long a = anyAddress(p);
          p.munmap(a, len);
          return "munmap " + Long.toHexString(a);
        }
        case 3: {
          long a = anyAddress(p);
          p.mprotect(a, len, rnd.nextBoolean() ? Mman.PROT_READ : Mman.PROT_READ | Mman.PROT_WRITE);
          return "mprotect " + Long.toHexString(a);
        }
        case 4: {
          int[] advice = {Mman.MADV_DONTNEED, Mman.MADV_DONTFORK, Mman.MADV_DOFORK, Mman.MADV_WIPEONFORK, Mman.MADV_KEEPONFORK};
          long a = anyAddress(p);
          int adv = advice[rnd.nextInt(advice.length)];
          p.madvise(a, len, adv);
          return "madvise " + adv + " " + Long.toHexString(a);
        }
        case 5: {
          long cur = p.brk(0);
          long want = cur + (rnd.nextInt(24) - 8) * (long) PAGE + rnd.nextInt(100);
          return "brk " + Long.toHexString(p.brk(want));
        }
        case 6:
        case 7: {
          long size = rnd.nextInt(5) == 0 ? (1 + rnd.nextInt(300)) * 1024L : 1 + rnd.nextInt(9000);
          long ptr = p.malloc(size);
          if (ptr != 0) {
            blocks.add(new long[] {p.pid(), ptr, size});
            p.fill(ptr, size, ptr);
          }
          return "malloc " + size;
        }
        case 8: {
          for (int i = 0; i < blocks.size(); i++) {
            long[] b = blocks.get(i);
            if (b[0] == p.pid()) {
              blocks.remove(i);
              p.free(b[1]);
              return "free " + Long.toHexString(b[1]);
            }
          }
          return "free nothing";
        }
        case 9:
        case 10: {
          long a = anyAddress(p);
          p.fill(a + rnd.nextInt(PAGE), len, rnd.nextLong());
          return "fill " + Long.toHexString(a);
        }
        case 11: {
          long a = anyAddress(p) + rnd.nextInt(PAGE);
          if (rnd.nextBoolean()) {
            p.store(a, (byte) rnd.nextInt());
          } else {
            p.load(a);
          }
          return "access " + Long.toHexString(a);
        }
        case 12: {
          if (procs.size() < 6) {
            Process c = p.fork();
            procs.add(c);
            for (long[] b : List.copyOf(blocks)) {
              if (b[0] == p.pid()) {
                blocks.add(new long[] {c.pid(), b[1], b[2]});
              }
            }
            return "fork " + c.pid();
          }
          return "fork skipped";
        }
        case 13: {
          if (procs.size() > 1) {
            procs.remove(p);
            blocks.removeIf(b -> b[0] == p.pid());
            p.exit();
            return "exit " + p.pid();
          }
          return "exit skipped";
        }
        case 14: {
          long a = anyAddress(p);
          if (rnd.nextBoolean()) {
            p.mlock(a, len);
          } else {
            p.munlock(a, len);
          }
          return "mlock/munlock " + Long.toHexString(a);
        }
        case 15: {
          long src = anyAddress(p) + rnd.nextInt(PAGE);
          long dst = anyAddress(p) + rnd.nextInt(PAGE);
          long n = Math.min(len, Math.abs(dst - src));
          p.memcpy(dst, src, n);
          return "memcpy";
        }
        case 16: {
          long a = anyAddress(p);
          p.mmap(a, len, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | Mman.MAP_FIXED);
          return "mmap fixed " + Long.toHexString(a);
        }
        case 18:
        case 19: {
          long a = Page.down(anyAddress(p));
          int n = 1 + rnd.nextInt(8);
          int flags = (rnd.nextBoolean() ? Foll.FOLL_WRITE : 0) | (rnd.nextInt(3) == 0 ? Foll.FOLL_LONGTERM : 0)
              | (rnd.nextInt(4) == 0 ? Foll.FOLL_FORCE : 0);
          Kernel k = m.kernel();
          PageRefs r;
          switch (rnd.nextInt(4)) {
            case 0:
              r = k.getUserPages(p, a, n, flags);
              break;
            case 1:
              r = k.pinUserPagesFast(p, a, n, flags);
              break;
            case 2:
              r = k.pinUserPagesAll(p, a, n, flags);
              break;
            default:
              r = k.getUserPagesFast(p, a, n, flags);
          }
          held.add(r);
          if (r.pinned() && rnd.nextBoolean()) {
            k.accountPinnedVm(p, r);
          }
          return "gup " + r.size() + " at " + Long.toHexString(a);
        }
        case 20: {
          if (!held.isEmpty()) {
            PageRefs r = held.remove(rnd.nextInt(held.size()));
            if (rnd.nextBoolean()) {
              r.releaseDirty();
            } else {
              r.release();
            }
            return "release " + r.size();
          }
          return "release nothing";
        }
        case 21: {
          long a = Page.down(anyAddress(p));
          return "zap " + m.kernel().zapPageRange(p, a, len);
        }
        case 22: {
          long a = Page.down(anyAddress(p));
          return "wrprotect " + m.kernel().writeProtectRange(p, a, len, rnd.nextBoolean());
        }
        case 23: {
          int pfn = 1 + rnd.nextInt((int) m.totalPages() - 1);
          if (m.mem.isFree(pfn)) {
            return "migrate free";
          }
          return "migrate " + pfn + " -> " + m.kernel().migratePage(pfn);
        }
        case 24: {
          switch (rnd.nextInt(3)) {
            case 0:
              return "reclaim " + m.kernel().reclaim(1 + rnd.nextInt(64));
            case 1:
              return "compact " + m.kernel().compactMemory()[0];
            default:
              held.add(m.kernel().cmaAlloc(1 + rnd.nextInt(300)));
              return "cma";
          }
        }
        case 25: {
          long a = Page.down(anyAddress(p));
          MmuIntervalNotifier sub = m.kernel().mmuIntervalNotifierInsert(p, a, len, (s, r, cur) -> {
            s.setSeq(cur);
            return true;
          });
          subs.add(sub);
          if (subs.size() > 8) {
            subs.remove(0).remove();
          }
          return "notifier";
        }
        case 26: {
          long a = Page.down(anyAddress(p));
          return "driver VM_LOCKED " + m.kernel().setVmLockedUnaccounted(p, a, len, rnd.nextBoolean());
        }
        case 28: {
          int[] flags = {0, Mman.MREMAP_MAYMOVE, Mman.MREMAP_MAYMOVE | Mman.MREMAP_FIXED, Mman.MREMAP_MAYMOVE | Mman.MREMAP_DONTUNMAP,
              Mman.MREMAP_MAYMOVE | Mman.MREMAP_FIXED | Mman.MREMAP_DONTUNMAP};
          int f = flags[rnd.nextInt(flags.length)];
          long a = anyAddress(p);
          long newLen = (f & Mman.MREMAP_DONTUNMAP) != 0 ? len : (1 + rnd.nextInt(16)) * (long) PAGE;
          return "mremap " + Long.toHexString(p.mremap(a, len, newLen, f, anyAddress(p)));
        }
        case 29: {
          int[] advice = {Mman.MADV_FREE, Mman.MADV_COLD, Mman.MADV_PAGEOUT, Mman.MADV_POPULATE_READ, Mman.MADV_POPULATE_WRITE,
              Mman.MADV_DONTNEED_LOCKED, Mman.MADV_REMOVE, Mman.MADV_WILLNEED};
          long a = anyAddress(p);
          int adv = advice[rnd.nextInt(advice.length)];
          p.madvise(a, len, adv);
          return "madvise " + adv + " " + Long.toHexString(a);
        }
        case 30: {
          MemFile f = files.get(rnd.nextInt(files.size()));
          long size = rnd.nextInt(20) * (long) PAGE + (rnd.nextInt(4) == 0 ? rnd.nextInt(PAGE) : 0);
          m.truncate(f, size);
          return "truncate " + f + " " + size;
        }
        case 31: {
          long a = anyAddress(p);
          if (rnd.nextBoolean()) {
            return "read_direct " + p.readDirect(files.get(0), a + 512L * rnd.nextInt(2), len);
          }
          int fixed = rnd.nextBoolean() ? Mman.MAP_FIXED : Mman.MAP_FIXED_NOREPLACE;
          return "mmap_at " + Long.toHexString(p.mmap(a, len, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | fixed));
        }
        default: {
          if (rnd.nextBoolean()) {
            p.mlockall(Mman.MCL_CURRENT | (rnd.nextBoolean() ? Mman.MCL_FUTURE : 0));
          } else {
            p.munlockall();
          }
          return "mlockall/munlockall";
        }
      }
    }

    void releaseAll() {
      for (PageRefs r : held) {
        r.release();
      }
      held.clear();
      for (MmuIntervalNotifier sub : subs) {
        sub.remove();
      }
    }

    void exitAll() {
      for (Process p : procs) {
        p.exit();
      }
      procs.clear();
    }
  }
}
