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
  private static final String HUGE = "scenario huge\np = app app\na = p.malloc 100G\nb = p.malloc 100G\n";
  private static final String NO_PROFILE = "/nonexistent/profile.json";
  private static final String MAPPED =
      "scenario mapped\np = app app\nbuf = p.mmap 16K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\n";

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
            "program huge asks for 200G of memory in all", HUGE, "diff", "{dir}/p.scenario"),
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
        BadInput.program("diff of one file given twice", "{dir}/p.scenario is given twice; give each file once", GOOD,
            "diff", "{dir}/p.scenario", "{dir}/p.scenario"),
        BadInput.program("diff --strategies of a name no strategy has", "no strategy 'nope' on the class path", GOOD,
            "diff", "--strategies", "copy,nope", "{dir}/p.scenario"),
        BadInput.of("diff --explore -3", "--explore takes a number of programs of at least 1, not -3", "diff", "--explore", "-3"),
        // The selftests' operations: memory a file, a fixed mapping or a grown one takes counts as a malloc's does,
        // so that the real side never fills more than the model's machine has.
        BadInput.program("diff of a program whose memfd is past the model's machine", "program m asks for 1G of memory in all",
            "scenario m\nf = memfd gpu 1G\n", "diff", "{dir}/p.scenario"),
        BadInput.program("diff of a program whose tmpfile is past the model's machine", "program t asks for 1G of memory in all",
            "scenario t\nf = tmpfile scratch 1G\n", "diff", "{dir}/p.scenario"),
        BadInput.program("diff of a program whose disk file is past the model's machine", "program d asks for 2G of memory in all",
            "scenario d\nf = file data 2G 1\n", "diff", "{dir}/p.scenario"),
        BadInput.program("diff of a program whose mmap_at is past the model's machine", "program mapped asks for 1048592K",
            MAPPED + "x = p.mmap_at buf 1G PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED\n", "diff", "{dir}/p.scenario"),
        BadInput.program("diff of a program whose mremap grows past the model's machine", "program mapped asks for 1048592K",
            MAPPED + "x = p.mremap buf 16K 1G MREMAP_MAYMOVE\n", "diff", "{dir}/p.scenario"),
        // The language's new forms, as diff reads them.
        BadInput.program("diff of a program comparing a try's result with a size",
            "{dir}/p.scenario:5:16: '==' compares a result with a size; compare values of one kind",
            MAPPED + "r = try p.munmap buf 4K\ncheck \"r\" r == 4K\n", "diff", "{dir}/p.scenario"),
        BadInput.program("diff of a program whose skip has no condition", "{dir}/p.scenario:4:12: expected 'if'",
            MAPPED + "skip \"why\"\n", "diff", "{dir}/p.scenario"),
        BadInput.program("diff of a program with a try that binds no name", "{dir}/p.scenario:4:1: 'try' keeps what the operation came to under a name: write 'r = try p.munmap ...'",
            MAPPED + "try p.munmap buf 4K\n", "diff", "{dir}/p.scenario"),
        BadInput.program("diff of a program whose pin gives no FOLL flags",
            "{dir}/p.scenario:4:18: 'pin' needs 3 arguments (an address, a size, a word): P.pin ADDR SIZE FOLL",
            MAPPED + "x = p.pin buf 4K\n", "diff", "{dir}/p.scenario"),
        BadInput.program("diff of a program releasing an address, not a pin",
            "{dir}/p.scenario:4:9: 'buf' is an address, not a pin",
            MAPPED + "release buf\n", "diff", "{dir}/p.scenario"),
        BadInput.program("diff of a program truncating an address, not a file",
            "{dir}/p.scenario:4:10: 'buf' is an address, not a file", MAPPED + "truncate buf 4K\n", "diff", "{dir}/p.scenario"),
        BadInput.program("diff of a program whose mmap_at has neither MAP_FIXED nor MAP_FIXED_NOREPLACE",
            "{dir}/p.scenario:4:32: 'mmap_at' maps anonymous memory at an address: its flags need MAP_ANONYMOUS",
            MAPPED + "x = p.mmap_at buf 4K PROT_READ MAP_PRIVATE|MAP_ANONYMOUS\n", "diff", "{dir}/p.scenario"),
        BadInput.program("diff of a program whose vma_flag is no smaps mnemonic",
            "{dir}/p.scenario:4:26: 'xx' is not a word 'vma_flag' takes here", MAPPED + "check \"v\" p.vma_flag buf xx\n",
            "diff", "{dir}/p.scenario"),
        BadInput.program("diff of a program whose userptr flag is misspelt",
            "{dir}/p.scenario:4:22: 'READONLY' is not a word 'userptr' takes here; it takes READ_ONLY",
            MAPPED + "o = p.userptr buf 4K READONLY\n", "diff", "{dir}/p.scenario"));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
