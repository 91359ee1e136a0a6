package org.userptrlab.mm;

import java.util.function.IntFunction;

/**
 * Reading and writing user memory (the uaccess routines: copy_from_user, copy_to_user, and the
 * loads and stores of a program): each access goes through the VMA that allows it and the MMU,
 * faulting pages in as needed; page contents are content tokens, so a whole page written from one
 * stream stays one token.
 */
final class Uaccess {
  private final MemMap mem;
  private final Content content;
  private final Memory memory;
  private final IntFunction<DeviceMemory> devices;

  Uaccess(MemMap mem, Content content, Memory memory, IntFunction<DeviceMemory> devices) {
    this.mem = mem;
    this.content = content;
    this.memory = memory;
    this.devices = devices;
  }

  /** The VMA a user access at {@code addr} goes through, or the signal the access raises (bad_area / access_error). */
  Vma accessVma(Mm mm, long addr, boolean write) {
    Vma v = mm.find(addr);
    if (v == null) {
      throw new SignalException(SignalException.Kind.SEGV_MAPERR, addr,
          "no VMA covers this address (was it never mapped, unmapped, or freed?)");
    }
    // x86's access_error: a write needs VM_WRITE; a read any access at all (vma_is_accessible), so PROT_WRITE alone reads.
    if (write ? !v.has(VmFlags.VM_WRITE) : (v.flags & VmFlags.VM_ACCESS_FLAGS) == 0) {
      throw new SignalException(SignalException.Kind.SEGV_ACCERR, addr, (write ? "write to" : "read from") + " a VMA mapped " + v
          + " without " + (write ? "PROT_WRITE" : "any of PROT_READ, PROT_WRITE and PROT_EXEC"));
    }
    return v;
  }

  /**
   * Checks a whole user range before any byte of it is touched (a read or write of the lab's own
   * bytes, a driver's access); throws the signal for its first bad address. A length that would wrap
   * the end around runs to the top instead: the first unmapped byte faults, whatever the length.
   */
  void checkRange(Mm mm, long addr, long len, boolean write) {
    long a = addr;
    long end = end(addr, len);
    while (a < end) {
      a = accessVma(mm, a, write).end;
    }
  }

  /** The end of [addr, addr + len); a length that would wrap it around runs to the top instead, where the first unmapped byte faults. */
  static long end(long addr, long len) {
    long end = addr + len;
    return len >= 0 && end < addr ? Long.MAX_VALUE : end;
  }

  /**
   * A resolver for user addresses of {@code mm}: faults pages in as the MMU would. Each caller
   * makes one for one direction of access (a copy makes one for its source and one for its
   * destination), so a VMA that allowed one access allows every later one at an address it holds.
   */
  PageResolver user(Mm mm) {
    return user(mm, true);
  }

  /**
   * The process's memory as the kernel reaches it (copy_from_user, copy_to_user): its faults are
   * kernel-mode faults, which take mmap_lock on every kernel (do_user_addr_fault sends a fault
   * without FAULT_FLAG_USER to lock_mmap, past the VMA's lock).
   */
  PageResolver fromKernel(Mm mm) {
    return user(mm, false);
  }

  private PageResolver user(Mm mm, boolean userMode) {
    return new PageResolver() {
      private Vma cached;
      /** The PTE page of the last access and the vpn of its first entry, as a page-walk cache keeps it. */
      private long[] leaf;
      private long leafVpn = -1;

      @Override
      public int pfn(long addr, boolean write) {
        Vma v = cached;
        if (v == null || !v.contains(addr)) {
          v = cached = accessVma(mm, addr, write);
        }
        long vpn = addr >>> Page.PAGE_SHIFT;
        // A PTE page goes only when a range is unmapped (free_pgtables) or a PMD mapping is zapped whole, never
        // during one access; where the PMD is none the fault makes the table, or a PMD mapping (THP).
        if (PageTable.leafStart(vpn) != leafVpn || leaf == null) {
          leaf = mm.pgtable.leaf(vpn, false);
          leafVpn = PageTable.leafStart(vpn);
          if (leaf == null) {
            int pfn = memory.faultIn(mm, v, vpn, write, userMode);
            leaf = mm.pgtable.leaf(vpn, false);
            return pfn;
          }
        }
        return memory.faultIn(mm, v, vpn, write, leaf, userMode);
      }
    };
  }

  /** The content token of a frame of RAM or of device memory. */
  long token(int pfn) {
    if (pfn < mem.devicePrivateEnd) {
      return mem.content[pfn];
    }
    DeviceMemory d = devices.apply(pfn);
    return d.content[pfn - d.basePfn];
  }

  void setToken(int pfn, long token) {
    if (pfn < mem.devicePrivateEnd) {
      mem.content[pfn] = token;
    } else {
      DeviceMemory d = devices.apply(pfn);
      d.content[pfn - d.basePfn] = token;
    }
  }

  /** Writes the seed's byte stream over [addr, addr + len), stream position 0 at {@code addr}. */
  void fill(PageResolver r, long addr, long len, long seed) {
    memory.userAccess(addr, addr + len);
    try {
      fillRange(r, addr, len, seed);
    } finally {
      memory.userAccess(0, 0);
    }
  }

  private void fillRange(PageResolver r, long addr, long len, long seed) {
    long end = end(addr, len);
    // Naming the last page's stream offset checks that the whole fill fits a pattern token (1 TiB).
    long base = content.pattern(seed, Page.down(Math.max(0, len - 1))) - Page.down(Math.max(0, len - 1));
    for (long a = addr; a < end; ) {
      long page = Page.down(a);
      long to = Math.min(end, page + Page.PAGE_SIZE);
      int pfn = r.pfn(a, true);
      long old = token(pfn);
      if (a == page && to == page + Page.PAGE_SIZE) {
        content.release(old);
        setToken(pfn, base + (a - addr));
      } else {
        setToken(pfn, content.storePattern(old, Page.offset(a), (int) (to - a), seed, a - addr));
      }
      a = to;
    }
  }

  /** Writes {@code len} bytes of {@code src} at {@code addr}. */
  void write(PageResolver r, long addr, byte[] src, int srcOff, int len) {
    for (long a = addr, end = addr + len; a < end; ) {
      long to = Math.min(end, Page.down(a) + Page.PAGE_SIZE);
      int pfn = r.pfn(a, true);
      setToken(pfn, content.storeBytes(token(pfn), Page.offset(a), src, srcOff + (int) (a - addr), (int) (to - a)));
      a = to;
    }
  }

  void read(PageResolver r, long addr, byte[] dst, int dstOff, int len) {
    for (long a = addr, end = addr + len; a < end; ) {
      long to = Math.min(end, Page.down(a) + Page.PAGE_SIZE);
      long t = token(r.pfn(a, false));
      int off = Page.offset(a);
      for (int i = 0; i < to - a; i++) {
        dst[dstOff + (int) (a - addr) + i] = content.byteAt(t, off + i);
      }
      a = to;
    }
  }

  /** Whether [addr, addr + len) holds the seed's stream from {@code streamPos}. Reads fault pages in. */
  boolean matches(PageResolver r, long addr, long len, long seed, long streamPos) {
    return checked(r, addr, len, seed, streamPos) < 0;
  }

  /**
   * Reads [addr, addr + len) against the stream, as a program's check loop does, up to the first
   * byte that differs: how many bytes it read (that byte the last), or -1 if all of them match.
   */
  long checked(PageResolver r, long addr, long len, long seed, long streamPos) {
    memory.userAccess(addr, addr + len);
    try {
      return checkedRange(r, addr, len, seed, streamPos);
    } finally {
      memory.userAccess(0, 0);
    }
  }

  private long checkedRange(PageResolver r, long addr, long len, long seed, long streamPos) {
    for (long a = addr, end = end(addr, len); a < end; ) {
      long to = Math.min(end, Page.down(a) + Page.PAGE_SIZE);
      int off = Page.offset(a);
      int at = content.mismatch(token(r.pfn(a, false)), off, off + (int) (to - a), seed, streamPos + (a - addr));
      if (at >= 0) {
        return a - addr + at + 1;
      }
      a = to;
    }
    return -1;
  }

  /**
   * Copies {@code len} bytes from {@code src} to {@code dst} (memcpy, copy_from_user, pwrite).
   * A whole destination page whose source is one page, or one stream across two, stays a token.
   */
  void copy(PageResolver dst, long dstAddr, PageResolver src, long srcAddr, long len) {
    for (long done = 0; done < len; ) {
      long d = dstAddr + done;
      int dOff = Page.offset(d);
      int n = (int) Math.min(len - done, Page.PAGE_SIZE - dOff);
      long s = srcAddr + done;
      int sOff = Page.offset(s);
      int first = Math.min(n, Page.PAGE_SIZE - sOff);
      int dpfn = dst.pfn(d, true);
      long a = token(src.pfn(s, false));
      long b = first < n ? token(src.pfn(s + first, false)) : 0;
      long t = token(dpfn);
      long whole = n == Page.PAGE_SIZE && sOff != 0 ? content.spliced(a, b, sOff) : 1;
      if (whole != 1) {
        content.release(t);
        t = whole;
      } else {
        t = content.copyBytes(t, dOff, a, sOff, first);
        if (first < n) {
          t = content.copyBytes(t, dOff + first, b, 0, n - first);
        }
      }
      setToken(dpfn, t);
      done += n;
    }
  }
}
