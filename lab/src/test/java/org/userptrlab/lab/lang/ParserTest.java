package org.userptrlab.lab.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.userptrlab.core.spi.Promise;

/** Reading programs: what a program says, canonical printing, and errors that say where and what was expected. */
class ParserTest {
  static final String SMALL = """
      # a comment before the program
      scenario small "a small program"
      machine ram 32M swap 64M
      kernel 3.4+foll-pin
      needs GPU_SEES_LATER_CPU_WRITES

      p = app app
      buf = p.malloc 1M   # the buffer
      p.fill buf 1M 1
      obj = p.userptr buf+16 4K
      expect GPU_SEES_IMPORTED_BYTES "seen" gpu.sees obj 1
      ok = gpu.write obj 2
      expect CPU_SEES_GPU_WRITES "read back" p.sees buf+16 4K 2 if ok and not p.sees buf 1M 1
      hazard GPU_JOB_FAILED "no write" if not ok
      """;

  @Test
  void aProgramSaysWhatItsLinesSay() {
    Program p = Parser.parse("small", SMALL);
    assertThat(p.name()).isEqualTo("small");
    assertThat(p.description()).isEqualTo("a small program");
    assertThat(p.preamble()).containsExactly("a comment before the program");
    assertThat(p.machine()).containsExactly(new Program.Setting("ram", 32L << 20), new Program.Setting("swap", 64L << 20));
    assertThat(p.kernel().name()).isEqualTo("3.4+foll-pin");
    assertThat(p.needs()).containsExactly(Promise.GPU_SEES_LATER_CPU_WRITES);
    assertThat(p.body()).hasSize(9);
    assertThat(((Program.Bind) p.body().get(4)).call().args()).containsExactly(new Program.Ref("buf", 16), new Program.Num(4096));
    assertThat(Programs.demand(p)).isEqualTo(1L << 20);
  }

  @Test
  void printingIsCanonicalAndReadingItBackGivesTheSameText() {
    String printed = Printer.print(Parser.parse("small", SMALL));
    assertThat(printed).contains("# the buffer\nbuf = p.malloc 1M\n", "obj = p.userptr buf+16 4K\n",
        "expect CPU_SEES_GPU_WRITES \"read back\" p.sees buf+16 4K 2 if ok and not p.sees buf 1M 1\n");
    assertThat(Printer.print(Parser.parse("printed", printed))).isEqualTo(printed);
  }

  @Test
  void generatedProgramsAreValidAndPrintBackToThemselves() {
    for (long seed = 1; seed <= 300; seed++) {
      String text = Generator.generate("gen-" + seed, seed, 20);
      Program p = Parser.parse("gen-" + seed, text);
      String printed = Printer.print(p);
      assertThat(Printer.print(Parser.parse("printed", printed))).as("seed %d", seed).isEqualTo(printed);
    }
    assertThat(Generator.generate("g", 7, 20)).as("the same seed, the same program").isEqualTo(Generator.generate("g", 7, 20));
  }

  /** A name may hold '-': used as an address, alone or with an offset either way. */
  @Test
  void aNameWithAHyphenIsAnAddressAloneOrWithAnOffset() {
    Program p = Parser.parse("f", "scenario s\np = app a\nmy-buf = p.malloc 64K\np.fill my-buf 4K 1\np.fill my-buf+4K 4K 2\n"
        + "p.fill my-buf-16 16 3\n");
    assertThat(Printer.print(p)).contains("p.fill my-buf 4K 1", "p.fill my-buf+4K 4K 2", "p.fill my-buf-16 16 3");
  }

  /** mlock2's flags may be 0, as mlock(2)'s call of it; sbrk's increment may be negative, and both print as written. */
  @Test
  void mlock2TakesNoFlagsAndSbrkANegativeIncrement() {
    String text = "scenario s\np = app a\nb = p.malloc 64K\np.mlock2 b 64K 0\ntop = p.sbrk 8K\nold = p.sbrk -8K\n";
    Program p = Parser.parse("f", text);
    assertThat(Printer.print(p)).contains("p.mlock2 b 64K 0", "top = p.sbrk 8K", "old = p.sbrk -8K");
    assertThat(Printer.print(Parser.parse("printed", Printer.print(p)))).isEqualTo(Printer.print(p));
  }

  static Stream<Arguments> badPrograms() {
    return Stream.of(
        Arguments.of("p = app a\n", "f:1:1: the program must start with 'scenario NAME \"what it does\"'"),
        Arguments.of("", "f:1: an empty program"),
        Arguments.of("scenario s\np = app a\nb = p.malloc 1Q\n", "f:3:14: '1Q' is not a size"),
        Arguments.of("scenario s\nmachine cpus -1\np = app a\n", "f:2:14: '-1' is not a number of CPUs"),
        Arguments.of("scenario s\nmachine hugetlb 2M many\np = app a\n", "f:2:20: 'many' is not a count of huge pages"),
        Arguments.of("scenario s\np = app a\np.fill buf 1M 1\n", "f:3:8: 'buf' is used before it is set"),
        Arguments.of("scenario s\np = app a\np.frobnicate\n", "f:3:1: unknown operation 'p.frobnicate'; a process knows: fork"),
        Arguments.of("scenario s\nfrobnicate\n", "f:2:1: unknown operation 'frobnicate'"),
        Arguments.of("scenario s\np = app a\nb = p.malloc 1M\np.exit\np.fill b 1M 1\n", "f:5:1: p exited at line 4"),
        Arguments.of("scenario s\np = app a\noom_kill p\noom_kill p\n", "f:4:10: p exited at line 3"),
        Arguments.of("scenario s\nkernel 6.12\nkernel 3.4\np = app a\n", "f:3:1: 'kernel' is set twice; it was set at line 2"),
        Arguments.of("scenario s\np = app a\nx = p.fill\n", "f:3:12: 'fill' needs 3 arguments (an address, a size, a seed)"),
        Arguments.of("scenario s\np = app a\nf = file img 1M 5\nm = p.mmap_file f 1M PROT_READ MAP_SHARED|MAP_FIXED\n",
            "f:4:32: 'MAP_FIXED' is not a word 'mmap_file' takes here; it takes MAP_PRIVATE, MAP_SHARED, MAP_LOCKED, MAP_POPULATE, "
                + "MAP_NORESERVE, MAP_HUGETLB, MAP_HUGE_2MB, MAP_HUGE_1GB, joined with '|'"),
        Arguments.of("scenario s\np = app a\nbuf = p.malloc 4M\np.munmap buf+2M-4K 8K\n",
            "f:4:10: 'buf+2M-4K': an address takes one offset (buf+4K, buf-16), not two; write their sum"),
        Arguments.of("scenario s\np = app a\nb = p.malloc 1M\nh = p.userptr p 1M\n", "f:4:15: 'p' is a process, not an address"),
        Arguments.of("scenario s\np = app a\nx = p.exit\n", "f:3:5: 'exit' gives no value to set x to"),
        Arguments.of("scenario s\np = app a\nf = file img 1M 5\nm = p.mmap_file f 1M PROT_READ MAP_SHARED|MAP_ANONYMOUS\n",
            "f:4:32: 'mmap_file' maps a file: its flags need one of MAP_PRIVATE or MAP_SHARED, and not MAP_ANONYMOUS"),
        Arguments.of("scenario s\np = app a\nf = file img 1M 5\np.fill f 1M 1\n", "f:4:8: 'f' is a file, not an address"),
        Arguments.of("scenario s\np = app a\np.report_heap_split n\n", "f:3:21: 'n' is used before it is set; set it first, as in 'n = p.heap_vmas'"),
        Arguments.of("scenario s\np = app a\nf = file img.raw 1M 5\n", "f:3:10: expected a name for the file"),
        Arguments.of("scenario s\np = app a\nmachine ram 1M\n", "f:3:1: 'machine' belongs in the header"),
        Arguments.of("scenario s\nmachine rom 1M\n", "f:2:9: unknown machine setting 'rom'"),
        Arguments.of("scenario s\nkernel 2.6\n", "f:2:8: kernel 2.6 is older than the model follows"),
        Arguments.of("scenario s \"open\n", "f:1:12: a string that does not end"),
        Arguments.of("scenario s\np = app a\nexpect GPU_SEES p.alive\n", "f:3:8: expected a promise"),
        Arguments.of("scenario s\np = app a\nexpect GPU_KEEPS_SNAPSHOT \"x\" p.fork\n", "f:3:31: 'fork' is not a condition"),
        Arguments.of("scenario s\np = app a\nb = p.mmap 1M PROT_READ MAP_PRIVATE\n", "f:3:25: 'mmap' in a program maps anonymous memory"),
        Arguments.of("scenario s\np = app a\np.fork extra\n", "f:3:8: unexpected 'extra' after a complete line"),
        Arguments.of("scenario s\nif = app a\n", "f:2:1: 'if' is a word of the language"),
        Arguments.of("scenario s\np = app a\nb = p.malloc 64K\np.mlock2 b 64K 0|MLOCK_ONFAULT\n",
            "f:4:16: '0' is no flags at all; write it alone, or the MLOCK_ONFAULT flag joined with '|'"),
        Arguments.of("scenario s\np = app a\nb = p.malloc -64K\n", "f:3:14: '-64K' is not a size"),
        Arguments.of("scenario s\np = app a\nb = p.sbrk -1Q\n", "f:3:13: '1Q' is not a size"));
  }

  @ParameterizedTest
  @MethodSource("badPrograms")
  void aBadProgramSaysWhereAndWhatWasExpected(String text, String message) {
    assertThatThrownBy(() -> Parser.parse("f", text)).isInstanceOf(ProgramError.class).hasMessageStartingWith(message);
  }
}
