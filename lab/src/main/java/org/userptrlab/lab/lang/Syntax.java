package org.userptrlab.lab.lang;

import java.util.List;

/**
 * The language's statements and the arguments its operations take, each as written and what it
 * means: what {@code list} documents (the operations themselves are {@link Op}'s).
 */
public final class Syntax {
  private Syntax() {}

  /** One form of the language as a line writes it, and what it means. */
  public record Form(String syntax, String doc) {}

  private static final List<Form> STATEMENTS = List.of(
      new Form("scenario NAME \"WHAT\"", "the first line: the program's name (lower-case letters, digits, '-', '_') and, "
          + "optionally, what it does"),
      new Form("machine SETTING VALUE...", "the machine the program needs, one or more settings (below); each is checked "
          + "when the program is read; what it does not set comes from the command line"),
      new Form("machine ram SIZE", "RAM: a whole number of pages, at least 4M, at most 64G"),
      new Form("machine swap SIZE", "swap: a whole number of pages, at most 64G"),
      new Form("machine cma SIZE", "a CMA region: a whole number of pages, leaving at least 2M of RAM outside it and "
          + "ZONE_MOVABLE"),
      new Form("machine movable SIZE", "ZONE_MOVABLE (movablecore=): a whole number of pages"),
      new Form("machine vram SIZE", "the GPU's own memory, registered as MEMORY_DEVICE_PRIVATE (4.14+): what the svm strategies migrate into; 0 for a GPU without"),
      new Form("machine cpus N", "CPUs: 1 to 64"),
      new Form("machine memlock SIZE", "RLIMIT_MEMLOCK of the first process"),
      new Form("machine thp MODE", "transparent huge pages for anonymous memory: always, madvise (the default) or never, as "
          + "/sys/kernel/mm/transparent_hugepage/enabled"),
      new Form("machine thp SIZE MODE", "anonymous multi-size THP (6.8) of one folio size, a power of two from 16K to 2M: always, "
          + "madvise, never or inherit (follow 'thp MODE'), as /sys/kernel/mm/transparent_hugepage/hugepages-<size>kB/enabled; each "
          + "size once. Unset, 2M inherits and the smaller sizes are never (thp 2M never thp 64K always: 64 KiB folios only)"),
      new Form("machine thp_defrag MODE", "how hard a THP fault tries when no huge page is free: always (compact and reclaim "
          + "in every fault), defer (wake kcompactd, fall back), defer+madvise, madvise (compact in MADV_HUGEPAGE regions "
          + "only) or never, as /sys/kernel/mm/transparent_hugepage/defrag; unset, the kernel's default: madvise from 4.6, "
          + "always before"),
      new Form("machine thp_zero_page on|off", "the huge zeropage for read faults of THP-eligible memory "
          + "(/sys/kernel/mm/transparent_hugepage/use_zero_page, on unless set)"),
      new Form("machine hugetlb SIZE COUNT", "a hugetlb pool of COUNT huge pages of SIZE (2M or 1G), set aside at boot, as "
          + "/sys/kernel/mm/hugepages/hugepages-<size>kB/nr_hugepages; each size a setting of its own"),
      new Form("kernel KERNEL", "the kernel the program is about (3.4, 6.12, 3.4+foll-pin); run, given no --kernels, runs its "
          + "programs on the kernels their kernel lines name, in the order of the files, each program on each of them"),
      new Form("needs PROMISE...", "the promises the program checks: a strategy that does not make them is not judged on them"),
      new Form("observe", "the harness checks the program's and the GPU's bytes against each strategy's contract and watches "
          + "for hazards by itself"),
      new Form("OPERATION ARGS", "an operation (below), its value, if any, not kept"),
      new Form("x = OPERATION ARGS", "an operation whose value is kept under the name x (lower-case letters, digits, '-', '_'), "
          + "for later lines"),
      new Form("x = try OPERATION ARGS", "the operation, whose failure does not end the program: x is set to what it came to, "
          + "OK, the errno it failed with (EINVAL) or the signal it took (SIGBUS)"),
      new Form("expect PROMISE \"WHAT\" COND [if COND]", "a check of a promise; skipped when the condition after 'if' is false"),
      new Form("check \"WHAT\" COND [if COND]", "the program's own check of the kernel, whatever the strategy promises (a "
          + "selftest's assertion): PASS or FAIL in the report's Checks table; skipped when the condition after 'if' is false"),
      new Form("check \"WHAT\" COND [if COND] xfail \"WHY\"", "a check the program expects to fail (a selftest's "
          + "ksft_test_result_xfail, a known limitation): XFAIL, saying WHY, when it does not hold, PASS when it does"),
      new Form("skip \"WHY\" if COND", "the program stops here when the condition holds, neither passing nor failing, as a "
          + "selftest skips a case"),
      new Form("hazard KIND \"DETAIL\" if COND", "the program's own observation of a hazard, when the condition holds"),
      new Form("COND and COND", "both hold (checked left to right; the first false one ends the check)"),
      new Form("not COND", "the condition does not hold"),
      new Form("A == B, A != B", "two values are (not) equal: sizes, addresses (buf+4K), results (r == EINVAL, r == OK) or "
          + "conditions; a side is a name, a number, a result's word, or an operation that gives a value (p.vm_pin == 0)"),
      new Form("A < B, A <= B, A > B, A >= B", "how two sizes stand (p.mapcount buf > 1)"),
      new Form("COND", "an operation that gives a condition, or a name set to one"),
      new Form("T: LINE", "the line runs on thread T (set by 'T = P.thread') rather than in the program's main flow; each "
          + "thread's lines run in order, and in the order written with the other threads' (the schedule), each at the time "
          + "its thread is free and no earlier than the line before"),
      new Form("repeat N ... end", "the lines up to the matching 'end' (a line of its own), N times (1 to "
          + Parser.MAX_REPEAT + "); blocks nest"),
      new Form("ADDR+SIZE, ADDR-SIZE", "an address with an offset in bytes, written out: buf+4K, buf-16 (not a name set to a size)"),
      new Form("# TEXT", "a comment, alone on its line or at the end of one"));

  private static final List<Form> ARGUMENTS = List.of(
      new Form("SIZE", "a number of bytes: decimal or 0x hex, with K, M, G or T for KiB to TiB (4096, 4K, 0x1000, 0x10K; 4KiB "
          + "alike), or a name set to a size"),
      new Form("N", "a number, as a size is written"),
      new Form("COUNT", "a number, as a size is written, or a name set to one (n = P.heap_vmas)"),
      new Form("SEED", "a number naming a byte stream: what a fill writes and a check looks for"),
      new Form("POS", "a position in a seed's stream"),
      new Form("FROM", "an offset in the object"),
      new Form("OFFSET", "an offset in the object"),
      new Form("INCREMENT", "how far sbrk moves the break, in bytes"),
      new Form("ALIGNMENT", "a power of two, in bytes"),
      new Form("BYTE", "a byte's value (its low 8 bits are stored)"),
      new Form("ADDR", "an address: a name set by malloc, memalign, mmap, mmap_file, mmap_at, mremap or sbrk, with an optional "
          + "offset"),
      new Form("DST", "the destination address"),
      new Form("OLD", "the size a mapping has now (mremap's old_len)"),
      new Form("NEW", "the size it is to have (mremap's new_len)"),
      new Form("HARD", "the hard limit, in bytes, as a size is written (the soft limit if left out)"),
      new Form("SRC", "the source address"),
      new Form("OBJ", "a GEM handle: a name set by userptr or create"),
      new Form("P", "a process: a name set by app, spawn or fork"),
      new Form("PROC", "a process: a name set by app, spawn or fork"),
      new Form("FILE", "a file: a name set by file (a disk file), tmpfile (a tmpfs file) or memfd"),
      new Form("NAME", "a name for a new process or file (lower-case letters, digits, '-', '_')"),
      new Form("PROT", "PROT_NONE, PROT_READ, PROT_WRITE, PROT_EXEC, joined with '|'"),
      new Form("FLAGS", "flags of the call, joined with '|': MAP_PRIVATE, MAP_SHARED, MAP_ANONYMOUS, MAP_LOCKED, MAP_POPULATE, "
          + "MAP_NORESERVE, MAP_HUGETLB with MAP_HUGE_2MB or MAP_HUGE_1GB (mmap), and MAP_FIXED or MAP_FIXED_NOREPLACE (mmap_at); "
          + "0 or MREMAP_MAYMOVE, MREMAP_FIXED, MREMAP_DONTUNMAP "
          + "(mremap, mremap_to); 0 or MLOCK_ONFAULT (mlock2); MCL_CURRENT, MCL_FUTURE, MCL_ONFAULT (mlockall); READ_ONLY (userptr)"),
      new Form("ADVICE", "MADV_WILLNEED, MADV_DONTNEED, MADV_DONTFORK, MADV_DOFORK, MADV_WIPEONFORK, MADV_KEEPONFORK, MADV_FREE, "
          + "MADV_REMOVE, MADV_COLD, MADV_PAGEOUT, MADV_POPULATE_READ, MADV_POPULATE_WRITE, MADV_DONTNEED_LOCKED, MADV_HUGEPAGE, "
          + "MADV_NOHUGEPAGE or MADV_COLLAPSE (each from the kernel that has it; EINVAL before; MADV_WILLNEED of anonymous memory "
          + "EBADF before 3.9)"),
      new Form("CAPABILITY", "a capability's name, such as CAP_IPC_LOCK"),
      new Form("SWITCH", "on or off"),
      new Form("PROMISE", "a promise's name (below)"),
      new Form("KIND", "a hazard kind's name (below)"),
      new Form("PIN", "pages another kernel user holds: a name set by pin, pin_fast, iouring_register or vmsplice"),
      new Form("FOLL", "the flags of a pin, joined with '|': FOLL_WRITE, FOLL_LONGTERM, FOLL_FORCE, or FOLL_PIN alone for none"),
      new Form("FLAG", "a VMA flag as smaps' VmFlags writes it: " + String.join(", ", org.userptrlab.mm.VmFlags.mnemonics().keySet())),
      new Form("TIME", "a time: a number with its unit, ns, us, ms or s (200us, 5ms), or a name set to one (t = now)"),
      new Form("AMOUNT", "how long a GPU job runs: a time (5ms), or a size (64K): as long as moving that many bytes takes at "
          + "the profile's GPU_DMA bandwidth (GPU_DMA_WRITE for a write job)"),
      new Form("ACCESS", "read or write"),
      new Form("ENGINE", "the GPU engine a job runs on: rcs0 (render, the default), bcs0 (copy), vcs0 (video) or ccs0 (compute); "
          + "an engine runs its jobs one after the other"),
      new Form("JOB", "a GPU job: a name set by gpu.submit"),
      new Form("\"WHAT\"", "a string in double quotes; \\\" \\\\ \\n \\t are a quote, a backslash, a new line and a tab"));

  /** Every statement of the language and the machine's settings, in the order a program uses them. */
  public static List<Form> statements() {
    return STATEMENTS;
  }

  /** Every argument an operation or statement names ({@link Op#argNames()}), and how it is written. */
  public static List<Form> arguments() {
    return ARGUMENTS;
  }
}
