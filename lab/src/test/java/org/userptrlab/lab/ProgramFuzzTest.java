package org.userptrlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.harness.ScenarioRun;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.lab.lang.ProgramError;
import org.userptrlab.lab.lang.Programs;
import org.userptrlab.lab.scenarios.Catalogue;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.MmException;
import org.userptrlab.mm.SignalException;

/**
 * Thousands of seeded mutants of the catalogue's programs and the explorer's (bytes flipped, lines and tokens deleted,
 * duplicated and swapped, extreme numbers, bad encodings, long lines) through the library's entry
 * point: each is refused with a position or runs, no unchecked exception escapes, and no run ends
 * ERROR because of one. A run may still end ERROR for the program's own errno or signal, as a real
 * program's would.
 */
class ProgramFuzzTest {
  private static final long SEED = 20261203;
  private static final int MUTANTS = 2400;
  private static final List<String> EXTREMES = List.of("0", "-1", "1", "4095", "4097", "2147483648", "9223372036854775807",
      "-9223372036854775808", "9223372036854775808", "99999999999999999999", "16E", "8E", "1T", "4G", "0x1000",
      "0xffffffffffffffff", "0x", "1K", "3M", "-0", "+5", "1.5", "1e9");

  /** The exceptions a program may end on, as a real program would: the kernel's errno, a signal, or its own mistake, positioned. */
  private static final Set<Class<?>> A_PROGRAMS_OWN = Set.of(MmException.class, SignalException.class, ProgramError.class);

  @Test
  void everyMutantIsRefusedWithAPositionOrRunsWithoutAnUncheckedException(@TempDir Path dir) throws IOException {
    // Seeds: the catalogue's programs and some of the explorer's, which reach operations the catalogue does not use.
    List<String> seeds = new ArrayList<>(Catalogue.all().stream().map(s -> Catalogue.text(s.name())).toList());
    for (long i = 0; i < 40; i++) {
      seeds.add(org.userptrlab.lab.explore.Explorer.program(SEED, i));
    }
    List<String> strategies = Strategies.names();
    List<Lab> labs = new ArrayList<>();
    for (int i = 0; i < strategies.size(); i++) {
      labs.add(new Lab(LabOptions.builder().threads(1).strategies(strategies.get(i), strategies.get((i + 3) % strategies.size()))
          .kernels(KernelConfig.LINUX_3_4, KernelConfig.LINUX_6_12).build()));
    }
    List<String> problems = new ArrayList<>();
    int refused = 0;
    int ran = 0;
    for (int i = 0; i < MUTANTS; i++) {
      Random rnd = new Random(SEED * 31 + i);
      byte[] mutant = mutate(seeds.get(rnd.nextInt(seeds.size())).getBytes(StandardCharsets.UTF_8), rnd);
      Path file = dir.resolve("m" + i + ".scenario");
      Files.write(file, mutant);
      Program p;
      try {
        p = Lab.read(file);
      } catch (ProgramError e) {
        refused++;
        if (!e.getMessage().startsWith(file.toString() + ":") || e.line() < 0) {
          problems.add(file.getFileName() + ": refused without a position: " + e.getMessage());
        }
        continue;
      } catch (RuntimeException | IOException | OutOfMemoryError | StackOverflowError e) {
        problems.add(file.getFileName() + ": reading threw " + e);
        continue;
      }
      Lab lab = labs.get(i % labs.size());
      Recording s = new Recording(Lab.scenario(file.toString(), p));
      try {
        if (Programs.cannotRun(p, lab.options().machine()) != null) {
          refused++;
          continue;
        }
        for (RunResult r : lab.run(List.of(s))) {
          ran++;
          if (r.verdict() == RunResult.Verdict.ERROR && s.thrown.stream().anyMatch(t -> !A_PROGRAMS_OWN.contains(t.getClass()))) {
            problems.add(file.getFileName() + ": " + r.strategy() + " on " + r.kernel() + " ended ERROR on " + s.thrown);
          }
        }
      } catch (RuntimeException e) {
        problems.add(file.getFileName() + ": running threw " + e);
      }
    }
    assertThat(problems).as("mutants that end in a Java exception (%d refused, %d runs)", refused, ran).isEmpty();
    // The mutants reach both sides: the parser's refusals and the runs.
    assertThat(refused).isGreaterThan(MUTANTS / 10);
    assertThat(ran).isGreaterThan(MUTANTS / 2);
  }

  /** A scenario that notes what its program threw, so a run's ERROR can be told from the program's own errno. */
  private static final class Recording implements Scenario {
    private final Scenario inner;
    final List<Throwable> thrown = new ArrayList<>();

    Recording(Scenario inner) {
      this.inner = inner;
    }

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public String description() {
      return inner.description();
    }

    @Override
    public Set<org.userptrlab.core.spi.Promise> needs() {
      return inner.needs();
    }

    @Override
    public MachineConfig.Builder machine(MachineConfig.Builder defaults) {
      return inner.machine(defaults);
    }

    @Override
    public void run(ScenarioRun run) {
      try {
        inner.run(run);
      } catch (RuntimeException | Error e) {
        thrown.add(e);
        throw e;
      }
    }
  }

  static byte[] mutate(byte[] program, Random rnd) {
    byte[] out = program;
    for (int n = 1 + rnd.nextInt(3); n > 0; n--) {
      out = mutateOnce(out, rnd);
    }
    return out;
  }

  private static byte[] mutateOnce(byte[] program, Random rnd) {
    List<String> lines = new ArrayList<>(Arrays.asList(new String(program, StandardCharsets.UTF_8).split("\n", -1)));
    int at = rnd.nextInt(lines.size());
    switch (rnd.nextInt(12)) {
      case 0 -> {
        byte[] b = program.clone();
        if (b.length > 0) {
          b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
        }
        return b;
      }
      case 1 -> lines.remove(at);
      case 2 -> lines.add(at, lines.get(at));
      case 3 -> {
        int other = rnd.nextInt(lines.size());
        String l = lines.get(at);
        lines.set(at, lines.get(other));
        lines.set(other, l);
      }
      case 4 -> lines.set(at, editTokens(lines.get(at), rnd, 0));
      case 5 -> lines.set(at, editTokens(lines.get(at), rnd, 1));
      case 6 -> lines.set(at, editTokens(lines.get(at), rnd, 2));
      case 7, 8 -> lines.set(at, editTokens(lines.get(at), rnd, 3));
      case 9 -> {
        return badEncoding(program, rnd);
      }
      case 10 -> lines.add(at, rnd.nextBoolean() ? "x".repeat(100_000) : "p.fill buf " + "1".repeat(5_000) + " 1");
      default -> {
        // Splice a token from another line.
        List<String> from = tokens(lines.get(rnd.nextInt(lines.size())));
        List<String> to = tokens(lines.get(at));
        if (!from.isEmpty()) {
          to.add(rnd.nextInt(to.size() + 1), from.get(rnd.nextInt(from.size())));
          lines.set(at, String.join(" ", to));
        }
      }
    }
    return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> tokens(String line) {
    return new ArrayList<>(Arrays.asList(line.strip().split(" +")));
  }

  /** Deletes (0), duplicates (1) or swaps (2) a token, or puts an extreme number in place of one (3). */
  private static String editTokens(String line, Random rnd, int how) {
    List<String> t = tokens(line);
    int i = rnd.nextInt(t.size());
    switch (how) {
      case 0 -> t.remove(i);
      case 1 -> t.add(i, t.get(i));
      case 2 -> {
        int j = rnd.nextInt(t.size());
        String s = t.get(i);
        t.set(i, t.get(j));
        t.set(j, s);
      }
      default -> {
        List<Integer> numbers = new ArrayList<>();
        for (int k = 0; k < t.size(); k++) {
          if (!t.get(k).isEmpty() && Character.isDigit(t.get(k).charAt(0))) {
            numbers.add(k);
          }
        }
        int k = numbers.isEmpty() ? i : numbers.get(rnd.nextInt(numbers.size()));
        t.set(k, EXTREMES.get(rnd.nextInt(EXTREMES.size())));
      }
    }
    return String.join(" ", t);
  }

  /** A stray 0xff, a lone UTF-8 lead byte, a byte-order mark, CRLF line ends, a no-break space for a space, or a NUL. */
  private static byte[] badEncoding(byte[] program, Random rnd) {
    int at = rnd.nextInt(program.length + 1);
    String text = new String(program, StandardCharsets.UTF_8);
    return switch (rnd.nextInt(6)) {
      case 0 -> insert(program, at, new byte[] {(byte) 0xff});
      case 1 -> insert(program, at, new byte[] {(byte) 0xc3});
      case 2 -> insert(program, 0, new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
      case 3 -> text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
      case 4 -> text.replaceFirst(" ", "\u00a0").getBytes(StandardCharsets.UTF_8);
      default -> insert(program, at, new byte[] {0});
    };
  }

  private static byte[] insert(byte[] program, int at, byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(program, 0, at);
    out.writeBytes(bytes);
    out.write(program, at, program.length - at);
    return out.toByteArray();
  }
}
