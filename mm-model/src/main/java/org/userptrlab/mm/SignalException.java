package org.userptrlab.mm;

/**
 * A signal the kernel delivers to the program for a bad access: the model's SIGSEGV or SIGBUS
 * (arch/x86/mm/fault.c: bad_area, bad_area_access_error). Nothing was written.
 */
public final class SignalException extends RuntimeException {
  /** The signal and its si_code, as siginfo reports them. */
  public enum Kind {
    SEGV_MAPERR("SIGSEGV", "address not mapped to object"),
    SEGV_ACCERR("SIGSEGV", "invalid permissions for mapped object"),
    BUS_ADRERR("SIGBUS", "nonexistent physical address (beyond end of file)"),
    ABORT("SIGABRT", "the C library aborted");

    private final String signal;
    private final String meaning;

    Kind(String signal, String meaning) {
      this.signal = signal;
      this.meaning = meaning;
    }

    public String signal() {
      return signal;
    }
  }

  private final Kind kind;
  private final long address;
  private final String detail;

  SignalException(Kind kind, long address, String detail) {
    super(String.format("%s (%s) at 0x%x: %s; %s", kind.signal, kind.name(), address, kind.meaning, detail));
    this.kind = kind;
    this.address = address;
    this.detail = detail;
  }

  /** The same signal at the same address, its message followed by {@code more} (where a program raised it, say). */
  public SignalException followedBy(String more) {
    SignalException s = new SignalException(kind, address, detail + more);
    s.initCause(this);
    return s;
  }

  public Kind kind() {
    return kind;
  }

  /** The faulting address, as si_addr. */
  public long address() {
    return address;
  }
}
