package org.userptrlab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.userptrlab.lab.explore.ExploreReport;

/** {@code explore} honours --format (json in the shape of its schema, csv, markdown), and a rerun replaces its output whole. */
class ExploreCommandTest {
  static final String[] SMALL = {"explore", "--programs", "8", "--strategies", "backed-pin,mlock", "--kernels", "6.12"};

  @Test
  void formatJsonIsExploreJsonAndTheSchemaAcceptsIt(@TempDir Path dir) throws Exception {
    CliTest.Result r = CliTest.run(CliTest.with(SMALL, "--format", "json", "--out", dir.resolve("o").toString()));
    assertThat(r.code()).as(r.err()).isZero();
    String schema;
    try (InputStream in = ExploreReport.class.getResourceAsStream(ExploreReport.SCHEMA)) {
      assertThat(in).isNotNull();
      schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    var validator = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema, InputFormat.JSON);
    assertThat(validator.validate(r.out(), InputFormat.JSON)).isEmpty();
    assertThat(r.out()).isEqualTo(Files.readString(dir.resolve("o").resolve(ExploreReport.FILE)));
  }

  @Test
  void formatCsvAndMarkdownAreTheFindings() {
    CliTest.Result table = CliTest.run(SMALL);
    CliTest.Result csv = CliTest.run(CliTest.with(SMALL, "--format", "csv"));
    CliTest.Result md = CliTest.run(CliTest.with(SMALL, "--format", "markdown"));
    assertThat(table.out()).startsWith("explored 8 programs (seed 1)");
    assertThat(csv.out()).startsWith("strategy,kernel,kind,what,hits,lines,first_program,in_catalogue,events,minimal_program\n");
    assertThat(md.out()).startsWith("# Explore\n\nexplored 8 programs (seed 1)").contains("| strategy | kernel |");
    assertThat(csv.out().lines().count() - 1).isEqualTo(table.out().lines().filter(l -> l.contains(" 6.12 ")).count());
  }

  /** An explore run's output as the corpus of the next, written where it is read: refused before any work, the corpus kept. */
  @Test
  void anOutputThatWouldReplaceTheCorpusIsRefused(@TempDir Path dir) throws Exception {
    Path found = dir.resolve("found");
    assertThat(CliTest.run(CliTest.with(SMALL, "--out", found.toString())).code()).isZero();
    long before;
    try (Stream<Path> files = Files.list(found)) {
      before = files.count();
    }
    for (Path out : new Path[] {found, found.resolve("..").resolve("found")}) {
      CliTest.Result r = CliTest.run(CliTest.with(SMALL, "--corpus", found.toString(), "--out", out.toString()));
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("would replace the corpus " + found + " it reads");
    }
    try (Stream<Path> files = Files.list(found)) {
      assertThat(files.count()).isEqualTo(before);
    }
  }

  /** Hadoop wraps a host that does not resolve, or a scheme with no file system here, in a RuntimeException: said in words. */
  @Test
  void aFileSystemThatCannotStartIsSaidInWords() {
    assertThat(ExploreCommand.hadoopCause(new IllegalArgumentException(new java.net.UnknownHostException("nohost.invalid"))))
        .isEqualTo("the host nohost.invalid is not known here");
    assertThat(ExploreCommand.hadoopCause(new RuntimeException(new ClassNotFoundException(
        "Class org.apache.hadoop.fs.s3a.S3AFileSystem not found")))).contains("S3AFileSystem not found").contains("USERPTR_LAB_CLASSPATH");
    assertThat(ExploreCommand.hadoopCause(new IllegalStateException("outer", new IllegalStateException("the root"))))
        .isEqualTo("the root");
  }

  @Test
  void aRerunReplacesTheOutputWhole(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("o");
    assertThat(CliTest.run(CliTest.with(SMALL, "--out", out.toString())).code()).isZero();
    // A finding of an earlier run that this one will not make.
    Files.writeString(out.resolve("steal_3.4_broken_old.scenario"), OutputDirectoryTest.MARK + "scenario old\n");
    CliTest.Result r = CliTest.run(CliTest.with(SMALL, "--out", out.toString()));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(out.resolve("steal_3.4_broken_old.scenario")).doesNotExist();
    assertThat(ExploreReport.read(out).programs()).isEqualTo(8);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).as("no temporary directory or file is left").containsExactly("o");
    }
    assertThat(r.err().lines().toList()).last().isEqualTo("wrote " + out.resolve(ExploreReport.FILE));
  }

  /** The options of one engine are refused with the other, rather than ignored, and change nothing. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "--master=local[2]                                  | --master is for --engine spark",
      "--partitions=4                                     | --partitions is for --engine spark",
      "--out=hdfs://namenode/found                        | a file system URI is for --engine spark",
      "--engine=spark --shard=1/2                         | --shard is for the plain engine",
      "--engine=spark --threads=2                         | --threads is for the plain engine",
      "--engine=spark --partitions=0                      | --partitions must be at least 1: 0",
      "--engine=spark --master=                           | --master needs a Spark master URL",
      "--engine=hadoop                                    | --engine takes one of",
      "--engine=spark --out=hdfs://namenode/found         | needs Spark's Hadoop client on the class path"})
  void theOtherEnginesOptionsAreRefused(String options, String message) {
    String[] args = CliTest.with(SMALL, options.split(" "));
    CliTest.Result r = CliTest.run(args);
    assertThat(r.code()).as(r.out()).isEqualTo(2);
    assertThat(r.err()).contains(message);
    assertThat(r.out()).isEmpty();
  }

  /**
   * The command-line jar carries no Spark (the launcher adds it for --engine spark alone): run without
   * it, the Spark engine says what to run instead.
   */
  @Test
  void theSparkEngineWithoutSparkOnTheClassPathSaysHowToRunIt() {
    CliTest.Result r = CliTest.run(CliTest.with(SMALL, "--engine", "spark"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Spark is not on the class path", "./userptr-lab launcher");
  }
}
