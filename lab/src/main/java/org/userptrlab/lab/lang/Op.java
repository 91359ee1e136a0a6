package org.userptrlab.lab.lang;

import java.util.List;
import java.util.Optional;

/**
 * The operations of the language: who performs each ({@link Receiver}), its arguments in order,
 * and what it gives back. Every line of a program is one of these, bound to a name or not, or a
 * check built from the ones that give a {@link Kind#BOOL}.
 */
public enum Op {
  // The machine and its programs.
  APP(Receiver.NONE, "app", Kind.PROCESS, "a graphics program: two threads (CPUs 0 and 1), the DRM device open", "NAME",
      Kind.NAME),
  SPAWN(Receiver.NONE, "spawn", Kind.PROCESS, "a plain process", "NAME", Kind.NAME),
  PRESSURE(Receiver.NONE, "pressure", null, "another program touches this much memory, then exits", "SIZE", Kind.SIZE),
  COMPACT(Receiver.NONE, "compact", null, "compaction over the whole machine; pages that would not move are a hazard", ""),
  PROMISES(Receiver.NONE, "promises", Kind.BOOL, "the strategy under test promises this (a Promise's name)", "PROMISE",
      Kind.WORD),
  CLOSE_FILE(Receiver.NONE, "close_file", null, "the DRM file that holds the object is closed, and every object in it goes",
      "OBJ", Kind.HANDLE),
  REPORT_LEAKS(Receiver.NONE, "report_leaks", null, "frames still not free (but the zero page) are a hazard", ""),
  MIGRATE(Receiver.NONE, "migrate", null,
      "move_pages(2) of a process's range to other frames; pages that would not move are a hazard", "PROC ADDR SIZE",
      Kind.PROCESS, Kind.ADDR, Kind.SIZE),
  CMA_ALLOC(Receiver.NONE, "cma_alloc", Kind.BOOL, "a driver's cma_alloc of this much, given back at once; a failure is a hazard",
      "SIZE", Kind.SIZE),
  RECLAIM(Receiver.NONE, "reclaim", null,
      "reclaim takes every page it can, as under extreme pressure (shrink_node over all memory)", ""),
  FILE(Receiver.NONE, "file", Kind.FILE, "a file on disk: its name, its size, and the seed of the bytes it holds",
      "NAME SIZE SEED", Kind.NAME, Kind.SIZE, Kind.SIZE),
  FILE_SEES(Receiver.NONE, "file_sees", Kind.BOOL, "the file's first bytes on disk, after writeback, hold the seed's stream",
      "FILE SIZE SEED", Kind.FILE, Kind.SIZE, Kind.SIZE),
  // A process's life.
  FORK(Receiver.PROCESS, "fork", Kind.PROCESS, "fork(2): the child", ""),
  EXEC(Receiver.PROCESS, "exec", null, "execve(2): a new, empty address space", ""),
  EXIT(Receiver.PROCESS, "exit", null, "exit(2)", ""),
  SETRLIMIT_MEMLOCK(Receiver.PROCESS, "setrlimit_memlock", null, "setrlimit(RLIMIT_MEMLOCK), soft and hard", "SIZE", Kind.SIZE),
  SETRLIMIT_MEMLOCK_DEFAULT(Receiver.PROCESS, "setrlimit_memlock_default", null,
      "setrlimit(RLIMIT_MEMLOCK) to the kernel's default (MLOCK_LIMIT: 64 KiB, 8 MiB from 5.16)", ""),
  CAPABILITY(Receiver.PROCESS, "capability", null, "grant (on) or drop (off) a capability", "CAPABILITY SWITCH", Kind.WORD,
      Kind.WORD),
  // Its memory.
  MALLOC(Receiver.PROCESS, "malloc", Kind.ADDR, "malloc(3)", "SIZE", Kind.SIZE),
  MEMALIGN(Receiver.PROCESS, "memalign", Kind.ADDR, "memalign(3): alignment, then size", "ALIGNMENT SIZE", Kind.SIZE, Kind.SIZE),
  FREE(Receiver.PROCESS, "free", Kind.BOOL, "free(3); false, and a hazard, if it aborted (malloc's header lost)", "ADDR",
      Kind.ADDR),
  MMAP(Receiver.PROCESS, "mmap", Kind.ADDR, "mmap(2) of anonymous memory: size, protection, flags", "SIZE PROT FLAGS", Kind.SIZE,
      Kind.WORD, Kind.WORD),
  MMAP_FILE(Receiver.PROCESS, "mmap_file", Kind.ADDR, "mmap(2) of a file from its start: file, size, protection, flags",
      "FILE SIZE PROT FLAGS", Kind.FILE, Kind.SIZE, Kind.WORD, Kind.WORD),
  MUNMAP(Receiver.PROCESS, "munmap", null, "munmap(2)", "ADDR SIZE", Kind.ADDR, Kind.SIZE),
  SBRK(Receiver.PROCESS, "sbrk", Kind.ADDR, "sbrk(3): moves the break up by the size (0 reads it); the old break", "INCREMENT",
      Kind.SIZE),
  MPROTECT(Receiver.PROCESS, "mprotect", null, "mprotect(2)", "ADDR SIZE PROT", Kind.ADDR, Kind.SIZE, Kind.WORD),
  MADVISE(Receiver.PROCESS, "madvise", null, "madvise(2)", "ADDR SIZE ADVICE", Kind.ADDR, Kind.SIZE, Kind.WORD),
  MLOCK(Receiver.PROCESS, "mlock", null, "mlock(2)", "ADDR SIZE", Kind.ADDR, Kind.SIZE),
  MLOCK2(Receiver.PROCESS, "mlock2", null, "mlock2(2)", "ADDR SIZE FLAGS", Kind.ADDR, Kind.SIZE, Kind.WORD),
  MUNLOCK(Receiver.PROCESS, "munlock", null, "munlock(2)", "ADDR SIZE", Kind.ADDR, Kind.SIZE),
  MLOCKALL(Receiver.PROCESS, "mlockall", null, "mlockall(2)", "FLAGS", Kind.WORD),
  MUNLOCKALL(Receiver.PROCESS, "munlockall", null, "munlockall(2)", ""),
  FILL(Receiver.PROCESS, "fill", null, "the program writes the seed's byte stream over the range", "ADDR SIZE SEED", Kind.ADDR,
      Kind.SIZE, Kind.SIZE),
  STORE(Receiver.PROCESS, "store", null, "the program stores one byte", "ADDR BYTE", Kind.ADDR, Kind.SIZE),
  MEMCPY(Receiver.PROCESS, "memcpy", null, "memcpy(3): destination, source, size", "DST SRC SIZE", Kind.ADDR, Kind.ADDR,
      Kind.SIZE),
  FRAGMENT(Receiver.PROCESS, "fragment", null,
      "madvise(MADV_DONTNEED) of every other page of the range, from its third: free memory left scattered", "ADDR SIZE",
      Kind.ADDR, Kind.SIZE),
  // The driver.
  USERPTR(Receiver.PROCESS, "userptr", Kind.HANDLE, "the userptr ioctl: the range becomes a GEM object", "ADDR SIZE", Kind.ADDR,
      Kind.SIZE),
  CREATE(Receiver.PROCESS, "create", Kind.HANDLE, "GEM create: a shmem-backed object", "SIZE", Kind.SIZE),
  PWRITE(Receiver.PROCESS, "pwrite", null, "GEM pwrite: object, offset, user address, size", "OBJ OFFSET ADDR SIZE", Kind.HANDLE,
      Kind.SIZE, Kind.ADDR, Kind.SIZE),
  PREAD(Receiver.PROCESS, "pread", null, "GEM pread: object, offset, user address, size", "OBJ OFFSET ADDR SIZE", Kind.HANDLE,
      Kind.SIZE, Kind.ADDR, Kind.SIZE),
  CLOSE(Receiver.PROCESS, "close", null, "GEM close; pages the object leaves mlocked are a hazard", "OBJ", Kind.HANDLE),
  // What the program looks at.
  SEES(Receiver.PROCESS, "sees", Kind.BOOL, "the range holds the seed's stream, as the program reads it", "ADDR SIZE SEED",
      Kind.ADDR, Kind.SIZE, Kind.SIZE),
  SEES_AT(Receiver.PROCESS, "sees_at", Kind.BOOL, "the range holds the seed's stream from a position in it", "ADDR SIZE SEED POS",
      Kind.ADDR, Kind.SIZE, Kind.SIZE, Kind.SIZE),
  READABLE(Receiver.PROCESS, "readable", Kind.BOOL, "a load from the address works (no signal)", "ADDR", Kind.ADDR),
  ALIVE(Receiver.PROCESS, "alive", Kind.BOOL, "the process has not exited", ""),
  REPORT_SWAPPED(Receiver.PROCESS, "report_swapped", null,
      "for a strategy that shares the program's pages, pages of the range swapped out are a hazard", "ADDR SIZE", Kind.ADDR,
      Kind.SIZE),
  REPORT_RESIDENT(Receiver.PROCESS, "report_resident", null,
      "more than 16 pages of the range still in memory (not reclaimed to swap) are a hazard", "ADDR SIZE", Kind.ADDR, Kind.SIZE),
  REPORT_VMA_LOCKED(Receiver.PROCESS, "report_vma_locked", null,
      "for an import of this range: more pages VM_LOCKED in the process than the range holds are a hazard", "ADDR SIZE",
      Kind.ADDR, Kind.SIZE),
  REPORT_MEMLOCK(Receiver.PROCESS, "report_memlock", null,
      "pages VM_LOCKED past RLIMIT_MEMLOCK, or pinned_vm over it, are a hazard", ""),
  REPORT_LOCKED_VM(Receiver.PROCESS, "report_locked_vm", null,
      "locked_vm wrapped below zero is a hazard; the process then mlocks past RLIMIT_MEMLOCK and the report says if it could",
      ""),
  HEAP_VMAS(Receiver.PROCESS, "heap_vmas", Kind.SIZE, "how many VMAs the brk heap spans", ""),
  REPORT_HEAP_SPLIT(Receiver.PROCESS, "report_heap_split", null,
      "the brk heap spanning more VMAs than this (brk could not extend the last one) is a hazard", "COUNT", Kind.SIZE),
  // The GPU.
  GPU_SEES(Receiver.GPU, "sees", Kind.BOOL, "a GPU job reads the whole object; true if it holds the seed's stream", "OBJ SEED",
      Kind.HANDLE, Kind.SIZE),
  GPU_SEES_AT(Receiver.GPU, "sees_at", Kind.BOOL,
      "a GPU job reads bytes [from, from + len) of the object; true if they hold the seed's stream from a position",
      "OBJ FROM SIZE SEED POS", Kind.HANDLE, Kind.SIZE, Kind.SIZE, Kind.SIZE, Kind.SIZE),
  GPU_WRITE(Receiver.GPU, "write", Kind.BOOL,
      "a GPU job writes the seed's stream over the object; false (and a hazard) if it failed", "OBJ SEED", Kind.HANDLE,
      Kind.SIZE);

  /** Who performs an operation: the machine, a process ({@code p.op}) or the GPU ({@code gpu.op}). */
  public enum Receiver {
    NONE,
    PROCESS,
    GPU
  }

  private final Receiver receiver;
  private final String word;
  private final Kind result;
  private final String doc;
  private final List<String> argNames;
  private final List<Kind> args;

  /** {@code names}: what each argument is, as {@code list} and errors name it ({@code "ADDR SIZE SEED"}). */
  Op(Receiver receiver, String word, Kind result, String doc, String names, Kind... args) {
    this.receiver = receiver;
    this.word = word;
    this.result = result;
    this.doc = doc;
    this.argNames = names.isEmpty() ? List.of() : List.of(names.split(" "));
    this.args = List.of(args);
    if (argNames.size() != args.length) {
      throw new IllegalStateException(word + ": " + argNames.size() + " names for " + args.length + " arguments");
    }
  }

  public Receiver receiver() {
    return receiver;
  }

  /** As written in a program. */
  public String word() {
    return word;
  }

  /** What it gives back; empty for a statement with no value. */
  public Optional<Kind> result() {
    return Optional.ofNullable(result);
  }

  public String doc() {
    return doc;
  }

  public List<Kind> args() {
    return args;
  }

  /** What each argument is, in order: {@code ADDR}, {@code SIZE}, {@code SEED}... */
  public List<String> argNames() {
    return argNames;
  }

  /** The operation as a line writes it, its arguments named: {@code P.fill ADDR SIZE SEED}, {@code gpu.write OBJ SEED}. */
  public String usage() {
    String who = receiver == Receiver.GPU ? "gpu." : receiver == Receiver.PROCESS ? "P." : "";
    return who + word + (argNames.isEmpty() ? "" : " " + String.join(" ", argNames));
  }

  /** The operation {@code word} names for that receiver. */
  public static Optional<Op> find(Receiver receiver, String word) {
    for (Op op : values()) {
      if (op.receiver == receiver && op.word.equals(word)) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }

  /** The words a receiver understands, for an error message. */
  public static List<String> words(Receiver receiver) {
    return java.util.Arrays.stream(values()).filter(o -> o.receiver == receiver).map(Op::word).toList();
  }
}
