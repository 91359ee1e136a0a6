package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;
import static org.userptrlab.mm.TestMachines.small;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * What a driver passes the kernel services, at the edges of what they accept: a process that has
 * exited has no mm for any of them (EFAULT), an empty request is EINVAL, and a range that ends
 * exactly at the end of what it names is fine where one byte more is not. Refused calls change
 * nothing.
 */
class DriverArgumentsTest {
  private final Machine m = small(KernelConfig.LINUX_6_12);
  private final Kernel k = m.kernel();
  private final Process p = m.spawn("app");
  private final long buf = anon(p, 4 * PAGE);

  private static void errno(Errno errno, Executable call) {
    assertThatThrownBy(call::execute).isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).isEqualTo(errno));
  }

  @Test
  void everyServiceOnAProcessThatExitedIsEfaultAndChangesNothing() {
    p.fill(buf, 4 * PAGE, 1);
    PageRefs held = k.getUserPages(p, buf, 1, 0);
    PageRefs frames = k.allocPages(1);
    Process gone = p.fork();
    gone.exit();
    long before = m.stateHash();
    List<Executable> calls = List.of(
        () -> k.getUserPages(gone, buf, 1, 0),
        () -> k.getUserPagesFast(gone, buf, 1, 0),
        () -> k.getUserPagesAll(gone, buf, 1, 0),
        () -> k.pinUserPages(gone, buf, 1, 0),
        () -> k.pinUserPagesFast(gone, buf, 1, 0),
        () -> k.pinUserPagesAll(gone, buf, 1, 0),
        () -> k.accountPinnedVm(gone, held),
        () -> k.accountLockedVm(gone, held),
        () -> k.checkPinnedVm(gone, 1),
        () -> k.zapPageRange(gone, buf, PAGE),
        () -> k.writeProtectRange(gone, buf, PAGE, false),
        () -> k.setVmLockedUnaccounted(gone, buf, PAGE, true),
        () -> k.copyFromUser(gone, buf, frames.pfns(), 0, 16),
        () -> k.copyToUser(gone, buf, frames.pfns(), 0, 16),
        () -> k.checkUserRange(gone, buf, 16, false),
        () -> k.mmuIntervalNotifierInsert(gone, buf, PAGE, (s, r, seq) -> true),
        () -> k.hmmRangeFault(gone, buf, 1, false));
    for (Executable call : calls) {
      assertThatThrownBy(call::execute).isInstanceOfSatisfying(MmException.class, e -> {
        assertThat(e.errno()).isEqualTo(Errno.EFAULT);
        assertThat(e.getMessage()).contains("has exited: its mm is gone");
      });
    }
    assertThat(m.stateHash()).isEqualTo(before);
    held.release();
    frames.release();
    m.checkInvariants();
  }

  @Test
  void anEmptyRequestIsEinvalAndTheSmallestIsServed() {
    errno(Errno.EINVAL, () -> k.allocPages(0));
    errno(Errno.EINVAL, () -> k.allocContigPages(0));
    errno(Errno.EINVAL, () -> k.shmemFileSetup("empty", 0));
    errno(Errno.EINVAL, () -> k.reclaim(0));
    errno(Errno.EINVAL, () -> k.zapPageRange(p, buf, 0));
    errno(Errno.EINVAL, () -> k.zapPageRange(p, buf + 1, PAGE));
    k.allocPages(1).release();
    k.allocContigPages(1).release();
    MemFile one = k.shmemFileSetup("one byte", 1);
    PageRefs page = k.shmemGetPages(one);
    assertThat(page.size()).isEqualTo(1);
    page.release();
    k.shmemFileRelease(one);
    assertThat(k.reclaim(1)).isZero();
    assertThat(k.zapPageRange(p, buf, PAGE)).isZero();
    m.checkInvariants();
  }

  @Test
  void bytesOfFramesMayEndAtTheLastFrameButNotPastIt() {
    PageRefs obj = k.allocPages(2);
    int[] pfns = obj.pfns();
    k.dmaFill(pfns, 0, 2 * PAGE, 3);
    assertThat(k.dmaMatches(pfns, PAGE, PAGE, 3, PAGE)).isTrue();
    assertThat(k.dmaRead(pfns, 2 * PAGE - 1)).isEqualTo(Content.patternByte(3, 2 * PAGE - 1));
    errno(Errno.EINVAL, () -> k.dmaRead(pfns, 2 * PAGE));
    errno(Errno.EINVAL, () -> k.dmaMatches(pfns, PAGE, PAGE + 1, 3, PAGE));
    errno(Errno.EINVAL, () -> k.dmaMatches(pfns, -1, 1, 3, 0));
    errno(Errno.EINVAL, () -> k.copyFrames(pfns, 0, pfns, PAGE, PAGE + 1));
    errno(Errno.EINVAL, () -> k.copyToUser(p, buf, pfns, PAGE, PAGE + 1));
    errno(Errno.EFAULT, () -> k.dmaMatches(new int[] {m.mem.nrFrames}, 0, 1, 3, 0));
    errno(Errno.EFAULT, () -> k.dmaMatches(new int[] {-1}, 0, 1, 3, 0));
    assertThatCode(() -> k.dmaMatches(new int[] {m.mem.nrFrames - 1}, 0, 0, 3, 0)).as("the last frame is a frame")
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("use after free");
    obj.release();
  }

  @Test
  void copiesBetweenFramesAndToTheProgramAreCountedByCallAndByByte() {
    PageRefs obj = k.allocPages(2);
    k.dmaFill(obj.pfns(), 0, PAGE, 4);
    long calls = m.vmstat().get(VmEvent.COPY_CALLS);
    long bytes = m.vmstat().get(VmEvent.COPY_BYTES);
    k.copyFrames(obj.pfns(), PAGE, obj.pfns(), 0, 100);
    assertThat(k.dmaMatches(obj.pfns(), PAGE, 100, 4, 0)).isTrue();
    k.copyToUser(p, buf + 10, obj.pfns(), 0, 200);
    assertThat(p.matches(buf + 10, 200, 4)).isTrue();
    assertThat(m.vmstat().get(VmEvent.COPY_CALLS)).isEqualTo(calls + 2);
    assertThat(m.vmstat().get(VmEvent.COPY_BYTES)).isEqualTo(bytes + 300);
    obj.release();
  }

  @Test
  void migrationTakesAFrameAPageLivesInAndNothingElse() {
    errno(Errno.EINVAL, () -> k.migratePage(MemMap.ZERO_PFN));
    errno(Errno.EINVAL, () -> k.migratePage(m.mem.nrFrames));
    errno(Errno.EINVAL, () -> m.page(-1));
    errno(Errno.EINVAL, () -> m.page(m.mem.nrFrames));
    assertThat(m.page(m.mem.nrFrames - 1).flags()).contains("buddy");
    p.fill(buf, PAGE, 2);
    int pfn = (int) p.pagemap(buf);
    int moved = k.migratePage(pfn);
    assertThat(moved).isNotEqualTo(pfn);
    assertThat(p.pagemap(buf)).isEqualTo(moved);
    assertThat(p.matches(buf, PAGE, 2)).isTrue();
  }

  @Test
  void aDeviceWriteToTheZeroPageIsAModelBugNotAWrite() {
    p.load(buf);
    int[] zero = k.hmmRangeFault(p, buf, 1, false);
    assertThat(zero).containsExactly(MemMap.ZERO_PFN);
    assertThatThrownBy(() -> k.dmaFill(zero, 0, 1, 5)).isInstanceOf(IllegalStateException.class).hasMessageContaining("zero page");
    assertThat(k.dmaMatches(zero, 0, PAGE, 5, 0)).isFalse();
    assertThat(k.hmmRangeFault(p, buf, 1, true)[0]).as("a write fault replaces the zero page").isNotEqualTo(MemMap.ZERO_PFN);
    errno(Errno.EFAULT, () -> k.hmmRangeFault(p, buf + 4 * PAGE, 1, false));
    errno(Errno.EINVAL, () -> k.hmmRangeFault(p, buf, 0, false));
  }
}
