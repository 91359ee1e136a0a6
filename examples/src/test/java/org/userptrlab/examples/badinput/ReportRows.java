package org.userptrlab.examples.badinput;

import java.util.List;

/** Rows of the bad-input table: the report commands' own values (--fail-on, --format junit, calibrate, sweep, timeline). */
final class ReportRows {
  private ReportRows() {}

  private static final String BROKEN_PROGRAM = "scenario p\np = app a\nb = p.malloc 64K\np.fill b 64K 1\nh = p.userptr b 64K\n";

  static List<BadInput> rows() {
    return List.of(
        BadInput.of("explore --format junit", "--format junit is for run and compare", "explore", "--programs", "1", "--format", "junit"),
        BadInput.of("compare --fail-on nope", "--fail-on takes broken, hazard, error, check or refused, comma-separated, not 'nope'",
            "compare", "--fail-on", "nope"),
        BadInput.of("compare --fail-on broken,broken", "--fail-on names broken twice", "compare", "--fail-on", "broken,broken"),
        BadInput.of("compare --fail-on ,", "--fail-on takes broken, hazard, error, check or refused, comma-separated, not ''", "compare", "--fail-on", ","),
        BadInput.of("compare --fail-on '' (empty)", "--fail-on takes broken, hazard, error, check or refused", "compare", "--fail-on", ""),
        BadInput.of("compare --fail-on broken,,error", "not ''", "compare", "--fail-on", "broken,,error"),
        BadInput.program("run --fail-on hazards (a plural)", "--fail-on takes broken, hazard, error, check or refused, comma-separated, not 'hazards'",
            BROKEN_PROGRAM, "run", "--fail-on", "hazards", "{dir}/p.scenario"),
        BadInput.program("run --fail-on with a bad value before the programs are read", "not 'x'", "scenario p\nb =\n",
            "run", "--fail-on", "broken,x", "{dir}/p.scenario"),
        BadInput.of("sweep --format junit", "--format junit is for run and compare, whose runs become test cases; sweep writes",
            "sweep", "--format", "junit"),
        BadInput.of("timeline --format junit", "--format junit is for run and compare, whose runs become test cases; timeline writes table, markdown, csv or json", "timeline", "--format", "JUNIT"),
        BadInput.of("calibrate --rounds 0", "--rounds takes a whole number from 1 to 20, not '0'", "calibrate", "--rounds", "0"),
        BadInput.of("calibrate --rounds 21", "--rounds takes a whole number from 1 to 20, not '21'", "calibrate", "--rounds", "21"),
        BadInput.of("calibrate --rounds -1", "--rounds takes a whole number from 1 to 20, not '-1'", "calibrate", "--rounds=-1"),
        BadInput.of("calibrate --rounds five", "--rounds takes a whole number from 1 to 20, not 'five'", "calibrate", "--rounds", "five"),
        BadInput.of("calibrate --rounds 99999999999", "not '99999999999'", "calibrate", "--rounds", "99999999999"),
        BadInput.of("calibrate --out '' (no file name)", "--out needs a file name", "calibrate", "--out", ""),
        BadInput.of("calibrate --out naming a directory", "--out {dir} is a directory; give the profile's file name",
            "calibrate", "--out", "{dir}"),
        BadInput.withFile("calibrate --out under a file", "--out {dir}/f/host.json: {dir}/f is a file, not a directory",
            "f", new byte[0], "calibrate", "--out", "{dir}/f/host.json"),
        BadInput.withFile("compare --profile-file with a negative figure",
            "{dir}/h.json: the figure for FAULT is -5; a figure is a number of zero or more", "h.json",
            "{\"name\": \"h\", \"figures\": {\"FAULT\": {\"value\": -5}}}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "compare", "--profile-file", "{dir}/h.json"),
        BadInput.withFile("compare --profile-file with a figure that is text",
            "{dir}/h.json: the figure for PAGE_ALLOC_RECENT is \"780\", not a number of ns; correct it, or calibrate again", "h.json",
            "{\"name\": \"h\", \"figures\": {\"PAGE_ALLOC_RECENT\": {\"value\": \"780\"}}}".getBytes(
                java.nio.charset.StandardCharsets.UTF_8), "compare", "--profile-file", "{dir}/h.json"),
        BadInput.withFile("compare --profile-file with a figure without its value",
            "{dir}/h.json: the figure for FAULT has no \"value\" (calibrate writes a whole profile)", "h.json",
            "{\"name\": \"h\", \"figures\": {\"FAULT\": {\"unit\": \"ns\"}}}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "compare", "--profile-file", "{dir}/h.json"),
        BadInput.of("compare --eras 3.4 --kernels 3.4 (the old name and the new)", "is named twice",
            "compare", "--kernels", "3.4", "--eras", "3.4"),
        BadInput.of("timeline --kernels 6.12,6.12", "is named twice", "timeline", "--kernels", "6.12,6.12"),
        BadInput.of("timeline --eras , (the hidden old name)", "a list of kernels has no empty item", "timeline", "--eras", ","),
        BadInput.of("sweep --kernels 3.4,3.4", "is named twice", "sweep", "--kernels", "3.4,3.4"),
        BadInput.of("timeline --scenarios nope", "no scenario 'nope'; there are", "timeline", "--scenarios", "nope"),
        BadInput.of("timeline --scenarios heap-growth,heap-growth", "names a scenario twice", "timeline", "--scenarios",
            "heap-growth,heap-growth"),
        BadInput.of("timeline --strategies nope", "no strategy 'nope' on the class path", "timeline", "--strategies", "nope"),
        BadInput.of("sweep --strategies copy,nope", "no strategy 'nope' on the class path", "sweep", "--strategies", "copy,nope"),
        BadInput.of("sweep --strategies steal,steal", "strategy steal is named twice", "sweep", "--strategies", "steal,steal"),
        BadInput.of("sweep --profiles nope", "no platform profile 'nope'", "sweep", "--profiles", "nope"),
        BadInput.of("timeline --threads 0", "threads must be at least 1", "timeline", "--threads", "0"),
        BadInput.of("timeline --profile-file /nonexistent/host.json", "no profile file /nonexistent/host.json",
            "timeline", "--profile-file", "/nonexistent/host.json"),
        BadInput.of("compare --sweep-from 64K --sweep-to 4K", "--sweep-from (64 KiB) must not be larger than --sweep-to (4 KiB)",
            "compare", "--sweep-from", "64K", "--sweep-to", "4K"),
        BadInput.of("sweep --ram 3M", "ram must be a whole number of pages, at least 4 MiB", "sweep", "--ram", "3M"));
  }
}
