package org.userptrlab.lab.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Check;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.mm.Errno;
import org.userptrlab.mm.KernelConfig;

/**
 * The language's mapping operations run on the model: memfd and tmpfile, truncate, mmap_at, mremap
 * and mremap_to, read_direct, setrlimit_memlock with a hard limit, and vm_rss. Each program says
 * what the kernel does in its own expect lines; a call the kernel refuses stops the run with its
 * errno, and the step listener names the line.
 */
class MappingOpsTest {
  private static final KernelConfig OLD = KernelConfig.LINUX_3_4;
  private static final KernelConfig NEW = KernelConfig.LINUX_6_12;
  private static final Comparison CMP = new Comparison(LabOptions.builder().kernels(OLD, NEW)
      .profiles(List.of(Profiles.all().get(0))).build());

  private static RunResult run(KernelConfig kernel, String body, List<Step> steps) {
    String text = "scenario maps \"mapping operations\"\nmachine ram 64M swap 64M\n\np = app app\n" + body;
    return CMP.run(new TextScenario("maps.scenario", Parser.parse("maps.scenario", text), steps::add), "copy", kernel);
  }

  /** Runs {@code body} on each kernel: no error, and every expect line held. */
  private static void holdsOn(String body, KernelConfig... kernels) {
    for (KernelConfig k : kernels) {
      RunResult r = run(k, body, new ArrayList<>());
      assertThat(r.error()).as("%s: %s", k, r.summary()).isNull();
      assertThat(r.checks()).as("%s", k).isNotEmpty().allMatch(Check::held, "held");
    }
  }

  @Test
  void aMemfdAndATmpfileMapSharedAndKeepWhatIsWritten() {
    holdsOn("f = memfd scratch 16K\nm = p.mmap_file f 16K PROT_READ|PROT_WRITE MAP_SHARED\np.fill m 16K 3\n"
        + "t = tmpfile tmp-bin 16K\nn = p.mmap_file t 16K PROT_READ|PROT_WRITE MAP_SHARED\np.fill n 16K 4\n"
        + "expect PROGRAM_KEEPS_ITS_BYTES \"the memfd keeps its bytes\" p.sees m 16K 3\n"
        + "expect PROGRAM_KEEPS_ITS_BYTES \"the tmpfs file keeps its bytes\" p.sees n 16K 4\n", NEW);
    holdsOn("r = try memfd scratch 16K\nexpect PROGRAM_KEEPS_ITS_BYTES \"memfd_create came in 3.17\" r == ENOSYS\n", OLD);
  }

  @Test
  void truncateTakesThePagesPastTheEndOutOfTheMapping() {
    holdsOn("f = tmpfile t 16K\nm = p.mmap_file f 16K PROT_READ|PROT_WRITE MAP_SHARED\np.fill m 16K 3\ntruncate f 8K\n"
        + "expect PROGRAM_KEEPS_ITS_BYTES \"a load past the new end is SIGBUS\" not p.readable m+8K\n"
        + "expect PROGRAM_KEEPS_ITS_BYTES \"the pages before it stay\" p.sees m 8K 3\n", OLD, NEW);
  }

  @Test
  void mmapAtWithMapFixedReplacesAMapping() {
    holdsOn("buf = p.mmap 16K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.fill buf 16K 5\n"
        + "fix = p.mmap_at buf 16K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED\n"
        + "expect PROGRAM_KEEPS_ITS_BYTES \"the new mapping is empty\" not p.sees fix 16K 5\n", OLD, NEW);
  }

  @Test
  void mremapMovesAMappingWithItsBytes() {
    holdsOn("buf = p.mmap 8K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.fill buf 8K 5\n"
        + "wall = p.mmap_at buf+8K 4K PROT_READ MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED\n"
        + "nb = p.mremap buf 8K 64K MREMAP_MAYMOVE\n"
        + "expect PROGRAM_KEEPS_ITS_BYTES \"the bytes moved with the mapping\" p.sees nb 8K 5\n"
        + "expect PROGRAM_KEEPS_ITS_BYTES \"the old address is unmapped\" not p.readable buf\n"
        + "small = p.mremap nb 64K 4K 0\n"
        + "expect PROGRAM_KEEPS_ITS_BYTES \"a shrink keeps the address\" small == nb\n", OLD, NEW);
  }

  @Test
  void mremapToWithDontunmapWorksOn612AndIsEinvalOn34AtItsLine() {
    String body = "buf = p.mmap 8K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.fill buf 8K 5\n"
        + "dst = p.mmap 8K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.munmap dst 8K\n"
        + "nb = p.mremap_to buf 8K 8K MREMAP_MAYMOVE|MREMAP_DONTUNMAP dst\n"
        + "expect PROGRAM_KEEPS_ITS_BYTES \"the bytes moved\" p.sees nb 8K 5\n"
        + "expect PROGRAM_KEEPS_ITS_BYTES \"the old range is still mapped\" p.readable buf\n";
    holdsOn(body, NEW);
    List<Step> steps = new ArrayList<>();
    RunResult old = run(OLD, body, steps);
    assertThat(old.error()).isNotNull();
    assertThat(old.error().errno()).isEqualTo(Errno.EINVAL);
    assertThat(old.error().message()).startsWith("EINVAL: mremap: unknown flags").contains("(at maps.scenario:9, ");
    Step last = steps.get(steps.size() - 1);
    assertThat(last.line()).isEqualTo(9);
    assertThat(last.outcome()).isEqualTo("EINVAL");
  }

  @Test
  void readDirectPutsTheFilesBytesInTheBuffer() {
    holdsOn("f = file data 16K 7\nbuf = p.memalign 4K 16K\np.read_direct f buf 16K\n"
        + "expect PROGRAM_KEEPS_ITS_BYTES \"the disk's bytes landed\" p.sees buf 16K 7\n", OLD, NEW);
  }

  @Test
  void setrlimitMemlockSetsTheHardLimitApartAndRaisingItWithoutCapSysResourceIsEperm() {
    holdsOn("p.setrlimit_memlock 64K 128K\np.setrlimit_memlock 128K\n"
        + "buf = p.mmap 128K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS|MAP_LOCKED\n"
        + "expect PROGRAM_KEEPS_ITS_BYTES \"the soft limit rose to the hard one\" p.readable buf\n", OLD, NEW);
    for (KernelConfig k : List.of(OLD, NEW)) {
      RunResult r = run(k, "p.setrlimit_memlock 64K 128K\np.setrlimit_memlock 64K 1M\n", new ArrayList<>());
      assertThat(r.error()).as("%s", k).isNotNull();
      assertThat(r.error().errno()).isEqualTo(Errno.EPERM);
    }
  }

  @Test
  void madvisePageoutSwapsTheBufferOutOn612AndIsUnknownOn34() {
    String body = "buf = p.mmap 16K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.fill buf 16K 1\n"
        + "p.madvise buf 16K MADV_PAGEOUT\nout = p.vm_rss\n"
        + "expect PROGRAM_KEEPS_ITS_BYTES \"no page of it is resident\" out == 0\n"
        + "expect PROGRAM_KEEPS_ITS_BYTES \"it swaps back in whole\" p.sees buf 16K 1\n";
    holdsOn(body, NEW);
    RunResult old = run(OLD, body, new ArrayList<>());
    assertThat(old.error()).isNotNull();
    assertThat(old.error().errno()).isEqualTo(Errno.EINVAL);
  }

  @Test
  void vmRssCountsTheResidentPagesInBytes() {
    holdsOn("buf = p.mmap 16K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\nbefore = p.vm_rss\np.fill buf 16K 1\n"
        + "after = p.vm_rss\np.munmap buf 8K\nleft = p.vm_rss\n"
        + "expect PROGRAM_KEEPS_ITS_BYTES \"four pages more\" after > before\n"
        + "expect PROGRAM_KEEPS_ITS_BYTES \"two pages fewer\" left < after\n", OLD, NEW);
  }
}
