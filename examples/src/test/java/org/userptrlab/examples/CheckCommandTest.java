package org.userptrlab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.userptrlab.lab.scenarios.Catalogue;

/** {@code check}: reads programs as run does, says "ok" for each, and runs none. */
class CheckCommandTest {
  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void everyGoodFileIsOkAndNothingRuns(@TempDir Path dir) throws Exception {
    Path fork = dir.resolve("fork.scenario");
    Files.writeString(fork, Catalogue.text("fork-then-parent-writes"));
    Path dos = dir.resolve("dos.scenario");
    Files.write(dos, ("\uFEFF" + "scenario dos \"written on another system\"\r\nmachine ram 0x4000000\r\np = app a\r\nrepeat 2\r\n"
        + "  b = p.malloc 4K\r\n  p.fill b 4K 1\r\nend\r\n").getBytes(StandardCharsets.UTF_8));
    Result r = run("check", fork.toString(), dos.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(fork + ": ok\n" + dos + ": ok\n");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void everyCatalogueProgramChecks(@TempDir Path dir) throws Exception {
    for (var s : Catalogue.all()) {
      Files.writeString(dir.resolve(s.name() + ".scenario"), Catalogue.text(s.name()));
    }
    try (var files = Files.list(dir)) {
      String[] args = files.map(Path::toString).sorted().toArray(String[]::new);
      String[] command = new String[args.length + 1];
      command[0] = "check";
      System.arraycopy(args, 0, command, 1, args.length);
      Result r = run(command);
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out().lines()).hasSize(18).allSatisfy(l -> assertThat(l).endsWith(": ok"));
    }
  }
}
