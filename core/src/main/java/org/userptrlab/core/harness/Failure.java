package org.userptrlab.core.harness;

import org.userptrlab.mm.Errno;
import org.userptrlab.mm.MmException;

/** Why a run stopped early: the kernel's errno where there is one, the signal the program took where it took one, and the message. */
public record Failure(Errno errno, String signal, String message) {
  public Failure(Errno errno, String message) {
    this(errno, null, message);
  }

  static Failure of(RuntimeException e) {
    return new Failure(e instanceof MmException m ? m.errno() : null,
        e instanceof org.userptrlab.mm.SignalException s ? s.kind().signal() : null, String.valueOf(e.getMessage()));
  }
}
