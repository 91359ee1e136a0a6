package org.userptrlab.lab.real;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.lang.Program;

/** The diff has no run of the shared-virtual-memory strategies on the real kernel, and says why, whatever the program. */
class SvmOnTheRealKernelTest {
  @Test
  void svmNeedsADeviceWithDevicePrivateMemory() {
    Program p = Parser.parse("t.scenario", "scenario t \"t\"\np = app a\nbuf = p.malloc 4K\nobj = p.userptr buf 4K\n");
    for (String s : new String[] {"svm", "svm-kfd"}) {
      assertThat(RealProgram.notRunnable(p, s)).as(s).hasValueSatisfying(why -> assertThat(why)
          .startsWith("needs a device with device-private memory").contains("test_hmm"));
    }
    assertThat(RealProgram.notRunnable(p, "svm-mirror")).hasValueSatisfying(why -> assertThat(why)
        .startsWith("needs a device that shares the process's address space").contains("test_hmm"));
  }
}
