package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.TestMachines.MiB;

import org.junit.jupiter.api.Test;

/**
 * glibc's chunks to the byte (malloc/malloc.c): a free chunk is split when what is left is at least
 * MINSIZE and given whole otherwise, neighbours coalesce on free, memalign never leaves a lead
 * smaller than MINSIZE, and only a freed mmapped chunk of at most 32 MiB raises the threshold.
 * The heap starts at the break; the first malloc takes the 0x290-byte thread cache from it.
 */
class LibcChunksTest {
  private final Machine m = new Machine(MachineConfig.builder().ram(64 * MiB).kernel(KernelConfig.LINUX_6_12).build());
  private final Process p = m.spawn("p");
  /** Where the first chunk after the thread cache starts. */
  private final long first;

  LibcChunksTest() {
    long heap = p.brk(0);
    p.free(p.malloc(1));
    first = heap + Libc.TCACHE_CHUNK;
  }

  @Test
  void aFreeChunkIsSplitWhenAtLeastMinsizeIsLeftAndGivenWholeOtherwise() {
    long a = p.malloc(100);
    assertThat(a).as("the freed 32-byte chunk is reused").isEqualTo(first + 16);
    long b = p.malloc(100);
    long guard = p.malloc(100);
    p.free(a);
    long split = p.malloc(64);
    assertThat(split).isEqualTo(a);
    assertThat(p.libc().usableSize(split)).as("80 bytes of the 112-byte chunk").isEqualTo(72);
    assertThat(p.malloc(8)).as("the 32 bytes left are a chunk of their own").isEqualTo(a + 80);
    p.free(b);
    assertThat(p.malloc(88)).as("96 of 112 would leave 16: the whole chunk is given").isEqualTo(b);
    assertThat(p.libc().usableSize(b)).isEqualTo(104);
    assertThat(guard).isEqualTo(b + 112);
  }

  @Test
  void freedNeighboursCoalesceIntoOneChunk() {
    long a = p.malloc(100);
    long b = p.malloc(100);
    long guard = p.malloc(100);
    p.free(a);
    p.free(b);
    long both = p.malloc(200);
    assertThat(both).as("224 bytes fit only in the two 112-byte chunks together").isEqualTo(a);
    assertThat(p.libc().usableSize(both)).isEqualTo(216);
    assertThat(guard).isEqualTo(b + 112);
  }

  @Test
  void memalignNeverLeavesALeadSmallerThanMinsize() {
    long pad = p.malloc(72);
    long top = pad - 16 + 80;
    assertThat(top % 64).as("the top chunk starts 32 bytes past a 64-byte boundary").isEqualTo(32);
    long aligned = p.memalign(64, 100);
    assertThat(aligned % 64).isZero();
    assertThat(aligned).as("the first aligned spot leaves a 16-byte lead; the next one is taken").isEqualTo(top + 96);
    assertThat(p.malloc(8)).as("the 80-byte lead went back to the free list").isEqualTo(top + 16);
  }

  @Test
  void onlyAFreedMmappedChunkOfAtMost32MibRaisesTheThreshold() {
    long exact = p.malloc((32 * MiB) - 40);
    assertThat(p.libc().isMmapped(exact)).isTrue();
    assertThat(p.libc().usableSize(exact)).as("a chunk of exactly 32 MiB").isEqualTo((32 * MiB) - 16);
    p.free(exact);
    assertThat(p.libc().isMmapped(p.malloc(MiB))).as("the threshold is 32 MiB now").isFalse();

    Process q = m.spawn("q");
    long over = q.malloc(32 * MiB);
    p.free(p.malloc(1));
    q.free(over);
    assertThat(q.libc().isMmapped(q.malloc(MiB))).as("32 MiB and a page: the threshold stays at 128 KiB").isTrue();
  }

  @Test
  void aSizeNoMappingCanHoldIsNull() {
    assertThat(p.malloc(-1)).isZero();
    assertThat(p.malloc(Mm.TASK_SIZE + 1)).isZero();
    assertThat(p.malloc(Mm.TASK_SIZE)).as("no gap that large").isZero();
    assertThat(p.libc().blocksInUse()).isZero();
  }

  @Test
  void theThreadCacheChunkCarriesItsSizeAndMallocOfZeroIsAMinimumChunk() {
    long heap = first - Libc.TCACHE_CHUNK;
    assertThat(p.loadLong(heap + 8)).as("size | PREV_INUSE").isEqualTo(Libc.TCACHE_CHUNK | 1);
    long zero = p.malloc(0);
    assertThat(zero).isEqualTo(first + 16);
    assertThat(p.libc().usableSize(zero)).isEqualTo(24);
  }

  @Test
  void memalignToTheMallocAlignmentIsMallocAndAnAlignedSpotWithNoLeadIsTakenAsIs() {
    assertThat(p.memalign(8, 100)).as("sizeof(void *) is a valid alignment").isEqualTo(first + 16);
    long next = first + 112;
    assertThat(p.memalign(16, 100)).as("16 is malloc's own alignment").isEqualTo(next + 16);
    long top = next + 112;
    assertThat(top % 64).isEqualTo(48);
    assertThat(p.memalign(64, 100)).as("top + 16 is 64-aligned: no lead").isEqualTo(top + 16);
  }

  @Test
  void aChunkFreedBeforeTheChunkAfterItCoalescesForward() {
    long a = p.malloc(100);
    long b = p.malloc(100);
    long guard = p.malloc(100);
    p.free(b);
    p.free(a);
    assertThat(p.malloc(200)).isEqualTo(a);
    assertThat(guard).isEqualTo(b + 112);
  }

  @Test
  void aLargeAlignedBlockHasRoomForItsAlignmentInItsMapping() {
    long ptr = p.memalign(4096, 200_000);
    assertThat(p.libc().isMmapped(ptr)).isTrue();
    assertThat(ptr % 4096).isZero();
    assertThat(p.libc().usableSize(ptr)).isGreaterThanOrEqualTo(200_000);
    p.store(ptr + 199_999, (byte) 1);
    Process q = m.spawn("q");
    long plain = q.malloc(200_000);
    assertThat(q.libc().usableSize(plain)).as("no alignment slack without an alignment").isEqualTo(200_688);
    p.free(ptr);
    assertThat(p.libc().usableSize(p.malloc(200_000))).as("the freed block raised the threshold: from the heap now").isEqualTo(200_008);
  }
}
