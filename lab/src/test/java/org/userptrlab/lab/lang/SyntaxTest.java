package org.userptrlab.lab.lang;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What {@code list} documents covers the whole language: every statement and setting, every argument an operation names. */
class SyntaxTest {
  @Test
  void everyArgumentAnOperationNamesIsDocumented() {
    Set<String> documented = Syntax.arguments().stream().map(Syntax.Form::syntax).collect(Collectors.toSet());
    Arrays.stream(Op.values()).forEach(op -> assertThat(documented).as(op.usage()).containsAll(op.argNames()));
  }

  @Test
  void eachArgumentIsDocumentedOnce() {
    assertThat(Syntax.arguments().stream().map(Syntax.Form::syntax)).doesNotHaveDuplicates();
    assertThat(Syntax.statements().stream().map(Syntax.Form::syntax)).doesNotHaveDuplicates();
  }

  @Test
  void everyStatementAndMachineSettingIsDocumented() {
    String all = Syntax.statements().stream().map(Syntax.Form::syntax).collect(Collectors.joining("\n"));
    for (String word : new String[] {"scenario", "machine", "kernel", "observe", "needs", "expect", "hazard", "and", "not",
        "if", "repeat",
        "end", "ADDR+SIZE", "#"}) {
      assertThat(all).as(word).contains(word);
    }
    Program.Setting.KEYS.forEach(k -> assertThat(all).contains("machine " + k + " "));
  }

  @Test
  void anOperationsUsageNamesItsReceiverAndEachArgument() {
    assertThat(Op.FILL.usage()).isEqualTo("P.fill ADDR SIZE SEED");
    assertThat(Op.GPU_WRITE.usage()).isEqualTo("gpu.write OBJ SEED");
    assertThat(Op.COMPACT.usage()).isEqualTo("compact");
    assertThat(Op.MEMCPY.argNames()).containsExactly("DST", "SRC", "SIZE");
  }
}
