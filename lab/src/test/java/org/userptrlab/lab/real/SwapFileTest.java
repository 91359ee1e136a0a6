package org.userptrlab.lab.real;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a diff's swap file goes, and what is left of a lab process that ended without removing its own. */
class SwapFileTest {
  /** A directory with a swap file in it, as a lab process of {@code pid} leaves it. */
  private static Path left(Path parent, long pid) throws IOException {
    Path dir = Files.createDirectory(parent.resolve("userptr-lab-swap-" + pid + "-42"));
    Files.write(dir.resolve("swapfile"), new byte[4096]);
    return dir;
  }

  @Test
  void aSwapDirectoryOfALabProcessThatIsGoneIsRemovedWhenTheNextIsMade(@TempDir Path parent) throws Exception {
    java.lang.Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    Path stale = left(parent, ended.pid());
    Path live = left(parent, ProcessHandle.current().pid());
    Path other = Files.createDirectory(parent.resolve("userptr-lab-swap-notapid"));

    Path mine = SwapFile.directory(parent);

    assertThat(stale).doesNotExist();
    assertThat(live.resolve("swapfile")).as("a running lab's").exists();
    assertThat(other).as("not one of a lab process's").exists();
    assertThat(mine.getFileName().toString()).startsWith("userptr-lab-swap-" + ProcessHandle.current().pid() + "-");
  }
}
