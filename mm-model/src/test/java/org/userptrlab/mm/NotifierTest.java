package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class NotifierTest {
  private final Machine m = new Machine(MachineConfig.builder().ram(32 * MiB).swap(32 * MiB).build());
  private final Process p = m.spawn("p");
  private final List<MmuNotifierRange> seen = new ArrayList<>();
  private long buf;
  private MmuIntervalNotifier sub;

  private void watch(int pages) {
    buf = anon(p, pages * (long) PAGE);
    p.fill(buf, pages * (long) PAGE, 1);
    sub = m.kernel().mmuIntervalNotifierInsert(p, buf, pages * (long) PAGE, (s, range, cur) -> {
      seen.add(range);
      s.setSeq(cur);
      return true;
    });
  }

  private void expectOne(MmuNotifierEvent event, Consumer<Process> change) {
    long seq = sub.readBegin();
    seen.clear();
    change.accept(p);
    assertThat(seen).extracting(MmuNotifierRange::event).containsExactly(event);
    assertThat(sub.readRetry(seq)).isTrue();
    assertThat(sub.readRetry(sub.readBegin())).isFalse();
    m.checkInvariants();
  }

  @Test
  void eachKindOfChangeInvalidatesOnceAndTheReadRetrySeesIt() {
    watch(8);
    expectOne(MmuNotifierEvent.PROTECTION_PAGE, q -> q.fork());
    expectOne(MmuNotifierEvent.CLEAR, q -> q.store(buf + 2 * PAGE, (byte) 1));
    expectOne(MmuNotifierEvent.PROTECTION_VMA, q -> q.mprotect(buf, PAGE, Mman.PROT_READ));
    expectOne(MmuNotifierEvent.CLEAR, q -> q.madvise(buf + PAGE, PAGE, Mman.MADV_DONTNEED));
    expectOne(MmuNotifierEvent.MIGRATE, q -> m.kernel().migratePage((int) q.pagemap(buf + 3 * PAGE)));
    expectOne(MmuNotifierEvent.UNMAP, q -> q.munmap(buf + 7 * PAGE, PAGE));
  }

  @Test
  void swapOutInvalidates() {
    watch(1);
    expectOne(MmuNotifierEvent.CLEAR, q -> m.kernel().reclaim(1));
    assertThat(seen.get(0).start()).isEqualTo(buf);
  }

  @Test
  void aChangeOutsideTheIntervalDoesNotInvalidate() {
    watch(2);
    long other = anon(p, PAGE);
    long seq = sub.readBegin();
    seen.clear();
    p.fill(other, PAGE, 3);
    p.munmap(other, PAGE);
    assertThat(seen).isEmpty();
    assertThat(sub.readRetry(seq)).isFalse();
  }

  @Test
  void aRemovedNotifierIsNotCalled() {
    watch(1);
    sub.remove();
    seen.clear();
    p.munmap(buf, PAGE);
    assertThat(seen).isEmpty();
  }
}
