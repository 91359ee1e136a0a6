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
  APP(Receiver.NONE, "app", Kind.PROCESS, "a graphics program: its main thread, a render thread on the second CPU where there is one, the DRM device open", "NAME",
      Kind.NAME),
  SPAWN(Receiver.NONE, "spawn", Kind.PROCESS, "a plain process", "NAME", Kind.NAME),
  PRESSURE(Receiver.NONE, "pressure", null, "another program touches this much memory, then exits", "SIZE", Kind.SIZE),
  COMPACT(Receiver.NONE, "compact", null, "compaction over the whole machine; pages that would not move are a hazard", ""),
  PROMISES(Receiver.NONE, "promises", Kind.BOOL, "the strategy under test promises this (a Promise's name)", "PROMISE",
      Kind.WORD),
  CLOSE_FILE(Receiver.NONE, "close_file", null, "the DRM file that holds the object is closed, and every object in it goes",
      "OBJ", Kind.HANDLE),
  REPORT_LEAKS(Receiver.NONE, "report_leaks", null, "frames still not free (but the zero page) are a hazard: for after every "
      + "process has exited, as a live one's memory counts", ""),
  MIGRATE(Receiver.NONE, "migrate", null,
      "move_pages(2) of a process's range to other frames; pages that would not move are a hazard", "PROC ADDR SIZE",
      Kind.PROCESS, Kind.ADDR, Kind.SIZE),
  CMA_ALLOC(Receiver.NONE, "cma_alloc", Kind.BOOL, "a driver's cma_alloc of this much, given back at once; a failure is a hazard",
      "SIZE", Kind.SIZE),
  KHUGEPAGED(Receiver.NONE, "khugepaged", null,
      "one full pass of khugepaged: each 2 MiB of memory THP is enabled for, mapped by PTEs, collapsed into a THP where none of "
          + "its pages is held beyond its mappings (default max_ptes_none, max_ptes_swap and max_ptes_shared)", ""),
  RECLAIM(Receiver.NONE, "reclaim", null,
      "reclaim takes every page it can, as under extreme pressure (shrink_node over all memory)", ""),
  FILE(Receiver.NONE, "file", Kind.FILE, "a file on disk: its name, its size, and the seed of the bytes it holds",
      "NAME SIZE SEED", Kind.NAME, Kind.SIZE, Kind.SIZE),
  FILE_SEES(Receiver.NONE, "file_sees", Kind.BOOL, "the file's first bytes on disk, after writeback, hold the seed's stream",
      "FILE SIZE SEED", Kind.FILE, Kind.SIZE, Kind.SIZE),
  MEMFD(Receiver.NONE, "memfd", Kind.FILE, "memfd_create(2) and ftruncate(2) to the size: a shmem file of zeros; with "
      + "MFD_HUGETLB (and MFD_HUGE_2MB or MFD_HUGE_1GB) a hugetlbfs file, whose size is whole huge pages", "NAME SIZE [FLAGS]",
      Kind.NAME, Kind.SIZE, Kind.WORD),
  FALLOCATE(Receiver.NONE, "fallocate", null, "fallocate(2) of the file's first bytes: a hugetlbfs file takes its huge pages "
      + "from the pool now (ENOSPC when it runs out), shmem caches its pages", "FILE SIZE", Kind.FILE, Kind.SIZE),
  TMPFILE(Receiver.NONE, "tmpfile", Kind.FILE, "a file of zeros on tmpfs (shmem, no writeback): its name and size", "NAME SIZE",
      Kind.NAME, Kind.SIZE),
  TRUNCATE(Receiver.NONE, "truncate", null, "truncate(2) of a file to the size; pages past it leave every mapping",
      "FILE SIZE", Kind.FILE, Kind.SIZE),
  PINNED_SEES(Receiver.NONE, "pinned_sees", Kind.BOOL,
      "the pages a pin or a pipe holds carry the seed's stream, read through the pin (the selftests' read of the pipe or gup_test)",
      "PIN SEED", Kind.PIN, Kind.SIZE),
  ALIGN_DOWN(Receiver.NONE, "align_down", Kind.ADDR,
      "the address rounded down to a multiple of the alignment, a power of two (EINVAL otherwise): a pointer the program "
          + "computes, as cow.c's THP-aligned (mmap_mem + thpsize) & ~(thpsize - 1)", "ADDR ALIGNMENT", Kind.ADDR, Kind.SIZE),
  AT(Receiver.NONE, "at", null, "the line's thread sleeps until this time from the start of the run (a point in time)", "TIME",
      Kind.DURATION),
  NOW(Receiver.NONE, "now", Kind.DURATION, "the line's thread's time from the start of the run", ""),
  OOM_KILL(Receiver.NONE, "oom_kill", null,
      "the OOM killer picks the process: the OOM reaper unmaps its memory (up to ten attempts, 100 ms apart; a VMA whose MMU "
          + "notifier would block is skipped, and what is left is a hazard), then the process exits", "PROC", Kind.PROCESS),
  RELEASE(Receiver.NONE, "release", null, "unpin_user_pages of a pin, or the pipe of a vmsplice read and closed", "PIN",
      Kind.PIN),
  // A process's life.
  FORK(Receiver.PROCESS, "fork", Kind.PROCESS, "fork(2): the child", ""),
  EXEC(Receiver.PROCESS, "exec", null, "execve(2): a new, empty address space", ""),
  EXIT(Receiver.PROCESS, "exit", null, "exit(2)", ""),
  SETRLIMIT_MEMLOCK(Receiver.PROCESS, "setrlimit_memlock", null,
      "setrlimit(RLIMIT_MEMLOCK): the soft limit and the hard one (the soft one if not given); raising the hard limit takes "
          + "CAP_SYS_RESOURCE", "SIZE [HARD]", Kind.SIZE, Kind.SIZE),
  SETRLIMIT_MEMLOCK_DEFAULT(Receiver.PROCESS, "setrlimit_memlock_default", null,
      "setrlimit(RLIMIT_MEMLOCK) to the kernel's default (MLOCK_LIMIT: 64 KiB, 8 MiB from 5.16)", ""),
  CAPABILITY(Receiver.PROCESS, "capability", null, "grant (on) or drop (off) a capability", "CAPABILITY SWITCH", Kind.WORD,
      Kind.WORD),
  SEND_DRM(Receiver.PROCESS, "send_drm", null,
      "sendmsg(2) with SCM_RIGHTS of the process's DRM file to another process (a compositor): both hold the same file, "
          + "the same handles", "PROC", Kind.PROCESS),
  CLOSE_DRM(Receiver.PROCESS, "close_drm", null,
      "close(2) of the process's DRM file descriptor; the file, and every object in it, goes with the last process holding it "
          + "(drm_release), as at exit and at exec of a descriptor marked close-on-exec", ""),
  CLOEXEC_DRM(Receiver.PROCESS, "cloexec_drm", null,
      "fcntl(F_SETFD, FD_CLOEXEC) of the process's DRM file descriptor (libdrm opens with O_CLOEXEC): exec closes it", ""),
  // Its memory.
  MALLOC(Receiver.PROCESS, "malloc", Kind.ADDR, "malloc(3)", "SIZE", Kind.SIZE),
  MEMALIGN(Receiver.PROCESS, "memalign", Kind.ADDR, "memalign(3): alignment, then size", "ALIGNMENT SIZE", Kind.SIZE, Kind.SIZE),
  FREE(Receiver.PROCESS, "free", Kind.BOOL, "free(3); false, and a hazard, if it aborted (malloc's header lost)", "ADDR",
      Kind.ADDR),
  MMAP(Receiver.PROCESS, "mmap", Kind.ADDR, "mmap(2) of anonymous memory: size, protection, flags", "SIZE PROT FLAGS", Kind.SIZE,
      Kind.WORD, Kind.WORD),
  MMAP_FILE(Receiver.PROCESS, "mmap_file", Kind.ADDR, "mmap(2) of a file from its start: file, size, protection, flags",
      "FILE SIZE PROT FLAGS", Kind.FILE, Kind.SIZE, Kind.WORD, Kind.WORD),
  MMAP_AT(Receiver.PROCESS, "mmap_at", Kind.ADDR,
      "mmap(2) of anonymous memory at an address: MAP_FIXED replaces what is there, MAP_FIXED_NOREPLACE (4.17) is EEXIST "
          + "over a mapping", "ADDR SIZE PROT FLAGS", Kind.ADDR, Kind.SIZE, Kind.WORD, Kind.WORD),
  MREMAP(Receiver.PROCESS, "mremap", Kind.ADDR, "mremap(2): grow or shrink a mapping, moving it if MREMAP_MAYMOVE allows",
      "ADDR OLD NEW FLAGS", Kind.ADDR, Kind.SIZE, Kind.SIZE, Kind.WORD),
  MREMAP_TO(Receiver.PROCESS, "mremap_to", Kind.ADDR,
      "mremap(2) to a new address: MREMAP_MAYMOVE with MREMAP_FIXED or MREMAP_DONTUNMAP (5.7)", "ADDR OLD NEW FLAGS DST",
      Kind.ADDR, Kind.SIZE, Kind.SIZE, Kind.WORD, Kind.ADDR),
  MUNMAP(Receiver.PROCESS, "munmap", null, "munmap(2)", "ADDR SIZE", Kind.ADDR, Kind.SIZE),
  SBRK(Receiver.PROCESS, "sbrk", Kind.ADDR,
      "sbrk(3): moves the break up by the size, or down by a negative one (-64K); 0 reads it; the old break", "INCREMENT", Kind.SIZE),
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
  CLEAR_SOFT_DIRTY(Receiver.PROCESS, "clear_soft_dirty", null,
      "writes 4 to /proc/PID/clear_refs (3.11): every present PTE of the process write-protected, so that the next write faults",
      ""),
  FRAGMENT(Receiver.PROCESS, "fragment", null,
      "madvise(MADV_DONTNEED) of every other page of the range, from its third: free memory left scattered", "ADDR SIZE",
      Kind.ADDR, Kind.SIZE),
  READ_DIRECT(Receiver.PROCESS, "read_direct", null,
      "read(2) of a file opened O_DIRECT, from its start into the range: the block layer pins the pages for the I/O",
      "FILE ADDR SIZE", Kind.FILE, Kind.ADDR, Kind.SIZE),
  // The kernel's other users of the pages (the selftests' tools).
  PIN(Receiver.PROCESS, "pin", Kind.PIN,
      "pin_user_pages(FOLL_PIN and the flags) of the range, as a driver does in the caller's name (gup_test's PIN_LONGTERM_TEST_START)",
      "ADDR SIZE FOLL", Kind.ADDR, Kind.SIZE, Kind.WORD),
  PIN_FAST(Receiver.PROCESS, "pin_fast", Kind.PIN, "pin_user_pages_fast: the same pin through GUP-fast first",
      "ADDR SIZE FOLL", Kind.ADDR, Kind.SIZE, Kind.WORD),
  IOURING_SETUP(Receiver.PROCESS, "iouring_setup", null,
      "io_uring_setup(2), as io_uring_queue_init does before anything else: ENOSYS on a kernel before io_uring (5.1)", ""),
  IOURING_REGISTER(Receiver.PROCESS, "iouring_register", Kind.PIN,
      "io_uring_register_buffers (5.1) of the range, on a ring of its own: pin_user_pages_fast(FOLL_WRITE | FOLL_LONGTERM), "
          + "charged to pinned_vm against RLIMIT_MEMLOCK without CAP_IPC_LOCK", "ADDR SIZE", Kind.ADDR, Kind.SIZE),
  VMSPLICE(Receiver.PROCESS, "vmsplice", Kind.PIN, "vmsplice(2) of the range into a pipe: references, not pins (FOLL_GET)",
      "ADDR SIZE", Kind.ADDR, Kind.SIZE),
  // The driver.
  USERPTR(Receiver.PROCESS, "userptr", Kind.HANDLE,
      "the userptr ioctl: the range becomes a GEM object; READ_ONLY (i915's I915_USERPTR_READ_ONLY, amdgpu's "
          + "AMDGPU_GEM_USERPTR_READONLY) if the GPU only reads it", "ADDR SIZE [FLAGS]", Kind.ADDR, Kind.SIZE, Kind.WORD),
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
  ZERO(Receiver.PROCESS, "zero", Kind.BOOL, "every byte of the range reads as zero", "ADDR SIZE", Kind.ADDR, Kind.SIZE),
  SWAPPED(Receiver.PROCESS, "swapped", Kind.BOOL, "every page of the range is swapped out (pagemap's bit 62)", "ADDR SIZE",
      Kind.ADDR, Kind.SIZE),
  POPULATED(Receiver.PROCESS, "populated", Kind.BOOL,
      "the page at the address is in memory or swapped out (pagemap's bit 63 or 62: the selftests' pagemap_is_populated); "
          + "no fault is taken", "ADDR", Kind.ADDR),
  VM_RSS(Receiver.PROCESS, "vm_rss", Kind.SIZE, "VmRSS of /proc/PID/status, in bytes", ""),
  VM_LCK(Receiver.PROCESS, "vm_lck", Kind.SIZE, "VmLck of /proc/PID/status (locked_vm), in bytes", ""),
  VM_PIN(Receiver.PROCESS, "vm_pin", Kind.SIZE, "VmPin of /proc/PID/status (pinned_vm), in bytes", ""),
  FRAME(Receiver.PROCESS, "frame", Kind.SIZE, "the page frame behind the address (pagemap's PFN), 0 where none is mapped",
      "ADDR", Kind.ADDR),
  MAPCOUNT(Receiver.PROCESS, "mapcount", Kind.SIZE, "the mapcount of the page behind the address (/proc/kpagecount)", "ADDR",
      Kind.ADDR),
  REFCOUNT(Receiver.PROCESS, "refcount", Kind.SIZE, "the reference count of the page behind the address (page_ref_count)",
      "ADDR", Kind.ADDR),
  MAYBE_PINNED(Receiver.PROCESS, "maybe_pinned", Kind.BOOL,
      "the page behind the address may be pinned (folio_maybe_dma_pinned)", "ADDR", Kind.ADDR),
  VMA_FLAG(Receiver.PROCESS, "vma_flag", Kind.BOOL,
      "the VMA at the address has the flag, as smaps' VmFlags writes it (lo, dc, wf, ...)", "ADDR FLAG", Kind.ADDR, Kind.WORD),
  ANON_HUGE(Receiver.PROCESS, "anon_huge", Kind.SIZE,
      "AnonHugePages of /proc/PID/smaps for the VMA holding the address (its memory in transparent huge pages), in bytes; 0 "
          + "where no VMA is", "ADDR", Kind.ADDR),
  REPORT_SWAPPED(Receiver.PROCESS, "report_swapped", null,
      "for a strategy that shares the program's pages, pages of the range swapped out are a hazard", "ADDR SIZE", Kind.ADDR,
      Kind.SIZE),
  REPORT_HELD(Receiver.PROCESS, "report_held", null,
      "for a strategy that shares the program's pages, large folios (THP, hugetlb) the range's pages belong to are a hazard: "
          + "the import holds each whole, more memory than it covers and was charged for", "ADDR SIZE", Kind.ADDR, Kind.SIZE),
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
  THREAD(Receiver.PROCESS, "thread", Kind.THREAD,
      "a new thread of the process (pthread_create): lines written 'T: LINE' run on it, alongside the program's main flow", ""),
  STALLED(Receiver.PROCESS, "stalled", Kind.DURATION,
      "how long the process's threads have waited in the kernel so far: an invalidation waiting for a GPU job, a fault waiting "
          + "for an invalidation in progress", ""),
  // The GPU.
  GPU_SEES(Receiver.GPU, "sees", Kind.BOOL, "a GPU job reads the whole object; true if it holds the seed's stream", "OBJ SEED",
      Kind.HANDLE, Kind.SIZE),
  GPU_SEES_AT(Receiver.GPU, "sees_at", Kind.BOOL,
      "a GPU job reads bytes [from, from + len) of the object; true if they hold the seed's stream from a position",
      "OBJ FROM SIZE SEED POS", Kind.HANDLE, Kind.SIZE, Kind.SIZE, Kind.SIZE, Kind.SIZE),
  GPU_WRITE(Receiver.GPU, "write", Kind.BOOL,
      "a GPU job writes the seed's stream over the object; false (and a hazard) if it failed", "OBJ SEED", Kind.HANDLE,
      Kind.SIZE),
  GPU_SUBMIT(Receiver.GPU, "submit", Kind.JOB,
      "a GPU job on the object, left running: it reads (or writes the seed's stream 0 over) the object for a time (5ms) or "
          + "for as long as moving so many bytes takes (64K); the strategy hands the pages over now (execbuf), and they are "
          + "given back when it ends", "OBJ ACCESS AMOUNT [ENGINE]", Kind.HANDLE, Kind.WORD, Kind.DURATION, Kind.WORD),
  GPU_WAIT(Receiver.GPU, "wait", null, "the line's thread waits for the job to end (dma_fence_wait)", "JOB", Kind.JOB),
  GPU_DONE(Receiver.GPU, "done", Kind.BOOL, "the job has ended by now (dma_fence_is_signaled)", "JOB", Kind.JOB);

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
  private final int required;

  /**
   * {@code names}: what each argument is, as {@code list} and errors name it ({@code "ADDR SIZE SEED"}); a
   * name in brackets ({@code "[FLAGS]"}) is of an argument a line may leave out, after the ones it may not.
   */
  Op(Receiver receiver, String word, Kind result, String doc, String names, Kind... args) {
    this.receiver = receiver;
    this.word = word;
    this.result = result;
    this.doc = doc;
    List<String> written = names.isEmpty() ? List.of() : List.of(names.split(" "));
    this.argNames = written.stream().map(n -> n.replaceAll("[\\[\\]]", "")).toList();
    this.required = (int) written.stream().filter(n -> !n.startsWith("[")).count();
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

  /** As a program writes it with its receiver: {@code P.fill}, {@code gpu.sees}, {@code compact}. */
  public String written() {
    return switch (receiver) {
      case PROCESS -> "P." + word;
      case GPU -> "gpu." + word;
      case NONE -> word;
    };
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

  /** How many of the arguments a line must give; the others, after them, it may leave out. */
  public int required() {
    return required;
  }

  /** What each argument is, in order: {@code ADDR}, {@code SIZE}, {@code SEED}... */
  public List<String> argNames() {
    return argNames;
  }

  /** The operation as a line writes it, its arguments named: {@code P.fill ADDR SIZE SEED}, {@code gpu.write OBJ SEED}. */
  public String usage() {
    String who = receiver == Receiver.GPU ? "gpu." : receiver == Receiver.PROCESS ? "P." : "";
    StringBuilder sb = new StringBuilder(who + word);
    for (int i = 0; i < argNames.size(); i++) {
      sb.append(' ').append(i < required ? argNames.get(i) : "[" + argNames.get(i) + "]");
    }
    return sb.toString();
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
