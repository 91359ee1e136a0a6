package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userptrlab.mm.Foll.FOLL_LONGTERM;
import static org.userptrlab.mm.Foll.FOLL_WRITE;
import static org.userptrlab.mm.Mman.MAP_PRIVATE;
import static org.userptrlab.mm.Mman.MAP_SHARED;
import static org.userptrlab.mm.Mman.PROT_READ;
import static org.userptrlab.mm.Mman.PROT_WRITE;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;

import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Three kinds of file a program maps: a file on a disk file system (its dirty pages are written
 * back), a file on tmpfs and a memfd (both shmem: zero-filled, no writeback). Each maps shared and
 * private; what differs is what writeback-aware code sees, such as 6.5's refusal of a long-term
 * writable pin of a shared mapping of a file that needs writeback.
 */
class FileKindsTest {
  private static Machine machine(KernelConfig k) {
    return new Machine(MachineConfig.builder().ram(64 * MiB).kernel(k).build());
  }

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> kinds() {
    // memfd_create came in 3.17: a memfd is made on a kernel that has it.
    return TestMachines.ends().flatMap(k -> java.util.stream.Stream.of(MemFile.Kind.DISK, MemFile.Kind.TMPFS, MemFile.Kind.MEMFD)
        .filter(kind -> kind != MemFile.Kind.MEMFD || k.has(KernelChange.MEMFD))
        .map(kind -> org.junit.jupiter.params.provider.Arguments.of(k, kind)));
  }

  private static MemFile make(Machine m, MemFile.Kind kind, long size) {
    BiFunction<String, Long, MemFile> make = switch (kind) {
      case DISK -> m::createFile;
      case TMPFS -> m::createShmemFile;
      case MEMFD -> m::createMemfd;
      case SHMEM_INTERNAL, HUGETLBFS -> throw new IllegalArgumentException();
    };
    return make.apply("f", size);
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void eachKindStartsAsZerosAndMapsSharedAndPrivate(KernelConfig k, MemFile.Kind kind) {
    Machine m = machine(k);
    MemFile f = make(m, kind, 2 * PAGE);
    assertThat(f.kind()).isEqualTo(kind);
    assertThat(f.needsWriteback()).isEqualTo(kind == MemFile.Kind.DISK);
    assertThat(f.isShmem()).isEqualTo(kind != MemFile.Kind.DISK);
    Process p = m.spawn("p");
    long shared = p.mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
    long priv = p.mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, f, 0);
    assertThat(p.load(shared)).isZero();
    p.fill(shared, 2 * PAGE, 4);
    assertThat(m.fileMatches(f, 0, 2 * PAGE, 4)).as("a shared write is the file's").isTrue();
    assertThat(p.matches(priv, 2 * PAGE, 4)).as("a private mapping reads the file until it writes").isTrue();
    p.fill(priv, PAGE, 5);
    assertThat(m.fileMatches(f, 0, 2 * PAGE, 4)).as("a private write is the process's own").isTrue();
    Process.Rss rss = p.rssParts();
    assertThat(rss.anon()).as("the private copy").isEqualTo(1);
    assertThat(kind == MemFile.Kind.DISK ? rss.file() : rss.shmem()).as("file pages count as file or shmem by kind").isEqualTo(3);
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void aLongTermWritablePinOfASharedMappingIsRefusedOnlyForADiskFileAndOnlyFrom65(KernelConfig k, MemFile.Kind kind) {
    Machine m = machine(k);
    MemFile f = make(m, kind, PAGE);
    Process p = m.spawn("p");
    long shared = p.mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
    boolean refused = kind == MemFile.Kind.DISK && k.has(KernelChange.LONGTERM_NO_WRITEBACK);
    if (refused) {
      long before = m.stateHash();
      assertThatThrownBy(() -> m.kernel().pinUserPages(p, shared, 1, FOLL_WRITE | FOLL_LONGTERM))
          .isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EFAULT));
      assertThat(m.stateHash()).isEqualTo(before);
    } else {
      m.kernel().pinUserPages(p, shared, 1, FOLL_WRITE | FOLL_LONGTERM).release();
    }
    m.checkInvariants();
  }
}
