package org.userptrlab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The command line's own behaviour: help without warnings, usage errors in one line, no command is
 * a usage error, and {@code help}, {@code --version} (with the commit and the build date) and
 * {@code completion}.
 */
class CliUsageTest {
  @Test
  void exploreHelpPrintsNoFormatWarnings() throws Exception {
    // picocli reports a bad format string on the real standard error, so this takes a process of its own.
    MainProcessTest.Exit e = MainProcessTest.main("explore", "--help");
    assertThat(e.code()).isZero();
    assertThat(e.err()).isEmpty();
    assertThat(e.out()).contains("--shard=K/N", "(i mod N)");
  }

  /** A shared option a command refuses is not offered in its help, and still refused with the command's reason. */
  @Test
  void shrinkAndExploreHelpLeaveOutTheSharedOptionsTheyRefuse() {
    String shrink = CliTest.run("shrink", "--help").out();
    String explore = CliTest.run("explore", "--help").out();
    for (String refused : ShrinkCommand.REFUSED) {
      assertThat(shrink).as("shrink --help").doesNotContain(refused + "=");
    }
    for (String refused : ExploreCommand.REFUSED) {
      assertThat(explore).as("explore --help").doesNotContain(refused + "=");
    }
    assertThat(shrink).contains("--what=NAME", "--kernels=KERNEL", "--ram=SIZE");
    assertThat(explore).contains("--format=FORMAT", "--kernels=KERNEL");
    CliTest.Result r = CliTest.run("shrink", "--svg=charts", "nowhere.scenario");
    assertThat(r.code()).isEqualTo(Cli.USAGE);
    assertThat(r.err()).contains("shrink takes none of --svg");
  }

  @Test
  void picocliUsageErrorsAreOneLineWithExitTwo() {
    for (String[] args : new String[][] {{"compare", "--bogus"}, {"frobnicate"}, {"compare", "--cpus", "two"}, {"run"}}) {
      CliTest.Result r = CliTest.run(args);
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(Cli.USAGE);
      assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
      assertThat(r.err()).startsWith("userptr-lab: ").contains("--help");
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void noCommandPrintsTheUsageOnStandardErrorAndExitsTwo() {
    CliTest.Result r = CliTest.run();
    assertThat(r.code()).isEqualTo(Cli.USAGE);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("Usage: userptr-lab").contains("compare", "explore", "help", "completion");
  }

  @Test
  void helpIsACommand() {
    CliTest.Result r = CliTest.run("help", "merge");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("Usage: userptr-lab merge");
    CliTest.Result bad = CliTest.run("help", "nope");
    assertThat(bad.code()).isEqualTo(Cli.USAGE);
    assertThat(bad.err().lines().count()).as(bad.err()).isEqualTo(1);
    assertThat(bad.err()).contains("nope");
  }

  @Test
  void versionNamesTheCommitAndTheBuildDate() {
    CliTest.Result r = CliTest.run("--version");
    assertThat(r.code()).isZero();
    assertThat(r.out().lines().toList()).hasSize(2);
    assertThat(r.out().lines().toList().get(1)).matches("commit ([0-9a-f]{12}(-dirty)?|unknown), built \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(Version.commit()).isNotEmpty();
    assertThat(CliTest.run("explore", "--version").out()).isEqualTo(r.out());
  }

  @Test
  void completionPrintsABashScriptThatKnowsEveryCommand() {
    CliTest.Result r = CliTest.run("completion");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("complete -F", "userptr-lab", "explore", "merge", "--shard");
    assertThat(r.err()).isEmpty();
    // Its help names a command that exists, and it prints the same script under that name.
    CliTest.Result help = CliTest.run("help", "completion");
    java.util.regex.Matcher named = java.util.regex.Pattern.compile("Usage: userptr-lab ([a-z-]+)").matcher(help.out());
    assertThat(named.find()).as(help.out()).isTrue();
    assertThat(CliTest.run(named.group(1)).out()).isEqualTo(r.out());
  }
}
