package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The invariant checker catches each kind of corruption CONFIG_DEBUG_VM would: a healthy machine
 * after fork, swap, mlock and free passes, and one wrong count, flag or link makes it fail naming
 * what is wrong.
 */
class DebugVmTest {
  /** A machine with a bit of everything: a forked child sharing pages, a swapped page, an mlocked range, freed frames. */
  private static final class Busy {
    final Machine m = new Machine(MachineConfig.builder().ram(8L << 20).swap(8L << 20).kernel(KernelConfig.LINUX_6_12).build());
    final Process p = m.spawn("p");
    final long buf = anon(p, 8 * PAGE);
    final long locked = anon(p, 2 * PAGE);
    final MemFile file = m.createFile("f", PAGE);
    final long fileMap = p.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_SHARED, file, 0);
    final int freed;

    Busy() {
      p.fill(buf, 8 * PAGE, 1);
      p.fill(locked, 2 * PAGE, 2);
      p.mlock(locked, 2 * PAGE);
      long spare = anon(p, PAGE);
      p.fill(spare, PAGE, 4);
      m.kernel().reclaim(1 << 20);
      p.matches(buf, 8 * PAGE, 1);
      p.load(fileMap);
      p.fork();
      long gone = anon(p, PAGE);
      p.fill(gone, PAGE, 3);
      freed = (int) p.pagemap(gone);
      p.munmap(gone, PAGE);
    }

    int pfn(long addr) {
      return (int) p.pagemap(addr);
    }

    int untouched() {
      return m.mem.touchedEnd(0);
    }

    void setPte(long addr, long pte) {
      p.mm.pgtable.set(addr >>> Page.PAGE_SHIFT, pte);
    }
  }

  static Stream<Arguments> corruptions() {
    return Stream.of(
        corruption("a leaked reference", b -> b.m.mem.refcount[b.pfn(b.buf)]++, "a reference leaked"),
        corruption("a lost reference", b -> b.m.mem.refcount[b.pfn(b.buf)]--, "a reference is missing"),
        corruption("a mapcount one too high", b -> b.m.mem.mapcount[b.pfn(b.buf)]++, "mapcount 3 but 2 PTEs map it"),
        corruption("a free frame with a reference", b -> b.m.mem.refcount[b.freed] = 1, "free pfn " ),
        corruption("a free frame with bytes", b -> b.m.mem.content[b.freed] = 12345, FREE_BYTES),
        corruption("a free frame a holder still names, its refcount agreeing", b -> {
          PageRefs held = b.m.kernel().getUserPages(b.p, b.buf, 1, 0);
          b.m.mem.refcount[held.pfns[0]]--;
          held.pfns[0] = b.freed;
          b.m.mem.refcount[b.freed] = 1;
        }, "is free but 0 PTEs and 1 other references point at it"),
        corruption("a never-used frame with a flag", b -> b.m.mem.flags[b.m.mem.touchedEnd(0)] |= PageFlags.PG_DIRTY,
            NOT_PRISTINE),
        corruption("PG_mlocked outside a locked VMA", b -> b.m.mem.flags[b.pfn(b.buf)] |= PageFlags.PG_MLOCKED,
            "PG_mlocked is true but no VM_LOCKED VMA maps it"),
        corruption("PG_mlocked lost in a locked VMA", b -> b.m.mem.flags[b.pfn(b.locked)] &= ~PageFlags.PG_MLOCKED,
            "PG_mlocked is false but a VM_LOCKED VMA maps it"),
        corruption("locked_vm off by one", b -> b.p.mm.lockedVm++, "locked_vm is 3 pages"),
        corruption("pinned_vm with no pin", b -> b.p.mm.pinnedVm++, "pinned_vm is 1 pages"),
        corruption("total_vm off by one", b -> b.p.mm.totalVm--, "total_vm is"),
        corruption("a swap count too high", b -> b.m.swap.swapDuplicate(0), "swap slot 0: swap_map says"),
        corruption("a VMA dropped without zapping its PTEs", b -> b.p.mm.vmas.remove(b.buf), "lies outside every VMA"),
        corruption("a page whose rmap leads elsewhere", b -> b.m.mem.index[b.pfn(b.buf)]++, "do not lead back here"),
        corruption("a never-used frame with a reference", b -> b.m.mem.refcount[b.untouched()] = 1, NOT_PRISTINE),
        corruption("a never-used frame with a mapcount", b -> b.m.mem.mapcount[b.untouched()] = 1, NOT_PRISTINE),
        corruption("a never-used frame with a mapping", b -> b.m.mem.mapping[b.untouched()] = 1, NOT_PRISTINE),
        corruption("a never-used frame with an index", b -> b.m.mem.index[b.untouched()] = 1, NOT_PRISTINE),
        corruption("a never-used frame with bytes", b -> b.m.mem.content[b.untouched()] = 1, NOT_PRISTINE),
        corruption("a never-used frame a holder names, its refcount agreeing", b -> {
          PageRefs held = b.m.kernel().getUserPages(b.p, b.buf, 1, 0);
          b.m.mem.refcount[held.pfns[0]]--;
          held.pfns[0] = b.untouched();
        }, "0 PTEs, 1 other references"),
        corruption("a PTE mapping a never-used frame", b -> b.setPte(b.buf, Pte.make(b.untouched(), Pte.PRESENT)),
            "which is not an allocated frame"),
        corruption("a PTE mapping a free frame", b -> b.setPte(b.buf, Pte.make(b.freed, Pte.PRESENT)), "which is not an allocated frame"),
        corruption("a PTE past the last frame", b -> b.setPte(b.buf, Pte.make(b.m.mem.nrFrames, Pte.PRESENT)),
            "which is not an allocated frame"),
        corruption("a swap entry never handed out", b -> b.setPte(b.buf, Pte.make(b.m.swap.touchedSlots(), Pte.SWAP)),
            "were ever handed out"),
        corruption("a special PTE outside a PFN map", b -> b.setPte(b.buf, Pte.make(b.pfn(b.buf), Pte.PRESENT | Pte.SPECIAL)),
            "outside a PFN map"),
        corruption("a writable PTE in a read-only VMA", b -> b.setPte(b.fileMap, b.p.mm.pgtable.get(b.fileMap >>> Page.PAGE_SHIFT) | Pte.WRITE),
            "without VM_WRITE"),
        corruption("a refcount below the mapcount", b -> b.m.mem.refcount[b.pfn(b.buf)] = 1, "below mapcount 2"),
        corruption("a page-cache frame naming another index", b -> b.m.mem.index[b.pfn(b.fileMap)]++, "page cache of"),
        corruption("an exact page nobody owns", b -> b.m.content.store(Content.ZERO, 0, (byte) 1), "exact pages are owned but"),
        corruption("a VMA that ends mid-page", b -> b.p.mm.find(b.locked).end += 1, "is empty, misaligned, overlapping or out of range"),
        corruption("a VMA off its anon_vma chain", b -> b.p.mm.find(b.buf).chain.clear(), "anon_vma and anon_vma_chain disagree"),
        corruption("an anon_vma made for no VMA and never freed", b -> b.m.rmap.anonVmaAlloc(0, null), "has no VMAs but was not freed"),
        corruption("a VMA missing from its file's i_mmap", b -> b.file.mmaps.clear(), "missing from its file's i_mmap"));
  }

  /** What the check says of a frame never handed out that is no longer as boot left it. */
  private static final String NOT_PRISTINE = "is not a pristine free frame";
  /** What the check says of a free frame holding bytes (12345), which the allocator checks as it hands the frame out. */
  private static final String FREE_BYTES = "content 3039";

  private static Arguments corruption(String what, Consumer<Busy> corrupt, String reported) {
    return Arguments.of(what, corrupt, reported);
  }

  @Test
  void checksOfMachinesOfDifferentSizesOnOneThreadDoNotMixTheirCounts() {
    Busy big = new Busy();
    big.m.checkInvariants();
    Machine small = new Machine(MachineConfig.builder().ram(4L << 20).kernel(KernelConfig.LINUX_6_12).build());
    Process p = small.spawn("p");
    long buf = anon(p, 4 * PAGE);
    p.fill(buf, 4 * PAGE, 1);
    small.checkInvariants();
    small.mem.mapcount[(int) p.pagemap(buf)]++;
    assertThatThrownBy(small::checkInvariants).hasMessageContaining("mapcount 2 but 1 PTEs map it");
    assertThatCode(big.m::checkInvariants).as("a failed check of another machine leaves no counts behind").doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corruptions")
  void aStepsCheckReportsEveryCorruptionButTheBytesOfAFreeFrameAndTheFieldsOfOneNeverHandedOut(String what, Consumer<Busy> corrupt,
      String reported) {
    Busy b = new Busy();
    corrupt.accept(b);
    if (reported.equals(NOT_PRISTINE) || reported.equals(FREE_BYTES)) {
      assertThatCode(b.m::checkStepInvariants).as("the allocator checks the frame as it hands it out, and the run's last check looks")
          .doesNotThrowAnyException();
    } else {
      assertThatThrownBy(b.m::checkStepInvariants).isInstanceOf(IllegalStateException.class).hasMessageContaining(reported);
    }
  }

  /**
   * As CONFIG_DEBUG_LIST: a free list's links are checked at each operation on them (the frame
   * taken off and its neighbours), and walked whole at a run's end, not after each step.
   */
  @Test
  void aBrokenFreeListLinkIsCaughtWhenTheFrameIsTakenOffAndByTheRunsLastCheck() {
    Busy b = new Busy();
    b.m.mem.mapping[b.freed] = 7;
    assertThatThrownBy(b.m::checkInvariants).isInstanceOf(IllegalStateException.class).hasMessageContaining("is corrupt");
    // The frame freed last heads its list: the next page allocated is it.
    long buf = anon(b.p, PAGE);
    assertThatThrownBy(() -> b.p.fill(buf, PAGE, 5)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("list_del corruption: prev->next should be " + b.freed);
  }

  @Test
  void aFreeFrameHoldingBytesIsABadPageWhenTheAllocatorHandsItOut() {
    Busy b = new Busy();
    b.m.mem.content[b.freed] = 12345;
    long buf = anon(b.p, PAGE);
    assertThatThrownBy(() -> b.p.fill(buf, PAGE, 5)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bad page: free pfn " + b.freed + " taken off its list holds something");
  }

  @Test
  void aFrameFreedTwiceIsABadPage() {
    Busy b = new Busy();
    assertThatThrownBy(() -> b.m.mem.freePage(b.freed)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bad page: pfn " + b.freed + " freed while free already");
    assertThatThrownBy(() -> b.m.mem.freePage(b.untouched())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("never handed out");
  }

  @Test
  void thePageAllocatorRefusesToHandOutANeverUsedFrameSomethingWrote() {
    Busy b = new Busy();
    int first = b.untouched();
    b.m.mem.content[first + 1] = 1;
    // More than the free lists hold: the allocator moves its cursor past the frame.
    long buf = anon(b.p, 64 * PAGE);
    assertThatThrownBy(() -> b.p.fill(buf, 64 * PAGE, 9)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("untouched pfn " + (first + 1) + " was written before it was ever handed out");
  }

  /** A PMD-mapped THP in a parent and a child that share it, for the corruptions of a folio a PMD maps whole. */
  private static final class Huge {
    final Machine m = new Machine(MachineConfig.builder().ram(16L << 20).thp(MachineConfig.Thp.ALWAYS)
        .kernel(KernelConfig.LINUX_6_12).build());
    final Process p = m.spawn("p");
    final long buf = KernelChangeTest.hugeAligned(p);

    Huge() {
      p.fill(buf, Thp.HPAGE_PMD_NR * PAGE, 1);
      p.fork();
    }

    int pfn(int page) {
      return (int) p.pagemap(buf + (long) page * PAGE);
    }
  }

  static Stream<Arguments> hugeCorruptions() {
    return Stream.of(
        Arguments.of("a PMD entry out of order", (Consumer<Huge>) h -> h.p.mm.pgtable.set((h.buf >>> Page.PAGE_SHIFT) + 7,
            Pte.make(h.pfn(8), Pte.PRESENT | Pte.PMD | Pte.YOUNG | Pte.DIRTY)), "is not one folio mapped in order"),
        Arguments.of("a tail pointing at another head", (Consumer<Huge>) h -> h.m.mem.mapping[h.pfn(300)] = h.pfn(1),
            "is not a tail of it"),
        Arguments.of("a tail on no free list but PageBuddy", (Consumer<Huge>) h -> h.m.mem.flags[h.pfn(511)] |= PageFlags.PG_BUDDY,
            "frames are PageBuddy but the free lists hold"),
        Arguments.of("a head whose rmap index leads elsewhere", (Consumer<Huge>) h -> h.m.mem.index[h.pfn(0)]++,
            "do not lead back here"));
  }

  /**
   * A folio a PMD maps whole is checked as one: its entries in order and its first page's rmap, its
   * tails through the folio checks; a corruption of any of them is still named.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("hugeCorruptions")
  void aFolioAPmdMapsWholeIsCheckedAsOne(String what, Consumer<Huge> corrupt, String reported) {
    Huge h = new Huge();
    org.assertj.core.api.Assertions.assertThat(h.p.pmdMapped(h.buf)).as("the THP is mapped by a PMD").isTrue();
    assertThatCode(h.m::checkStepInvariants).as("healthy before " + what).doesNotThrowAnyException();
    corrupt.accept(h);
    assertThatThrownBy(h.m::checkStepInvariants).isInstanceOf(IllegalStateException.class).hasMessageContaining(reported);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corruptions")
  void eachCorruptionIsReportedByName(String what, Consumer<Busy> corrupt, String reported) {
    Busy b = new Busy();
    assertThatCode(b.m::checkInvariants).as("the machine is healthy before " + what).doesNotThrowAnyException();
    corrupt.accept(b);
    assertThatThrownBy(b.m::checkInvariants).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("invariants violated").hasMessageContaining(reported);
  }
}
