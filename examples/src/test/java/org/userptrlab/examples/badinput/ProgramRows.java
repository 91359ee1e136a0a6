package org.userptrlab.examples.badinput;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows of the bad-input table: programs (each in {@code {dir}/p.scenario}) and what {@code run},
 * {@code check} and {@code diff} say of them, with the file, line and column where the program says where.
 */
final class ProgramRows {
  private ProgramRows() {}

  private static final String P = "{dir}/p.scenario";
  private static final String HEAD = "scenario x\np = app a\n";

  /** A row that runs {@code run} on a program of {@link #HEAD} and {@code body}. */
  private static BadInput run(String what, String expected, String body) {
    return BadInput.program("program: " + what, expected, HEAD + body, "run", P);
  }

  private static BadInput run(String what, String expected, byte[] bytes) {
    return BadInput.withFile("program: " + what, expected, "p.scenario", bytes, "run", P);
  }

  /** A row whose program is the whole {@code text}, under {@code command}. */
  private static BadInput whole(String what, String expected, String text, String command) {
    return BadInput.program("program: " + what, expected, text, command, P);
  }

  private static BadInput twoFiles(String what, String expected, String first, String second, String command) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("a.scenario", first.getBytes(StandardCharsets.UTF_8));
    files.put("p.scenario", second.getBytes(StandardCharsets.UTF_8));
    return new BadInput("program: " + what, List.of(command, "{dir}/a.scenario", P), files, expected);
  }

  static List<BadInput> rows() {
    return List.of(
        // A new user's slips: '=' without spaces, arithmetic, a named offset, a misspelled statement, a thread exec ended.
        run("'x=p.malloc 4K'", P + ":3:1: 'x=p.malloc': '=' goes between spaces, as in 'x = p.malloc'", "x=p.malloc 4K\n"),
        run("'buf*2' as an address", P + ":4:8: 'buf*2' is no name: a name is lower-case letters, digits, '_' and '-', "
            + "starting with a letter or '_' (the language has no parentheses and no arithmetic but ADDR+SIZE and ADDR-SIZE)",
            "buf = p.malloc 4K\np.fill buf*2 4K 1\n"),
        run("an offset that is a name set to a size", P + ":5:8: 'buf+off': an address's offset is written out in bytes "
            + "(buf+4K), not a name: 'off' is set, but an offset takes no name", "buf = p.malloc 8K\noff = p.vm_rss\n"
            + "p.fill buf+off 4K 1\n"),
        BadInput.program("program: one file given twice", P + " is given twice; give each file once", HEAD, "check", P, P),
        run("'expct' for expect", P + ":3:1: unknown operation 'expct'; did you mean 'expect'?", "expct GPU_KEEPS_SNAPSHOT \"x\" "
            + "p.alive\n"),
        run("'Check' for check", P + ":3:1: unknown operation 'Check'; did you mean 'check'?", "Check \"x\" p.alive\n"),
        run("'gpu.wiat' for gpu.wait, two letters swapped", P + ":6:1: unknown operation 'gpu.wiat'; did you mean 'wait'?",
            "buf = p.malloc 4K\nobj = p.userptr buf 4K\nj = gpu.submit obj read 1ms\ngpu.wiat j\n"),
        run("a negative time", P + ":3:4: '-1ms' is negative; a time is 0 or more", "at -1ms\n"),
        run("a negative time compared with", P + ":4:18: '-1ms' is negative; a number, size or time to compare with is 0 or more",
            "x = now\ncheck \"neg\" x >= -1ms\n"),
        run("a machine line on a thread", P + ":4:5: 'machine' starts a line of its own, and an operation goes here; a thread's "
            + "line ('t1: LINE') and a condition run operations", "t1 = p.thread\nt1: machine cpus 2\n"),
        run("'not not'", P + ":4:15: 'not' twice: an atom of a condition is negated once at most ('not p.readable buf')",
            "buf = p.malloc 4K\ncheck \"x\" not not p.readable buf\n"),
        run("a result no operation comes to", P + ":5:16: 'EFOO' is no result an operation comes to; a result is one of: OK, ",
            "buf = p.malloc 4K\nr = try p.free buf\ncheck \"x\" r == EFOO\n"),
        run("a job's time with a fraction", P + ":5:25: '1.5ms' is neither a time nor a size with its unit: a job runs for a time "
            + "(5ms, 200us; ns, us, ms or s) or as long as its bytes take (64K, 1M; K, M, G or T); a time or a size is a whole "
            + "number of its unit (1500us, not 1.5ms)", "buf = p.mmap 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\n"
            + "obj = p.userptr buf 64K\nj = gpu.submit obj read 1.5ms\n"),
        run("a thread after its process's exec", P + ":6:1: 't1' ended at line 5, where p called exec: execve leaves only the "
            + "thread that called it (de_thread); make a new one after it ('t2 = p.thread')",
            "t1 = p.thread\nb = p.malloc 4K\np.exec\nt1: p.fill b 4K 1\n"),
        run("a time with an offset", P + ":4:4: 't+1ms': a time takes no offset; write the time itself ('at 3ms'), or a name set "
            + "by now ('t = now', then 'at t')", "t = now\nat t+1ms\n"),
        run("a process before the colon", P + ":3:1: 'p' is a process, not a thread; a line runs on a thread set by P.thread "
            + "('t1 = p.thread', then 't1: p.munmap buf 4K'), and one without 'T:' on the main thread of the process it names, or, "
            + "naming none (gpu.submit, gpu.wait, at, now), on the thread of the line before it", "p: t = now\n"),
        // A line that ends too early.
        run("a line 'b =' with nothing after it", P + ":3:5: expected an operation after '='", "b =\n"),
        BadInput.program("program: 'b =' under diff", P + ":3:5: expected an operation after '='", HEAD + "b =\n", "diff", P),
        BadInput.program("program: 'b =' under check", P + ":3:5: expected an operation after '='", HEAD + "b =\n", "check", P),
        run("an expect with no condition", P + ":3:31: the line ends where a condition should be",
            "expect GPU_KEEPS_SNAPSHOT \"x\"\n"),
        run("a hazard ending in 'if'", P + ":3:30: the line ends where a condition should be", "hazard GPU_JOB_FAILED \"x\" if\n"),
        run("an operation short of arguments", P + ":3:12: 'fill' needs 3 arguments (an address, a size, a seed): "
            + "P.fill ADDR SIZE SEED", "x = p.fill\n"),
        // The machine, checked when the program is read.
        whole("machine ram 1", P + ":2:13: machine ram: ram must be a whole number of pages, at least 4 MiB: 1 byte",
            "scenario x\nmachine ram 1\np = app a\n", "run"),
        whole("machine cpus 0", P + ":2:14: machine cpus: a machine has 1 to 64 CPUs, not 0", "scenario x\nmachine cpus 0\np = app a\n", "run"),
        whole("a CMA region as large as RAM", P + ":2:21: machine cma: cma (32 MiB) plus movable (0) must leave at least 2 MiB",
            "scenario x\nmachine ram 32M cma 32M\np = app a\n", "run"),
        whole("machine swap of a page and a byte", P + ":2:14: machine swap: swap must be a whole number of pages: 4097",
            "scenario x\nmachine swap 4097\n", "check"),
        whole("machine thp with a mode sysfs does not have", P + ":2:13: 'sometimes' is not a mode of 'thp'; it takes always, "
            + "madvise or never", "scenario x\nmachine thp sometimes\np = app a\n", "run"),
        whole("machine hugetlb of a size x86-64 has not", "a hugetlb page is 2M or 1G (x86-64's sizes), not 4M",
            "scenario x\nmachine hugetlb 4M 2\np = app a\n", "run"),
        whole("machine hugetlb with no count", "'hugetlb 2M' needs a count of huge pages, as in 'hugetlb 2M 4'",
            "scenario x\nmachine hugetlb 2M\n", "run"),
        whole("machine thp_zero_page of a word it has not", P + ":2:23: 'thp_zero_page' is on or off",
            "scenario x\nmachine thp_zero_page maybe\np = app a\n", "run"),
        whole("machine hugetlb with no size", "'hugetlb' needs a huge page size and a count, as in 'hugetlb 2M 4'",
            "scenario x\nmachine hugetlb\n", "run"),
        whole("the same hugetlb size twice", P + ":2:30: 'hugetlb 2M' is set twice; it was set at line 2",
            "scenario x\nmachine hugetlb 2M 1 hugetlb 2M 2\n", "run"),
        whole("a hugetlb pool larger than RAM", "the hugetlb pool (32 MiB) must fit in ZONE_NORMAL",
            "scenario x\nmachine ram 32M hugetlb 2M 16\np = app a\n", "run"),
        run("a check's xfail with no reason", "the line ends where the reason the check is expected to fail, in double quotes (xfail \"WHY\") should be",
            "m = p.malloc 4K\ncheck \"x\" p.sees m 4K 1 xfail\n"),
        run("a check's xfail with an empty reason", "an expected failure says what it saw",
            "m = p.malloc 4K\ncheck \"x\" p.sees m 4K 1 xfail \"\"\n"),
        whole("machine thp of a size that is no power of two", P + ":2:13: '12K' is not a THP size; 'thp SIZE MODE' takes a power of "
            + "two from 16K to 2M", "scenario x\nmachine thp 12K always\np = app a\n", "run"),
        whole("machine thp of a size past the PMD's", P + ":2:13: '4M' is not a THP size", "scenario x\nmachine thp 4M always\n",
            "check"),
        whole("machine thp inherit, a size's word", P + ":2:13: 'inherit' is not a mode of 'thp'; it takes always, madvise or "
            + "never (as /sys/kernel/mm/transparent_hugepage/enabled; inherit is for a size: 'thp 64K inherit')",
            "scenario x\nmachine thp inherit\np = app a\n", "run"),
        whole("machine thp_defrag of a mode it has not", P + ":2:20: 'sometimes' is not a mode of 'thp_defrag'",
            "scenario x\nmachine thp_defrag sometimes\np = app a\n", "run"),
        whole("machine thp of a size with no mode", P + ":2:17: 'thp 64K' needs a mode: always, madvise, never or inherit",
            "scenario x\nmachine thp 64K\n", "run"),
        whole("machine thp of one size set twice", P + ":3:13: 'thp 64K' is set twice; it was set at line 2",
            "scenario x\nmachine thp 64K always\nmachine thp 64K never\np = app a\n", "diff"),
        run("populated of a size, not an address", P + ":3:23: 'x' is used before it is set",
            "check \"a\" p.populated x\n"),
        whole("machine ram past the largest machine", P + ":2:13: machine ram: ram of 128 GiB is more than the model's",
            "scenario x\nmachine ram 128G\n", "run"),
        whole("a CMA region larger than the command line's RAM", "program x: its machine settings on the command line's machine make "
            + "none the model can build: cma (100 MiB) plus movable (0) must leave at least 2 MiB of ZONE_NORMAL in 64 MiB",
            "scenario x\nmachine cma 100M\np = app a\n", "run"),
        whole("machine ram set twice", P + ":3:9: 'ram' is set twice; it was set at line 2",
            "scenario x\nmachine ram 32M\nmachine ram 64M\n", "run"),
        whole("an unknown machine setting", P + ":2:9: unknown machine setting 'rom'", "scenario x\nmachine rom 1M\n", "run"),
        whole("a machine setting with no value", P + ":2:13: 'ram' needs a value", "scenario x\nmachine ram\n", "run"),
        // Sizes.
        run("two pressures that sum past the largest number", "program x asks for 9223372036854775807 of memory in all",
            "pressure 9223372036854775807\npressure 9223372036854775807\n"),
        run("a malloc larger than the machine", "program x asks for 1G of memory in all, more than the machine's 64M",
            "b = p.malloc 1G\n"),
        run("a sum that is no whole unit", "program x asks for 102401M (about 100.0G) of memory in all",
            "b = p.malloc 100G\nc = p.malloc 1M\n"),
        whole("an mmap larger than the largest machine", "program x asks for 100G of memory in all, more than the model's largest "
            + "machine holds (64 GiB of RAM, and no swap)", "scenario x\nmachine ram 64G\np = spawn a\n"
            + "b = p.mmap 100G PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\n", "run"),
        run("a number where an address goes", P + ":3:17: '0' is not an address; an address is a name set before",
            "x = p.anon_huge 0\n"),
        run("a size past the largest number", P + ":3:14: '9223372036854775808' is too large a size",
            "b = p.malloc 9223372036854775808\n"),
        run("a size with an unknown suffix", P + ":3:14: '1Q' is not a size", "b = p.malloc 1Q\n"),
        run("a hex size with no digits", P + ":3:14: '0x' is not a size", "b = p.malloc 0x\n"),
        run("a size with a lower-case unit", P + ":3:14: '4k' is not a size; write a number of bytes, decimal or 0x hex, optionally "
            + "with K, M, G or T (4096, 4K, 1M, 0x1000, 1MiB): in a program the unit is upper case, as 4K", "b = p.malloc 4k\n"),
        run("a size in MB", P + ":3:14: '64MB' is not a size", "b = p.malloc 64MB\n"),
        // What the file holds.
        run("bytes that are not UTF-8", P + ":1:3: byte 0xc3 is not UTF-8 text", new byte[] {'s', 'c', (byte) 0xc3, '(', '\n'}),
        run("an executable's header", P + ":1:1: a control character (U+007F); a program is text",
            new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, '\n'}),
        run("a NUL byte in a line", P + ":3:11: a control character (U+0000)", "b = p.fork\0\n"),
        run("a no-break space between words", P + ":3:4: a no-break space (U+00A0); separate words with plain spaces or tabs",
            "b =\u00a0p.fork\n"),
        run("a carriage return inside a line", P + ":3:11: a carriage return (U+000D)", "b = p.fork\r# x\n"),
        run("a letter outside ASCII in a name", P + ":3:2: the character '\u00e9' (U+00E9)", "b\u00e9 = p.fork\n"),
        whole("an error after CRLF line ends", P + ":3:5: expected an operation after '='", "scenario x\r\np = app a\r\nb =\r\n",
            "run"),
        whole("an error after a byte-order mark", P + ":3:1: unknown operation 'p.frob'", "\uFEFFscenario x\np = app a\np.frob\n",
            "run"),
        BadInput.withFile("program: a file larger than 1 MiB", "{dir}/big.scenario: larger than 1 MiB, more than a program may be",
            "big.scenario", new byte[(1 << 20) + 1], "run", "{dir}/big.scenario"),
        BadInput.of("program: run /dev/zero", "/dev/zero: larger than 1 MiB, more than a program may be", "run", "/dev/zero"),
        BadInput.of("program: check a directory", "{dir} is a directory; give a program's file", "check", "{dir}"),
        BadInput.of("program: check a file that does not exist", "no file {dir}/none.scenario", "check", "{dir}/none.scenario"),
        // Strings.
        run("a bad escape in a string", P + ":3:29: '\\q' is not an escape", "expect GPU_KEEPS_SNAPSHOT \"a\\qb\" p.alive\n"),
        run("a string that does not end", P + ":3:27: a string that does not end", "expect GPU_KEEPS_SNAPSHOT \"open p.alive\n"),
        // Blocks.
        run("a repeat with no end", P + ":3:1: a 'repeat' with no 'end'", "repeat 2\np.fork\n"),
        run("an end with no repeat", P + ":3:1: an 'end' with no 'repeat' before it", "end\n"),
        run("repeat 0", P + ":3:8: repeat takes a number from 1 to 10000, not 0", "repeat 0\nend\n"),
        run("repeat 100001", P + ":3:8: repeat takes a number from 1 to 10000, not 100001", "repeat 100001\nend\n"),
        run("repeat -1", P + ":3:8: repeat takes a number from 1 to 10000, not -1", "repeat -1\nend\n"),
        run("repeat 99999999999999999999", P + ":3:8: repeat takes a number from 1 to 10000, not 99999999999999999999",
            "repeat 99999999999999999999\nend\n"),
        run("repeat by a name", P + ":3:8: repeat takes a number, not a name", "repeat n\nend\n"),
        run("nested repeats past the longest program", P + ":3:1: the repeat blocks from here make the program longer than 100000",
            "repeat 10000\nrepeat 10000\ncompact\nend\nend\n"),
        run("an error in a repeated line", P + ":4:1: p exited at line 4", "repeat 2\np.exit\nend\n"),
        // Operations, names and checks.
        run("an unknown operation of a process", P + ":3:1: unknown operation 'p.frobnicate'; a process knows: fork",
            "p.frobnicate\n"),
        run("an unknown operation of the machine", P + ":3:1: unknown operation 'frobnicate'", "frobnicate\n"),
        run("a name used before it is set", P + ":3:8: 'buf' is used before it is set", "p.fill buf 1M 1\n"),
        run("a process where an address goes", P + ":3:15: 'p' is a process, not an address", "h = p.userptr p 1M\n"),
        run("a value kept from an operation that gives none", P + ":3:5: 'exit' gives no value to set x to", "x = p.exit\n"),
        run("an operation after the process exited", P + ":4:1: p exited at line 3", "p.exit\np.fork\n"),
        run("a word of the language as a name", P + ":3:1: 'if' is a word of the language", "if = p.fork\n"),
        run("mmap flags without MAP_ANONYMOUS", P + ":3:25: 'mmap' in a program maps anonymous memory",
            "b = p.mmap 1M PROT_READ MAP_PRIVATE\n"),
        run("an unknown protection", P + ":3:15: 'PROT_FOO' is not a word 'mmap' takes here",
            "b = p.mmap 1M PROT_FOO MAP_PRIVATE|MAP_ANONYMOUS\n"),
        run("an unknown promise in expect", P + ":3:8: expected a promise, such as GPU_SEES_LATER_CPU_WRITES, found 'GPU_SEES'",
            "expect GPU_SEES \"x\" p.alive\n"),
        run("an unknown hazard kind", P + ":3:8: expected a hazard kind, such as GPU_FOLLOWS_CHILD, found 'NOPE'",
            "hazard NOPE \"x\" if p.alive\n"),
        run("a hazard without if", P + ":3:27: expected 'if'", "hazard GPU_JOB_FAILED \"x\" p.alive\n"),
        run("an expect whose check is no condition", P + ":3:31: 'fork' is not a condition",
            "expect GPU_KEEPS_SNAPSHOT \"x\" p.fork\n"),
        run("a word after a complete line", P + ":3:8: unexpected 'extra' after a complete line", "p.fork extra\n"),
        run("a header line after the first operation", P + ":3:1: 'machine' belongs in the header", "machine ram 64M\n"),
        run("a negative size", P + ":3:14: '-1' is not a size", "b = p.malloc -1\n"),
        run("an unknown capability", P + ":3:14: 'CAP_FOO' is not a word 'capability' takes here", "p.capability CAP_FOO on\n"),
        run("a capability neither on nor off", P + ":3:27: 'maybe' is not a word 'capability' takes here",
            "p.capability CAP_IPC_LOCK maybe\n"),
        run("an unknown operation of the GPU", P + ":3:5: unknown operation 'gpu.frob'; the GPU knows: sees", "x = gpu.frob\n"),
        run("an address offset with no size", P + ":4:17: '' is not a size", "b = p.malloc 4K\nh = p.userptr b+ 4K\n"),
        run("a file name with a dot", P + ":3:10: expected a name for the file", "f = file img.raw 1M 5\n"),
        run("one argument too many", P + ":3:29: unexpected '64K' after a complete line", "p.setrlimit_memlock 64K 64K 64K\n"),
        run("an import with no range", P + ":3:15: 'userptr' needs 2 or 3 arguments (an address, a size, a word): "
            + "P.userptr ADDR SIZE [FLAGS]", "o = p.userptr\n"),
        run("an import with a flag no driver has", P + ":4:20: 'WRITE_ONLY' is not a word 'userptr' takes here; it takes READ_ONLY",
            "b = p.malloc 4K\no = p.userptr b 4K WRITE_ONLY\n"),
        // Failures as values, checks and skips.
        run("'try' with no operation", P + ":3:9: expected an operation after 'try'", "r = try\n"),
        run("a result compared with a size", P + ":4:16: '==' compares a result with a size; compare values of one kind",
            "r = try p.exit\ncheck \"x\" r == 4K\n"),
        run("an address ordered by '<'", P + ":4:13: an address is only equal (==) or not (!=) to another, not '<'",
            "b = p.malloc 4K\ncheck \"x\" b < b\n"),
        run("a check with no description", P + ":3:7: expected what is checked, in double quotes, found 'p.alive'", "check p.alive\n"),
        run("a skip with no 'if'", P + ":3:10: expected 'if'", "skip \"x\" p.alive\n"),
        run("a size that is not a condition", P + ":3:11: 'vm_pin' is not a condition", "check \"x\" p.vm_pin\n"),
        run("a pin with a flag GUP keeps to itself", P + ":4:16: 'FOLL_GET' is not a word 'pin' takes here",
            "b = p.malloc 4K\nx = p.pin b 4K FOLL_GET\n"),
        run("an smaps flag that does not exist", P + ":4:24: 'zz' is not a word 'vma_flag' takes here",
            "b = p.malloc 4K\ncheck \"x\" p.vma_flag b zz\n"),
        // The header.
        whole("a word after the description", P + ":1:16: unexpected 'extra' after a complete line", "scenario x \"d\" extra\n", "run"),
        whole("a word after observe", P + ":2:9: unexpected 'now' after a complete line", "scenario x\nobserve now\n", "run"),
        whole("an empty file", P + ":1: an empty program", "", "run"),
        whole("no scenario line first", P + ":1:1: the program must start with 'scenario NAME", "p = app a\n", "run"),
        whole("two scenario lines", P + ":2:1: a second 'scenario' line", "scenario x\nscenario y\n", "run"),
        whole("a scenario name in capitals", P + ":1:10: expected the scenario's name", "scenario My-Program\n", "run"),
        whole("a kernel older than the model", P + ":2:8: kernel 2.6 is older than the model follows", "scenario x\nkernel 2.6\n",
            "run"),
        whole("a kernel change that does not exist", P + ":2:8: '5.10+nope': no kernel change named 'nope'",
            "scenario x\nkernel 5.10+nope\n",
            "check"),
        whole("an unknown promise in needs", P + ":2:7: expected a promise, found 'EVERYTHING'", "scenario x\nneeds EVERYTHING\n",
            "run"),
        whole("needs with no promise", P + ":2:7: 'needs' names at least one promise", "scenario x\nneeds\n", "check"),
        run("repeat blocks 65 deep", P + ":68:1: repeat blocks nest at most 64 deep",
            "buf = p.malloc 4K\n" + "repeat 1\n".repeat(65) + "p.fill buf 4K 1\n" + "end\n".repeat(65)),
        run("a job of more bytes than any", P + ":5:25: '2T' is more than a job moves; a job moves at most 1T",
            "buf = p.malloc 4K\nobj = p.userptr buf 4K\nj = gpu.submit obj read 2T\n"),
        run("a job's time in hours", P + ":5:25: '5h' is neither a time nor a size with its unit: a job runs for a time (5ms, "
            + "200us; ns, us, ms or s)", "buf = p.malloc 4K\nobj = p.userptr buf 4K\nj = gpu.submit obj read 5h\n"),
        run("a thread of one process running another's call", P + ":6:5: 't1' is a thread of c; it runs c's calls, not p's",
            "c = p.fork\nt1 = c.thread\nbuf = p.malloc 4K\nt1: p.fill buf 4K 1\n"),
        run("a comparison with no relation", P + ":3:21: '=<' is not a comparison; compare", "check \"x\" p.stalled =< 1ms\n"),
        run("a thread's line with no space after its colon", P + ":4:1: a space goes after 't1:', as in 't1: p.alive'",
            "t1 = p.thread\nt1:p.alive\n"),
        run("a thread's name apart from its colon", P + ":4:4: no space goes before the colon", "t1 = p.thread\nt1 : p.alive\n"),
        run("a repeat block on a thread", P + ":4:5: a thread runs one line, not a block", "t1 = p.thread\nt1: repeat 2\nend\n"),
        run("a number of 100,000 digits", "...' (100000 characters)", "buf = p.malloc 4K\np.fill buf 4K " + "1".repeat(100_000) + "\n"),
        // More than one file.
        twoFiles("two programs of one name", "has the name of an earlier program", HEAD, HEAD, "run"),
        twoFiles("check of two programs of one name", "has the name of an earlier program", HEAD, HEAD, "check"),
        twoFiles("check of a good file and a bad one", P + ":3:5: expected an operation after '='", HEAD, HEAD + "b =\n", "check"));
  }
}
