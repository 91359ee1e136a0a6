package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The changes are named as the kernel's history names them: a 12-digit commit, its subject, the release. */
class KernelChangeNamesTest {
  @Test
  void everyChangeIsCitedAsAFixesTagWould() {
    for (KernelChange c : KernelChange.values()) {
      assertThat(c.commit()).as("%s", c).matches("[0-9a-f]{12}");
      assertThat(c.citation()).isEqualTo(c.commit() + " (\"" + c.subject() + "\")");
      assertThat(c.effect()).as("%s", c).isNotBlank().endsWith(".");
      assertThat(KernelChange.byId(c.id())).contains(c);
    }
    assertThat(Arrays.stream(KernelChange.values()).map(KernelChange::id).distinct()).hasSize(KernelChange.values().length);
    assertThat(KernelChange.byId("no-such-change")).isEmpty();
    assertThat(KernelChange.FORK_COPY_PINNED.citation()).isEqualTo("70e806e4e645 (\"mm: Do early cow for pinned pages during fork() for ptes\")");
  }

  @Test
  void theyAreDeclaredInTheOrderTheyWereMerged() {
    KernelChange[] all = KernelChange.values();
    for (int i = 1; i < all.length; i++) {
      assertThat(all[i].release()).as("%s after %s", all[i], all[i - 1]).isGreaterThanOrEqualTo(all[i - 1].release());
    }
  }
}
