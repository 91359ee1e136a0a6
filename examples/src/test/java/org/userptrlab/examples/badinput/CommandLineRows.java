package org.userptrlab.examples.badinput;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Rows of the bad-input table: options and their values, for every command. */
final class CommandLineRows {
  private CommandLineRows() {}

  static List<BadInput> rows() {
    List<BadInput> rows = new ArrayList<>(List.of(
        BadInput.of("run --suite nope", "--suite: no suite 'nope'; there is kernel-selftests", "run", "--suite", "nope"),
        BadInput.of("run with neither a file nor a suite", "run takes program files, a suite (--suite kernel-selftests), or both", "run"),
        BadInput.of("diff --suite nope", "--suite: no suite 'nope'; there is kernel-selftests", "diff", "--suite", "nope"),
        BadInput.of("diff --suite with --catalogue", "mutually exclusive", "diff", "--suite", "kernel-selftests", "--catalogue"),
        BadInput.of("compare --strategies nope", "no strategy 'nope' on the class path; there are", "compare", "--strategies", "nope"),
        BadInput.of("compare --profiles nope", "no platform profile 'nope'; there are exynos4-2012", "compare", "--profiles", "nope"),
        BadInput.of("sweep --from 0", "--from must be at least 1 byte", "sweep", "--from", "0"),
        BadInput.of("sweep --from 64K --to 4K", "--from (64 KiB) must not be larger than --to (4 KiB)", "sweep", "--from", "64K", "--to", "4K"),
        BadInput.of("sweep --from 4611686018427387904", "must not be larger than --to", "sweep", "--from", "4611686018427387904"),
        BadInput.of("sweep --to 4611686018427387904", "--to must be at most 1G", "sweep", "--to", "4611686018427387904"),
        BadInput.of("sweep --to 2G", "--to must be at most 1G", "sweep", "--to", "2G"),
        BadInput.of("sweep --from 99999999999999999999", "too large a size", "sweep", "--from", "99999999999999999999"),
        BadInput.of("sweep --from 16E", "is not a size", "sweep", "--from", "16E"),
        BadInput.of("sweep --strategies copy", "give at least two to --strategies", "sweep", "--strategies", "copy"),
        BadInput.of("compare --strategies ,", "--strategies needs a comma-separated list of names", "compare", "--strategies", ","),
        BadInput.of("compare --strategies copy,,steal", "without empty ones", "compare", "--strategies", "copy,,steal"),
        BadInput.of("compare --profiles ,", "--profiles needs a comma-separated list of names", "compare", "--profiles", ","),
        BadInput.of("compare --kernels ,", "a list of kernels has no empty item: ',' ends in a comma", "compare", "--kernels", ","),
        BadInput.of("compare --kernels 3.4,", "a list of kernels has no empty item: '3.4,' ends in a comma", "compare", "--kernels", "3.4,"),
        BadInput.of("compare --kernels 3.4,6.12,", "'6.12,' ends in a comma", "compare", "--kernels", "3.4,6.12,"),
        BadInput.of("compare --kernels 3.99", "there was no Linux 3.99: 3.x ended at 3.19, followed by 4.0", "compare", "--kernels",
            "3.99"),
        BadInput.of("compare --kernels 4.21", "userptr-lab: --kernels: there was no Linux 4.21: 4.x ended at 4.20", "compare",
            "--kernels", "4.21"),
        BadInput.of("compare --strategies copy,", "--strategies needs a comma-separated list of names, without empty ones", "compare",
            "--strategies", "copy,"),
        BadInput.of("compare --scenarios heap-growth,", "--scenarios needs a comma-separated list of names, without empty ones", "compare",
            "--scenarios", "heap-growth,"),
        BadInput.of("compare --profiles exynos4-2012,", "--profiles needs a comma-separated list of names, without empty ones", "compare",
            "--profiles", "exynos4-2012,"),
        BadInput.of("diff --strategies copy,", "without empty ones", "diff", "--catalogue", "--strategies", "copy,"),
        BadInput.of("explore --shard 3/2", "--shard must be K/N with 1 <= K <= N, such as 2/8: 3/2", "explore", "--shard", "3/2"),
        BadInput.of("explore --shard x", "--shard must be K/N", "explore", "--shard", "x"),
        BadInput.of("explore --programs 0", "--programs must be at least 1: 0", "explore", "--programs", "0"),
        BadInput.of("show nope", "no scenario 'nope' in the catalogue, nor a case of kernel-selftests ('list' names", "show", "nope"),
        BadInput.of("run /nonexistent/x.scenario", "no file /nonexistent/x.scenario", "run", "/nonexistent/x.scenario"),
        BadInput.of("run of a catalogue scenario's name", "no file fork-then-parent-writes; fork-then-parent-writes is a scenario of "
            + "the catalogue: 'compare --scenarios fork-then-parent-writes' runs it", "run", "fork-then-parent-writes"),
        BadInput.of("help nosuch", "userptr-lab: no command 'nosuch'; the commands are list, check, compare", "help", "nosuch"),
        BadInput.of("show --format json NAME", "userptr-lab: unknown option '--format' (see 'userptr-lab show --help')", "show",
            "--format", "json", "fork-then-parent-writes"),
        BadInput.of("shrink /nonexistent/x.scenario", "no file /nonexistent/x.scenario", "shrink", "/nonexistent/x.scenario"),
        BadInput.of("shrink with no file", "missing 'FILE'", "shrink"),
        BadInput.program("shrink --svg", "shrink takes none of --svg, --profiles and --profile-file", "scenario x\np = app a\n", "shrink",
            "{dir}/p.scenario", "--svg", "{dir}/svg"),
        BadInput.program("shrink of a program with a bad line", "{dir}/p.scenario:3:5: ", "scenario x\np = app a\nb = p.frob\n",
            "shrink", "{dir}/p.scenario"),
        BadInput.of("explore --corpus /nonexistent", "--corpus: /nonexistent is not a directory", "explore", "--corpus", "/nonexistent"),
        BadInput.of("explore --corpus ''", "--corpus needs a directory name, not ''", "explore", "--corpus", ""),
        BadInput.program("shrink --what of a name that is no failure", "--what: 'NOPE' is not a promise or a hazard",
            "scenario x\np = app a\n", "shrink", "{dir}/p.scenario", "--what", "NOPE"),
        BadInput.program("shrink --format json", "shrink prints a program, in no --format", "scenario x\np = app a\n", "shrink",
            "{dir}/p.scenario", "--format", "json"),
        BadInput.of("diff /nonexistent/x.scenario", "no file /nonexistent/x.scenario", "diff", "/nonexistent/x.scenario"),
        BadInput.of("diff --explore 0", "--explore takes a number of programs of at least 1, not 0", "diff", "--explore", "0"),
        BadInput.of("diff --catalogue --strategies nope", "no strategy 'nope' on the class path", "diff", "--catalogue", "--strategies", "nope"),
        BadInput.of("calibrate --out /nonexistent/dir/host.json", "no directory /nonexistent/dir", "calibrate", "--out", "/nonexistent/dir/host.json"),
        BadInput.of("calibrate --out -", "--out - would be standard output; calibrate writes the profile to a file", "calibrate", "--out", "-"),
        BadInput.of("calibrate --out DIR/new/", "--out {dir}/new/ names a directory", "calibrate", "--out", "{dir}/new/"),
        BadInput.of("compare --profile-file /nonexistent/host.json", "no profile file /nonexistent/host.json", "compare", "--profile-file", "/nonexistent/host.json"),
        BadInput.of("merge /nonexistent", "merge: /nonexistent does not exist", "merge", "/nonexistent"),
        BadInput.of("compare --eras ,", "a list of kernels has no empty item", "compare", "--eras", ","),
        BadInput.of("compare --kernels 3.4,,6.12", "'' is not a kernel release; write it as major.minor, such as 5.10", "compare", "--kernels", "3.4,,6.12"),
        BadInput.of("compare --kernels 2.6", "kernel 2.6 is older than the model follows; the oldest is 3.0", "compare", "--kernels", "2.6"),
        BadInput.of("compare --strategies copy,copy", "strategy copy is named twice", "compare", "--strategies", "copy,copy"),
        BadInput.of("compare --kernels 3.4,3.4", "is named twice", "compare", "--kernels", "3.4,3.4"),
        BadInput.of("compare --kernels 6.12,6.12+foll-pin (a change the release has)", "kernel 6.12 is named twice; name each "
            + "kernel once (a +change the release already has, or a -change it lacks, leaves the release as it is)", "compare",
            "--kernels", "6.12,6.12+foll-pin"),
        BadInput.of("compare --profiles exynos4-2012,exynos4-2012", "profile exynos4-2012 is named twice", "compare", "--profiles", "exynos4-2012,exynos4-2012"),
        BadInput.of("compare --scenarios nope", "no scenario 'nope'; there are texture-upload-loop", "compare", "--scenarios", "nope"),
        BadInput.of("compare --scenarios heap-growth,heap-growth", "names a scenario twice", "compare", "--scenarios", "heap-growth,heap-growth"),
        BadInput.of("compare --ram 1X", "'1X' is not a size", "compare", "--ram", "1X"),
        BadInput.of("compare --ram 3M", "ram must be a whole number of pages, at least 4 MiB", "compare", "--ram", "3M"),
        BadInput.of("compare --ram 4097", "ram must be a whole number of pages", "compare", "--ram", "4097"),
        BadInput.of("compare --ram 1T", "more than the model's largest machine", "compare", "--ram", "1T"),
        BadInput.of("compare --swap 1T", "more than the model's largest swap device", "compare", "--swap", "1T"),
        BadInput.of("compare --thp sometimes", "--thp: 'sometimes' is not a THP mode; the modes are always, madvise and never",
            "compare", "--thp", "sometimes"),
        BadInput.of("compare --thp never,never", "--thp: 'never' is given twice", "compare", "--thp", "never,never"),
        BadInput.of("run --thp never,always", "--thp: this command runs under one mode of transparent huge pages; several "
            + "(never,always) are for compare", "run", "--suite", "kernel-selftests", "--thp", "never,always"),
        BadInput.of("compare --cpus 0", "a machine has 1 to 64 CPUs", "compare", "--cpus", "0"),
        BadInput.of("compare --cpus 65", "a machine has 1 to 64 CPUs", "compare", "--cpus", "65"),
        BadInput.of("compare --cpus two", "--cpus: 'two' is not a whole number", "compare", "--cpus", "two"),
        BadInput.of("compare --memlock=-5", "'-5' is not a size", "compare", "--memlock=-5"),
        BadInput.of("compare --threads 0", "threads must be at least 1", "compare", "--threads", "0"),
        BadInput.of("compare --cpus of 20 digits", "'99999999999999999999' is not a whole number of at most 2147483647",
            "compare", "--cpus", "99999999999999999999"),
        BadInput.of("compare --notifier-policy", "no notifier policy 'amdkfd'; there are i915 (wait for the job) and xe-lr (preempt it)",
            "compare", "--notifier-policy", "amdkfd"),
        BadInput.of("compare --format xml", "--format takes one of table, markdown, csv, json, junit, not 'xml'", "compare", "--format", "xml"),
        BadInput.of("compare --seed abc", "--seed: 'abc' is not a whole number of at most 9223372036854775807", "compare", "--seed", "abc"),
        BadInput.of("compare --bogus", "unknown option '--bogus'", "compare", "--bogus"),
        BadInput.of("compare with a stray word", "userptr-lab: unexpected argument 'stray' (see 'userptr-lab compare --help')",
            "compare", "stray"),
        BadInput.of("calibrate --rounds with no value", "userptr-lab: --rounds needs a value (N)", "calibrate", "--rounds"),
        BadInput.of("frobnicate", "no command 'frobnicate'; the commands are ", "frobnicate"),
        BadInput.of("diff with nothing to run, without picocli's 'Error: '", "userptr-lab: give one of these: (FILE... | --catalogue", "diff"),
        BadInput.of("compare --sweep-to 2G", "--sweep-to must be at most 1G", "compare", "--sweep-to", "2G"),
        BadInput.of("compare --sweep-from 0", "--sweep-from must be at least 1 byte", "compare", "--sweep-from", "0")));
    // A plain file where a directory must be, or must be made.
    byte[] plain = "x".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    rows.add(new BadInput("compare --svg {dir}/f/sub", List.of("compare","--svg","{dir}/f/sub"), Map.of("f", plain), "cannot create the directory"));
    rows.add(new BadInput("compare --out {dir}/f", List.of("compare","--out","{dir}/f"), Map.of("f", plain), "a file of that name is in the way"));
    // A program file given to a command of the catalogue's scenarios: where it goes instead.
    rows.add(new BadInput("compare FILE", List.of("compare", "{dir}/p.scenario"), Map.of("p.scenario", plain),
        "userptr-lab: compare takes no program file ('{dir}/p.scenario'): 'userptr-lab run {dir}/p.scenario' runs one"));
    rows.add(new BadInput("diff --catalogue FILE", List.of("diff", "--catalogue", "{dir}/p.scenario"), Map.of("p.scenario", plain),
        "userptr-lab: diff takes program files or one of --catalogue, --explore, --suite, not both ('{dir}/p.scenario' came with "
            + "one of them)"));
    // Files that are not programs, said as what they are.
    rows.add(BadInput.of("check ''", "'' is not a file name; give a program's file", "check", ""));
    rows.add(BadInput.of("run DIR", "{dir} is a directory; give a program's file", "run", "{dir}"));
    rows.add(BadInput.of("compare --profile-file DIR", "{dir} is a directory, not a profile file", "compare", "--profile-file", "{dir}"));
    rows.add(BadInput.of("compare --profile-file ''", "a profile file needs a name, not ''", "compare", "--profile-file", ""));
    rows.add(BadInput.of("compare --profile-file /dev/null", "/dev/null is not a regular file, not a profile file", "compare",
        "--profile-file", "/dev/null"));
    rows.add(BadInput.of("compare --ram 0 names the option", "--ram must be a whole number of pages", "compare", "--ram", "0"));
    return rows;
  }
}
