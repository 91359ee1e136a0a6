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
}
