package org.userptrlab.examples.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.userptrlab.examples.Cli;

/**
 * Every bad input a user can give, command lines and programs alike, as one table: each exits 2
 * before any work with one line on standard error that says what is wrong and where, prints
 * nothing on standard output, shows no stack trace and writes nothing.
 */
class BadInputTableTest {
  /** The table: each area of the command line keeps its rows in a class of its own. */
  static List<BadInput> rows() {
    List<BadInput> all = new ArrayList<>();
    all.addAll(CommandLineRows.rows());
    all.addAll(ProgramRows.rows());
    all.addAll(OutputRows.rows());
    all.addAll(ReportRows.rows());
    all.addAll(DiffRows.rows());
    all.addAll(MappingRows.rows());
    return all;
  }

  @Test
  void theTableHoldsAtLeast120DistinctBadInputs() {
    List<BadInput> rows = rows();
    assertThat(rows).hasSizeGreaterThanOrEqualTo(120);
    assertThat(rows.stream().map(BadInput::what).distinct().count()).isEqualTo(rows.size());
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("rows")
  void isRefusedWithOneLineAndExitTwoAndWritesNothing(BadInput row, @TempDir Path dir) throws IOException {
    for (Map.Entry<String, byte[]> f : row.files().entrySet()) {
      Files.write(dir.resolve(f.getKey()), f.getValue());
    }
    List<String> before = listing(dir);
    String[] args = row.args().stream().map(a -> a.replace("{dir}", dir.toString())).toArray(String[]::new);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.run(new PrintWriter(out), new PrintWriter(err), args);
    String expected = row.expected().replace("{dir}", dir.toString());
    assertThat(err.toString()).as("%s: one line on stderr", row.what()).doesNotContain("Exception", "\tat ")
        .startsWith("userptr-lab: ").contains(expected).endsWith("\n");
    assertThat(err.toString().lines().count()).as("%s: %s", row.what(), err).isEqualTo(1);
    assertThat(code).as("%s: %s", row.what(), err).isEqualTo(Cli.USAGE);
    assertThat(out.toString()).as(row.what()).isEmpty();
    assertThat(listing(dir)).as("%s wrote nothing", row.what()).isEqualTo(before);
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }
}
