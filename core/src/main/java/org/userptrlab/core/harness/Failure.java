package org.userptrlab.core.harness;

import org.userptrlab.mm.Errno;
import org.userptrlab.mm.MmException;

/** Why a run stopped early: the kernel's errno where there is one, and the message. */
public record Failure(Errno errno, String message) {
  static Failure of(RuntimeException e) {
    return new Failure(e instanceof MmException m ? m.errno() : null, String.valueOf(e.getMessage()));
  }
}
