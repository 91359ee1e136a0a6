package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;
import static org.userptrlab.mm.TestMachines.small;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ForkTest {

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void afterForkAParentWriteIsInvisibleToTheChild(KernelConfig era) {
    Machine m = small(era);
    Process parent = m.spawn("parent");
    long buf = anon(parent, 16 * PAGE);
    parent.fill(buf, 16 * PAGE, 1);
    Process child = parent.fork();

    parent.fill(buf, 16 * PAGE, 2);

    assertThat(child.matches(buf, 16 * PAGE, 1)).isTrue();
    assertThat(parent.matches(buf, 16 * PAGE, 2)).isTrue();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void afterForkAChildWriteIsInvisibleToTheParent(KernelConfig era) {
    Machine m = small(era);
    Process parent = m.spawn("parent");
    long buf = anon(parent, 4 * PAGE);
    parent.fill(buf, 4 * PAGE, 1);
    Process child = parent.fork();

    child.store(buf + 100, (byte) 7);

    assertThat(parent.matches(buf, 4 * PAGE, 1)).isTrue();
    assertThat(child.load(buf + 100)).isEqualTo((byte) 7);
    assertThat(child.matches(buf, 100, 1)).isTrue();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void forkSharesAnonymousPagesWriteProtectedInBoth(KernelConfig era) {
    Machine m = small(era);
    Process parent = m.spawn("parent");
    long buf = anon(parent, PAGE);
    parent.fill(buf, PAGE, 1);
    int pfn = (int) parent.pagemap(buf);
    assertThat(m.page(pfn).flags().contains("anon_exclusive")).isEqualTo(era.has(KernelChange.ANON_EXCLUSIVE));

    Process child = parent.fork();

    // copy_present_pte: same frame, mapcount 2, both PTEs read-only, no longer exclusive.
    assertThat(child.pagemap(buf)).isEqualTo(pfn);
    assertThat(m.page(pfn).mapcount()).isEqualTo(2);
    assertThat(m.page(pfn).flags()).doesNotContain("anon_exclusive");
    assertThat(parent.pteWritable(buf)).isFalse();
    assertThat(child.pteWritable(buf)).isFalse();
    assertThat(m.rmap(pfn)).extracting(Machine.Mapping::process).containsExactly(parent, child);
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void theFirstWriterAfterForkCopiesAndTheLastOneReusesThePage(KernelConfig era) {
    Machine m = small(era);
    Process parent = m.spawn("parent");
    long buf = anon(parent, PAGE);
    parent.fill(buf, PAGE, 1);
    int pfn = (int) parent.pagemap(buf);
    Process child = parent.fork();

    long copies = m.vmstat().get(VmEvent.COW_COPY);
    parent.store(buf, (byte) 1);
    assertThat(m.vmstat().get(VmEvent.COW_COPY)).isEqualTo(copies + 1);
    assertThat(parent.pagemap(buf)).isNotEqualTo(pfn);

    // do_wp_page: the child is now the only mapper and the only holder, so both eras reuse in place.
    long reuses = m.vmstat().get(VmEvent.COW_REUSE);
    child.store(buf, (byte) 2);
    assertThat(m.vmstat().get(VmEvent.COW_REUSE)).isEqualTo(reuses + 1);
    assertThat(child.pagemap(buf)).isEqualTo(pfn);
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void anExtraReferenceDecidesCowReuseOnlyOnAModernKernel(KernelConfig era) {
    Machine m = small(era);
    Process parent = m.spawn("parent");
    long buf = anon(parent, PAGE);
    parent.fill(buf, PAGE, 1);
    Process child = parent.fork();
    child.exit();
    int pfn = (int) parent.pagemap(buf);
    // Someone else (a get_user_pages caller) holds a plain reference to the now singly-mapped page.
    PageRefs held = m.gup.hold(new int[] {pfn}, false, false);
    m.mem.refcount[pfn]++;

    parent.store(buf, (byte) 9);

    if (era == KernelConfig.LINUX_3_4) {
      // reuse_swap_page: mapcount is 1, so the page is reused and the holder sees the write.
      assertThat(parent.pagemap(buf)).isEqualTo(pfn);
    } else {
      // wp_can_reuse_anon_folio: refcount 2 != 1, so the process gets a copy and the holder keeps the old bytes.
      assertThat(parent.pagemap(buf)).isNotEqualTo(pfn);
      assertThat(m.content.byteAt(m.mem.content[pfn], 0)).isEqualTo(Content.patternByte(1, 0));
    }
    held.release();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void aMadvDontforkRangeIsAbsentInTheChild(KernelConfig era) {
    Machine m = small(era);
    Process parent = m.spawn("parent");
    long buf = anon(parent, 8 * PAGE);
    parent.fill(buf, 8 * PAGE, 3);
    parent.madvise(buf + 2 * PAGE, 2 * PAGE, Mman.MADV_DONTFORK);
    assertThat(parent.vmas()).hasSize(3);

    Process child = parent.fork();

    assertThat(child.vma(buf + 2 * PAGE)).isNull();
    assertThat(child.vma(buf)).isNotNull();
    assertThat(child.matches(buf, 2 * PAGE, 3)).isTrue();
    SignalExceptionAssert.segv(() -> child.load(buf + 2 * PAGE), buf + 2 * PAGE);
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void aMadvWipeonforkRangeReadsZeroInTheChildAndKeepsItsBytesInTheParent(KernelConfig era) {
    Machine m = small(era);
    Process parent = m.spawn("parent");
    long buf = anon(parent, 4 * PAGE);
    parent.fill(buf, 4 * PAGE, 3);
    if (!era.has(KernelChange.WIPEONFORK)) {
      // MADV_WIPEONFORK came with 4.14: before it, madvise refuses the advice and changes nothing.
      long before = m.stateHash();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> parent.madvise(buf, 4 * PAGE, Mman.MADV_WIPEONFORK))
          .isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
      assertThat(m.stateHash()).isEqualTo(before);
      return;
    }
    parent.madvise(buf, 4 * PAGE, Mman.MADV_WIPEONFORK);

    Process child = parent.fork();

    assertThat(child.read(buf, 4 * PAGE)).containsOnly((byte) 0);
    assertThat(parent.matches(buf, 4 * PAGE, 3)).isTrue();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void sharedMappingsStaySharedAcrossFork(KernelConfig era) {
    Machine m = small(era);
    Process parent = m.spawn("parent");
    long buf = parent.mmap(0, 2 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED | Mman.MAP_ANONYMOUS);
    parent.fill(buf, 2 * PAGE, 4);
    Process child = parent.fork();

    child.fill(buf, PAGE, 5);

    assertThat(parent.matches(buf, PAGE, 5)).isTrue();
    parent.exit();
    assertThat(child.matches(buf, PAGE, 5)).isTrue();
    child.exit();
    m.checkInvariants();
    assertThat(m.freePages()).isEqualTo(m.totalPages() - 1);
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void exitOfEveryProcessFreesEveryFrame(KernelConfig era) {
    Machine m = small(era);
    Process a = m.spawn("a");
    long buf = anon(a, 64 * PAGE);
    a.fill(buf, 64 * PAGE, 1);
    Process b = a.fork();
    Process c = b.fork();
    c.fill(buf, 8 * PAGE, 2);
    a.exit();
    b.exit();
    m.checkInvariants();
    c.exit();
    m.checkInvariants();
    assertThat(m.freePages()).isEqualTo(m.totalPages() - 1);
    assertThat(m.content.liveExact()).isZero();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void aChildThatExecsGivesUpItsShareSoTheParentWritesInPlace(KernelConfig era) {
    Machine m = small(era);
    Process parent = m.spawn("parent");
    long buf = anon(parent, 4 * PAGE);
    parent.fill(buf, 4 * PAGE, 1);
    int pfn = (int) parent.pagemap(buf);
    Process child = parent.fork();

    child.exec();

    assertThat(child.vmas()).isEmpty();
    assertThat(child.alive()).isTrue();
    assertThat(m.page(pfn).mapcount()).isEqualTo(1);
    parent.store(buf, (byte) 2);
    assertThat(parent.pagemap(buf)).isEqualTo(pfn);
    long heap = child.malloc(100);
    assertThat(heap).isNotZero();
    m.checkInvariants();
  }

  /** alloc_pid finds no pid once pid_max processes are alive: fork answers EAGAIN and makes none; an exit gives one back. */
  @Test
  void forkAnswersEagainOncePidMaxProcessesAreAlive() {
    Machine m = new Machine(MachineConfig.builder().ram(16L << 20).cpus(2).kernel(KernelConfig.LINUX_6_12).build());
    Process p = m.spawn("p");
    java.util.List<Process> children = new java.util.ArrayList<>();
    for (int alive = m.processes().size(); alive < 32768; alive++) {
      children.add(p.fork());
    }
    long before = m.stateHash();
    SignalExceptionAssert.errno(p::fork, Errno.EAGAIN);
    assertThat(m.stateHash()).as("no process made").isEqualTo(before);
    children.get(0).exit();
    assertThat(p.fork().pid()).isPositive();
  }
}
