package org.userptrlab.lab.lang;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random valid programs from the language's operations, weighted toward what matters around an
 * import: fork, exec and exit, writes before and after, free and reuse, munlock, mprotect,
 * madvise, memory pressure, compaction, CMA, more imports, GPU reads and writes. Buffers are up
 * to 64 pages. The same seed gives the same program.
 */
public final class Generator {
  private final SplittableRandom rnd;
  private final List<String> lines = new ArrayList<>();
  private final List<String> procs = new ArrayList<>();
  private final List<String[]> bufs = new ArrayList<>();
  private final List<String> objs = new ArrayList<>();
  /** The buffers each child maps: those the parent had, without MADV_DONTFORK, when it forked. */
  private final java.util.Map<String, java.util.Set<String>> maps = new java.util.HashMap<>();
  private final java.util.Set<String> dontfork = new java.util.HashSet<>();
  private int names;
  private boolean cma;
  private boolean thp;
  /** A machine with a hugetlb pool: one buffer may be a MAP_HUGETLB mapping (freed with munmap). */
  private boolean hugetlb;
  private boolean hugetlbMapped;
  /** The program's second thread, once made, and the job it left running, if any. */
  private String thread;
  private String job;

  private Generator(long seed) {
    this.rnd = new SplittableRandom(seed);
  }

  /** A program of about {@code steps} operations after the import, as text, named {@code name}. */
  public static String generate(String name, long seed, int steps) {
    return new Generator(seed).program(name, steps);
  }

  private String program(String name, int steps) {
    lines.add("scenario " + name + " \"a generated program\"");
    cma = rnd.nextInt(4) == 0;
    thp = rnd.nextInt(4) == 0;
    hugetlb = rnd.nextInt(6) == 0;
    // A machine small next to the buffers, so that pressure and CMA reach them and every step is
    // cheap to check; with a CMA region, one that holds half the memory, so that user pages land in it.
    // With THP always, room for a few 2 MiB buffers, aligned or not, so that THPs are faulted, split and pinned;
    // with a hugetlb pool, three huge pages (a buffer's, and two for the copies COW takes after fork; a third is SIGBUS) and
    // RAM enough besides them for a THP buffer and its copies.
    boolean large = thp || hugetlb;
    String machine = hugetlb ? "machine ram 18M swap 8M" : thp ? "machine ram 12M swap 8M" : "machine ram 4M swap 8M";
    lines.add(machine + (cma ? large ? " cma 4M" : " cma 2M" : "") + (thp ? " thp always" : "") + (hugetlb ? " hugetlb 2M 3" : ""));
    lines.add("observe");
    lines.add("");
    lines.add("p = app app");
    procs.add("p");
    String buf = malloc("p");
    fill("p", buf);
    userptr("p", buf);
    for (int i = 0; i < steps; i++) {
      step();
    }
    return String.join("\n", lines) + "\n";
  }

  private String fresh(String prefix) {
    return prefix + (++names);
  }

  private long pages() {
    return 1 + rnd.nextInt(64);
  }

  private String malloc(String p) {
    String b = fresh("buf");
    boolean aligned = rnd.nextBoolean();
    if (hugetlb && !hugetlbMapped && rnd.nextInt(3) == 0) {
      // A huge page of the pool, mapped whole: its buffer goes with munmap, not free.
      hugetlbMapped = true;
      lines.add(b + " = " + p + ".mmap 2M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB");
      bufs.add(new String[] {b, Long.toString(2L << 20), p, "true", "hugetlb"});
      return b;
    }
    if (thp && rnd.nextInt(3) == 0) {
      // A THP-sized buffer: 2 MiB-aligned (one THP) or not (a THP only where an aligned 2 MiB fits).
      long size = aligned ? 2L << 20 : (2L << 20) + pages() * 4096;
      lines.add(b + " = " + p + (aligned ? ".memalign 2M " : ".malloc ") + Printer.size(size));
      bufs.add(new String[] {b, Long.toString(size), p, Boolean.toString(aligned), aligned ? "thp" : "heap"});
      return b;
    }
    long size = pages() * 4096 - (aligned || rnd.nextBoolean() ? 0 : 16 * (1 + rnd.nextInt(8)));
    lines.add(b + " = " + p + (aligned ? ".memalign 4K " : ".malloc ") + Printer.size(size));
    bufs.add(new String[] {b, Long.toString(size), p, Boolean.toString(aligned), "heap"});
    return b;
  }

  private long size(String buf) {
    for (String[] b : bufs) {
      if (b[0].equals(buf)) {
        return Long.parseLong(b[1]);
      }
    }
    throw new IllegalStateException(buf);
  }

  private void fill(String p, String buf) {
    lines.add(p + ".fill " + buf + " " + Printer.size(size(buf)) + " " + (1 + rnd.nextInt(9)));
  }

  private void userptr(String p, String buf) {
    String o = fresh("obj");
    lines.add(o + " = " + p + ".userptr " + buf + " " + Printer.size(size(buf)));
    objs.add(o);
  }

  /**
   * What splits, collapses or drops part of a large folio, on a 2 MiB-aligned THP buffer or a hugetlb one
   * of the program's: one page write-protected and back (the PMD split), MADV_COLLAPSE (6.1; refused
   * before, which the program takes), a pass of khugepaged, or a page of it dropped (a THP partly
   * unmapped, on the deferred split queue); a hugetlb buffer only ever whole.
   */
  private void largeFolioStep(String[] b) {
    if (b == null || !b[2].equals("p") || b[4].equals("heap")) {
      return;
    }
    boolean huge = b[4].equals("hugetlb");
    switch (rnd.nextInt(4)) {
      case 0 -> {
        String at = huge ? b[0] + " 2M" : b[0] + "+" + Printer.size(4096L * (1 + rnd.nextInt(511))) + " 4K";
        lines.add("p.mprotect " + at + " PROT_READ");
        lines.add("p.mprotect " + at + " PROT_READ|PROT_WRITE");
      }
      case 1 -> lines.add(fresh("r") + " = try p.madvise " + b[0] + " 2M MADV_COLLAPSE");
      case 2 -> lines.add("khugepaged");
      default -> {
        if (!huge) {
          lines.add("p.madvise " + b[0] + "+" + Printer.size(4096L * (1 + rnd.nextInt(511))) + " 4K MADV_DONTNEED");
        }
      }
    }
  }

  /**
   * What else the kernel does to the program's pages that the program may ask for: mlock (against its
   * RLIMIT_MEMLOCK), a read-only long-term pin in the caller's name (FAULT_FLAG_UNSHARE of a page shared
   * after fork), MADV_FREE (4.5) and MADV_WIPEONFORK (4.14), each tried since older kernels refuse them,
   * and move_pages of the range.
   */
  private void kernelUse(int pick, String[] b) {
    if (b == null || !b[2].equals("p") || b[4].equals("hugetlb")) {
      return;
    }
    String range = b[0] + " " + Printer.size(Long.parseLong(b[1]));
    boolean aligned = Boolean.parseBoolean(b[3]);
    switch (pick) {
      case 20 -> lines.add(fresh("r") + " = try p.mlock " + range);
      case 21 -> lines.add(fresh("pin") + " = try p.pin " + range + " FOLL_LONGTERM");
      case 22 -> {
        if (aligned) {
          lines.add(fresh("r") + " = try p.madvise " + range + " MADV_FREE");
        }
      }
      case 23 -> {
        if (aligned) {
          lines.add(fresh("r") + " = try p.madvise " + range + " MADV_WIPEONFORK");
        }
      }
      default -> lines.add("migrate p " + range);
    }
  }

  private <T> T pick(List<T> list) {
    return list.get(rnd.nextInt(list.size()));
  }

  /**
   * A second thread that keeps the GPU busy while the main flow goes on: it submits a job on an
   * object (read or write, for a time or for its bytes) and, a later step, waits for it; the explorer
   * tries the lines of the two threads in other orders too.
   */
  private void gpuThreadStep() {
    if (thread == null) {
      thread = "t1";
      lines.add("t1 = p.thread");
    }
    if (job != null) {
      lines.add("t1: gpu.wait " + job);
      job = null;
    } else if (!objs.isEmpty()) {
      job = fresh("job");
      lines.add("t1: " + job + " = gpu.submit " + pick(objs) + " " + pick(List.of("read", "write")) + " "
          + pick(List.of("200us", "1ms", "5ms", "64K")));
    }
  }

  private void step() {
    String[] b = bufs.isEmpty() ? null : pick(bufs);
    int pick = rnd.nextInt(22);
    if (pick >= 16 && pick <= 18 && !(thp || hugetlb)) {
      // The large-folio steps, on a machine with no large folios: a close instead, as before.
      pick = 19;
    }
    switch (pick) {
      case 0, 1 -> {
        if (procs.size() < 4) {
          String c = fresh("child");
          lines.add(c + " = p.fork");
          procs.add(c);
          java.util.Set<String> inherited = new java.util.HashSet<>();
          bufs.forEach(x -> inherited.add(x[0]));
          inherited.removeAll(dontfork);
          maps.put(c, inherited);
        }
      }
      case 2 -> {
        if (procs.size() > 1) {
          String c = procs.remove(1 + rnd.nextInt(procs.size() - 1));
          lines.add(c + (rnd.nextBoolean() ? ".exit" : ".exec"));
          if (lines.get(lines.size() - 1).endsWith(".exec")) {
            lines.add(c + ".exit");
          }
          maps.remove(c);
        }
      }
      case 3, 4 -> {
        String who = pick(procs);
        if (b != null && (who.equals("p") || maps.get(who).contains(b[0]))) {
          lines.add(who + ".fill " + b[0] + " " + Printer.size(Long.parseLong(b[1])) + " " + (1 + rnd.nextInt(9)));
        }
      }
      case 5 -> {
        if (b != null && b[2].equals("p")) {
          lines.add(b[4].equals("hugetlb") ? "p.munmap " + b[0] + " 2M" : "p.free " + b[0]);
          bufs.remove(b);
          maps.values().forEach(m -> m.remove(b[0]));
        }
      }
      case 6 -> fill("p", malloc("p"));
      case 7 -> {
        if (b != null) {
          lines.add("p.munlock " + b[0] + " " + Printer.size(Long.parseLong(b[1])));
        }
      }
      case 8 -> {
        if (b != null && b[2].equals("p") && Boolean.parseBoolean(b[3])) {
          String advice = pick(List.of("MADV_DONTFORK", "MADV_DOFORK"));
          lines.add("p.madvise " + b[0] + " " + Printer.size(Long.parseLong(b[1])) + " " + advice);
          if (advice.equals("MADV_DONTFORK")) {
            dontfork.add(b[0]);
          } else {
            dontfork.remove(b[0]);
          }
        }
      }
      case 9 -> lines.add("pressure " + Printer.size((4 + rnd.nextInt(cma ? 9 : 13)) << 18));
      case 10 -> lines.add(cma ? "cma_alloc " + Printer.size((1 + rnd.nextInt(8)) << 18) : "compact");
      case 11 -> {
        if (cma) {
          lines.add("cma_alloc " + Printer.size((1 + rnd.nextInt(8)) << 18));
        }
      }
      case 12 -> {
        if (b != null && b[2].equals("p") && objs.size() < 4) {
          userptr("p", b[0]);
        }
      }
      case 13 -> {
        if (!objs.isEmpty()) {
          String w = fresh("wrote");
          lines.add(w + " = gpu.write " + pick(objs) + " " + (1 + rnd.nextInt(9)));
        }
      }
      case 14 -> {
        if (procs.size() == 1 && rnd.nextBoolean()) {
          lines.add("p.setrlimit_memlock " + pick(List.of("64K", "8M")));
        }
      }
      case 16, 17 -> largeFolioStep(b);
      case 18 -> {
        if (b != null && b[2].equals("p")) {
          lines.add("p.report_held " + b[0] + " " + Printer.size(Long.parseLong(b[1])));
        }
      }
      // One step in 22: kernel uses the real side cannot always repeat (a pin needs gup_test, move_pages a second node).
      case 20 -> kernelUse(20 + rnd.nextInt(5), b);
      case 21 -> gpuThreadStep();
      default -> {
        if (!objs.isEmpty()) {
          lines.add("p.close " + objs.remove(rnd.nextInt(objs.size())));
        }
      }
    }
  }
}
