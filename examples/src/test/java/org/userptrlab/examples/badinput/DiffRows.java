package org.userptrlab.examples.badinput;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Rows of the bad-input table for {@code diff}: programs the model's machine cannot hold (refused
 * as {@code run} refuses them, before either side runs), options that need another, and files
 * that are not there or not what they should be.
 */
final class DiffRows {
  private DiffRows() {}

  private static final String GOOD = "scenario good\np = app app\nbuf = p.malloc 4K\n";
  private static final String BIG = "scenario big\np = app app\nbuf = p.malloc 1G\n";
  private static final String SMALL = "scenario small\nmachine ram 16M\np = app app\nbuf = p.malloc 32M\n";
  private static final String WIDE = "scenario wide\np = app app\nbuf = p.mmap 2G PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\n";
  private static final String ALIGNED = "scenario aligned\np = app app\nbuf = p.memalign 4K 128M\n";
  private static final String HUGE = "scenario huge\np = app app\na = p.malloc 100T\nb = p.malloc 100T\n";
  private static final String NO_PROFILE = "/nonexistent/profile.json";

  static List<BadInput> rows() {
    return List.of(
        BadInput.program("diff of a program asking for more memory than the model's machine has",
            "asks for 1G of memory in all, more than the machine's 64M of RAM and swap; give it 'machine ram ...'", BIG,
            "diff", "{dir}/p.scenario"),
        BadInput.program("diff of a program asking for more than its own 'machine ram'",
            "program small asks for 32M of memory in all, more than the machine's 16M", SMALL, "diff", "{dir}/p.scenario"),
        BadInput.program("diff of a program whose mmap is past the model's machine", "program wide asks for 2G", WIDE,
            "diff", "{dir}/p.scenario"),
        BadInput.program("diff of a program whose memalign is past the model's machine", "program aligned asks for 128M", ALIGNED,
            "diff", "{dir}/p.scenario"),
        BadInput.program("diff of a program whose mallocs add up past any machine the model makes",
            "program huge asks for 200T of memory in all", HUGE, "diff", "{dir}/p.scenario"),
        BadInput.program("diff --timing of a program too big for the model's machine", "program big asks for 1G", BIG,
            "diff", "--timing", "{dir}/p.scenario"),
        BadInput.program("diff --format json of a program too big for the model's machine", "program big asks for 1G", BIG,
            "diff", "--format", "json", "{dir}/p.scenario"),
        new BadInput("diff of a good program, then one too big for the model's machine",
            List.of("diff", "{dir}/a.scenario", "{dir}/b.scenario"), Map.of("a.scenario", bytes(GOOD), "b.scenario", bytes(BIG)),
            "program big asks for 1G"),
        BadInput.program("diff --profile-file without --timing",
            "--profile-file prints each run's predicted cost beside the times of --timing: give --timing too", GOOD,
            "diff", "--profile-file", "{dir}/p.scenario", "{dir}/p.scenario"),
        BadInput.of("diff --catalogue --profile-file without --timing", "give --timing too",
            "diff", "--catalogue", "--profile-file", NO_PROFILE),
        BadInput.program("diff --format json --profile-file without --timing", "give --timing too", GOOD,
            "diff", "--format", "json", "--profile-file", NO_PROFILE, "{dir}/p.scenario"),
        BadInput.program("diff --timing --profile-file of a file that is not there", "no profile file " + NO_PROFILE, GOOD,
            "diff", "--timing", "--profile-file", NO_PROFILE, "{dir}/p.scenario"),
        BadInput.program("diff --timing --profile-file of a file that is not JSON", "{dir}/p.scenario is not JSON", GOOD,
            "diff", "--timing", "--profile-file", "{dir}/p.scenario", "{dir}/p.scenario"),
        BadInput.of("diff of a directory", "{dir} is a directory; give a program's file", "diff", "{dir}"),
        BadInput.program("diff --strategies of a name no strategy has", "no strategy 'nope' on the class path", GOOD,
            "diff", "--strategies", "copy,nope", "{dir}/p.scenario"),
        BadInput.of("diff --explore -3", "--explore takes a number of programs of at least 1, not -3", "diff", "--explore", "-3"));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
