package org.userptrlab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's library snippet, as written there, compiles against the modules and runs. */
class ReadmeTest {
  @Test
  void theLibrarySnippetCompilesAndRuns(@TempDir Path dir) throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    String section = readme.substring(readme.indexOf("## Use it as a library"));
    Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(section);
    assertThat(block.find()).as("a java block in 'Use it as a library'").isTrue();
    String source = block.group(1);
    assertThat(source).startsWith("import ");
    Matcher cls = Pattern.compile("public class (\\w+)").matcher(source);
    assertThat(cls.find()).isTrue();
    Path file = dir.resolve(cls.group(1) + ".java");
    Files.writeString(file, source);

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int rc = javac.run(null, diagnostics, diagnostics, "-d", dir.toString(), "-cp", System.getProperty("java.class.path"),
        file.toString());
    assertThat(rc).as(diagnostics.toString(StandardCharsets.UTF_8)).isZero();

    PrintStream stdout = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      loader.loadClass(cls.group(1)).getMethod("main", String[].class).invoke(null, (Object) new String[0]);
    } finally {
      System.setOut(stdout);
    }
    assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("backed-pin: BROKEN:").contains("us on x86-desktop-2012");
  }

  /** The build compiles examples/src/it/library-user as a project of its own: it must be the README's pom and class, verbatim. */
  @Test
  void theLibraryProjectTheBuildCompilesIsTheReadmesPomAndClass() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    String section = readme.substring(readme.indexOf("## Use it as a library"), readme.indexOf("## Add a strategy"));
    Matcher pom = Pattern.compile("```xml\n(.*?)```", Pattern.DOTALL).matcher(section);
    Matcher java = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(section);
    assertThat(pom.find() && java.find()).isTrue();
    Path project = Path.of("src", "it", "library-user");
    assertThat(pom.group(1)).isEqualTo(Files.readString(project.resolve("pom.xml")));
    assertThat(java.group(1)).isEqualTo(Files.readString(project.resolve("src/main/java/ForkAfterImport.java")));
    assertThat(section).contains("mvn -B -ntp -q install -DskipTests");
    assertThat(pom.group(1)).contains("<artifactId>userptr-lab-bom</artifactId>", "<artifactId>lab</artifactId>");
  }

  @Test
  void theReadmeCountsTheCatalogueRight() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    List<String> words = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen");
    String useCases = words.get(org.userptrlab.lab.scenarios.Catalogue.useCases().size());
    String hazards = words.get(org.userptrlab.lab.scenarios.Catalogue.hazards().size());
    Matcher counts = Pattern.compile("(\\w+) (?:use cases|hazards)").matcher(readme);
    int seen = 0;
    while (counts.find()) {
      if (words.contains(counts.group(1))) {
        seen++;
        assertThat(counts.group(1)).as(counts.group()).isIn(useCases, hazards);
      }
    }
    assertThat(seen).isGreaterThanOrEqualTo(2);
    assertThat(readme).contains(useCases + " use cases", hazards + " hazards");
  }

  @Test
  void theReadmesProgramRunsAndShowsWhatItSays() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int from = readme.indexOf("scenario my-fork");
    String text = readme.substring(from, readme.indexOf("```", from));
    org.userptrlab.lab.lang.Program p = org.userptrlab.lab.lang.Parser.parse("README.md", text);
    org.userptrlab.core.harness.Comparison cmp = new org.userptrlab.core.harness.Comparison(
        org.userptrlab.core.harness.LabOptions.builder().kernels(org.userptrlab.mm.KernelConfig.LINUX_6_12).build());
    org.userptrlab.lab.scenarios.TextScenario s = new org.userptrlab.lab.scenarios.TextScenario("README.md", p);
    org.assertj.core.api.Assertions.assertThat(cmp.run(s, "backed-pin", org.userptrlab.mm.KernelConfig.LINUX_6_12).verdict())
        .isEqualTo(org.userptrlab.core.harness.RunResult.Verdict.BROKEN);
    org.assertj.core.api.Assertions.assertThat(cmp.run(s, "backed-longterm", org.userptrlab.mm.KernelConfig.LINUX_6_12).verdict())
        .isEqualTo(org.userptrlab.core.harness.RunResult.Verdict.KEPT);
  }
}
