package org.userptrlab.core.spi;

/** One thing a scenario can check about an import; each {@link Contract} promises some of them. */
public enum Promise {
  /** A GPU job reads the bytes the program had in the range when it imported it. */
  GPU_SEES_IMPORTED_BYTES("GPU sees the imported bytes"),
  /** The GPU still has the imported bytes after the program (or its child) rewrote the range. */
  GPU_KEEPS_SNAPSHOT("GPU keeps the imported bytes after the program rewrites them"),
  /** The program still reads its own bytes in the range after the import. */
  PROGRAM_KEEPS_ITS_BYTES("program keeps its bytes"),
  /** Bytes of the program just outside the range, on the same pages, survive the import. */
  BYTES_OUTSIDE_RANGE_KEPT("bytes outside the range kept"),
  /** A GPU job reads what the program wrote into the range after the import. */
  GPU_SEES_LATER_CPU_WRITES("GPU sees later CPU writes"),
  /** The program reads what a GPU job wrote into the object. */
  CPU_SEES_GPU_WRITES("CPU sees GPU writes");

  private final String text;

  Promise(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }
}
