package org.userptrlab.mm;


/**
 * The kernel services a driver calls, each named after the kernel function it models. Every
 * call is made on behalf of a process (the one whose ioctl is running), checks its arguments
 * first, and on refusal throws {@link MmException} having changed nothing.
 */
public final class Kernel {
  private final Machine m;

  Kernel(Machine m) {
    this.m = m;
  }

  private Machine enter(Process p) {
    if (!p.alive()) {
      throw MmException.of(Errno.EFAULT, "process %d (%s) has exited: its mm is gone", p.pid(), p.name());
    }
    m.current = p;
    return m;
  }

  // ---- get_user_pages / pin_user_pages ----------------------------------------------------

  /**
   * get_user_pages: FOLL_GET references to up to {@code nrPages} pages from {@code start},
   * faulting them in (FOLL_WRITE breaks COW first). Returns fewer pages than asked when a later
   * page fails, as the kernel does; throws only when the first page fails.
   */
  public PageRefs getUserPages(Process p, long start, int nrPages, int gupFlags) {
    return enter(p).gup.get(p, start, nrPages, (gupFlags & ~Foll.FOLL_PIN) | Foll.FOLL_GET, false);
  }

  /** get_user_pages_fast: the lockless walk first, the slow path for what it cannot take. */
  public PageRefs getUserPagesFast(Process p, long start, int nrPages, int gupFlags) {
    return enter(p).gup.get(p, start, nrPages, (gupFlags & ~Foll.FOLL_PIN) | Foll.FOLL_GET, true);
  }

  /**
   * pin_user_pages: FOLL_PIN pins (each adds GUP_PIN_COUNTING_BIAS to the refcount, so
   * folio_maybe_dma_pinned sees it); with FOLL_LONGTERM on a modern kernel, pages in CMA or
   * ZONE_MOVABLE are first migrated out. On {@link KernelConfig#LINUX_3_4}, which has no FOLL_PIN,
   * this is get_user_pages.
   */
  public PageRefs pinUserPages(Process p, long start, int nrPages, int gupFlags) {
    return enter(p).gup.get(p, start, nrPages, (gupFlags & ~Foll.FOLL_GET) | Foll.FOLL_PIN, false);
  }

  /** pin_user_pages_fast. */
  public PageRefs pinUserPagesFast(Process p, long start, int nrPages, int gupFlags) {
    return enter(p).gup.get(p, start, nrPages, (gupFlags & ~Foll.FOLL_GET) | Foll.FOLL_PIN, true);
  }

  /**
   * All of [start, start + nrPages pages) or nothing, as a driver needs it: a short count is
   * released again and reported as EFAULT naming the first page that failed.
   */
  public PageRefs pinUserPagesAll(Process p, long start, int nrPages, int gupFlags) {
    return whole(pinUserPagesFast(p, start, nrPages, gupFlags), p, start, nrPages, gupFlags, true);
  }

  /** As {@link #pinUserPagesAll}, with FOLL_GET references. */
  public PageRefs getUserPagesAll(Process p, long start, int nrPages, int gupFlags) {
    return whole(getUserPagesFast(p, start, nrPages, gupFlags), p, start, nrPages, gupFlags, false);
  }

  private PageRefs whole(PageRefs refs, Process p, long start, int nrPages, int gupFlags, boolean pin) {
    if (refs.size() == nrPages) {
      return refs;
    }
    int got = refs.size();
    refs.release();
    long bad = start + ((long) got << Page.PAGE_SHIFT);
    String why;
    try {
      PageRefs probe = pin ? pinUserPages(p, bad, 1, gupFlags) : getUserPages(p, bad, 1, gupFlags);
      probe.release();
      why = "it could be taken on its own";
    } catch (MmException e) {
      why = e.getMessage();
    }
    throw MmException.of(Errno.EFAULT, "only %d of %d pages from 0x%x could be taken; page at 0x%x failed (%s); nothing is held",
        got, nrPages, start, bad, why);
  }

  /**
   * Charges the pages to the process's pinned_vm against RLIMIT_MEMLOCK unless it has
   * CAP_IPC_LOCK, as ib_umem_get and io_uring do; released with the pages.
   */
  public void accountPinnedVm(Process p, PageRefs refs) {
    charge(p, refs, false, refs.size());
  }

  /**
   * io_buffer_account_pin (io_uring's fixed buffers): as {@link #accountPinnedVm}, but a page of a
   * large folio charges the whole folio, once per buffer (headpage_already_acct), so a buffer in
   * part of a THP is charged all 2 MiB of it.
   */
  public void accountPinnedVmByFolio(Process p, PageRefs refs) {
    long pages = 0;
    int lastHead = MemMap.NONE;
    java.util.Set<Integer> heads = new java.util.HashSet<>();
    for (int pfn : refs.pfns) {
      int head = pfn == MemMap.ZERO_PFN ? pfn : m.mem.folio(pfn);
      if (!m.mem.folioLarge(head)) {
        pages++;
      } else if (head != lastHead && heads.add(head)) {
        pages += m.mem.folioNrPages(head);
      }
      lastHead = head;
    }
    charge(p, refs, false, pages);
  }

  /** __account_locked_vm (VFIO type1): charges the pages to locked_vm against RLIMIT_MEMLOCK. */
  public void accountLockedVm(Process p, PageRefs refs) {
    charge(p, refs, true, refs.size());
  }

  /**
   * The check ib_umem_get makes before it pins: ENOMEM if {@code pages} more would take pinned_vm
   * past RLIMIT_MEMLOCK and the process lacks CAP_IPC_LOCK. Changes nothing.
   */
  public void checkPinnedVm(Process p, long pages) {
    enter(p);
    checkCharge(p, pages, false);
  }

  private void checkCharge(Process p, long pages, boolean locked) {
    Mm mm = p.mm;
    long now = locked ? mm.lockedVm : mm.pinnedVm;
    long limit = p.memlockLimit() >>> Page.PAGE_SHIFT;
    if (Long.compareUnsigned(now + pages, limit) > 0 && !p.capable(Capability.CAP_IPC_LOCK)) {
      throw MmException.of(Errno.ENOMEM, "%s: %d more pages would bring it to %d, over RLIMIT_MEMLOCK of %d pages; "
          + "raise the limit or give the process CAP_IPC_LOCK", locked ? "locked_vm" : "pinned_vm", pages, now + pages, limit);
    }
  }

  private void charge(Process p, PageRefs refs, boolean locked, long pages) {
    enter(p);
    if (refs.released() || refs.chargedTo != null) {
      throw MmException.of(Errno.EINVAL, "these pages are released or already charged");
    }
    Mm mm = p.mm;
    checkCharge(p, pages, locked);
    if (locked) {
      mm.lockedVm += pages;
    } else {
      mm.pinnedVm += pages;
    }
    refs.chargedPages = pages;
    refs.chargedTo = mm;
    refs.chargedLocked = locked;
  }

  // ---- changing a process's page tables ---------------------------------------------------

  /**
   * zap_page_range_single over [start, start + len) (unmap_mapping_range for anonymous memory):
   * the PTEs go, the VMAs stay; a page someone still holds survives and is theirs alone; the next
   * touch faults in a fresh page. Returns the present PTEs cleared.
   */
  public long zapPageRange(Process p, long start, long len) {
    Machine mach = enter(p);
    long end = checkRange(start, len, "zap_page_range");
    return mach.memory.zapPageRangeSingle(p.mm, start, end);
  }

  /**
   * Write-protects the PTEs of [start, start + len) so that the next user write faults. With
   * {@code share}, the anonymous pages also stop being exclusive (folio_try_share_anon_rmap_pte)
   * so that do_wp_page must copy rather than reuse while anyone else holds them; a page that may
   * be DMA-pinned cannot be shared (EBUSY, nothing changed). On 3.4 there is no exclusive flag:
   * do_wp_page reuses any page mapped once, whoever else holds it. Returns the PTEs write-protected.
   */
  public long writeProtectRange(Process p, long start, long len, boolean share) {
    Machine mach = enter(p);
    long end = checkRange(start, len, "write_protect");
    return mach.mmap.writeProtect(p.mm, start, end, share);
  }

  private static long checkRange(long start, long len, String call) {
    if (!Page.aligned(start) || !Page.aligned(len) || len <= 0) {
      throw MmException.of(Errno.EINVAL, "%s: [0x%x, +0x%x) must be a non-empty page-aligned range", call, start, len);
    }
    return Mmap.checkedEnd(start, len, Errno.EINVAL, call);
  }

  /**
   * Sets or clears VM_LOCKED on every VMA that intersects the range, whole, with no
   * RLIMIT_MEMLOCK check and no locked_vm charge, as the 2012 Exynos userptr patch did
   * ({@code vma->vm_flags |= VM_LOCKED}, then {@code &= ~VM_LOCKED}). Locking marks the pages
   * already present mlocked, as reclaim would on meeting them (try_to_unmap_one's VM_LOCKED check);
   * clearing goes around munlock, so those pages stay PG_mlocked and unevictable. Returns the pages
   * of the VMAs changed.
   */
  public long setVmLockedUnaccounted(Process p, long start, long len, boolean lock) {
    Machine mach = enter(p);
    long end = checkRange(start, len, "set_vm_locked");
    return mach.mlock.setVmLockedUnaccounted(p.mm, start, end, lock);
  }

  // ---- kernel memory, copies and device DMA ------------------------------------------------

  /** alloc_pages(GFP_KERNEL) for a driver: {@code nrPages} zeroed, unmovable frames it owns until released. */
  public PageRefs allocPages(int nrPages) {
    if (nrPages <= 0) {
      throw MmException.of(Errno.EINVAL, "alloc_pages: %d pages", nrPages);
    }
    return m.gup.hold(m.pageAlloc.allocKernelPages(nrPages), false, false);
  }

  /**
   * alloc_contig_pages for a driver outside CMA: {@code nrPages} physically contiguous free
   * frames of ZONE_NORMAL, lowest first; nothing is migrated to make room, so ENOMEM when no free
   * run is long enough.
   */
  public PageRefs allocContigPages(int nrPages) {
    if (nrPages <= 0) {
      throw MmException.of(Errno.EINVAL, "alloc_contig_pages: %d pages", nrPages);
    }
    return m.gup.hold(m.pageAlloc.allocContigPages(nrPages), false, false);
  }

  /** shmem_read_mapping_page for every page of a shmem file: references to its page-cache frames, read in as needed. */
  public PageRefs shmemGetPages(MemFile f) {
    if (!f.shmem) {
      throw MmException.of(Errno.EINVAL, "%s is not a shmem file", f);
    }
    long room = (long) m.mem.nrFrames + m.swap.slots();
    if (f.pages - f.cachedPages() > room) {
      // shmem_get_folio would run the machine out of memory and swap long before the last page.
      throw MmException.of(Errno.ENOMEM, "%s needs %d pages but the machine has %d pages of RAM and swap in all",
          f, f.pages, room);
    }
    return m.gup.hold(m.files.readMappingPages(f), false, false);
  }

  /** A shmem file of {@code size} bytes for a driver's buffer objects (shmem_file_setup). */
  public MemFile shmemFileSetup(String name, long size) {
    if (size <= 0) {
      throw MmException.of(Errno.EINVAL, "shmem_file_setup: size %d must be positive", size);
    }
    return m.files.create(name, size, MemFile.Kind.SHMEM_INTERNAL, false);
  }

  /** Drops a driver's shmem file and its page cache (the last fput); pages someone holds live on. */
  public void shmemFileRelease(MemFile f) {
    m.files.release(f);
  }

  /**
   * copy_from_user: {@code len} bytes from the process's {@code uaddr} to byte {@code offset} of
   * the frames (faulting the user pages in); EFAULT, with nothing copied, if the range is not
   * readable. A page that faults with SIGBUS (past the end of a mapped file) is EFAULT too: a
   * kernel-mode fault in a user copy is fixed up from the exception table, never a signal; the
   * pages before it stay faulted in and copied. Counted in {@link VmEvent#COPY_BYTES}.
   */
  public void copyFromUser(Process p, long uaddr, int[] pfns, long offset, long len) {
    Machine mach = enter(p);
    checkFrames(pfns, offset, len);
    checkUser(mach, p, uaddr, len, false);
    userCopy(false, uaddr, () -> mach.uaccess.copy(frames(pfns), offset, mach.uaccess.fromKernel(p.mm), uaddr, len));
    mach.vmstat.count(VmEvent.COPY_BYTES, len);
    mach.vmstat.count(VmEvent.COPY_CALLS);
  }

  /** copy_to_user: the reverse of {@link #copyFromUser}. */
  public void copyToUser(Process p, long uaddr, int[] pfns, long offset, long len) {
    Machine mach = enter(p);
    checkFrames(pfns, offset, len);
    checkUser(mach, p, uaddr, len, true);
    userCopy(true, uaddr, () -> mach.uaccess.copy(mach.uaccess.fromKernel(p.mm), uaddr, frames(pfns), offset, len));
    mach.vmstat.count(VmEvent.COPY_BYTES, len);
    mach.vmstat.count(VmEvent.COPY_CALLS);
  }

  /** A user copy whose fault ends in a signal returns EFAULT instead (ex_handler_uaccess's fixup). */
  private static void userCopy(boolean write, long uaddr, Runnable copy) {
    try {
      copy.run();
    } catch (SignalException e) {
      throw MmException.of(Errno.EFAULT, "%s user memory at 0x%x: %s", write ? "copy_to_user:" : "copy_from_user:", uaddr,
          e.getMessage());
    }
  }

  /**
   * fault_in_readable / fault_in_writeable without the faulting: EFAULT unless every byte of the
   * user range is mapped with the access a copy would need. Lets a driver refuse before it changes anything.
   */
  public void checkUserRange(Process p, long uaddr, long len, boolean write) {
    checkUser(enter(p), p, uaddr, len, write);
  }

  /** A kernel copy between frames (a driver's memcpy), counted in {@link VmEvent#COPY_BYTES}. */
  public void copyFrames(int[] dst, long dstOffset, int[] src, long srcOffset, long len) {
    checkFrames(dst, dstOffset, len);
    checkFrames(src, srcOffset, len);
    m.uaccess.copy(frames(dst), dstOffset, frames(src), srcOffset, len);
    m.vmstat.count(VmEvent.COPY_BYTES, len);
    m.vmstat.count(VmEvent.COPY_CALLS);
  }

  private static void checkUser(Machine mach, Process p, long uaddr, long len, boolean write) {
    userCopy(write, uaddr, () -> mach.uaccess.checkRange(p.mm, uaddr, len, write));
  }

  /** set_page_dirty_lock on each frame: a driver telling the kernel the device wrote them. */
  public void setPagesDirty(int[] pfns) {
    for (int pfn : pfns) {
      if (pfn != MemMap.ZERO_PFN && !m.mem.isFree(pfn)) {
        m.mem.flags[pfn] |= PageFlags.PG_DIRTY;
      }
    }
  }

  /** A device reading frames by DMA: whether bytes [offset, offset + len) hold the seed's stream from {@code streamPos}. */
  public boolean dmaMatches(int[] pfns, long offset, long len, long seed, long streamPos) {
    checkFrames(pfns, offset, len);
    return m.uaccess.matches(frames(pfns), offset, len, seed, streamPos);
  }

  /** A device writing frames by DMA: the seed's stream over bytes [offset, offset + len). Sets no dirty bit: that is the driver's job. */
  public void dmaFill(int[] pfns, long offset, long len, long seed) {
    checkFrames(pfns, offset, len);
    m.uaccess.fill(frames(pfns), offset, len, seed);
  }

  /** How many of the frames are free now (page_count 0): a device that still addresses them reaches memory no one owns. */
  public int framesFreed(int[] pfns) {
    int n = 0;
    for (int pfn : pfns) {
      if (pfn != MemMap.ZERO_PFN && m.mem.isFree(pfn)) {
        n++;
      }
    }
    return n;
  }

  /** A device reading one byte by DMA. */
  public byte dmaRead(int[] pfns, long offset) {
    checkFrames(pfns, offset, 1);
    int pfn = pfns[(int) (offset >>> Page.PAGE_SHIFT)];
    return m.content.byteAt(m.uaccess.token(pfn), Page.offset(offset));
  }

  /** mmget_not_zero: a driver reaching an exited process finds no mm and fails with EFAULT. */
  private void checkFrames(int[] pfns, long offset, long len) {
    if (offset < 0 || len < 0 || offset + len > ((long) pfns.length << Page.PAGE_SHIFT)) {
      throw MmException.of(Errno.EINVAL, "bytes [%d, +%d) lie outside %d frames", offset, len, pfns.length);
    }
    for (int pfn : pfns) {
      if (!m.mem.hasPage(pfn)) {
        throw MmException.of(Errno.EFAULT, "pfn %d is not a frame of this machine (it has %d frames of RAM and %d device-private pages)",
            pfn, m.mem.nrFrames, m.mem.devicePrivateEnd - m.mem.nrFrames);
      }
      if (pfn != MemMap.ZERO_PFN && m.mem.isFree(pfn)) {
        throw new IllegalStateException("DMA to pfn " + pfn + ", which is not an allocated frame: a use after free");
      }
    }
  }

  private PageResolver frames(int[] pfns) {
    return (addr, write) -> {
      int pfn = pfns[(int) (addr >>> Page.PAGE_SHIFT)];
      if (write && pfn == MemMap.ZERO_PFN) {
        throw new IllegalStateException("a device write to the shared zero page");
      }
      return pfn;
    };
  }

  // ---- migration, compaction, CMA, reclaim ------------------------------------------------

  /** migrate_pages for one page to any movable frame; the new pfn. EAGAIN when held, EBUSY when unmovable. */
  public int migratePage(int pfn) {
    checkPfn(pfn);
    m.current = null;
    return m.migrate.migratePage(pfn, Gfp.HIGHUSER_MOVABLE);
  }

  /** One full pass of khugepaged over every process; the THPs it collapsed. */
  public int khugepaged() {
    m.current = null;
    return m.thp.khugepaged();
  }

  /** A write to /proc/sys/vm/compact_memory (compact_nodes): compact_node over every zone; {migrated, failed}. */
  public long[] compactMemory() {
    m.current = null;
    m.vmstat.count(VmEvent.COMPACT_NODES);
    return m.migrate.compactNode();
  }

  /** cma_alloc: {@code pages} physically contiguous frames from the CMA region, owned by the caller until released. */
  public PageRefs cmaAlloc(int pages) {
    m.current = null;
    return m.cma.alloc(pages);
  }

  /** Reclaims up to {@code pages} frames (what kswapd or direct reclaim would do under pressure); the number freed. */
  public int reclaim(int pages) {
    if (pages <= 0) {
      throw MmException.of(Errno.EINVAL, "reclaim: %d pages", pages);
    }
    m.current = null;
    return m.vmscan.shrink(pages);
  }

  private void checkPfn(int pfn) {
    if (pfn <= MemMap.ZERO_PFN || pfn >= m.mem.nrFrames) {
      throw MmException.of(Errno.EINVAL, "pfn %d is not a RAM frame a page can live in", pfn);
    }
  }

  /**
   * One attempt of the OOM reaper over a victim's memory (oom_reap_task_mm, __oom_reap_task_mm):
   * {pages unmapped, VMAs skipped because a notifier would have blocked}. The model's reaper is the
   * one that tells notifiers it may not block (4.19); UnsupportedOperationException on a kernel before it.
   */
  public long[] oomReapTaskMm(Process victim) {
    Machine mach = enter(victim);
    if (!mach.kernelConfig.has(KernelChange.OOM_REAP_NONBLOCK)) {
      throw new UnsupportedOperationException(String.format("the model's OOM reaper is the one of %s (%s, "
          + "mmu_notifier_invalidate_range_start_nonblock); %s's is not modelled: run it on %s or later",
          KernelChange.OOM_REAP_NONBLOCK.release(), KernelChange.OOM_REAP_NONBLOCK.commit(), mach.kernelConfig,
          KernelChange.OOM_REAP_NONBLOCK.release()));
    }
    return mach.memory.oomReap(victim.mm);
  }

  /** The lock-order validator: a driver tells it the locks it takes (lock_acquire), in its own names. */
  public Lockdep lockdep() {
    return m.lockdep;
  }

  // ---- MMU notifiers and HMM --------------------------------------------------------------

  /** mmu_interval_notifier_insert over [start, start + len) of the process's address space. */
  public MmuIntervalNotifier mmuIntervalNotifierInsert(Process p, long start, long len, MmuIntervalNotifier.Ops ops) {
    enter(p);
    if (len <= 0 || ops == null) {
      throw MmException.of(Errno.EINVAL, "mmu_interval_notifier_insert: empty interval or no ops");
    }
    Mmap.checkedEnd(start, len, Errno.EINVAL, "mmu_interval_notifier_insert");
    MmuIntervalNotifier sub = new MmuIntervalNotifier(m.notifiers, p.mm, start, start + len, ops);
    m.notifiers.insert(sub);
    return sub;
  }

  /**
   * hmm_range_fault: the frames behind [start, start + nrPages pages), faulted in (for writing
   * when {@code write}), with no reference taken: the caller must check
   * {@link MmuIntervalNotifier#readRetry} before using them, and start over if it says so.
   */
  public int[] hmmRangeFault(Process p, long start, int nrPages, boolean write) {
    Machine mach = enter(p);
    checkRange(start, (long) nrPages << Page.PAGE_SHIFT, "hmm_range_fault");
    Mm mm = p.mm;
    for (long a = start; a < start + ((long) nrPages << Page.PAGE_SHIFT); a += Page.PAGE_SIZE) {
      Vma v = mm.find(a);
      if (v == null) {
        throw MmException.of(Errno.EFAULT, "hmm_range_fault: 0x%x is not mapped (no VMA: the range was unmapped, or the process exited or was killed and its memory went)", a);
      }
      if (v.has(VmFlags.VM_IO | VmFlags.VM_PFNMAP) || !v.has(write ? VmFlags.VM_WRITE : VmFlags.VM_READ)) {
        throw MmException.of(Errno.EFAULT, "hmm_range_fault: 0x%x is not mapped %s", a, v.has(VmFlags.VM_IO | VmFlags.VM_PFNMAP)
            ? "as memory (a VM_IO or VM_PFNMAP mapping)" : write ? "writable" : "readable");
      }
    }
    int[] pfns = new int[nrPages];
    PageResolver r = mach.uaccess.user(mm);
    // The caller holds mmap_read_lock around hmm_range_fault (Documentation/mm/hmm.rst).
    mach.lockdep.acquire(Lockdep.MMAP_LOCK, "hmm_range_fault");
    mach.mmapLocks.lock(mm.id, false, "hmm_range_fault");
    try {
      for (int i = 0; i < nrPages; i++) {
        pfns[i] = r.pfn(start + ((long) i << Page.PAGE_SHIFT), write);
      }
    } finally {
      mach.lockdep.release(Lockdep.MMAP_LOCK);
    }
    mach.vmstat.count(VmEvent.HMM_RANGE_PAGES, nrPages);
    return pfns;
  }

  /**
   * hmm_range_fault (5.8's pfn API): for each page of the range, its frame with {@link HmmRange#HMM_PFN_VALID}
   * and {@link HmmRange#HMM_PFN_WRITE} as the CPU's entry allows, faulting in (for writing, breaking COW)
   * what the request flags need. A device-private page of the caller's own memory (dev_private_owner) is
   * reported as it is, never faulted, even when a write is asked and its entry is readable only; another
   * owner's is faulted back to RAM (5.19; before, EFAULT). EFAULT for a range not mapped, or mapped
   * VM_IO or VM_PFNMAP; EPERM for a write asked of a VMA without VM_WRITE. No reference is taken: the
   * caller checks {@link MmuIntervalNotifier#readRetry} before it uses the answer.
   */
  public long[] hmmRangeFault(HmmRange range) {
    Machine mach = enter(range.process());
    if (!mach.kernelConfig.has(KernelChange.HMM_PFN_API)) {
      throw new UnsupportedOperationException(String.format("hmm_range_fault's pfn format came in %s (%s); %s's driver-defined "
          + "tables are not modelled: use hmmRangeFault(Process, long, int, boolean)", KernelChange.HMM_PFN_API.release(),
          KernelChange.HMM_PFN_API.commit(), mach.kernelConfig.config()));
    }
    checkRange(range.start(), range.end() - range.start(), "hmm_range_fault");
    Mm mm = range.process().mm;
    boolean fault = (range.defaultFlags() & HmmRange.HMM_PFN_REQ_FAULT) != 0;
    boolean write = fault && (range.defaultFlags() & HmmRange.HMM_PFN_REQ_WRITE) != 0;
    long[] pfns = new long[range.nrPages()];
    mach.lockdep.acquire(Lockdep.MMAP_LOCK, "hmm_range_fault");
    mach.mmapLocks.lock(mm.id, false, "hmm_range_fault");
    try {
      for (int i = 0; i < pfns.length; i++) {
        long addr = range.start() + ((long) i << Page.PAGE_SHIFT);
        Vma v = mm.find(addr);
        if (v == null || v.has(VmFlags.VM_IO | VmFlags.VM_PFNMAP) || !v.has(VmFlags.VM_READ)) {
          if (fault) {
            throw MmException.of(Errno.EFAULT, "hmm_range_fault: 0x%x is not mapped readable (or is VM_IO/VM_PFNMAP)", addr);
          }
          continue;
        }
        pfns[i] = hmmPage(mach, mm, v, addr >>> Page.PAGE_SHIFT, fault, write, range.devPrivateOwner());
      }
    } finally {
      mach.lockdep.release(Lockdep.MMAP_LOCK);
    }
    mach.vmstat.count(VmEvent.HMM_RANGE_PAGES, pfns.length);
    return pfns;
  }

  /** hmm_vma_handle_pte for one page, then hmm_vma_fault (handle_mm_fault) and the walk again where it must fault. */
  private long hmmPage(Machine mach, Mm mm, Vma v, long vpn, boolean fault, boolean write, Object owner) {
    long pte = mm.pgtable.get(vpn);
    if (Pte.devicePrivate(pte)) {
      if (!mach.kernelConfig.has(KernelChange.HMM_DEV_PRIVATE_OWNER) || mach.pagemap(Pte.pfn(pte)).owner == owner) {
        return Pte.pfn(pte) | HmmRange.HMM_PFN_VALID | (Pte.writable(pte) ? HmmRange.HMM_PFN_WRITE : 0);
      }
      if (fault && !mach.kernelConfig.has(KernelChange.HMM_FAULT_NON_OWNER)) {
        throw MmException.of(Errno.EFAULT, "hmm_range_fault: 0x%x maps a device-private page another driver owns, and %s faults "
            + "only its caller's own back (%s came in %s)", Page.addr(vpn), mach.kernelConfig.config(),
            KernelChange.HMM_FAULT_NON_OWNER.commit(), KernelChange.HMM_FAULT_NON_OWNER.release());
      }
    } else if (Pte.present(pte) && (!write || Pte.writable(pte))) {
      return Pte.pfn(pte) | HmmRange.HMM_PFN_VALID | (Pte.writable(pte) ? HmmRange.HMM_PFN_WRITE : 0);
    }
    if (!fault) {
      return 0;
    }
    if (write && !v.has(VmFlags.VM_WRITE)) {
      throw MmException.of(Errno.EPERM, "hmm_range_fault: write access asked of 0x%x, whose VMA is not writable", Page.addr(vpn));
    }
    try {
      mach.memory.kernelFault(mm, v, vpn, write, false);
    } catch (SignalException e) {
      throw MmException.of(Errno.EFAULT, "hmm_range_fault: the fault at 0x%x failed: %s", Page.addr(vpn), e.getMessage());
    }
    return hmmPage(mach, mm, v, vpn, false, write, owner);
  }

  // ---- device-private memory (ZONE_DEVICE, MEMORY_DEVICE_PRIVATE) ------------------------------

  /**
   * memremap_pages of MEMORY_DEVICE_PRIVATE: {@code bytes} of the machine's device-private memory
   * become the driver's, with {@code owner} and the callbacks the memory manager makes. EINVAL on a
   * kernel without device-private memory (4.14) or for a size that is not whole pages; ENOMEM when the
   * machine has not that much left.
   */
  public DevicePagemap memremapPages(Object owner, long bytes, DevicePagemap.Ops ops) {
    if (!m.kernelConfig.has(KernelChange.DEVICE_PRIVATE)) {
      throw MmException.of(Errno.EINVAL, "memremap_pages: kernel %s has no MEMORY_DEVICE_PRIVATE (it came in %s, %s)",
          m.kernelConfig.config(), KernelChange.DEVICE_PRIVATE.release(), KernelChange.DEVICE_PRIVATE.commit());
    }
    if (bytes <= 0 || !Page.aligned(bytes) || owner == null || ops == null) {
      throw MmException.of(Errno.EINVAL, "memremap_pages: %d bytes must be a positive whole number of pages, with an owner and ops", bytes);
    }
    return m.memremapPages(owner, (int) Page.pages(bytes), ops);
  }

  /**
   * zone_device_page_init: the driver takes one of its free device-private pages (for a migration's
   * destination); it holds the page's one reference until {@link #migrateVmaFinalize} drops it.
   */
  public void zoneDevicePageInit(DevicePagemap pgmap, int pfn) {
    if (!pgmap.contains(pfn) || !m.mem.isFree(pfn)) {
      throw MmException.of(Errno.EINVAL, "zone_device_page_init: pfn %d is not a free page of this pagemap", pfn);
    }
    m.mem.zoneDevicePageInit(pfn);
  }

  /**
   * alloc_page_vma(GFP_HIGHUSER) for a migration back to RAM: a page of ZONE_NORMAL the driver holds
   * (the drivers' destinations carry no __GFP_MOVABLE); ENOMEM after reclaim.
   */
  public int allocMigrationTarget() {
    m.current = null;
    return m.pageAlloc.allocUserPage(Gfp.USER_NO_MOVABLE);
  }

  /** A device's copy engine copying whole pages {@code src[i]} to {@code dst[i]} (RAM or device-private), for a migration. */
  public void dmaCopyPages(int[] dst, int[] src) {
    if (dst.length != src.length) {
      throw MmException.of(Errno.EINVAL, "dma copy: %d destinations for %d sources", dst.length, src.length);
    }
    checkFrames(dst, 0, (long) dst.length << Page.PAGE_SHIFT);
    checkFrames(src, 0, (long) src.length << Page.PAGE_SHIFT);
    for (int i = 0; i < dst.length; i++) {
      m.content.release(m.mem.content[dst[i]]);
      m.mem.content[dst[i]] = m.content.duplicate(m.mem.content[src[i]]);
    }
  }

  /** migrate_vma_setup: see {@link MigrateVma}. EINVAL, changing nothing, for a range no migration can take. */
  public void migrateVmaSetup(MigrateVma args) {
    enter(args.process);
    m.migrateDevice.setup(args);
  }

  /** migrate_vma_pages. */
  public void migrateVmaPages(MigrateVma args) {
    enter(args.process);
    m.migrateDevice.pages(args);
  }

  /** migrate_vma_finalize: call it after setup whatever happened between, as the kernel requires. */
  public void migrateVmaFinalize(MigrateVma args) {
    m.current = args.process.alive() ? args.process : null;
    m.migrateDevice.finalize(args);
  }

  /**
   * migrate_device_range (6.1): the driver's pages [startPfn, startPfn + npages), collected to move
   * back to RAM whichever processes map them; the answer is the src array, to be given destinations
   * ({@link #allocMigrationTarget}), then {@link #migrateDevicePages} and {@link #migrateDeviceFinalize}.
   */
  public long[] migrateDeviceRange(int startPfn, int npages) {
    m.current = null;
    return m.migrateDevice.deviceRange(startPfn, npages);
  }

  /** migrate_device_pages. */
  public void migrateDevicePages(long[] src, long[] dst) {
    m.current = null;
    m.migrateDevice.devicePages(src, dst);
  }

  /** migrate_device_finalize. */
  public void migrateDeviceFinalize(long[] src, long[] dst) {
    m.current = null;
    m.migrateDevice.finalize(src, dst);
  }

  /** The notifier's invalidation sequence right now (mmu_interval_read_begin without a subscription). */
  public long notifierSequence() {
    return m.notifiers.currentSeq();
  }
}
