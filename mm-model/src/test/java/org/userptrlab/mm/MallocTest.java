package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.small;

import org.junit.jupiter.api.Test;

class MallocTest {
  private final Machine m = small(KernelConfig.LINUX_6_12);
  private final Process p = m.spawn("p");

  @Test
  void smallBlocksComeFromTheBrkHeapAndAreReusedAfterFree() {
    long a = p.malloc(1000);
    long b = p.malloc(1000);
    assertThat(p.vma(a).name()).isEqualTo("[heap]");
    assertThat(b).isGreaterThan(a);

    assertThat(p.libc().usableSize(a)).isBetween(1000L, 1000L + 16);
    p.free(a);
    long c = p.malloc(900);

    assertThat(c).isEqualTo(a);
    assertThat(p.libc().blocksInUse()).isEqualTo(2);
    m.checkInvariants();
  }

  /**
   * MAYBE_INIT_TCACHE: glibc's first malloc, of any size, takes the thread's cache (0x290 bytes)
   * from the brk heap, so the heap exists and a first small block comes after the cache.
   */
  @Test
  void theFirstMallocTakesTheThreadCacheFromTheHeap() {
    assertThat(p.currentBrk()).isEqualTo(p.heapStart());
    long big = p.malloc(1 << 20);
    assertThat(p.currentBrk()).as("the heap was made for the cache").isGreaterThan(p.heapStart());
    long small = p.malloc(100);
    assertThat(small - p.heapStart()).as("after the 0x290-byte cache chunk and the block's header").isEqualTo(0x290 + 16);
    p.free(small);
    p.free(big);
  }

  @Test
  void aLargeBlockGetsItsOwnVmaSixteenBytesIntoItAndFreeUnmapsIt() {
    p.free(p.malloc(16));
    int before = p.vmas().size();
    long big = p.malloc(1 << 20);

    Vma v = p.vma(big);
    assertThat(p.vmas()).hasSize(before + 1);
    assertThat(big - v.start()).isEqualTo(16);
    assertThat(v.size()).isEqualTo((1 << 20) + PAGE);
    assertThat(p.libc().isMmapped(big)).isTrue();
    assertThat(p.libc().usableSize(big)).isBetween((long) (1 << 20), (1L << 20) + PAGE);

    p.free(big);

    assertThat(p.vma(big)).isNull();
    assertThat(p.vmas()).hasSize(before);
    m.checkInvariants();
  }

  @Test
  void freeingAnMmappedBlockRaisesTheThresholdSoTheNextOneComesFromTheHeap() {
    long big = p.malloc(1 << 20);
    p.free(big);
    assertThat(p.libc().mmapThreshold()).isGreaterThan(1 << 20);

    long again = p.malloc(1 << 20);

    assertThat(p.libc().isMmapped(again)).isFalse();
    assertThat(p.vma(again).name()).isEqualTo("[heap]");
  }

  @Test
  void memalignGivesAnAlignedPointer() {
    long a = p.memalign(PAGE, 3 * PAGE);
    long b = p.memalign(PAGE, 1 << 20);
    assertThat(a % PAGE).isZero();
    assertThat(b % PAGE).isZero();
    p.fill(a, 3 * PAGE, 1);
    p.fill(b, 1 << 20, 2);
    p.free(a);
    p.free(b);
    assertThat(p.libc().blocksInUse()).isZero();
    m.checkInvariants();
  }

  @Test
  void freeAbortsWhenTheChunkHeaderBeforeTheBufferWasOverwritten() {
    long a = p.malloc(256);
    p.storeLong(a - 8, 0);
    assertThatThrownBy(() -> p.free(a)).isInstanceOfSatisfying(SignalException.class,
        e -> assertThat(e.kind()).isEqualTo(SignalException.Kind.ABORT)).hasMessageContaining("invalid size");
  }

  @Test
  void doubleFreeAborts() {
    long a = p.malloc(64);
    p.free(a);
    assertThatThrownBy(() -> p.free(a)).isInstanceOf(SignalException.class).hasMessageContaining("invalid pointer");
  }

  @Test
  void theHeapIsTrimmedWhenItsTopIsFreed() {
    long[] blocks = new long[64];
    for (int i = 0; i < blocks.length; i++) {
      blocks[i] = p.malloc(8000);
    }
    long grown = p.libc().heapBytes();
    for (long b : blocks) {
      p.free(b);
    }
    assertThat(p.libc().heapBytes()).isLessThan(grown);
    m.checkInvariants();
  }

  /** mallopt(M_MMAP_THRESHOLD): a fixed threshold decides heap or mmap, and freeing no longer moves it. */
  @Test
  void aFixedMmapThresholdDecidesAndStaysFixed() {
    p.libc().setMmapThreshold(64 << 10);
    long big = p.malloc(64 << 10);
    long small = p.malloc((64 << 10) - 64);
    assertThat(p.libc().isMmapped(big)).as("a request at the threshold is mmapped").isTrue();
    assertThat(p.libc().isMmapped(small)).isFalse();
    p.free(big);
    assertThat(p.libc().mmapThreshold()).as("M_MMAP_THRESHOLD turns the dynamic raise off").isEqualTo(64 << 10);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.libc().setMmapThreshold((32L << 20) + 1))
        .isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
    p.free(small);
    m.checkInvariants();
  }

  /** malloc_usable_size: a heap chunk's size less its header, plus the next chunk's prev_size word. */
  @Test
  void usableSizesAreGlibcs() {
    long a = p.malloc(1);
    long b = p.malloc(24);
    long c = p.malloc(25);
    long d = p.malloc(200 << 10);
    assertThat(p.libc().usableSize(a)).isEqualTo(24);
    assertThat(p.libc().usableSize(b)).isEqualTo(24);
    assertThat(p.libc().usableSize(c)).isEqualTo(40);
    assertThat(p.libc().usableSize(d)).as("an mmapped chunk has no neighbour to lend it a word")
        .isEqualTo(Page.align((200 << 10) + 16) - 16);
    assertThat(b - a).as("chunks of 32 bytes follow each other").isEqualTo(32);
    assertThat(c - b).isEqualTo(32);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.libc().usableSize(a + 8)).isInstanceOf(MmException.class);
  }

  /** _int_memalign: the pointer is aligned, the lead is returned to the heap, and the block is usable end to end. */
  @Test
  void memalignedBlocksAreAlignedForEveryPowerOfTwo() {
    for (long alignment = 32; alignment <= 64 << 10; alignment <<= 1) {
      long ptr = p.memalign(alignment, 100);
      assertThat(ptr % alignment).as("alignment %d", alignment).isZero();
      assertThat(p.libc().usableSize(ptr)).isGreaterThanOrEqualTo(100);
      p.fill(ptr, 100, alignment);
      assertThat(p.matches(ptr, 100, alignment)).isTrue();
    }
    assertThat(p.libc().blocksInUse()).isEqualTo(12);
    m.checkInvariants();
  }

  /**
   * M_MMAP_THRESHOLD compares chunk sizes (request2size): a request whose chunk is one alignment
   * step under 128 KiB comes from the heap, the next byte more gets its own mapping.
   */
  @Test
  void theMmapThresholdIsOnTheChunkSize() {
    p.free(p.malloc(16));
    long heap = p.malloc(131048);
    long mapped = p.malloc(131049);
    assertThat(p.libc().isMmapped(heap)).isFalse();
    assertThat(p.libc().isMmapped(mapped)).isTrue();
    assertThat(p.malloc(-1)).as("a size no chunk can have").isZero();
    assertThat(p.libc().heapBytes()).as("mallinfo's arena: the heap up to its end")
        .isEqualTo(((p.currentBrk() + PAGE - 1) & -PAGE) - p.heapStart());
    p.free(heap);
    p.free(mapped);
  }

  /** mallopt(M_MMAP_THRESHOLD) takes 0 to 32 MiB. */
  @Test
  void theThresholdTakesZeroToThirtyTwoMebibytes() {
    p.libc().setMmapThreshold(0);
    p.libc().setMmapThreshold(32L << 20);
    assertThatThrownBy(() -> p.libc().setMmapThreshold((32L << 20) + 1)).isInstanceOf(MmException.class);
    assertThatThrownBy(() -> p.libc().setMmapThreshold(-1)).isInstanceOf(MmException.class);
  }

  /**
   * _int_memalign from the heap: the block is aligned, the lead before it goes back to the free
   * list (a later small malloc lands there), its header holds its size, and free takes it back.
   */
  @Test
  void memalignFromTheHeapAlignsAndGivesTheLeadBack() {
    p.free(p.malloc(16));
    long pad = p.malloc(40);
    long a = p.memalign(256, 1000);
    assertThat(a % 256).isZero();
    assertThat(p.libc().isMmapped(a)).isFalse();
    assertThat(p.libc().usableSize(a)).isBetween(1000L, 1000L + 256);
    long small = p.malloc(16);
    assertThat(small).as("the lead before the aligned block is reused").isBetween(pad, a);
    assertThat(p.memalign(16, 100) % 16).as("no more than malloc's own alignment: malloc").isZero();
    assertThatThrownBy(() -> p.memalign(48, 100)).isInstanceOfSatisfying(MmException.class,
        e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
    p.free(a);
    p.free(small);
    m.checkInvariants();
  }

  /** memalign past the threshold maps its own chunk, aligned inside the mapping, and free unmaps it. */
  @Test
  void aLargeMemalignIsMappedAlignedAndFreedWithItsMapping() {
    int before = p.vmas().size();
    long a = p.memalign(64 << 10, 256 << 10);
    assertThat(a % (64 << 10)).isZero();
    assertThat(p.libc().isMmapped(a)).isTrue();
    assertThat(p.vma(a).start()).isLessThan(a);
    p.free(a);
    assertThat(p.vma(a)).isNull();
    assertThat(p.vmas().size()).isLessThanOrEqualTo(before + 1);
  }
}
