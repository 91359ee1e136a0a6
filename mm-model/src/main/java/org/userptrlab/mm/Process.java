package org.userptrlab.mm;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A process: its address space and the system calls and CPU accesses it makes, written as a C
 * program would make them. A refused system call throws {@link MmException} with the errno and
 * changes nothing; a bad access throws {@link SignalException} (the model's SIGSEGV or SIGBUS).
 */
public final class Process {
  private final Machine m;
  private final int pid;
  private final String name;
  /** The address space; exec replaces it. */
  Mm mm;
  private final int cpu;
  private final Set<Capability> caps = EnumSet.noneOf(Capability.class);
  private long memlockCur;
  private long memlockMax;
  private boolean alive = true;
  Libc libc;

  Process(Machine m, int pid, String name, Mm mm, int cpu) {
    this.m = m;
    this.pid = pid;
    this.name = name;
    this.mm = mm;
    this.cpu = cpu;
    this.memlockCur = m.config.initialMemlock();
    this.memlockMax = m.config.initialMemlock();
    this.libc = new Libc(this);
  }

  private Process(Process parent, Mm mm, Machine m, int pid, int cpu) {
    this.m = m;
    this.pid = pid;
    this.name = parent.name + "-child";
    this.mm = mm;
    this.cpu = cpu;
    this.caps.addAll(parent.caps);
    this.memlockCur = parent.memlockCur;
    this.memlockMax = parent.memlockMax;
    this.libc = parent.libc.copyFor(this);
  }

  public int pid() {
    return pid;
  }

  public String name() {
    return name;
  }

  public Machine machine() {
    return m;
  }

  public boolean alive() {
    return alive;
  }

  /** The CPU this process's system calls run on. */
  public int cpu() {
    return cpu;
  }

  /**
   * Lets the process's other threads run on these CPUs, busy in user space: its mm stays loaded
   * there, so every TLB flush of its address space from another CPU sends them an IPI
   * (mm_cpumask). The main thread's own CPU is live only during the process's calls.
   */
  public void runOn(int... cpus) {
    long mask = 1L << cpu;
    for (int c : cpus) {
      if (c < 0 || c >= m.config.cpus()) {
        throw MmException.of(Errno.EINVAL, "cpu %d does not exist (machine has %d)", c, m.config.cpus());
      }
      mask |= 1L << c;
    }
    mm.cpumask = mask;
  }

  public boolean capable(Capability c) {
    return caps.contains(c);
  }

  /** Grants or drops a capability, as running the program with or without it would. */
  public void setCapability(Capability c, boolean granted) {
    if (granted) {
      caps.add(c);
    } else {
      caps.remove(c);
    }
  }

  /** The soft RLIMIT_MEMLOCK, in bytes. */
  public long memlockLimit() {
    return memlockCur;
  }

  /** The hard RLIMIT_MEMLOCK, in bytes: how far the soft one may be raised without CAP_SYS_RESOURCE. */
  public long memlockHardLimit() {
    return memlockMax;
  }

  /**
   * setrlimit(RLIMIT_MEMLOCK, {cur, max}) (kernel/sys.c: do_prlimit): EINVAL if the soft limit is
   * above the hard one, EPERM if the hard limit goes up without CAP_SYS_RESOURCE; lowering it needs nothing.
   */
  public void setrlimitMemlock(long cur, long max) {
    if (cur < 0 || max < 0 || cur > max) {
      throw MmException.of(Errno.EINVAL, "setrlimit(RLIMIT_MEMLOCK): soft limit %d must be between 0 and the hard limit %d", cur, max);
    }
    if (max > memlockMax && !capable(Capability.CAP_SYS_RESOURCE)) {
      throw MmException.of(Errno.EPERM, "setrlimit(RLIMIT_MEMLOCK): raising the hard limit from %d to %d needs CAP_SYS_RESOURCE", memlockMax, max);
    }
    memlockCur = cur;
    memlockMax = max;
  }

  private Machine enter() {
    m.checkLive();
    if (!alive) {
      throw MmException.of(Errno.ESRCH, "process %d (%s) has exited: it makes no more calls", pid, name);
    }
    m.current = this;
    return m;
  }

  // ---- system calls --------------------------------------------------------------------------

  /** mmap(2) of anonymous memory (MAP_ANONYMOUS in {@code flags}). */
  public long mmap(long addr, long length, int prot, int flags) {
    return mmap(addr, length, prot, flags, null, null, 0);
  }

  /** vm_mmap_pgoff: do_mmap under mmap_write_lock. */
  private long mmap(long addr, long length, int prot, int flags, MemFile file, DeviceMemory device, long offset) {
    Machine mach = mmapWriteLock("mmap");
    try {
      if ((flags & (Mman.MAP_FIXED | Mman.MAP_FIXED_NOREPLACE)) != 0) {
        // The VMAs a fixed mapping replaces: its unmap may wait in their notifiers, holding only them.
        vmaStartWrite(mach, addr, addr + length);
      }
      long at = mach.mmap.mmap(this, addr, length, prot, flags, file, device, offset);
      vmaStartWrite(mach, at, at + length);
      return returned(at);
    } finally {
      mmapUnlock();
    }
  }

  /** mmap(2) of a file. */
  public long mmap(long addr, long length, int prot, int flags, MemFile file, long offset) {
    if (file == null) {
      throw MmException.of(Errno.EINVAL, "mmap: no file given (use MAP_ANONYMOUS for anonymous memory)");
    }
    return mmap(addr, length, prot, flags, file, null, offset);
  }

  /** mmap(2) of a device's memory, as a driver's mmap with remap_pfn_range gives it. */
  public long mmap(long addr, long length, int prot, int flags, DeviceMemory device, long offset) {
    if (device == null) {
      throw MmException.of(Errno.EINVAL, "mmap: no device given");
    }
    return mmap(addr, length, prot, flags, null, device, offset);
  }

  /** mremap(2) without a new address: shrink, grow in place, or (MREMAP_MAYMOVE) move; the mapping's address now. */
  public long mremap(long addr, long oldLength, long newLength, int flags) {
    return mremap(addr, oldLength, newLength, flags, 0);
  }

  /** mremap(2) with its fifth argument, for MREMAP_FIXED and MREMAP_DONTUNMAP. */
  public long mremap(long addr, long oldLength, long newLength, int flags, long newAddr) {
    Machine mach = mmapWriteLock("mremap");
    try {
      vmaStartWrite(mach, addr, addr + oldLength);
      if (mach.kernelConfig.has(KernelChange.MUNMAP_DOWNGRADE) && (flags & Mman.MREMAP_FIXED) == 0
          && Long.compareUnsigned(Page.align(newLength), Page.align(oldLength)) < 0) {
        // shrink_vma with drop_lock, as munmap: the tail is detached under the write lock and zapped under the read lock.
        mach.mmapLocks.downgrade(mm.id);
      }
      long at = mach.mremap.mremap(this, addr, oldLength, newLength, flags, newAddr);
      vmaStartWrite(mach, at, at + newLength);
      return returned(at);
    } finally {
      mmapUnlock();
    }
  }

  /**
   * read(2) of {@code f}, opened O_DIRECT, from its start into [addr, addr + len): the bytes read.
   * The pages are taken for the device for the I/O only (pinned since 6.3, referenced before).
   */
  public long readDirect(MemFile f, long addr, long len) {
    if (f == null) {
      throw MmException.of(Errno.EINVAL, "read(O_DIRECT): no file given");
    }
    return returned(enter().directIo.read(this, f, addr, len));
  }

  public void munmap(long addr, long length) {
    Machine mach = mmapWriteLock("munmap");
    vmaStartWrite(mach, addr, addr + length);
    if (mach.kernelConfig.has(KernelChange.MUNMAP_DOWNGRADE)) {
      // __vm_munmap: the VMAs are detached under the write lock, the pages zapped (and their notifiers called) under
      // the read lock; the detach waits for nothing, so the downgrade comes at once in time.
      mach.mmapLocks.downgrade(mm.id);
    }
    try {
      mach.mmap.munmap(mm, addr, length);
    } finally {
      mmapUnlock();
    }
    returned();
  }

  public void mprotect(long addr, long length, int prot) {
    changeVmas("mprotect", addr, length, mach -> mach.mmap.mprotect(mm, addr, length, prot));
  }

  /**
   * A call that changes the VMAs over [addr, addr + length) under mmap_write_lock: they are
   * write-locked before the change (a VMA it splits, whole) and after it (one a merge expanded).
   */
  private void changeVmas(String call, long addr, long length, java.util.function.Consumer<Machine> change) {
    Machine mach = mmapWriteLock(call);
    vmaStartWrite(mach, addr, addr + length);
    try {
      change.accept(mach);
      vmaStartWrite(mach, addr, addr + length);
    } finally {
      mmapUnlock();
    }
    returned();
  }

  /** enter, then mmap_write_lock for {@code call}. */
  private Machine mmapWriteLock(String call) {
    return mmapLock(call, true);
  }

  /** enter, then mmap_lock for write or read: lockdep orders the two alike; another thread's call may hold it. */
  private Machine mmapLock(String call, boolean write) {
    Machine mach = enter();
    mach.lockdep.acquire(Lockdep.MMAP_LOCK, call);
    mach.mmapLocks.lock(mm.id, write, call);
    return mach;
  }

  /**
   * vma_start_write on every VMA [start, end) reaches, whole: called before a call changes them (a
   * split happens under the lock) and after (a VMA a merge expanded was locked as it was). A
   * length that wraps is no range and locks nothing more than the call's default (every VMA).
   */
  private void vmaStartWrite(Machine mach, long start, long end) {
    if (end <= start) {
      return;
    }
    long from = start;
    long to = end;
    for (Vma v : mm.intersecting(start, end)) {
      from = Math.min(from, v.start);
      to = Math.max(to, v.end);
    }
    mach.mmapLocks.vmaStartWrite(mm.id, from, to);
  }

  private void mmapUnlock() {
    m.lockdep.release(Lockdep.MMAP_LOCK);
  }

  /** A system call returned success: counted (SYSCALLS), since its entry and exit take time of their own. */
  private void returned() {
    m.vmstat.count(VmEvent.SYSCALLS);
  }

  private long returned(long value) {
    returned();
    return value;
  }

  /** brk(2): returns the new break, or the old one if it could not move. {@code brk(0)} asks for it. */
  public long brk(long addr) {
    Machine mach = mmapWriteLock("brk");
    long before = mm.brk;
    try {
      long after = mach.mmap.brk(this, addr);
      if (after != before) {
        // The heap's VMA, which ends at the lower of the two breaks, and what it gained or lost.
        vmaStartWrite(mach, Math.min(before, after) - 1, Math.max(before, after));
      }
      return returned(after);
    } finally {
      mmapUnlock();
    }
  }

  /** sbrk(3) as glibc does it: brk to the old break plus {@code increment}; the old break, or ENOMEM if it could not move. */
  public long sbrk(long increment) {
    long old = brk(0);
    if (increment == 0) {
      return old;
    }
    // glibc's __sbrk: an increment that wraps the break is ENOMEM; __brk fails only where the break the kernel
    // answers lies below the one asked, so a shrink the kernel refuses (below the heap's start) succeeds unmoved.
    if (increment < 0 && old < -increment || increment > 0 && old + increment < old) {
      throw MmException.of(Errno.ENOMEM, "sbrk: an increment of %d bytes wraps the break at 0x%x", increment, old);
    }
    if (brk(old + increment) < old + increment) {
      throw MmException.of(Errno.ENOMEM, "sbrk: the break cannot move from 0x%x by %d bytes", old, increment);
    }
    return old;
  }

  public void madvise(long addr, long length, int advice) {
    if (madviseNeedMmapWrite(advice)) {
      changeVmas("madvise", addr, length, mach -> mach.mmap.madvise(mm, addr, length, advice));
      return;
    }
    Machine mach = mmapLock("madvise", false);
    try {
      mach.mmap.madvise(mm, addr, length, advice);
    } finally {
      mmapUnlock();
    }
    returned();
  }

  /** madvise_need_mmap_write: advice that changes the VMAs' flags takes the write lock, advice that walks them the read lock. */
  private static boolean madviseNeedMmapWrite(int advice) {
    return switch (advice) {
      case Mman.MADV_WILLNEED, Mman.MADV_REMOVE, Mman.MADV_DONTNEED, Mman.MADV_DONTNEED_LOCKED, Mman.MADV_COLD, Mman.MADV_PAGEOUT,
          Mman.MADV_FREE, Mman.MADV_POPULATE_READ, Mman.MADV_POPULATE_WRITE, Mman.MADV_COLLAPSE -> false;
      default -> true;
    };
  }

  public void mlock(long addr, long length) {
    mlock2(addr, length, 0, "mlock");
  }

  public void mlock2(long addr, long length, int flags) {
    if (!m.kernelConfig.has(KernelChange.MLOCK_ONFAULT)) {
      enter();
      throw MmException.of(Errno.ENOSYS, "mlock2: no such system call before Linux 4.4 (this is %s); use mlock", m.kernelConfig);
    }
    mlock2(addr, length, flags, "mlock2");
  }

  /** do_mlock: the VMAs' flags under mmap_write_lock (the pages are faulted in after, as __mm_populate does). */
  private void mlock2(long addr, long length, int flags, String call) {
    changeVmas(call, addr, length, mach -> mach.mlock.mlock(this, addr, length, flags));
  }

  public void munlock(long addr, long length) {
    changeVmas("munlock", addr, length, mach -> mach.mlock.munlock(this, addr, length));
  }

  public void mlockall(int flags) {
    Machine mach = mmapWriteLock("mlockall");
    try {
      mach.mlock.mlockall(this, flags);
    } finally {
      mmapUnlock();
    }
    returned();
  }

  public void munlockall() {
    Machine mach = mmapWriteLock("munlockall");
    try {
      mach.mlock.munlockall(this);
    } finally {
      mmapUnlock();
    }
    returned();
  }

  /**
   * A write of 4 to /proc/PID/clear_refs (fs/proc/task_mmu.c: clear_refs_write, clear_soft_dirty):
   * every present PTE write-protected, so that the next write faults; the pages stay what they
   * were to the process (exclusive pages stay exclusive). EINVAL before soft-dirty tracking (3.11).
   */
  public void clearSoftDirty() {
    Machine mach = enter();
    if (!mach.kernelConfig().has(KernelChange.SOFT_DIRTY)) {
      throw MmException.of(Errno.EINVAL, "clear_refs takes 1 to 3 on this kernel: soft-dirty tracking (4) came in 3.11");
    }
    for (Vma v : vmas()) {
      mach.mmap.writeProtect(mm, v.start(), v.end(), false);
    }
    returned();
  }

  /** fork(2): the child, with a copy-on-write copy of this address space (dup_mmap). */
  public Process fork() {
    Machine mach = mmapWriteLock("fork: dup_mmap");
    try {
      if (mach.processCount() >= mach.pidMax()) {
        // copy_process: alloc_pid's idr_alloc_cyclic finds no pid below pid_max; fork answers EAGAIN.
        throw MmException.of(Errno.EAGAIN, "fork: %d processes are alive, as many as pid_max (%d) allows; wait for some to exit",
            mach.processCount(), mach.pidMax());
      }
      int childPid = mach.allocPid();
      Mm child = mach.mmap.dupMmap(this, childPid);
      Process forked = mach.register(new Process(this, child, mach, childPid, mach.cpuFor(childPid)));
      mach.vmstat.count(VmEvent.FORKS);
      returned();
      return forked;
    } finally {
      mmapUnlock();
    }
  }

  /**
   * execve(2) of a new program: the process keeps its pid, CPUs, credentials and limits but gets
   * a fresh, empty address space (exec_mmap); the old one is torn down as at exit, so pages it
   * shared copy-on-write with a parent are mapped once fewer.
   */
  public void exec() {
    Machine mach = enter();
    Mm old = mm;
    Mm fresh = new Mm(pid, old.cpumask, old.thp, mach.vmstat);
    fresh.mainCpu = old.mainCpu;
    fresh.startBrk = fresh.brk = old.startBrk;
    fresh.mmapBase = old.mmapBase;
    mm = fresh;
    libc = new Libc(this);
    mach.mmap.exitMmap(old);
    returned();
  }

  /** exit(2): the address space is torn down (exit_mmap); references others hold keep their pages alive. */
  public void exit() {
    Machine mach = mmapWriteLock("exit_mmap");
    try {
      mach.mmap.exitMmap(mm);
    } finally {
      mmapUnlock();
    }
    alive = false;
    m.current = null;
    m.exited(this);
    returned();
  }

  // ---- CPU access ----------------------------------------------------------------------------

  public byte load(long addr) {
    Machine mach = enter();
    int pfn = mach.uaccess.user(mm).pfn(addr, false);
    return mach.content.byteAt(mach.uaccess.token(pfn), Page.offset(addr));
  }

  public void store(long addr, byte value) {
    Machine mach = enter();
    int pfn = mach.uaccess.user(mm).pfn(addr, true);
    mach.uaccess.setToken(pfn, mach.content.store(mach.uaccess.token(pfn), Page.offset(addr), value));
  }

  /** A little-endian 64-bit load, as x86 does it. */
  public long loadLong(long addr) {
    byte[] b = read(addr, 8);
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[i] & 0xff);
    }
    return v;
  }

  public void storeLong(long addr, long value) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (value >>> (8 * i));
    }
    write(addr, b);
  }

  public void write(long addr, byte[] bytes) {
    Machine mach = enter();
    mach.uaccess.checkRange(mm, addr, bytes.length, true);
    mach.uaccess.write(mach.uaccess.user(mm), addr, bytes, 0, bytes.length);
  }

  public byte[] read(long addr, int len) {
    Machine mach = enter();
    if (len < 0) {
      throw MmException.of(Errno.EINVAL, "read: length %d must not be negative", len);
    }
    mach.uaccess.checkRange(mm, addr, len, false);
    byte[] out = new byte[len];
    mach.uaccess.read(mach.uaccess.user(mm), addr, out, 0, len);
    return out;
  }

  /**
   * Writes the byte stream named by {@code seed} over [addr, addr + len): the program filling a
   * buffer (reading a texture from disk, say). Pages it covers whole cost one token each.
   */
  public void fill(long addr, long len, long seed) {
    Machine mach = enter();
    // The program's stores go a page at a time: a bad page raises its signal with the pages before it written.
    SignalException bad = null;
    long reach = len;
    try {
      mach.uaccess.checkRange(mm, addr, len, true);
    } catch (SignalException e) {
      bad = e;
      reach = e.address() - addr;
    }
    // Its faults take mmap_read_lock (or, from 6.4, the VMA's lock first); lockdep sees mmap_lock.
    mach.lockdep.acquire(Lockdep.MMAP_LOCK, "page fault");
    try {
      mach.uaccess.fill(mach.uaccess.user(mm), addr, reach, seed);
    } finally {
      mmapUnlock();
    }
    mach.vmstat.count(VmEvent.USER_BYTES_WRITTEN, reach);
    if (bad != null) {
      throw bad;
    }
  }

  /** Whether the program reads back, in [addr, addr + len), the stream {@code seed} that {@link #fill} wrote there. */
  public boolean matches(long addr, long len, long seed) {
    return matches(addr, len, seed, 0);
  }

  /** As {@link #matches(long, long, long)}, for the part of a stream that starts {@code streamPos} bytes in. */
  public boolean matches(long addr, long len, long seed, long streamPos) {
    Machine mach = enter();
    // The program's loop stops at the first byte that differs: it reads, and faults in, no further.
    long read = mach.uaccess.checked(mach.uaccess.user(mm), addr, len, seed, streamPos);
    mach.vmstat.count(VmEvent.USER_BYTES_CHECKED, read < 0 ? len : read);
    mach.vmstat.count(VmEvent.USER_CHECKS, 1);
    return read < 0;
  }

  /** memcpy(3) within this process. */
  public void memcpy(long dst, long src, long len) {
    Machine mach = enter();
    // Forward, a page at a time: a bad page of either side raises its signal with what came before it copied.
    mach.uaccess.copy(mach.uaccess.user(mm), dst, mach.uaccess.user(mm), src, len);
  }

  // ---- the C library -------------------------------------------------------------------------

  /** malloc(3), glibc-like: small blocks from the brk heap, 128 KiB and more from their own mmap. 0 when out of memory. */
  public long malloc(long size) {
    enter();
    return libc.malloc(size);
  }

  /** posix_memalign(3)/aligned_alloc(3): a block whose address is a multiple of {@code alignment}. */
  public long memalign(long alignment, long size) {
    enter();
    return libc.memalign(alignment, size);
  }

  public void free(long ptr) {
    enter();
    libc.free(ptr);
  }

  /** The C library's allocator, for its settings and statistics. */
  public Libc libc() {
    return libc;
  }

  // ---- what /proc/PID shows ------------------------------------------------------------------

  /** /proc/PID/maps: the VMAs in address order. */
  public List<Vma> vmas() {
    return List.copyOf(mm.vmas.values());
  }

  /** The VMA containing {@code addr}, or null. */
  public Vma vma(long addr) {
    return mm.find(addr);
  }

  /** VmLck, in pages. */
  public long lockedVm() {
    return mm.lockedVm;
  }

  /** VmPin, in pages. */
  public long pinnedVm() {
    return mm.pinnedVm;
  }

  /** VmRSS, in pages: get_mm_rss, the anonymous, file and shmem pages this address space maps. */
  public long rss() {
    return mm.rss[Rmap.MM_ANONPAGES] + mm.rss[Rmap.MM_FILEPAGES] + mm.rss[Rmap.MM_SHMEMPAGES];
  }

  /** RssAnon, RssFile and RssShmem of /proc/PID/status, in pages. */
  public Rss rssParts() {
    return new Rss(mm.rss[Rmap.MM_ANONPAGES], mm.rss[Rmap.MM_FILEPAGES], mm.rss[Rmap.MM_SHMEMPAGES]);
  }

  /** The three counters VmRSS adds up, in pages, as /proc/PID/status shows them. */
  public record Rss(long anon, long file, long shmem) {}

  /** VmSize, in pages. */
  public long totalVm() {
    return mm.totalVm;
  }

  /** Where the heap starts (mm->start_brk). */
  public long heapStart() {
    return mm.startBrk;
  }

  /** The current program break. */
  public long currentBrk() {
    return mm.brk;
  }

  /** The frame mapped at {@code addr} right now, or -1 if none (no fault is taken): /proc/PID/pagemap. */
  public long pagemap(long addr) {
    long pte = mm.pgtable.get(addr >>> Page.PAGE_SHIFT);
    return Pte.present(pte) ? Pte.pfn(pte) : -1;
  }

  /** Whether the PTE at {@code addr} is present and writable right now. */
  public boolean pteWritable(long addr) {
    long pte = mm.pgtable.get(addr >>> Page.PAGE_SHIFT);
    return Pte.present(pte) && Pte.writable(pte);
  }

  /**
   * /proc/PID/smaps' AnonHugePages of the VMA holding {@code addr}, in bytes: the anonymous THPs
   * PMDs map there (smaps_pmd_entry; the huge zero page does not count); 0 where nothing is mapped.
   */
  public long anonHugePages(long addr) {
    Vma v = mm.find(addr);
    if (v == null) {
      return 0;
    }
    long bytes = 0;
    for (long vpn = Thp.hugeStart(v.startVpn()); vpn < v.endVpn(); vpn += Thp.HPAGE_PMD_NR) {
      long[] leaf = mm.pgtable.leaf(vpn, false);
      if (leaf != null && PageTable.isPmd(leaf) && !Pte.special(leaf[0])) {
        bytes += (long) Thp.HPAGE_PMD_NR << Page.PAGE_SHIFT;
      }
    }
    return bytes;
  }

  /** Whether a PMD maps the page at {@code addr} (a THP or the huge zero page mapped whole). */
  public boolean pmdMapped(long addr) {
    long[] leaf = mm.pgtable.leaf(addr >>> Page.PAGE_SHIFT, false);
    return leaf != null && PageTable.isPmd(leaf);
  }

  /**
   * Whether the page at {@code addr} is in memory as one of this process's own: a present PTE
   * that is not special (vm_normal_page: the zero page and a PFN map's frames are nobody's to
   * reclaim), as smaps' Rss counts it.
   */
  public boolean resident(long addr) {
    long pte = mm.pgtable.get(addr >>> Page.PAGE_SHIFT);
    return Pte.present(pte) && !Pte.special(pte);
  }

  /**
   * The device-private page the entry at {@code addr} names, or -1 where the page is not in device
   * memory: /proc/PID/pagemap reports such an entry as swapped, with the device pfn (pte_to_pagemap_entry).
   */
  public long devicePrivatePage(long addr) {
    long pte = mm.pgtable.get(addr >>> Page.PAGE_SHIFT);
    return Pte.devicePrivate(pte) ? Pte.pfn(pte) : -1;
  }

  /** Whether the entry at {@code addr} is a writable device-private one (make_writable_device_private_entry). */
  public boolean devicePrivateWritable(long addr) {
    long pte = mm.pgtable.get(addr >>> Page.PAGE_SHIFT);
    return Pte.devicePrivate(pte) && Pte.writable(pte);
  }

  /** Whether the page at {@code addr} is swapped out (its PTE holds a swap entry). */
  public boolean swappedOut(long addr) {
    return Pte.swap(mm.pgtable.get(addr >>> Page.PAGE_SHIFT));
  }

  @Override
  public String toString() {
    return "Process[" + pid + " " + name + "]";
  }
}
