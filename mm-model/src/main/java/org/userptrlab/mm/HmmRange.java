package org.userptrlab.mm;

/**
 * struct hmm_range: what a driver asks {@link Kernel#hmmRangeFault(HmmRange)} for, [start, end) of a
 * process with the request flags for every page, and the owner of the device-private pages it wants
 * reported as they are. The answer is one {@code long} per page in include/linux/hmm.h's encoding:
 * the pfn in the low bits, {@link #HMM_PFN_VALID} and {@link #HMM_PFN_WRITE} at the top.
 */
public record HmmRange(Process process, long start, long end, long defaultFlags, Object devPrivateOwner) {
  /** The page is there and may be read; as a request (HMM_PFN_REQ_FAULT), fault it in if it is not. */
  public static final long HMM_PFN_VALID = 1L << 63;
  /** The CPU's entry allows writes; as a request (HMM_PFN_REQ_WRITE), fault it in for writing, breaking COW. */
  public static final long HMM_PFN_WRITE = 1L << 62;
  public static final long HMM_PFN_REQ_FAULT = HMM_PFN_VALID;
  public static final long HMM_PFN_REQ_WRITE = HMM_PFN_WRITE;
  /** HMM_PFN_FLAGS: every bit that is not the pfn. */
  private static final long HMM_PFN_FLAGS = HMM_PFN_VALID | HMM_PFN_WRITE;

  /** hmm_pfn_to_page's pfn: the frame or device-private page of one answer. */
  public static int pfn(long hmmPfn) {
    return (int) (hmmPfn & ~HMM_PFN_FLAGS);
  }

  public static boolean valid(long hmmPfn) {
    return (hmmPfn & HMM_PFN_VALID) != 0;
  }

  public static boolean writable(long hmmPfn) {
    return (hmmPfn & HMM_PFN_WRITE) != 0;
  }

  public int nrPages() {
    return (int) ((end - start) >>> Page.PAGE_SHIFT);
  }
}
