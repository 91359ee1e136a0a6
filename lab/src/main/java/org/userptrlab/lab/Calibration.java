package org.userptrlab.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.userptrlab.core.cost.Parameter;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.executor.Timing;

/**
 * A platform profile of this machine from the primitives {@code upl-exec --calibrate} timed on
 * its kernel. Each figure says how it was had: measured (the median, its spread, the kernel, the
 * CPU, the day), derived from measured ones (and how), or, where no userspace program can time it,
 * taken from the guest profile it stands beside, and why.
 */
public final class Calibration {
  private Calibration() {}

  /**
   * The sizes of the machine's caches the profile gives, in bytes, as sysfs says them: the last-level cache and a
   * CPU's own; below zero where the machine does not say (the guest profile's figure stands in).
   */
  public record Caches(long llcBytes, long ownBytes) {
    /** This machine's, from sysfs. */
    public static Caches here() {
      return new Caches(Calibration.llcBytes(), ownCacheBytes());
    }
  }

  /** The profile, named {@code host-RELEASE}, from {@code timings} taken on {@code kernel} and {@code cpu} on {@code day}. */
  public static PlatformProfile profile(List<Timing> timings, String kernel, String cpu, Caches caches, LocalDate day) {
    return profile(timings, kernel, cpu, caches, day, Map.of());
  }

  /**
   * {@link #profile(List, String, String, Caches, LocalDate)} without the {@link #OPTIONAL} figures {@code noisy} names (no
   * round timed them well enough: the guest's figures stand in, their sources say why).
   */
  public static PlatformProfile profile(List<Timing> timings, String kernel, String cpu, Caches caches, LocalDate day,
      Map<String, String> noisy) {
    long llcBytes = caches.llcBytes();
    Map<String, Timing> t = timings.stream().filter(x -> !noisy.containsKey(x.name()))
        .collect(Collectors.toMap(Timing::name, Function.identity()));
    String where = where(kernel, cpu, day);
    Function<String, Timing> need = name -> {
      Timing x = t.get(name);
      if (x == null) {
        throw new IllegalStateException("the calibration lacks " + name);
      }
      return x;
    };
    Function<String, String> measured = name -> {
      Timing x = need.apply(name);
      return String.format(Locale.ROOT, "measured %s: median of %d samples (p10 %s, p90 %s) of %s", where, x.samples(),
          figure(x.p10()), figure(x.p90()), name);
    };
    double memsetCache = need.apply("memset_cache").median();
    double memcpyCache = need.apply("memcpy_cache").median();
    // A page's clearing and a page's copy, in the cache.
    double clear = 4096 / memsetCache;
    double copy = 4096 / memcpyCache;
    // A first write fault is the trap and handle_mm_fault's walk, a page allocated, cleared and mapped;
    // MAP_POPULATE does all but the trap (populate_vma_page_range), so the two tell them apart, whether
    // the kernel maps the zeropage on a read fault or, as some do, a fresh page.
    double write = need.apply("write_fault").median();
    double populate = need.apply("populate").median();
    double fault = Math.max(0, write - populate);
    double alloc = Math.max(0, populate - clear);
    // The same populate over frames the calibration had just freed, taken back from its CPU's list.
    double populateWarm = need.apply("populate_warm").median();
    double allocWarm = Math.max(0, populateWarm - clear);
    // A program's fill in a new executor straight after one that filled as much, against one after a run that filled far
    // more: all the two differ by is whether the frames are the ones the run before freed, so the allocation saves it.
    double saved = need.apply("fill_new").median() - need.apply("fill_recent").median();
    double allocRecent = Math.min(alloc, Math.max(allocWarm, alloc - saved));
    // A memfd's page written by pwrite: the page taken from the frames the last sample freed, cleared (as the model clears a
    // new shmem page), added to the page cache and copied into; the addition is what is left.
    double memfdWrite = need.apply("memfd_write").median();
    double pagecacheAdd = Math.max(0, memfdWrite - allocWarm - clear - copy);
    // populate leaves its PTEs old (x86's faults set no accessed bit): the first write to each page sets the bit in the
    // page walk, which a second finds set. A fault's own figure holds it for the pages a program faults in.
    double firstTouch = Math.max(0, need.apply("touch_populated").median() - need.apply("touch_again").median());
    PlatformProfile guest = Profiles.EPYC_GUEST;
    double swapIn = t.containsKey("swapin") ? Math.max(0, need.apply("swapin").median() - fault - alloc) : guest.get(Parameter.SWAP_IN);
    // A COW break (wp_page_copy) is a reuse's fault with a page allocated and copied and the old entry flushed.
    double flushOne = need.apply("cow_break").median() - need.apply("wp_reuse").median() - alloc - copy;
    // mmap and munmap of a page never touched are each a system call and a VMA made or freed; nothing else of theirs is priced.
    double syscall = need.apply("syscall").median();
    double wrprotect = need.apply("mprotect").median();
    // A fork's PTE copy less the write-protect copy_present_pte makes of it, which WRPROTECT prices.
    double forkPte = Math.max(0, need.apply("fork_per_page").median() - wrprotect);
    double vmaChange = Math.max(0, (need.apply("mmap_munmap").median() - 2 * syscall) / 2);
    // A one-page job is nearly all fixed cost: a 64 KiB one, whose bytes stay in the cache the calibration wrote them
    // through, reads them faster than the 4 MiB bandwidth says and left the fixed cost at 0.
    double job = Math.max(0, need.apply("gpu_stand_in_4k").median() - 4096 / need.apply("gpu_stand_in").median());
    // MADV_DONTNEED per page is a zap and a free, which no userspace call times apart: split in the
    // proportion the guest profile gives them.
    double dontneed = need.apply("dontneed").median();
    double zapShare = guest.get(Parameter.ZAP) / (guest.get(Parameter.ZAP) + guest.get(Parameter.PAGE_FREE));
    double zap = dontneed * zapShare;
    double free = dontneed - zap;
    // A pipe emptied (splice to /dev/null) after the mapping of the pages vmspliced into it went frees each page alone
    // at its put (page_cache_pipe_buf_release's put_page, then __folio_put): a reference's drop, which UNPIN prices, and the free.
    double pipeEmptied = need.apply("put_free").median();
    double unpin = need.apply("unpin_longterm").median();
    double putFree = Math.max(0, pipeEmptied - unpin);
    String split = String.format(Locale.ROOT, "derived %s: MADV_DONTNEED per page (%.1f ns, %s) split into zap and free as %s "
        + "splits them", where, dontneed, measured.apply("dontneed"), guest.name());
    String notHere = "not measurable from userspace here; the figure of " + guest.name() + ": ";
    String noFile = "not timed: /var/tmp took no file of the calibration's here; the figure of " + guest.name() + ": ";
    String swapless = "not timed: no swap was on and the calibration ran without root to set a swap file up; the figure of "
        + guest.name();
    String noSwap = swapless + ", a virtio block device's 4 KiB ";
    return PlatformProfile.builder("host-" + kernel.replaceAll("[^0-9.].*$", ""), "this machine (" + cpu + "), calibrated on Linux "
            + kernel + " on " + day)
        .set(Parameter.MEMCPY_CACHE, memcpyCache, measured.apply("memcpy_cache"))
        .set(Parameter.MEMCPY_DRAM, need.apply("memcpy_dram").median(), measured.apply("memcpy_dram"))
        .set(Parameter.MEMSET_CACHE, memsetCache, measured.apply("memset_cache"))
        .set(Parameter.MEMSET_DRAM, need.apply("memset_dram").median(), measured.apply("memset_dram"))
        .set(Parameter.LLC_BYTES, llcBytes >= 0 ? llcBytes : guest.get(Parameter.LLC_BYTES), llcBytes >= 0
            ? "read " + where + " from /sys/devices/system/cpu/cpu0/cache"
            : "not in /sys/devices/system/cpu/cpu0/cache here (a virtual machine may not say); the figure of " + guest.name() + ": "
                + guest.figures().get(Parameter.LLC_BYTES).source())
        .set(Parameter.FAULT, fault, String.format(Locale.ROOT, "derived %s: a first write fault (%s) less the same page "
            + "populated without a fault (%s)", where, measured.apply("write_fault"), measured.apply("populate")))
        .set(Parameter.PAGE_ALLOC, alloc, String.format(Locale.ROOT, "derived %s: a page populated by MAP_POPULATE (%.1f ns) less "
            + "a page cleared at MEMSET_CACHE", where, populate))
        .set(Parameter.PAGE_ALLOC_WARM, allocWarm, String.format(Locale.ROOT, "derived %s: a page populated by MAP_POPULATE "
            + "over the 4 MiB just unmapped (%.1f ns, %s) less a page cleared at MEMSET_CACHE", where, populateWarm,
            measured.apply("populate_warm")))
        .set(Parameter.PAGE_ALLOC_RECENT, allocRecent, String.format(Locale.ROOT, "derived %s: PAGE_ALLOC less the %.1f ns "
            + "per page that a program's fill of 4 MiB in a new executor saves straight after one that filled as much (%s) "
            + "against one after 64 MiB (%s), kept between PAGE_ALLOC_WARM and PAGE_ALLOC", where, saved,
            measured.apply("fill_recent"), measured.apply("fill_new")))
        .set(Parameter.PAGE_FREE, free, split)
        .set(Parameter.FIRST_TOUCH, firstTouch, String.format(Locale.ROOT, "derived %s: a write to each page of 4 MiB just "
            + "populated (%s) less a second write to each (%s)", where, measured.apply("touch_populated"), measured.apply("touch_again")))
        .set(Parameter.GUP_FAST, need.apply("vmsplice").median(), measured.apply("vmsplice")
            + " (get_user_pages_fast and a pipe buffer per page: an upper bound)")
        .set(Parameter.GUP_SLOW, need.apply("pin_longterm").median(), measured.apply("pin_longterm")
            + " (pin_user_pages with FOLL_LONGTERM through IORING_REGISTER_BUFFERS)")
        .set(Parameter.ZAP, zap, split)
        .set(Parameter.WRPROTECT, wrprotect, measured.apply("mprotect"))
        .set(Parameter.MLOCK, need.apply("mlock").median(), measured.apply("mlock") + " (mlock(2) of populated pages, per page)")
        .set(Parameter.MUNLOCK, need.apply("munlock").median(), measured.apply("munlock") + " (munlock(2), per page)")
        .set(Parameter.FORK_PTE, forkPte, String.format(Locale.ROOT, "derived %s: fork with 4 MiB mapped less fork without, "
            + "per page (%s), less the PTE's write-protect (WRPROTECT, which prices it): copy_present_pte protects each "
            + "writable anonymous PTE it copies", where, measured.apply("fork_per_page")))
        .set(Parameter.FORK, need.apply("fork").median(), measured.apply("fork")
            + " (a fork of the executor's process, its image alone, as the parent pays it)")
        .set(Parameter.UNPIN, unpin, measured.apply("unpin_longterm")
            + " (IORING_UNREGISTER_BUFFERS: unpin_user_folio per page)")
        .set(Parameter.PUT_FREE, putFree, String.format(Locale.ROOT, "derived %s: a pipe emptied into /dev/null freeing the "
            + "pages vmspliced into it after their munmap, so that it held their last references (%.1f ns a page, %s; the pipe "
            + "buffer's own release in it too: an upper bound), less a reference's drop (UNPIN, %.1f ns)", where,
            pipeEmptied, measured.apply("put_free"), unpin))
        .set(Parameter.TLB_FLUSH_ONE, flushOne > 0 ? flushOne : guest.get(Parameter.TLB_FLUSH_ONE), flushOne > 0
            ? String.format(Locale.ROOT, "derived %s: a COW break (%s) less a write fault that reuses its page (%s), an "
                + "allocation and a page copied: wp_page_copy's ptep_clear_flush of the old entry (an upper bound)", where,
                measured.apply("cow_break"), measured.apply("wp_reuse"))
            : notHere + guest.figures().get(Parameter.TLB_FLUSH_ONE).source())
        .set(Parameter.TLB_FLUSH_ALL, guest.get(Parameter.TLB_FLUSH_ALL), notHere + guest.figures().get(Parameter.TLB_FLUSH_ALL).source())
        .set(Parameter.TLB_SHOOTDOWN, t.containsKey("shootdown") ? t.get("shootdown").median() : guest.get(Parameter.TLB_SHOOTDOWN),
            t.containsKey("shootdown") ? measured.apply("shootdown") + " (mprotect of one page with a thread of the process on "
                + "another CPU, less without)" : untimed(noisy, "shootdown", guest, Parameter.TLB_SHOOTDOWN, notHere + "one CPU only"))
        .set(Parameter.TLB_IPI_RECEIVED, guest.get(Parameter.TLB_IPI_RECEIVED),
            notHere + guest.figures().get(Parameter.TLB_IPI_RECEIVED).source())
        .set(Parameter.TLB_REFILL, guest.get(Parameter.TLB_REFILL), notHere + guest.figures().get(Parameter.TLB_REFILL).source())
        .set(Parameter.IOCTL, syscall, measured.apply("syscall") + " (getppid: the round trip without the "
            + "DRM dispatch)")
        .set(Parameter.MIGRATE, guest.get(Parameter.MIGRATE), notHere + "move_pages on one node moves nothing")
        .set(Parameter.COMPACT_MEMORY, t.containsKey("compact_memory") ? need.apply("compact_memory").median()
            : guest.get(Parameter.COMPACT_MEMORY), t.containsKey("compact_memory") ? measured.apply("compact_memory")
            + " (a write of 1 to /proc/sys/vm/compact_memory after 16 MiB faulted in and freed again, as a program compacts "
            + "after work of its own and never right after another compaction, the calibration holding nothing: the walk of "
            + "this machine's memory)" : untimed(noisy, "compact_memory", guest,
            Parameter.COMPACT_MEMORY, "not timed: compaction of all memory takes root (a write to /proc/sys/vm/compact_memory), "
            + "and the calibration ran without; the figure of " + guest.name() + ": "
            + guest.figures().get(Parameter.COMPACT_MEMORY).source()))
        .set(Parameter.SWAP_IO, t.containsKey("pageout") ? need.apply("pageout").median() : guest.get(Parameter.SWAP_IO),
            t.containsKey("pageout") ? measured.apply("pageout") + " (MADV_PAGEOUT of written pages, per page, to the swap that "
                + "was on or, where none was, to a swap file in /var/tmp set up for the while)"
                : untimed(noisy, "pageout", guest, Parameter.SWAP_IO, noSwap + "write"))
        .set(Parameter.RECLAIM_PUTBACK, t.containsKey("pageout_noswap") ? need.apply("pageout_noswap").median()
            : guest.get(Parameter.RECLAIM_PUTBACK), t.containsKey("pageout_noswap") ? measured.apply("pageout_noswap")
            + " (MADV_PAGEOUT of written pages with no swap on, per page: each isolated, with no swap slot to go to, and put "
            + "back)" : untimed(noisy, "pageout_noswap", guest, Parameter.RECLAIM_PUTBACK, "not timed: swap was on here, and "
            + "MADV_PAGEOUT writes out every page it takes; the figure of " + guest.name() + ": "
            + guest.figures().get(Parameter.RECLAIM_PUTBACK).source()))
        .set(Parameter.SWAP_IN, swapIn, t.containsKey("swapin") ? String.format(Locale.ROOT, "derived %s: a read fault of a page "
            + "paged out (%s) less a fault and a page allocation%s", where, measured.apply("swapin"), swapIn > 0 ? ""
            : String.format(Locale.ROOT, "; here 0: the read fault took no longer than a fault and an allocation (%.1f ns), "
                + "the pages still in the swap cache as MADV_PAGEOUT's writes were in flight", fault + alloc))
            : untimed(noisy, "swapin", guest, Parameter.SWAP_IN, noSwap + "read"))
        .set(Parameter.SWAP_FREE, t.containsKey("swap_zap") ? need.apply("swap_zap").median() : guest.get(Parameter.SWAP_FREE),
            t.containsKey("swap_zap") ? measured.apply("swap_zap")
                + " (munmap of pages written out by MADV_PAGEOUT, once their writes ended, per page)"
                : untimed(noisy, "swap_zap", guest, Parameter.SWAP_FREE, swapless + ": "
                    + guest.figures().get(Parameter.SWAP_FREE).source()))
        .set(Parameter.NOTIFIER, guest.get(Parameter.NOTIFIER), notHere + "a notifier is a driver's")
        // The real side's GPU is the executor's stand-in for one: it copies an object's bytes, flushed from the CPU's caches,
        // into memory of its own.
        .set(Parameter.GPU_DMA, need.apply("gpu_stand_in").median(), measured.apply("gpu_stand_in")
            + " (no GPU here: the executor's stand-in for one copies a 4 MiB object's bytes, flushed from the CPU's caches as "
            + "for a device that does not snoop them, into memory of its own; its check of them is the lab's, left out)")
        .set(Parameter.GPU_DMA_WRITE, need.apply("gpu_stand_in_write").median(), measured.apply("gpu_stand_in_write")
            + " (the stand-in's write of a 4 MiB object, flushed from the CPU's caches first, from memory of its own; the bytes "
            + "it writes are the lab's, made before)")
        .set(Parameter.GPU_JOB, job, String.format(Locale.ROOT, "derived %s: the stand-in's read of a one-page object (%s) less "
            + "its bytes at the bandwidth above%s", where, measured.apply("gpu_stand_in_4k"), job > 0 ? ""
                : "; here 0: the page, which the CPU's cache held, took no longer than its bytes at that bandwidth"))
        .set(Parameter.GPU_PREEMPT, guest.get(Parameter.GPU_PREEMPT), notHere + "no GPU to time; " + guest.figures().get(Parameter.GPU_PREEMPT).source())
        .set(Parameter.GPU_VRAM, guest.get(Parameter.GPU_VRAM), notHere + "no GPU to time; " + guest.figures().get(Parameter.GPU_VRAM).source())
        .set(Parameter.GPU_FAULT, guest.get(Parameter.GPU_FAULT), notHere + "no GPU to time; " + guest.figures().get(Parameter.GPU_FAULT).source())
        .set(Parameter.USER_WRITE, need.apply("stream_write").median(), measured.apply("stream_write")
            + " (a 4 MiB stream written over pages written once already: the bytes alone; a page's first touch is FAULT's where "
            + "the program faults the page in, FIRST_TOUCH's where the kernel populated it)")
        .set(Parameter.USER_CHECK, need.apply("stream_check").median(), measured.apply("stream_check"))
        .set(Parameter.USER_CHECK_CACHE, need.apply("stream_check_cache").median(), measured.apply("stream_check_cache")
            + " (a buffer half the size of the CPU's own cache, written as its pages fault in, then checked)")
        .set(Parameter.CPU_CACHE_BYTES, Math.min(llcBytes >= 0 ? llcBytes : guest.get(Parameter.LLC_BYTES),
                caches.ownBytes() >= 0 ? caches.ownBytes() : guest.get(Parameter.CPU_CACHE_BYTES)),
            caches.ownBytes() >= 0 ? "read " + where + " from /sys/devices/system/cpu/cpu0/cache/index2"
                : "not in /sys/devices/system/cpu/cpu0/cache here; the figure of " + guest.name() + ": "
                    + guest.figures().get(Parameter.CPU_CACHE_BYTES).source())
        .set(Parameter.SYSCALL, syscall, measured.apply("syscall") + " (getppid)")
        .set(Parameter.VMA_CHANGE, vmaChange, String.format(Locale.ROOT, "derived %s: an mmap and munmap of one untouched page "
            + "(%s) less two system calls, halved: a VMA made and one freed", where, measured.apply("mmap_munmap")))
        .set(Parameter.TRUNCATE, Math.max(0, need.apply("memfd_truncate").median() - free), String.format(Locale.ROOT,
            "derived %s: a memfd of 1,024 written pages truncated to nothing, per page (%s), less a page's free", where,
            measured.apply("memfd_truncate")))
        .set(Parameter.PAGE_MKWRITE, t.containsKey("mkwrite") ? Math.max(0, need.apply("mkwrite").median() - fault)
            : guest.get(Parameter.PAGE_MKWRITE), t.containsKey("mkwrite") ? String.format(Locale.ROOT,
            "derived %s: a write to a shared page of a file in /var/tmp after a read of it, per page (%s), less a fault", where,
            measured.apply("mkwrite")) : untimed(noisy, "mkwrite", guest, Parameter.PAGE_MKWRITE,
            noFile + guest.figures().get(Parameter.PAGE_MKWRITE).source()))
        .set(Parameter.PAGECACHE_ADD, pagecacheAdd, String.format(Locale.ROOT, "derived %s: a memfd's 1,024 pages written by "
            + "one pwrite, per page (%.1f ns, %s), less a page's allocation from frames just freed (PAGE_ALLOC_WARM), its "
            + "clearing and its copy", where, memfdWrite, measured.apply("memfd_write")))
        .set(Parameter.FILE_WRITE, t.containsKey("file_write")
            ? Math.max(0, need.apply("file_write").median() - alloc - copy - pagecacheAdd)
            : guest.get(Parameter.FILE_WRITE), t.containsKey("file_write") ? String.format(Locale.ROOT, "derived %s: a pwrite of "
            + "a page into a new page of a file in /var/tmp (%s), less a page's allocation, its copy and its addition to the "
            + "page cache (PAGECACHE_ADD)", where,
            measured.apply("file_write")) : untimed(noisy, "file_write", guest, Parameter.FILE_WRITE,
            noFile + guest.figures().get(Parameter.FILE_WRITE).source()))
        .build();
  }

  /** The source of a figure whose primitive is missing: why {@code noisy} left it out, or {@code usual}. */
  private static String untimed(Map<String, String> noisy, String name, PlatformProfile guest, Parameter p, String usual) {
    return noisy.containsKey(name) ? "timed, but no round timed " + name + " well enough here (" + noisy.get(name) + "); the figure of "
        + guest.name() + ": " + guest.figures().get(p).source() : usual;
  }

  /** The primitives the profile is made of. */
  public static final List<String> USED = List.of("populate", "memset_cache", "write_fault", "cow_break", "wp_reuse", "dontneed", "mprotect", "fork_per_page",
      "pin_longterm", "vmsplice", "memcpy_cache", "memcpy_dram", "memset_dram", "syscall", "mmap_munmap", "memfd_truncate", "mkwrite", "file_write", "shootdown", "stream_write",
      "stream_check", "stream_check_cache", "gpu_stand_in", "gpu_stand_in_4k", "pageout", "swapin", "swap_zap", "mlock", "munlock", "fork",
      "unpin_longterm", "touch_populated", "touch_again", "gpu_stand_in_write", "compact_memory", "pageout_noswap", "put_free",
      "populate_warm", "memfd_write", "fill_recent", "fill_new");

  /**
   * The primitives of {@link #USED} the executor times only where it can: the shootdown with more
   * than one CPU, swap with a swap area on or root to set one up, a disk file's writes where
   * /var/tmp takes a file, compaction of all memory with root, a pageout that can take nothing with no swap on.
   * Without them the guest's figure stands.
   */
  public static final java.util.Set<String> OPTIONAL = java.util.Set.of("shootdown", "pageout", "swapin", "swap_zap", "file_write",
      "mkwrite", "compact_memory", "pageout_noswap");

  /**
   * How far apart the 10th and 90th percentile of a primitive's samples may lie, in medians, for
   * the figure to count as stable: farther, and something else ran in between. A difference of two
   * timings (fork per page, the shootdown) is noisy even on a quiet virtual machine, where its
   * samples span one to three medians; past that, the median says little.
   */
  public static final double MAX_SPREAD = 3.0;

  /**
   * How many times its fastest tenth's time a primitive's median may take while its slowest tenth lies close above the
   * median: past that, most samples ran in a slow spell of the machine's (a one-page GPU job timed at 20 us where the
   * other rounds time 7), and the round is taken again. A difference of two timings spreads its samples out instead.
   */
  public static final double SLOW_SPELL = 2.0;

  /** A figure no round timed well enough to use, and why. */
  public record Unreliable(String primitive, String why) {
    @Override
    public String toString() {
      return primitive + ": " + why;
    }
  }

  /**
   * What rounds of calibration come to: each primitive's timing from the first round where it was
   * positive and stable, and the figures of the profile no round timed well enough (none: the
   * profile can be written).
   *
   * @param chosen one timing per primitive, in the executor's order (for an unreliable one, its last round's)
   * @param round the round (from 1) each of {@code chosen} comes from
   * @param unreliable the figures no round timed well enough, in {@link #USED} order
   * @param rounds how many rounds there were
   */
  public record Settled(List<Timing> chosen, List<Integer> round, List<Unreliable> unreliable, int rounds) {
    public Settled {
      chosen = List.copyOf(chosen);
      round = List.copyOf(round);
      unreliable = List.copyOf(unreliable);
    }

    /** Whether every figure of the profile is usable. */
    public boolean ok() {
      return unreliable.isEmpty();
    }

    /** Whether the figures no round timed well are all {@link #OPTIONAL}: the guest's may stand in for them. */
    public boolean onlyOptionalUnreliable() {
      return !unreliable.isEmpty() && unreliable.stream().allMatch(u -> OPTIONAL.contains(u.primitive()));
    }

    /** The unreliable figures by primitive, with why: for {@link #profile(List, String, String, Caches, LocalDate, Map)}. */
    public Map<String, String> noisy() {
      Map<String, String> m = new java.util.LinkedHashMap<>();
      unreliable.forEach(u -> m.put(u.primitive(), u.why()));
      return m;
    }
  }

  /**
   * How many rounds {@code calibrate} times at the least (fewer where it is allowed fewer): each primitive is the median
   * of the rounds that timed it well, so that one round that fell in a slow minute of the machine's is outvoted. Taken
   * from its first good round, one calibration of ten on a virtual machine timed faults and system calls a fifth dearer
   * than the next, and its diff predicted every run a seventh over.
   */
  public static final int ROUNDS_AT_LEAST = 3;

  /**
   * Settles rounds of timings (each a whole {@code upl-exec --calibrate}): a primitive of the
   * profile is taken from the rounds where its samples are all above zero at the 10th percentile,
   * its spread is at most {@link #MAX_SPREAD} medians and it ran in no slow spell: of those, the
   * one of median median (the faster of two; the earlier of equal ones). Arithmetic on recorded
   * timings only: the same rounds always settle the same way.
   */
  public static Settled settle(List<List<Timing>> rounds) {
    if (rounds.isEmpty()) {
      throw new IllegalArgumentException("no round of calibration to settle");
    }
    Map<String, Timing> chosen = new java.util.LinkedHashMap<>();
    Map<String, Integer> from = new java.util.HashMap<>();
    Map<String, String> why = new java.util.HashMap<>();
    // Every primitive the rounds timed, in the first round's order; a used one is judged, the rest kept as first timed.
    for (int r = 0; r < rounds.size(); r++) {
      for (Timing t : rounds.get(r)) {
        if (!chosen.containsKey(t.name())) {
          chosen.put(t.name(), t);
          from.put(t.name(), r + 1);
        }
      }
    }
    for (String name : USED) {
      if (!chosen.containsKey(name)) {
        continue;
      }
      record Good(int round, Timing timing) {}
      String last = null;
      List<Good> good = new ArrayList<>();
      for (int r = 0; r < rounds.size(); r++) {
        for (Timing t : rounds.get(r)) {
          if (!t.name().equals(name)) {
            continue;
          }
          String bad = judge(t);
          if (bad == null) {
            good.add(new Good(r + 1, t));
          } else {
            last = bad;
            chosen.put(name, t);
            from.put(name, r + 1);
          }
        }
      }
      if (good.isEmpty()) {
        why.put(name, last);
        continue;
      }
      // A stable sort: of equal medians the earlier round stays first.
      good.sort(java.util.Comparator.comparingDouble(g -> g.timing().median()));
      Good median = good.get((good.size() - 1) / 2);
      chosen.put(name, median.timing());
      from.put(name, median.round());
    }
    List<Unreliable> unreliable = new ArrayList<>();
    for (String name : USED) {
      if (why.containsKey(name)) {
        unreliable.add(new Unreliable(name, why.get(name)));
      }
    }
    for (String name : USED) {
      if (!chosen.containsKey(name) && !OPTIONAL.contains(name)) {
        unreliable.add(new Unreliable(name, "not timed at all"));
      }
    }
    List<Timing> ts = List.copyOf(chosen.values());
    return new Settled(ts, ts.stream().map(t -> from.get(t.name())).toList(), unreliable, rounds.size());
  }

  /**
   * The unit of a primitive's figures: B/ns for a bandwidth (memcpy, memset, the program's stream,
   * the GPU stand-in's read and write over 4 MiB), ns per page or per call for the rest.
   */
  public static String unit(String primitive) {
    return primitive.startsWith("memcpy") || primitive.startsWith("memset") || primitive.startsWith("stream_")
        || primitive.equals("gpu_stand_in") || primitive.equals("gpu_stand_in_write") ? "B/ns" : "ns";
  }

  /** A measured figure as written: three decimals below 10 (a bandwidth of a fraction of a byte per ns), else one. */
  public static String figure(double v) {
    return String.format(Locale.ROOT, Math.abs(v) < 10 ? "%.3f" : "%.1f", v);
  }

  /** Why {@code t} cannot be used, or null. */
  private static String judge(Timing t) {
    String unit = " " + unit(t.name());
    if (t.samples() < 1) {
      throw new IllegalArgumentException(t.name() + " has no samples");
    }
    if (t.median() <= 0 || t.p10() <= 0) {
      return String.format(Locale.ROOT, "median %.1f%s, p10 %.1f%s: samples at or below zero, so the figure is noise", t.median(), unit,
          t.p10(), unit);
    }
    if (t.p90() - t.p10() > MAX_SPREAD * t.median()) {
      return String.format(Locale.ROOT, "p10 %.1f%s to p90 %.1f%s around a median of %.1f%s: a spread of more than %.0f medians is "
          + "not stable", t.p10(), unit, t.p90(), unit, t.median(), unit, MAX_SPREAD);
    }
    // In time per sample: a bandwidth's fastest tenth is its 90th percentile.
    boolean bandwidth = unit.equals(" B/ns");
    double fastest = bandwidth ? 1 / t.p90() : t.p10();
    double middle = bandwidth ? 1 / t.median() : t.median();
    double slowest = bandwidth ? 1 / t.p10() : t.p90();
    if (middle > SLOW_SPELL * fastest && slowest < 1.5 * middle) {
      return String.format(Locale.ROOT, "p10 %.1f%s, median %.1f%s, p90 %.1f%s: most samples took over %.0f times the fastest "
          + "tenth's time and lie close together, a slow spell of the machine's rather than the primitive's time", t.p10(), unit,
          t.median(), unit, t.p90(), unit, SLOW_SPELL);
    }
    return null;
  }

  /** The size of the last-level cache, from sysfs (index3, else the highest index), in bytes; -1 if none says. */
  public static long llcBytes() {
    for (int index = 3; index >= 0; index--) {
      long size = cacheBytes(index);
      if (size >= 0) {
        return size;
      }
    }
    return -1;
  }

  /** The size of a CPU's own cache, its level 2 (sysfs index2, as the executor's calibration reads it); -1 if none says. */
  static long ownCacheBytes() {
    return cacheBytes(2);
  }

  /** The size sysfs gives cpu0's cache {@code index}, in bytes; -1 where it has none. */
  private static long cacheBytes(int index) {
    Path size = Path.of("/sys/devices/system/cpu/cpu0/cache/index" + index + "/size");
    try {
      String s = Files.readString(size).trim();
      long unit = s.endsWith("K") ? 1 << 10 : s.endsWith("M") ? 1 << 20 : 1;
      return Long.parseLong(s.replaceAll("[KM]$", "")) * unit;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /** Where and when a figure was timed, as each figure's source says it: "on Linux KERNEL, CPU, DAY". */
  public static String where(String kernel, String cpu, LocalDate day) {
    return String.format(Locale.ROOT, "on Linux %s, %s, %s", kernel, cpu, day);
  }

  /** The CPU's model name from /proc/cpuinfo, or "an unknown CPU". */
  public static String cpu() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("an unknown CPU");
    } catch (IOException e) {
      return "an unknown CPU";
    }
  }
}
