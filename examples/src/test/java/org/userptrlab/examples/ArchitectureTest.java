package org.userptrlab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The direction of dependencies in DESIGN.md, read from the sources' imports: mm-model imports
 * nothing of the project; core imports only mm-model; gem never a strategy; a strategy never gem
 * nor another strategy.
 */
class ArchitectureTest {
  private static final Pattern IMPORT = Pattern.compile("^import (static )?org\\.userptrlab\\.([a-z.]+?)\\.[A-Z]", Pattern.MULTILINE);
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** The project packages imported by a module's main sources, as "package prefixes". */
  private static List<String> imports(String module) {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = IMPORT.matcher(Files.readString(f));
        while (m.find()) {
          out.add(m.group(2));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @Test
  void mmModelImportsNothingOfTheProject() {
    assertThat(imports("mm-model")).allMatch(p -> p.startsWith("mm"));
  }

  @Test
  void coreImportsOnlyTheMemoryManager() {
    assertThat(imports("core")).allMatch(p -> p.startsWith("mm") || p.startsWith("core"));
  }

  @Test
  void gemUsesTheSpiNeverAStrategy() {
    assertThat(imports("gem")).noneMatch(p -> p.startsWith("strategy") || p.startsWith("examples"));
  }

  @Test
  void noStrategyImportsGemOrAnotherStrategy() throws IOException {
    try (Stream<Path> modules = Files.list(ROOT)) {
      for (Path dir : modules.filter(d -> d.getFileName().toString().startsWith("strategy-")).toList()) {
        String own = "strategy." + dir.getFileName().toString().substring("strategy-".length());
        assertThat(imports(dir.getFileName().toString())).as(dir.getFileName().toString())
            .allMatch(p -> p.startsWith("mm") || p.startsWith("core") || p.startsWith(own));
      }
    }
  }

  private static List<Path> mainPackages() throws IOException {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")
              && !p.toString().contains("/target/") && !p.toString().contains("/src/it/"))
          .map(Path::getParent).distinct().sorted().toList();
    }
  }

  @Test
  void everyPackageSaysWhatItIs() throws IOException {
    List<Path> packages = mainPackages();
    assertThat(packages).hasSizeGreaterThan(10);
    for (Path dir : packages) {
      Path info = dir.resolve("package-info.java");
      assertThat(info).as("%s has a package-info.java", ROOT.relativize(dir)).exists();
      assertThat(Files.readString(info)).as(info.toString()).contains("/**");
    }
  }

  @Test
  void theBomNamesEveryPublishedModuleAtTheProjectsVersion() throws IOException {
    String root = Files.readString(ROOT.resolve("pom.xml"));
    String bom = Files.readString(ROOT.resolve("bom/pom.xml"));
    Matcher version = Pattern.compile("<artifactId>userptr-lab</artifactId>\\s*<version>([^<]+)</version>").matcher(root);
    assertThat(version.find()).isTrue();
    Matcher modules = Pattern.compile("<module>([^<]+)</module>").matcher(root);
    int published = 0;
    while (modules.find()) {
      String m = modules.group(1);
      if (m.equals("bom") || m.equals("benchmarks")) {
        continue;
      }
      published++;
      assertThat(bom).as("the BOM manages %s", m)
          .containsPattern("<artifactId>" + Pattern.quote(m) + "</artifactId>\\s*<version>" + Pattern.quote(version.group(1)) + "</version>");
    }
    assertThat(published).isEqualTo(13);
    assertThat(bom).doesNotContain("<parent>");
  }

  @Test
  void onlyTheCommandLineJarBindsSlf4jOutsideTheTests() throws IOException {
    try (Stream<Path> poms = Files.list(ROOT)) {
      for (Path dir : poms.filter(Files::isDirectory).toList()) {
        Path pom = dir.resolve("pom.xml");
        if (!Files.exists(pom) || dir.getFileName().toString().equals("examples")) {
          continue;
        }
        assertThat(Files.readString(pom)).as(pom.toString()).doesNotContain("slf4j-simple", "logback");
      }
    }
    String examples = Files.readString(ROOT.resolve("examples/pom.xml"));
    assertThat(examples).containsPattern("<artifactId>slf4j-simple</artifactId>[\\s\\S]*?<optional>true</optional>");
    // The parent gives every module's tests a binding, in test scope only.
    String parent = Files.readString(ROOT.resolve("pom.xml"));
    assertThat(parent).containsPattern("<artifactId>slf4j-simple</artifactId>\\s*<scope>test</scope>");
  }

  @Test
  void theCommandLineDependsOnTheLabAndTheLabOnTheStrategiesNeverTheOtherWay() {
    assertThat(imports("lab")).noneMatch(p -> p.startsWith("examples"));
    assertThat(imports("examples")).anyMatch(p -> p.startsWith("lab"));
    for (String m : List.of("mm-model", "core", "gem", "strategy-mlock", "strategy-steal", "strategy-cow", "strategy-backed", "strategy-svm", "testkit")) {
      assertThat(imports(m)).as(m).noneMatch(p -> p.startsWith("lab") || p.startsWith("examples"));
    }
  }

  /**
   * Spark is optional: the lab and what it stands on import nothing of lab-spark nor of Spark, and of the
   * command line only the class that runs the Spark engine does (the launcher adds Spark for it alone).
   */
  @Test
  void onlyLabSparkAndTheCommandLinesSparkRunNameSpark() throws IOException {
    for (String m : List.of("mm-model", "core", "gem", "strategy-mlock", "strategy-steal", "strategy-cow", "strategy-backed", "strategy-svm", "lab")) {
      assertThat(imports(m)).as(m).noneMatch(p -> p.startsWith("spark"));
      try (Stream<Path> files = Files.walk(ROOT.resolve(m).resolve("src/main/java"))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          assertThat(Files.readString(f)).as(f.toString()).doesNotContain("import org.apache.spark", "import org.apache.hadoop");
        }
      }
    }
    assertThat(imports("lab-spark")).noneMatch(p -> p.startsWith("examples"));
    try (Stream<Path> files = Files.walk(ROOT.resolve("examples/src/main/java"))) {
      assertThat(files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
        try {
          return Files.readString(p).contains("import org.userptrlab.spark.");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).map(p -> p.getFileName().toString())).containsExactly("SparkRun.java");
    }
  }

  @Test
  void theCommandLineModuleHoldsOnlyTheCommandLineAndTheExamples() throws IOException {
    try (Stream<Path> files = Files.walk(ROOT.resolve("examples/src/main/java"))) {
      List<String> packages = files.filter(p -> p.toString().endsWith(".java"))
          .map(p -> ROOT.resolve("examples/src/main/java").relativize(p.getParent()).toString().replace('/', '.')).distinct().toList();
      assertThat(packages).allMatch(p -> p.equals("org.userptrlab.examples") || p.startsWith("org.userptrlab.examples.library"));
    }
  }
}
