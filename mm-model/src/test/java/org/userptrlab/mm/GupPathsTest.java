package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.Foll.FOLL_LONGTERM;
import static org.userptrlab.mm.Foll.FOLL_WRITE;
import static org.userptrlab.mm.TestMachines.PAGE;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast and the slow path of get_user_pages and pin_user_pages end the same, for every FOLL_
 * combination a driver passes, on every mapping a userptr can name, with its pages absent, present
 * and shared after fork, on every preset kernel: gup_fast_pte_range bails out to the slow path
 * wherever check_vma_flags, gup_must_unshare, gup_fast_folio_allowed or the FOLL_LONGTERM
 * migration could decide otherwise. And the kernel's answer where it matters: from 6.5 a long-term
 * writable pin of a shared file mapping with writeback is EFAULT on both paths, even for a page
 * already faulted in.
 */
class GupPathsTest {
  enum Mapping { ANON, ANON_READ_ONLY, FILE_SHARED, SHMEM_SHARED, FILE_PRIVATE }

  enum Before { ABSENT, READ, WRITTEN, FORKED }

  private static final int[] FLAGS = {0, FOLL_WRITE, FOLL_LONGTERM, FOLL_WRITE | FOLL_LONGTERM};

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (KernelConfig k : KernelConfig.presets()) {
      for (Mapping mapping : Mapping.values()) {
        for (Before before : Before.values()) {
          for (boolean pin : new boolean[] {false, true}) {
            for (int flags : FLAGS) {
              // FOLL_LONGTERM goes with pin_user_pages; is_valid_gup_args refuses it without FOLL_PIN on recent kernels.
              if (!pin && (flags & FOLL_LONGTERM) != 0) {
                continue;
              }
              out.add(Arguments.of(k, mapping, before, pin, flags));
            }
          }
        }
      }
    }
    return out.stream();
  }

  /** What one call ended with: its errno, or the pages it took, and what the process then maps. */
  record Outcome(Errno errno, List<Integer> pfns, List<Long> mapped) {}

  private static Outcome call(KernelConfig k, Mapping mapping, Before before, boolean pin, int flags, boolean fast) {
    Machine m = new Machine(MachineConfig.builder().ram(16L << 20).kernel(k).build());
    Process p = m.spawn("p");
    long addr = map(m, p, mapping);
    switch (before) {
      case READ -> p.read(addr, 4 * PAGE);
      case WRITTEN, FORKED -> {
        if (mapping != Mapping.ANON_READ_ONLY) {
          p.fill(addr, 4 * PAGE, 1);
        } else {
          p.read(addr, 4 * PAGE);
        }
      }
      default -> { }
    }
    if (before == Before.FORKED) {
      p.fork();
    }
    Errno errno = null;
    List<Integer> pfns = List.of();
    try {
      PageRefs refs = pin
          ? (fast ? m.kernel().pinUserPagesFast(p, addr, 4, flags) : m.kernel().pinUserPages(p, addr, 4, flags))
          : (fast ? m.kernel().getUserPagesFast(p, addr, 4, flags) : m.kernel().getUserPages(p, addr, 4, flags));
      pfns = Arrays.stream(refs.pfns()).boxed().toList();
      refs.release();
    } catch (MmException e) {
      errno = e.errno();
    }
    List<Long> mapped = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      mapped.add(p.pagemap(addr + (long) i * PAGE));
    }
    m.checkInvariants();
    return new Outcome(errno, pfns, mapped);
  }

  private static long map(Machine m, Process p, Mapping mapping) {
    int rw = Mman.PROT_READ | Mman.PROT_WRITE;
    return switch (mapping) {
      case ANON -> p.mmap(0, 4 * PAGE, rw, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
      case ANON_READ_ONLY -> p.mmap(0, 4 * PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
      case FILE_SHARED -> p.mmap(0, 4 * PAGE, rw, Mman.MAP_SHARED, m.createFile("data", 4 * PAGE), 0);
      case SHMEM_SHARED -> p.mmap(0, 4 * PAGE, rw, Mman.MAP_SHARED, m.createShmemFile("shm", 4 * PAGE), 0);
      case FILE_PRIVATE -> p.mmap(0, 4 * PAGE, rw, Mman.MAP_PRIVATE, m.createFile("data", 4 * PAGE), 0);
    };
  }

  @ParameterizedTest(name = "{0} {1} {2} pin={3} flags={4}")
  @MethodSource("cases")
  void theFastAndTheSlowPathEndTheSame(KernelConfig k, Mapping mapping, Before before, boolean pin, int flags) {
    Outcome slow = call(k, mapping, before, pin, flags, false);
    Outcome fast = call(k, mapping, before, pin, flags, true);
    assertThat(fast).as("fast against slow").isEqualTo(slow);

    boolean write = (flags & FOLL_WRITE) != 0;
    if (mapping == Mapping.FILE_SHARED && pin && write && (flags & FOLL_LONGTERM) != 0) {
      // writable_file_mapping_allowed and gup_fast_folio_allowed, both from 6.5.
      assertThat(slow.errno()).isEqualTo(k.has(KernelChange.LONGTERM_NO_WRITEBACK) ? Errno.EFAULT : null);
    } else if (mapping == Mapping.ANON_READ_ONLY && write) {
      assertThat(slow.errno()).as("FOLL_WRITE without FOLL_FORCE on a read-only mapping").isEqualTo(Errno.EFAULT);
    } else {
      assertThat(slow.errno()).isNull();
    }
  }
}
