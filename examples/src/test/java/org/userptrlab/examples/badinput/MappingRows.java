package org.userptrlab.examples.badinput;

import java.util.List;

/**
 * Rows of the bad-input table: programs whose mapping operations (memfd, tmpfile, truncate,
 * mmap_at, mremap, mremap_to, read_direct, setrlimit_memlock, vm_rss and the madvise words) are
 * refused when the program is read, with the file, line and column of the mistake.
 */
final class MappingRows {
  private MappingRows() {}

  private static final String P = "{dir}/p.scenario";
  /** A process and two buffers, {@code buf} and {@code dst}; the line under test is line 5. */
  private static final String HEAD = "scenario x\np = app a\nbuf = p.mmap 16K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\n"
      + "dst = p.mmap 16K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\n";

  private static BadInput check(String what, String expected, String line) {
    return BadInput.program("mapping: " + what, expected, HEAD + line + "\n", "check", P);
  }

  private static BadInput run(String what, String expected, String line) {
    return BadInput.program("mapping: " + what, expected, HEAD + line + "\n", "run", P);
  }

  static List<BadInput> rows() {
    return List.of(
        run("mremap_to without MREMAP_FIXED or MREMAP_DONTUNMAP", P + ":5:27: 'mremap_to' moves the mapping to DST: its flags need "
            + "MREMAP_MAYMOVE with MREMAP_FIXED or MREMAP_DONTUNMAP", "n = p.mremap_to buf 4K 8K MREMAP_MAYMOVE dst"),
        run("mremap given MREMAP_FIXED but no address", P + ":5:24: MREMAP_FIXED and MREMAP_DONTUNMAP move the mapping to an address "
            + "'mremap' does not give; use 'mremap_to", "n = p.mremap buf 4K 8K MREMAP_MAYMOVE|MREMAP_FIXED"),
        check("mremap's 0 joined with a flag", P + ":5:24: '0' is no flags at all", "n = p.mremap buf 4K 8K 0|MREMAP_MAYMOVE"),
        check("an unknown MREMAP_ flag", P + ":5:24: 'MREMAP_FOO' is not a word 'mremap' takes here",
            "n = p.mremap buf 4K 8K MREMAP_FOO"),
        check("mremap short of its flags", P + ":5:21: 'mremap' needs 4 arguments", "n = p.mremap buf 4K"),
        check("mremap_to to an address not set", P + ":5:55: 'other' is used before it is set",
            "n = p.mremap_to buf 4K 4K MREMAP_MAYMOVE|MREMAP_FIXED other"),
        run("mmap_at without MAP_FIXED or MAP_FIXED_NOREPLACE", P + ":5:32: 'mmap_at' maps anonymous memory at an address: its flags "
            + "need MAP_ANONYMOUS", "f = p.mmap_at buf 4K PROT_READ MAP_PRIVATE|MAP_ANONYMOUS"),
        check("mmap_at with both MAP_FIXED and MAP_FIXED_NOREPLACE", P + ":5:32: 'mmap_at' maps anonymous memory at an address",
            "f = p.mmap_at buf 4K PROT_READ MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_FIXED_NOREPLACE"),
        check("mmap_at without MAP_ANONYMOUS", P + ":5:32: 'mmap_at' maps anonymous memory at an address",
            "f = p.mmap_at buf 4K PROT_READ MAP_PRIVATE|MAP_FIXED"),
        check("a memfd name with a capital letter", P + ":5:11: expected a name for the file", "f = memfd Scratch 4K"),
        check("a memfd without its size", P + ":5:19: 'memfd' needs 2 or 3 arguments (a name, a size, a word): memfd NAME SIZE [FLAGS]", "f = memfd scratch"),
        check("a tmpfile of a size that is not one", P + ":5:15: '4Q' is not a size", "f = tmpfile t 4Q"),
        run("truncate of an address", P + ":5:10: 'buf' is an address, not a file", "truncate buf 4K"),
        check("read_direct from an address", P + ":5:15: 'buf' is an address, not a file", "p.read_direct buf buf 4K"),
        check("setrlimit_memlock with three limits", P + ":5:30: unexpected '1M' after a complete line", "p.setrlimit_memlock 64K 128K 1M"),
        check("vm_rss given an argument", P + ":5:14: unexpected '4K' after a complete line", "n = p.vm_rss 4K"),
        check("a madvise word the kernel has but the model does not", P + ":5:18: 'MADV_MERGEABLE' is not a word 'madvise' takes here",
            "p.madvise buf 4K MADV_MERGEABLE"));
  }
}
