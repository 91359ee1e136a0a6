package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userptrlab.mm.Mman.MAP_PRIVATE;
import static org.userptrlab.mm.Mman.MAP_SHARED;
import static org.userptrlab.mm.Mman.PROT_READ;
import static org.userptrlab.mm.Mman.PROT_WRITE;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;
import static org.userptrlab.mm.TestMachines.small;

import org.junit.jupiter.api.Test;

class AccessTest {
  private final Machine m = small(KernelConfig.LINUX_6_12);
  private final Process p = m.spawn("p");

  @Test
  void anAccessToUnmappedMemoryRaisesSigsegvNamingTheAddress() {
    long addr = 0x7000_0000_0000L + 123;
    SignalExceptionAssert.segv(() -> p.load(addr), addr);
    assertThatThrownBy(() -> p.load(addr)).hasMessageContaining("SEGV_MAPERR");
  }

  @Test
  void aWriteToAReadOnlyMappingRaisesSegvAccerr() {
    long buf = p.mmap(0, PAGE, PROT_READ, MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    assertThatThrownBy(() -> p.store(buf + 8, (byte) 1)).isInstanceOfSatisfying(SignalException.class,
        e -> assertThat(e.kind()).isEqualTo(SignalException.Kind.SEGV_ACCERR));
  }

  @Test
  void bytesWrittenArePreciselyWhatIsReadBackAndNeverWrittenBytesAreZero() {
    long buf = anon(p, 3 * PAGE);
    p.fill(buf + 100, 2 * PAGE, 42);
    byte[] page0 = p.read(buf, PAGE);
    for (int i = 0; i < 100; i++) {
      assertThat(page0[i]).isZero();
    }
    assertThat(page0[100]).isEqualTo(Content.patternByte(42, 0));
    assertThat(p.matches(buf + 100, 2 * PAGE, 42)).isTrue();
    assertThat(p.load(buf + 100 + 2 * PAGE)).isZero();
    p.store(buf + 100 + PAGE, (byte) (Content.patternByte(42, PAGE) + 1));
    assertThat(p.matches(buf + 100, 2 * PAGE, 42)).isFalse();
    assertThat(p.matches(buf + 100, PAGE, 42)).isTrue();
  }

  @Test
  void memcpyBetweenUnalignedBuffersCopiesEveryByte() {
    long src = anon(p, 8 * PAGE);
    long dst = anon(p, 8 * PAGE);
    p.fill(src + 16, 6 * PAGE, 7);
    p.memcpy(dst + 1000, src + 16, 6 * PAGE);
    assertThat(p.matches(dst + 1000, 6 * PAGE, 7)).isTrue();
    assertThat(p.load(dst + 999)).isZero();
    assertThat(p.load(dst + 1000 + 6 * PAGE)).isZero();
    m.checkInvariants();
  }

  @Test
  void aSharedFileMappingWritesThroughToTheFileAndAPrivateOneDoesNot() {
    MemFile f = m.createFile("data.bin", 4 * PAGE);
    m.fillFile(f, 0, 4 * PAGE, 11);
    long shared = p.mmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
    long priv = p.mmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, f, 0);
    assertThat(p.matches(priv, 4 * PAGE, 11)).isTrue();

    p.fill(priv, PAGE, 12);
    assertThat(m.fileMatches(f, 0, PAGE, 11)).isTrue();

    p.fill(shared + PAGE, PAGE, 13);
    assertThat(m.fileMatches(f, PAGE, PAGE, 13)).isTrue();
    assertThat(p.matches(priv + PAGE, PAGE, 13)).isTrue();
    m.checkInvariants();
  }

  @Test
  void anAccessPastTheEndOfAFileRaisesSigbus() {
    MemFile f = m.createFile("short.bin", PAGE);
    long map = p.mmap(0, 2 * PAGE, PROT_READ, MAP_PRIVATE, f, 0);
    assertThatThrownBy(() -> p.load(map + PAGE)).isInstanceOfSatisfying(SignalException.class,
        e -> assertThat(e.kind()).isEqualTo(SignalException.Kind.BUS_ADRERR));
  }

  @Test
  void deviceMemoryIsMappedVmIoPfnmapWithoutStructPages() {
    DeviceMemory bar = m.createDevice("bar0", 4 * PAGE);
    long map = p.mmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, bar, 0);
    Vma v = p.vma(map);
    assertThat(v.has(VmFlags.VM_IO)).isTrue();
    assertThat(v.has(VmFlags.VM_PFNMAP)).isTrue();
    long free = m.freePages();
    p.fill(map, 4 * PAGE, 5);
    assertThat(p.matches(map, 4 * PAGE, 5)).isTrue();
    assertThat(m.freePages()).isEqualTo(free);
    m.checkInvariants();
  }

  /** x86's access_error lets a read through any accessible VMA: PROT_WRITE alone reads; PROT_NONE faults (the real kernel agrees, by diff). */
  @Test
  void aWriteOnlyMappingReadsAndANoneMappingFaults() {
    long w = p.mmap(0, 2 * PAGE, PROT_WRITE, MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    p.fill(w, 2 * PAGE, 1);
    assertThat(p.matches(w, 2 * PAGE, 1)).isTrue();
    p.mprotect(w, PAGE, Mman.PROT_NONE);
    assertThatThrownBy(() -> p.matches(w, PAGE, 1)).isInstanceOf(SignalException.class);
  }
}
