package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.Mman.MAP_ANONYMOUS;
import static org.userptrlab.mm.Mman.MAP_PRIVATE;
import static org.userptrlab.mm.Mman.MAP_SHARED;
import static org.userptrlab.mm.Mman.MREMAP_MAYMOVE;
import static org.userptrlab.mm.Mman.PROT_READ;
import static org.userptrlab.mm.Mman.PROT_WRITE;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;

import org.junit.jupiter.api.Test;

/**
 * Where mmap puts a mapping asked for at no address (__get_unmapped_area): top-down, right below
 * the lowest mapping, except that from 6.7 private anonymous memory long enough for a THP starts at
 * a 2 MiB boundary (__thp_get_unmapped_area), and from 6.12 only where its length is a multiple of
 * 2 MiB. Each case was seen on Linux 6.18: a 4 MiB mapping below a 1 MiB + 4 KiB one lands on a
 * boundary, a 4 MiB + 4 KiB one or a shared 4 MiB one right below it.
 */
class MmapPlacementTest {
  private static final long PMD = 2 * MiB;
  private static final int RW = PROT_READ | PROT_WRITE;

  private static Process process(String release) {
    return new Machine(MachineConfig.builder().ram(64 * MiB).kernel(KernelConfig.linux(release)).build()).spawn("p");
  }

  /** A mapping of 1 MiB and a page, so that the next gap's top is not on a 2 MiB boundary. */
  private static long misalign(Process p) {
    long at = p.mmap(0, MiB + PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
    assertThat(at % PMD).isNotZero();
    return at;
  }

  /** Where an anonymous mapping of {@code len} bytes and {@code flags} went ({@code at}) below a misaligned one ({@code top}). */
  private record Placed(Process p, long top, long at) {}

  private static Placed belowAMisalignedMapping(String release, long len, int flags) {
    Process p = process(release);
    long top = misalign(p);
    return new Placed(p, top, p.mmap(0, len, RW, flags | MAP_ANONYMOUS));
  }

  @Test
  void sinceSixTwelveAPrivateAnonymousMappingOfWholePmdsStartsAtAPmdBoundary() {
    Placed m = belowAMisalignedMapping("6.18", 4 * MiB, MAP_PRIVATE);
    assertThat(m.at()).isEqualTo((m.top() - 4 * MiB) & -PMD);
  }

  @Test
  void sinceSixTwelveALengthThatIsNotWholePmdsIsPlacedRightBelowAsBefore() {
    Placed m = belowAMisalignedMapping("6.18", 4 * MiB + PAGE, MAP_PRIVATE);
    assertThat(m.at()).isEqualTo(m.top() - 4 * MiB - PAGE);
  }

  @Test
  void sharedAnonymousMemoryIsShmemsToPlaceAndIsNotAligned() {
    Placed m = belowAMisalignedMapping("6.18", 4 * MiB, MAP_SHARED);
    assertThat(m.at()).isEqualTo(m.top() - 4 * MiB);
  }

  @Test
  void fromSixSevenToSixElevenAnyLengthOfAPmdOrMoreIsAligned() {
    Placed m = belowAMisalignedMapping("6.11", 4 * MiB + PAGE, MAP_PRIVATE);
    assertThat(m.at() % PMD).isZero();
    assertThat(m.at()).isEqualTo((m.top() - 4 * MiB - PAGE) & -PMD);
    assertThat(m.p().mmap(0, MiB, RW, MAP_PRIVATE | MAP_ANONYMOUS) % PMD).as("shorter than a PMD").isNotZero();
  }

  @Test
  void beforeSixSevenAMappingGoesRightBelowTheLowestOne() {
    Placed m = belowAMisalignedMapping("6.6", 4 * MiB, MAP_PRIVATE);
    assertThat(m.at()).isEqualTo(m.top() - 4 * MiB);
  }

  @Test
  void sinceSixEightTwoAlignedMappingsInARowAreAdjacentAndMerge() {
    Process p = process("6.18");
    misalign(p);
    long first = p.mmap(0, PMD, RW, MAP_PRIVATE | MAP_ANONYMOUS);
    int vmas = p.vmas().size();
    long second = p.mmap(0, PMD, RW, MAP_PRIVATE | MAP_ANONYMOUS);
    assertThat(second).isEqualTo(first - PMD);
    assertThat(p.vmas()).as("vma_merge with the one above").hasSize(vmas);
  }

  @Test
  void inSixSevenTheSecondOfTwoAlignedMappingsLeftAPmdHoleAboveIt() {
    Process p = process("6.7");
    misalign(p);
    long first = p.mmap(0, PMD, RW, MAP_PRIVATE | MAP_ANONYMOUS);
    long second = p.mmap(0, PMD, RW, MAP_PRIVATE | MAP_ANONYMOUS);
    assertThat(second).isEqualTo(first - 2 * PMD);
  }

  @Test
  void mremapMovesAPrivateAnonymousMappingAsMmapWouldPlaceIt() {
    Process p = process("6.18");
    misalign(p);
    long buf = p.mmap(0, MiB + 3 * PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS);
    p.mmap(0, 5 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
    long moved = p.mremap(buf, MiB + 3 * PAGE, 4 * MiB, MREMAP_MAYMOVE);
    assertThat(moved).isNotEqualTo(buf);
    assertThat(moved % PMD).isZero();
  }
}
