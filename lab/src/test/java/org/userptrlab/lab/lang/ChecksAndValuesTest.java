package org.userptrlab.lab.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The forms a selftest needs: {@code r = try OP} (a failure as a value), {@code check} and {@code skip}
 * lines, comparisons of sizes, addresses and results, and arguments a line may leave out. Each
 * reads back from its canonical print, and each misuse is refused where it is written.
 */
class ChecksAndValuesTest {
  private static final String HEAD = "scenario s\np = spawn p\nbuf = p.mmap 8K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\n";

  private static Program parse(String body) {
    return Parser.parse("s.scenario", HEAD + body);
  }

  @Test
  void tryBindsAResultThatChecksCompareWithAnErrnoOrOk() {
    Program p = parse("r = try p.munmap buf+1 4K\ncheck \"munmap of an unaligned address is EINVAL\" r == EINVAL\n"
        + "check \"not OK\" r != OK if not p.zero buf 4K\nskip \"nothing to see\" if r == SIGSEGV\n");
    assertThat(p.body().get(2)).isInstanceOf(Program.Try.class);
    Program.Check c = (Program.Check) p.body().get(3);
    assertThat(c.what()).isEqualTo("munmap of an unaligned address is EINVAL");
    assertThat(c.cond().atoms().get(0).compare().relation()).isEqualTo(Program.Relation.EQ);
    assertThat(((Program.Check) p.body().get(4)).when()).isNotNull();
    assertThat(p.body().get(5)).isInstanceOf(Program.Skip.class);
  }

  @Test
  void valuesOfOperationsCompareOnEitherSide() {
    Program p = parse("a = p.frame buf\ncheck \"one frame\" p.frame buf == a and p.vm_pin == 0 and p.mapcount buf <= 1 "
        + "and buf+4K != buf and 4K < p.vm_rss\n");
    Program.Check c = (Program.Check) p.body().get(3);
    assertThat(c.cond().atoms()).hasSize(5);
    assertThat(c.cond().atoms().get(0).calls()).hasSize(1);
    assertThat(c.cond().atoms().get(4).compare().relation()).isEqualTo(Program.Relation.LT);
  }

  @Test
  void namesCheckSkipAndTryOfOlderProgramsStillBindAndRead() {
    Program p = parse("check = p.malloc 4K\nskip = p.vm_pin\ntry = p.zero check 4K\np.fill check 4K 1\n"
        + "r = try p.munmap check+1 4K\ncheck \"names and forms side by side\" try and skip == 0 and r == EINVAL\n");
    assertThat(p.body().get(2)).isInstanceOf(Program.Bind.class);
    assertThat(p.body().get(6)).isInstanceOf(Program.Try.class);
    assertThat(p.body().get(7)).isInstanceOf(Program.Check.class);
    assertThat(Printer.print(Parser.parse("again", Printer.print(p)))).isEqualTo(Printer.print(p));
  }

  @Test
  void optionalArgumentsMayBeLeftOutOrGiven() {
    Program p = parse("p.setrlimit_memlock 64K\np.setrlimit_memlock 64K 1M\n");
    assertThat(Program.callOf(p.body().get(2)).args()).hasSize(1);
    assertThat(Program.callOf(p.body().get(3)).args()).hasSize(2);
    assertThat(Op.SETRLIMIT_MEMLOCK.usage()).isEqualTo("P.setrlimit_memlock SIZE [HARD]");
    assertThat(Op.USERPTR.required()).isEqualTo(2);
  }

  @Test
  void everyNewFormPrintsAsItIsWrittenAndReadsBack() {
    String body = "r = try p.munmap buf+1 4K\n"
        + "pin = p.pin_fast buf 4K FOLL_WRITE|FOLL_LONGTERM\n"
        + "check \"the pin sees it\" pinned_sees pin 1 and p.vm_pin >= 4K if not p.swapped buf 4K\n"
        + "skip \"not swapped\" if not p.vma_flag buf wr\n"
        + "p.setrlimit_memlock 64K 1M\n"
        + "check \"same frame\" p.frame buf == p.frame buf and r == EINVAL\n";
    String printed = Printer.print(parse(body));
    assertThat(printed).contains(body);
    assertThat(Printer.print(Parser.parse("again", printed))).isEqualTo(printed);
  }

  static Stream<Arguments> misuses() {
    return Stream.of(
        Arguments.of("r = try\n", "4:9: expected an operation after 'try'"),
        Arguments.of("r = try p.munmap buf 4K\ncheck \"x\" r == 4K\n", "5:16: '==' compares a result with a size"),
        Arguments.of("check \"x\" buf < buf\n", "4:15: an address is only equal (==) or not (!=) to another, not '<'"),
        Arguments.of("check \"x\" p.vm_pin == EPERM\n", "4:23: '==' compares a size with a result"),
        Arguments.of("check \"x\" p.vm_pin ==\n", "the right side of '==' should be"),
        Arguments.of("check \"x\" p.munmap buf 4K == 0\n", "4:11: 'munmap' gives no value to compare"),
        Arguments.of("check \"x\" nothing == 0\n", "4:11: 'nothing' is used before it is set"),
        Arguments.of("check \"x\" p.vm_pin\n", "'vm_pin' is not a condition"),
        Arguments.of("skip \"x\" p.zero buf 4K\n", "expected 'if'"),
        Arguments.of("check p.zero buf 4K\n", "expected what is checked, in double quotes"),
        Arguments.of("x = p.pin buf 4K FOLL_GET\n", "'FOLL_GET' is not a word 'pin' takes here"),
        Arguments.of("o = p.userptr buf 4K WRITE\n", "'WRITE' is not a word 'userptr' takes here; it takes READ_ONLY"),
        Arguments.of("check \"x\" p.vma_flag buf zz\n", "'zz' is not a word 'vma_flag' takes here"),
        Arguments.of("p.setrlimit_memlock\n", "'setrlimit_memlock' needs 1 or 2 arguments"),
        Arguments.of("try p.munmap buf 4K\n", "'try' keeps what the operation came to under a name: write 'r = try p.munmap"),
        Arguments.of("x = p.pin buf 4K FOLL_PIN|FOLL_WRITE\n", "FOLL_PIN alone is a pin with no other flag"),
        Arguments.of("t = now\ncheck \"x\" t > 1.5ms\n", "5:15: '1.5ms' is a number with a point; a time or a size is a whole "
            + "number of its unit (1500us, not 1.5ms)"),
        Arguments.of("check \"x\" p.vm_rss < 0.5M\n", "'0.5M' is a number with a point"),
        Arguments.of("check \"x\" p == p\n", "4:11: a comparison compares sizes, times, addresses, results or conditions, not a process\n"
            .strip()));
  }

  @ParameterizedTest
  @MethodSource("misuses")
  void aMisuseIsRefusedWhereItIsWritten(String body, String expected) {
    assertThatThrownBy(() -> parse(body)).isInstanceOf(ProgramError.class).hasMessageContaining(expected);
  }
}
