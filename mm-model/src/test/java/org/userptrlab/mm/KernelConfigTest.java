package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Kernels as sets of changes: releases, toggles, names, and what no release had. */
class KernelConfigTest {
  @Test
  void aReleaseHasEveryChangeMergedUpToIt() {
    KernelConfig k = KernelConfig.linux("5.8");
    assertThat(k.has(KernelChange.FOLL_PIN)).as("5.7").isTrue();
    assertThat(k.has(KernelChange.WP_PAGE_COUNT)).as("5.9").isFalse();
    assertThat(k.cowReuse()).isEqualTo(KernelConfig.CowReuse.MAPCOUNT);
    assertThat(KernelConfig.linux("5.9").cowReuse()).isEqualTo(KernelConfig.CowReuse.PAGE_COUNT);
    assertThat(KernelConfig.linux("5.19").cowReuse()).isEqualTo(KernelConfig.CowReuse.ANON_EXCLUSIVE);
    assertThat(KernelConfig.LINUX_3_4.changes()).isEmpty();
    assertThat(KernelConfig.LINUX_6_12.changes()).containsExactlyInAnyOrder(java.util.Arrays.stream(KernelChange.values())
        .filter(c -> c.release().compareTo(KernelRelease.parse("6.12")) <= 0).toArray(KernelChange[]::new));
    assertThat(KernelConfig.LINUX_6_12.has(KernelChange.COW_REUSE_LARGE)).as("6.15's change").isFalse();
    assertThat(KernelConfig.linux("7.3").changes()).containsExactlyInAnyOrder(KernelChange.values());
  }

  @Test
  void changesAreAddedAndRemovedByName() {
    KernelConfig k = KernelConfig.parse("3.4+foll-pin");
    assertThat(k.has(KernelChange.FOLL_PIN)).isTrue();
    assertThat(k.changes()).containsExactly(KernelChange.FOLL_PIN);
    assertThat(k.name()).isEqualTo("3.4+foll-pin");
    assertThat(k.isReleased()).isFalse();
    assertThat(k.describe()).isEqualTo("3.4+foll-pin (a combination no released kernel had)");

    KernelConfig modern = KernelConfig.parse("6.12-anon-exclusive-gup-unshare");
    assertThat(modern.removed()).containsExactly(KernelChange.ANON_EXCLUSIVE, KernelChange.GUP_UNSHARE);
    assertThat(modern.cowReuse()).isEqualTo(KernelConfig.CowReuse.PAGE_COUNT);
    assertThat(modern.name()).isEqualTo("6.12-anon-exclusive-gup-unshare");
    assertThat(KernelConfig.parse(modern.name())).isEqualTo(modern).hasSameHashCodeAs(modern);
  }

  @Test
  void aToggleTheReleaseAlreadyHasChangesNothingAndUndoingOneRestoresTheRelease() {
    assertThat(KernelConfig.parse("6.12+foll-pin")).isEqualTo(KernelConfig.LINUX_6_12);
    assertThat(KernelConfig.parse("3.4+foll-pin-foll-pin")).isEqualTo(KernelConfig.LINUX_3_4);
    assertThat(KernelConfig.LINUX_6_12.without(KernelChange.CMA).with(KernelChange.CMA).name()).isEqualTo("6.12");
  }

  @Test
  void aCombinationSomeReleaseHadIsReleased() {
    assertThat(KernelConfig.parse("3.4+cma+madv-remove-punch-hole").isReleased()).as("3.5's changes").isTrue();
    assertThat(KernelConfig.parse("3.4+cma").isReleased()).as("3.5 also routed MADV_REMOVE to fallocate").isFalse();
    assertThat(KernelConfig.parse("5.4+longterm-movable").isReleased()).as("5.13 has the changes between").isFalse();
    assertThat(KernelConfig.presets()).allSatisfy(k -> assertThat(k.isReleased()).isTrue());
  }

  @Test
  void pointReleasesAndUnameStringsReadAsTheirMainlineRelease() {
    assertThat(KernelConfig.parse("5.10.200")).isEqualTo(KernelConfig.linux("5.10"));
    assertThat(KernelRelease.parse("6.8.0-49-generic")).isEqualTo(new KernelRelease(6, 8));
    assertThat(KernelRelease.parse("5.15.153.1-microsoft-standard-WSL2")).isEqualTo(new KernelRelease(5, 15));
    for (String junk : new String[] {"5.10.x", "5.10.foo", "5.10.", "5.10 x"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> KernelRelease.parse(junk)).as(junk)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a kernel release");
    }
    assertThat(KernelRelease.parse("4.19")).isLessThan(KernelRelease.parse("4.20")).isGreaterThan(KernelRelease.parse("4.9"));
  }

  /** A change's name in capitals is the same change, as a release's "HOST" is the host. */
  @Test
  void aChangeNamedInCapitalsIsTheSameChange() {
    assertThat(KernelConfig.parse("3.4+FOLL-PIN")).isEqualTo(KernelConfig.parse("3.4+foll-pin"));
    assertThat(KernelConfig.parse("3.4+Foll-Pin").has(KernelChange.FOLL_PIN)).isTrue();
    assertThat(KernelConfig.parse("3.4+FOLL-PIN-foll-pin")).isEqualTo(KernelConfig.LINUX_3_4);
  }

  @Test
  void badKernelsSayWhatAKernelLooksLike() {
    assertThatThrownBy(() -> KernelConfig.parse("five")).hasMessageContaining("'five' is not a kernel release");
    assertThatThrownBy(() -> KernelConfig.parse("2.6")).hasMessageContaining("older than the model follows; the oldest is 3.0");
    assertThatThrownBy(() -> KernelConfig.parse("5.10+nonsense")).hasMessageContaining("no kernel change named 'nonsense'")
        .hasMessageContaining("foll-pin");
    assertThatThrownBy(() -> KernelConfig.parse("5.10+")).hasMessageContaining("no kernel change named ''");
    assertThatThrownBy(() -> KernelConfig.parse("5.10-")).as("a removal with no change, not a release suffix")
        .hasMessageContaining("no kernel change named ''");
    assertThatThrownBy(() -> KernelConfig.parse("6.4-rc1")).as("a release candidate, not a change removed")
        .hasMessageContaining("'6.4-rc1': a release candidate is not a kernel the model follows; give its release, 6.4");
  }

  @Test
  void thePresetsAreTheThreadsKernelThenTheLongTermReleases() {
    assertThat(KernelConfig.presets()).extracting(KernelConfig::name)
        .containsExactly("3.4", "4.4", "4.9", "4.14", "4.19", "5.4", "5.10", "5.15", "5.17", "5.18", "6.1", "6.6", "6.12", "6.15");
  }

  @Test
  void theHostIsItsUnameRelease() {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "the host is not Linux");
    assertThat(KernelConfig.host().release()).isEqualTo(KernelRelease.parse(System.getProperty("os.version")));
  }
}
