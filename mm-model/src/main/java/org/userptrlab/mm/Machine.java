package org.userptrlab.mm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated computer running Linux's memory manager: physical frames, processes with address
 * spaces, files, swap, and the services a driver calls. Built from a {@link MachineConfig}; driven
 * by one thread at a time; everything it does follows from the configuration and the calls made,
 * so a run can be repeated exactly.
 */
public final class Machine {
  private static final Logger log = LoggerFactory.getLogger(Machine.class);

  final MachineConfig config;
  final KernelGate kernelConfig;
  /** The {@link ModelPath}s taken, a bit each. */
  private long paths;
  final MemMap mem;
  final Content content = Content.boot();
  /** The invariant checker, made at the first check. */
  private DebugVm debugVm;
  private boolean retired;
  final VmStat vmstat = new VmStat();
  final Tlb tlb;
  final MmuNotifiers notifiers;
  final Lockdep lockdep = new Lockdep();
  /** Who answers a call's take of an mmap_lock another thread's call may hold: nobody, unless a layer keeps time. */
  MmapLockContention mmapLocks = MmapLockContention.NONE;
  final Rmap rmap;
  final Mlock mlock;
  final PageCache files;
  final Swap swap;
  final Memory memory;
  final Uaccess uaccess;
  final PageAlloc pageAlloc;
  final Mmap mmap;
  final Mremap mremap;
  final Madvise madvise;
  final DirectIo directIo;
  final Truncate truncation;
  final Gup gup;
  final Migrate migrate;
  final MigrateDevice migrateDevice;
  final Vmscan vmscan;
  final Cma cma;
  final Thp thp;
  final Hugetlb hugetlb;
  private final Kernel kernel;

  private final List<DeviceMemory> devices = new ArrayList<>();
  private int nextDevicePfn;
  /** The drivers' device-private memory (memremap_pages), in pfn order from the end of RAM. */
  private final List<DevicePagemap> pagemaps = new ArrayList<>();
  private int nextDevicePrivatePfn;
  private final TreeMap<Integer, Process> processes = new TreeMap<>();
  private int nextPid = 1;
  /** The process whose system call or fault is being handled: its CPU is the local one for TLB flushes. */
  Process current;

  public Machine(MachineConfig config) {
    this.config = config;
    this.kernelConfig = new KernelGate(config.kernel());
    this.mem = MemMap.boot(config);
    this.pageAlloc = new PageAlloc(mem, content, vmstat, this::directReclaim, this::mlockedFreed, this::folioFreed,
        this::hugetlbFreed, this::devicePrivateFreed, () -> reached(ModelPath.OUT_OF_MEMORY));
    this.tlb = new Tlb(vmstat, this::currentCpu, () -> current == null ? null : current.mm);
    this.notifiers = new MmuNotifiers(vmstat, lockdep);
    this.rmap = new Rmap(this);
    this.mlock = new Mlock(this);
    this.hugetlb = new Hugetlb(this);
    hugetlb.boot(config);
    this.files = new PageCache(mem, content, pageAlloc, vmstat, hugetlb::unreserveFile);
    this.swap = Swap.boot(this, config.swapBytes());
    this.thp = new Thp(this);
    this.memory = new Memory(this);
    this.uaccess = new Uaccess(mem, content, memory, this::device);
    this.mmap = new Mmap(this);
    this.mremap = new Mremap(this);
    this.madvise = new Madvise(this);
    this.directIo = new DirectIo(this);
    this.truncation = new Truncate(this);
    this.gup = new Gup(this);
    this.migrate = new Migrate(this);
    this.migrateDevice = new MigrateDevice(this);
    this.vmscan = new Vmscan(this);
    this.cma = new Cma(mem, gup, migrate, vmstat);
    this.kernel = new Kernel(this);
    // Device memory lives above RAM (and above the device-private struct pages), past a gap, as PCI BARs do.
    this.nextDevicePfn = mem.devicePrivateEnd + 1024;
    this.nextDevicePrivatePfn = mem.nrFrames;
    log.debug("booted {}", config);
  }

  public static Machine boot(MachineConfig config) {
    return new Machine(config);
  }

  public MachineConfig config() {
    return config;
  }

  public KernelConfig kernelConfig() {
    return kernelConfig.config();
  }

  /** The model took {@code path}. */
  void reached(ModelPath path) {
    paths |= 1L << path.ordinal();
  }

  /** What this machine's runs reached so far: the counters that moved, the paths taken, the kernel changes consulted. */
  public Coverage coverage() {
    java.util.EnumSet<VmEvent> moved = java.util.EnumSet.noneOf(VmEvent.class);
    for (VmEvent e : VmEvent.values()) {
      if (vmstat.get(e) != 0) {
        moved.add(e);
      }
    }
    java.util.EnumSet<ModelPath> taken = java.util.EnumSet.noneOf(ModelPath.class);
    for (ModelPath p : ModelPath.values()) {
      if ((paths & (1L << p.ordinal())) != 0) {
        taken.add(p);
      }
    }
    return new Coverage(moved, taken, kernelConfig.asked(true), kernelConfig.asked(false));
  }

  /** The lock-order validator over the locks taken on this machine, the drivers' included. */
  /** Lets {@code c} answer every take of an mmap_lock from now on (the time layer: a call waits for another thread's). */
  public void mmapLockContention(MmapLockContention c) {
    mmapLocks = c == null ? MmapLockContention.NONE : c;
  }

  public Lockdep lockdep() {
    return lockdep;
  }

  public VmStat vmstat() {
    return vmstat;
  }

  /** The kernel services a driver calls: get_user_pages, pins, zap, write-protect, migration, CMA, reclaim, notifiers. */
  public Kernel kernel() {
    return kernel;
  }

  /** A new process with an empty address space, running on one CPU (chosen round-robin by pid). */
  public Process spawn(String name) {
    checkLive();
    if (name == null || name.isBlank()) {
      throw new MmException(Errno.EINVAL, "spawn: a process needs a name (its comm)");
    }
    int pid = allocPid();
    int cpu = cpuFor(pid);
    Mm mm = new Mm(pid, 1L << cpu, thp, vmstat);
    if (config.aslr()) {
      // arch_mmap_rnd (28 bits of pages on x86-64) and arch_randomize_brk (up to 32 MiB).
      SplittableRandom rnd = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + pid);
      mm.mmapBase -= Page.addr(rnd.nextLong(1L << 28));
      mm.startBrk += Page.addr(rnd.nextLong((32L << 20) >>> Page.PAGE_SHIFT));
      mm.brk = mm.startBrk;
    }
    return register(new Process(this, pid, name, mm, cpu));
  }

  int allocPid() {
    return nextPid++;
  }

  /**
   * pid_max as pid_idr_init sets it: PID_MAX_DEFAULT (32768), or 1024 a CPU on a machine of more
   * than 32; alloc_pid finds no free pid once that many processes are alive.
   */
  int pidMax() {
    return Math.max(32768, 1024 * config.cpus());
  }

  /** How many processes are alive. */
  public int processCount() {
    return processes.size();
  }

  int cpuFor(int pid) {
    return (pid - 1) % config.cpus();
  }

  Process register(Process p) {
    p.mm.cpumask = 1L << p.cpu();
    p.mm.mainCpu = p.cpu();
    processes.put(p.pid(), p);
    return p;
  }

  void exited(Process p) {
    processes.remove(p.pid());
  }

  /** The live processes, by pid. */
  public List<Process> processes() {
    return List.copyOf(processes.values());
  }

  /** A regular file of {@code size} bytes, all zero on its disk. */
  public MemFile createFile(String name, long size) {
    return files.create(name, size, MemFile.Kind.DISK, false);
  }

  /** A tmpfs (shmem) file of {@code size} bytes. */
  public MemFile createShmemFile(String name, long size) {
    return files.create(name, size, MemFile.Kind.TMPFS, false);
  }

  /**
   * memfd_create(2) and ftruncate(2) to {@code size}: a shmem file of zeros no directory names (mm/memfd.c);
   * ENOSYS on a kernel before memfd_create (3.17).
   */
  public MemFile createMemfd(String name, long size) {
    return createMemfd(name, size, 0);
  }

  /**
   * memfd_create(2) with {@code flags} and ftruncate(2) to {@code size}: with {@link Mman#MFD_HUGETLB}
   * (4.14) a hugetlbfs file of the huge page size its MFD_HUGE_* bits name (2 MiB without), whose
   * size must be whole huge pages (hugetlbfs_setattr); EINVAL for a size the machine has no pool of.
   */
  public MemFile createMemfd(String name, long size, int flags) {
    checkLive();
    if (!kernelConfig().has(KernelChange.MEMFD)) {
      throw MmException.of(Errno.ENOSYS, "memfd_create: this kernel has no memfd_create (3.17)");
    }
    if ((flags & ~(Mman.MFD_HUGETLB | (Mman.MAP_HUGE_MASK << Mman.MAP_HUGE_SHIFT))) != 0
        || ((flags & Mman.MFD_HUGETLB) == 0 && flags != 0)) {
      throw MmException.of(Errno.EINVAL, "memfd_create: flags 0x%x; the model knows MFD_HUGETLB and its MFD_HUGE_* sizes", flags);
    }
    if ((flags & Mman.MFD_HUGETLB) == 0) {
      return files.create("memfd:" + name, size, MemFile.Kind.MEMFD, false);
    }
    if (!kernelConfig().has(KernelChange.MEMFD_HUGETLB)) {
      throw MmException.of(Errno.EINVAL, "memfd_create: MFD_HUGETLB came with Linux %s (%s); this is %s",
          KernelChange.MEMFD_HUGETLB.release(), KernelChange.MEMFD_HUGETLB.id(), kernelConfig());
    }
    int order = hugetlb.orderOf((flags >>> Mman.MAP_HUGE_SHIFT) & Mman.MAP_HUGE_MASK, "memfd_create(MFD_HUGETLB)", Errno.ENODEV);
    if ((Page.pages(size) & ((1L << order) - 1)) != 0 || !Page.aligned(size)) {
      throw MmException.of(Errno.EINVAL, "ftruncate: a hugetlbfs file takes whole huge pages of %d KiB; %d bytes is not "
          + "(hugetlbfs_setattr)", 4L << order, size);
    }
    MemFile f = files.create("memfd:" + name, size, MemFile.Kind.HUGETLBFS, false);
    f.hugetlbOrder = order;
    return f;
  }

  /**
   * fallocate(2) of [0, size) of {@code f}: for a hugetlbfs file, every huge page allocated from its
   * pool now (hugetlbfs_fallocate; ENOSPC when the pool runs out, the pages allocated so far kept);
   * for shmem, every page cached (shmem_fallocate); the file grows to {@code size} if smaller.
   */
  public void fallocate(MemFile f, long size) {
    checkLive();
    if (size <= 0) {
      throw MmException.of(Errno.EINVAL, "fallocate: length %d must be positive (vfs_fallocate)", size);
    }
    MemFile.checkSize("fallocate", size);
    if (f.hugetlbOrder != 0) {
      hugetlb.fallocate(f, size);
      return;
    }
    if (!f.shmem) {
      throw MmException.of(Errno.EOPNOTSUPP, "fallocate: the model allocates blocks of shmem and hugetlbfs files only, not %s", f);
    }
    if (Page.pages(size) > f.pages) {
      f.pages = Page.pages(size);
    }
    for (int page = 0; page < Page.pages(size); page++) {
      files.filemapFault(f, page);
    }
  }

  /**
   * /sys/kernel/mm/hugepages/hugepages-&lt;size&gt;kB: the pool of huge pages of {@code bytes}
   * (nr_hugepages, free_hugepages, resv_hugepages), or null for a size x86-64 has not (2 MiB and 1 GiB).
   */
  public HugetlbPool hugetlbPool(long bytes) {
    Hugetlb.Hstate h = hugetlb.hstate(Long.numberOfTrailingZeros(bytes) - Page.PAGE_SHIFT);
    return h == null || h.bytes() != bytes ? null : new HugetlbPool(h.bytes(), h.nrHugePages, h.freeHugePages(), h.resvHugePages);
  }

  /**
   * truncate(2) of {@code f} to {@code size} bytes (mm/truncate.c: truncate_setsize, truncate_pagecache):
   * shrinking unmaps the pages past the new end from every mapping, private copies included
   * (unmap_mapping_range with even_cows), then drops them from the page cache
   * (truncate_inode_pages); a later access there is SIGBUS. A page someone else holds (a pin, a GEM
   * object's reference) lives on with its holder, detached from the file. Growing adds a hole of zeros.
   */
  public void truncate(MemFile f, long size) {
    checkLive();
    if (size < 0) {
      throw MmException.of(Errno.EINVAL, "truncate: length %d is negative", size);
    }
    MemFile.checkSize("truncate", size);
    truncation.truncate(f, Page.pages(size));
  }

  /**
   * Writes the seed's stream into the file at {@code offset} through the page cache, a pwrite(2) of
   * each page it touches: the stream made in a buffer of the writer's, then for each page
   * generic_perform_write's write_begin (the page found or added to the page cache), copy_from_user
   * and write_end. A page at a time, the page cache holds single pages on every kernel: from 6.16
   * ext4 caches a larger write in large folios.
   */
  public void fillFile(MemFile f, long offset, long len, long seed) {
    checkFileRange(f, offset, len);
    if (f.hugetlbOrder != 0) {
      throw MmException.of(Errno.EINVAL, "pwrite: %s is a hugetlbfs file, which has no write(2); write it through a mapping", f);
    }
    uaccess.fill(fileResolver(f), offset, len, seed);
    long pages = len == 0 ? 0 : Page.pages(offset + len) - (offset >>> Page.PAGE_SHIFT);
    vmstat.count(VmEvent.USER_BYTES_WRITTEN, len);
    vmstat.count(VmEvent.COPY_BYTES, len);
    vmstat.count(VmEvent.COPY_CALLS, pages);
    vmstat.count(VmEvent.FILE_PAGES_WRITTEN, pages);
  }

  /** Whether the file holds the seed's stream, position 0 at {@code offset}, in [offset, offset + len). */
  public boolean fileMatches(MemFile f, long offset, long len, long seed) {
    checkFileRange(f, offset, len);
    return uaccess.matches(fileResolver(f), offset, len, seed, 0);
  }

  private void checkFileRange(MemFile f, long offset, long len) {
    if (offset < 0 || len < 0 || offset + len > f.size() || offset + len < offset) {
      throw MmException.of(Errno.EINVAL, "range [%d, +%d) is outside %s of %d bytes", offset, len, f, f.size());
    }
  }

  PageResolver fileResolver(MemFile f) {
    if (f.hugetlbOrder != 0) {
      // hugetlbfs_read_iter: a huge page not allocated reads as zeros.
      long mask = (1L << f.hugetlbOrder) - 1;
      return (addr, write) -> {
        long page = addr >>> Page.PAGE_SHIFT;
        int head = f.cached((int) (page & ~mask));
        return head == MemMap.NONE ? MemMap.ZERO_PFN : head + (int) (page & mask);
      };
    }
    return (addr, write) -> {
      int pfn = files.filemapFault(f, (int) (addr >>> Page.PAGE_SHIFT));
      if (write) {
        mem.flags[pfn] |= PageFlags.PG_DIRTY;
      }
      return pfn;
    };
  }

  /** Memory of a device, outside RAM, that a process can map (remap_pfn_range: VM_IO|VM_PFNMAP). */
  public DeviceMemory createDevice(String name, long size) {
    if (size <= 0 || !Page.aligned(size)) {
      throw MmException.of(Errno.EINVAL, "device size must be a positive whole number of pages: %d", size);
    }
    DeviceMemory d = new DeviceMemory(name, nextDevicePfn, size);
    nextDevicePfn += (int) Page.pages(size) + 1024;
    devices.add(d);
    return d;
  }

  /**
   * memremap_pages for MEMORY_DEVICE_PRIVATE: the next {@code nrPages} of the machine's device-private
   * space become the driver's, owned by {@code owner}.
   */
  DevicePagemap memremapPages(Object owner, int nrPages, DevicePagemap.Ops ops) {
    if (mem.devicePrivateEnd - nextDevicePrivatePfn < nrPages) {
      throw MmException.of(Errno.ENOMEM, "memremap_pages: %d pages of device-private memory asked, %d left of the machine's %d "
          + "(MachineConfig devicePrivate)", nrPages, mem.devicePrivateEnd - nextDevicePrivatePfn, mem.devicePrivateEnd - mem.nrFrames);
    }
    DevicePagemap pgmap = new DevicePagemap(owner, nextDevicePrivatePfn, nrPages, ops);
    nextDevicePrivatePfn += nrPages;
    pagemaps.add(pgmap);
    return pgmap;
  }

  /** page_pgmap: the pagemap a device-private page belongs to. */
  DevicePagemap pagemap(int pfn) {
    for (DevicePagemap p : pagemaps) {
      if (p.contains(pfn)) {
        return p;
      }
    }
    throw new IllegalStateException("pfn " + pfn + " is not a page of any driver's device-private memory");
  }

  /** free_zone_device_folio: the page's last reference went; it goes back to its driver (pgmap->ops->page_free). */
  private void devicePrivateFreed(int pfn) {
    content.release(mem.content[pfn]);
    mem.freeDevicePage(pfn);
    pagemap(pfn).ops.pageFree(pfn);
  }

  /** The process whose address space {@code mm} is. */
  Process process(Mm mm) {
    Process p = processes.get(mm.id);
    if (p == null || p.mm != mm) {
      throw new IllegalStateException("mm " + mm.id + " belongs to no live process");
    }
    return p;
  }

  DeviceMemory device(int pfn) {
    for (DeviceMemory d : devices) {
      if (d.contains(pfn)) {
        return d;
      }
    }
    throw new IllegalStateException("pfn " + pfn + " is neither RAM nor device memory");
  }

  /**
   * Pages still PG_mlocked and unevictable although no VM_LOCKED VMA maps them, because a driver
   * cleared VM_LOCKED itself instead of munlocking: reclaim cannot take them until they are freed.
   * A large folio's flag is its own, so each of its pages counts.
   */
  public int strandedMlockedPages() {
    return (int) mlock.strandedBasePages();
  }

  public long totalPages() {
    return mem.nrFrames;
  }

  public long freePages() {
    return mem.freePages();
  }

  /** What the kernel knows about one frame, as /proc/kpageflags, kpagecount and page_owner would tell. */
  public PageInfo page(int pfn) {
    if (pfn < 0 || pfn >= mem.nrFrames) {
      throw MmException.of(Errno.EINVAL, "pfn %d is not a RAM frame (0..%d)", pfn, mem.nrFrames - 1);
    }
    String zone = mem.isMovableZone(pfn) ? "Movable" : mem.isCma(pfn) ? "Normal(CMA)" : "Normal";
    // kpagecount and kpageflags: a page of a large folio reports the folio's count and flags, with its own
    // PTE mappings plus the PMDs that map the folio whole.
    short flags = (short) (mem.flags[mem.folio(pfn)] & ~PageFlags.PG_ANON_EXCLUSIVE | mem.flags[pfn]);
    return new PageInfo(pfn, mem.pageCount(pfn), mem.pageMapcount(pfn), PageFlags.describe(flags), zone,
        mem.folioMaybeDmaPinned(pfn), mem.folio(pfn), mem.folioNrPages(pfn), mem.folioMapcount(pfn));
  }

  /**
   * Whether something holds the folio of {@code pfn} beyond its mappings and the swap cache (the
   * negation of is_refcount_suitable), for a page that is not reserved; {@link #page} tells the same
   * with every field of the page described, which costs a string a call.
   */
  public boolean folioHeld(int pfn) {
    return ((mem.flags[folio(pfn)] | mem.flags[pfn]) & PageFlags.PG_RESERVED) == 0 && !thp.refcountSuitable(pfn);
  }

  /** folio_test_hugetlb: whether {@code pfn}'s folio is a hugetlb page. */
  public boolean folioHugetlb(int pfn) {
    return (mem.flags[folio(pfn)] & PageFlags.PG_HUGETLB) != 0;
  }

  /** folio_nr_pages: how many pages the folio of {@code pfn} has ({@link PageInfo#folioPages()} without the rest of the page). */
  public int folioNrPages(int pfn) {
    return mem.folioNrPages(folio(pfn));
  }

  /** page_folio: the pfn of the head of the folio {@code pfn} belongs to ({@link PageInfo#folio()} without the rest of the page). */
  public int folio(int pfn) {
    if (pfn < 0 || pfn >= mem.nrFrames) {
      throw MmException.of(Errno.EINVAL, "pfn %d is not a RAM frame (0..%d)", pfn, mem.nrFrames - 1);
    }
    return mem.folio(pfn);
  }

  /** Every (process, address) whose PTE maps the frame: the reverse map. */
  public List<Mapping> rmap(int pfn) {
    List<Mapping> out = new ArrayList<>();
    for (long[] pm : rmap.mappings(pfn)) {
      out.add(new Mapping(processes.get((int) pm[0]), pm[1]));
    }
    return out;
  }

  /** A (process, virtual address) mapping a frame. */
  public record Mapping(Process process, long address) {}

  /**
   * Marks this machine as done with: its memory map goes to the next machine of the same size
   * booted on this thread, which then costs what this one touched rather than its size, as do its
   * swap slots, and its pages of bytes go to the next machine booted on this thread. Any call
   * on this machine or its processes afterwards throws.
   */
  public void retire() {
    checkLive();
    retired = true;
    mem.retire();
    content.retire();
    swap.retire();
  }

  void checkLive() {
    if (retired) {
      throw new IllegalStateException("this machine was retired after its run; boot a new one");
    }
  }

  /**
   * Checks the memory manager's invariants, as CONFIG_DEBUG_VM would, and throws an
   * {@link IllegalStateException} naming every violation found.
   */
  public void checkInvariants() {
    check(true);
  }

  /**
   * The checks of {@link #checkInvariants} that a step of a program can fail, for a harness that
   * checks after each step and with {@link #checkInvariants} at the end: all but that the frames
   * never handed out are as boot left them, which nothing of the model writes (the page allocator
   * checks each as it first hands it out). It costs what the machine touched, not its size.
   */
  public void checkStepInvariants() {
    check(false);
  }

  private void check(boolean untouchedFrames) {
    checkLive();
    if (debugVm == null) {
      debugVm = new DebugVm(this);
    }
    List<String> problems = debugVm.check(untouchedFrames);
    if (!problems.isEmpty()) {
      throw new IllegalStateException("memory manager invariants violated:\n  " + String.join("\n  ", problems));
    }
  }


  /**
   * A digest of all state a system call may change (frames, page tables, VMAs, accounting,
   * counters, files, swap), for checking that a refused call changed nothing.
   */
  public long stateHash() {
    long h = Arrays.hashCode(mem.refcount);
    h = h * 31 + Arrays.hashCode(mem.mapcount);
    h = h * 31 + Arrays.hashCode(mem.flags);
    h = h * 31 + Arrays.hashCode(mem.content);
    h = h * 31 + Arrays.hashCode(mem.mapping);
    h = h * 31 + Arrays.hashCode(mem.index);
    h = h * 31 + Arrays.hashCode(vmstat.counts);
    for (Process p : processes.values()) {
      Mm mm = p.mm;
      h = h * 31 + (mm.vmas.toString() + mm.brk + "/" + mm.lockedVm + "/" + mm.pinnedVm + "/" + mm.totalVm
          + "/" + mm.defFlags + "/" + mm.cpumask).hashCode();
      for (Vma v : mm.vmas.values()) {
        for (long vpn = v.startVpn(); vpn < v.endVpn(); vpn++) {
          h = h * 31 + mm.pgtable.get(vpn);
        }
      }
    }
    for (MemFile f : files.all()) {
      h = h * 31 + f.contentHash();
    }
    return h * 31 + swap.usedSlots();
  }

  // ---- kernel internals shared by the mm code ------------------------------------------------

  int currentCpu() {
    return current == null ? -1 : current.cpu();
  }

  /** The page allocator is freeing a large folio. */
  private void folioFreed(int head) {
    thp.folioFreed(head);
  }

  /** The page allocator freed a PG_mlocked frame. */
  private void mlockedFreed(int pfn) {
    mlock.onFree(pfn);
  }

  /** Direct reclaim for the page allocator, on behalf of whoever is in a system call now. */
  /** __alloc_pages_direct_reclaim for an allocation that does its own retry: the caller's process stays current. */
  void reclaimForAllocation(int pages) {
    directReclaim(pages);
  }

  private void directReclaim(int pages) {
    reached(ModelPath.DIRECT_RECLAIM);
    Process caller = current;
    // shrink_slab: the deferred split shrinker frees the unmapped pages of partly mapped THPs first.
    thp.deferredSplitScan();
    vmscan.shrink(pages);
    current = caller;
  }

  /** The address space with this id (a process's pid). */
  Mm mmById(int id) {
    return processes.get(id).mm;
  }

  /** free_huge_folio: a hugetlb page's last reference is gone. */
  private void hugetlbFreed(int head) {
    hugetlb.freeHugeFolio(head);
  }

  void fileUnmapped(MemFile f) {
    files.unmapped(f);
  }

  /** __vm_enough_memory under OVERCOMMIT_GUESS (vm.overcommit_memory=0): the pages one request may ask, RAM plus swap. */
  long overcommitPages() {
    return (long) mem.nrFrames + swap.slots();
  }
}
