package org.userptrlab.mm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What is written in a page, as one {@code long} token per frame (and per swap slot and file page).
 *
 * <p>Three kinds of token, so that gigabytes cost eight bytes a page while a scenario can still
 * ask whether one byte just outside an imported range survived:
 * <ul>
 *   <li>{@code 0}: every byte is zero (a fresh anonymous page, the zero page).
 *   <li>a pattern token (bit 63 clear): the page holds 4096 consecutive bytes of a pseudo-random
 *       byte stream named by a seed, starting at a byte offset of that stream. Bits 62..40 name the
 *       pattern (its seed is kept in a table), bits 39..0 the stream offset, so a stream may be up
 *       to 1 TiB long. A fill of a large buffer writes one token per page; a copy between pages
 *       whose stream continues stays a token, whatever the alignment.
 *   <li>an exact token (bit 63 set): the page's bytes are held in a {@code byte[4096]}, made the
 *       first time a store writes part of a page. Exactly one frame, swap slot or file page owns an
 *       exact token; copying a page copies the bytes.
 * </ul>
 * Reading a byte of any token gives what was written; bytes never written read as zero.
 */
final class Content {
  static final long ZERO = 0;
  private static final long EXACT = Long.MIN_VALUE;
  private static final int OFFSET_BITS = 40;
  private static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;
  private static final int MAX_PATTERNS = 1 << 23;

  /** A stream's bytes are written a word at a time, little-endian, as {@link #patternWord} defines them. */
  private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final Map<Long, Integer> patternIds = new HashMap<>();
  /** The last seed looked up and its id: a program fills and checks one buffer many times over. */
  private long lastSeed;
  private int lastId;
  private long[] patternSeeds = new long[16];
  private int patterns = 1;

  /** Zeros are copied from here, not filled: the copy is a stub under every JIT tier, the fill a plain loop under C1. */
  private static final byte[] ZERO_PAGE = new byte[Page.PAGE_SIZE];

  private final ArrayList<byte[]> exact = new ArrayList<>();
  private int[] freeSlots = new int[16];
  private int freeCount;
  private int liveExact;

  /** The contents of the last machine retired on this thread: the next machine takes its pages of bytes. */
  private static final ThreadLocal<Content> RETIRED = new ThreadLocal<>();

  /** Pages of bytes a retired machine hands on; more would hold a large run's memory for the thread's life. */
  private static final int KEPT_EXACT = 4096;

  /** The contents of a freshly booted machine: nothing written, with a retired machine's pages of bytes to reuse. */
  static Content boot() {
    Content c = new Content();
    Content old = RETIRED.get();
    if (old != null) {
      RETIRED.remove();
      c.have = old.have;
      c.want = old.want;
      int n = old.exact.size();
      c.exact.addAll(old.exact);
      c.freeSlots = new int[Math.max(16, n)];
      for (int i = 0; i < n; i++) {
        c.freeSlots[i] = n - 1 - i;
      }
      c.freeCount = n;
    }
    return c;
  }

  /** Hands this machine's pages of bytes, at most {@link #KEPT_EXACT}, to the next machine booted on this thread; this must not be used again. */
  void retire() {
    if (exact.size() > KEPT_EXACT) {
      exact.subList(KEPT_EXACT, exact.size()).clear();
    }
    RETIRED.set(this);
  }

  static boolean isExact(long token) {
    return token < 0;
  }

  static boolean isPattern(long token) {
    return token > 0;
  }

  /** The token of the page that holds stream bytes [offset, offset + 4096) of the seed's pattern. */
  long pattern(long seed, long offset) {
    if (offset < 0 || offset > OFFSET_MASK - Page.PAGE_SIZE) {
      throw new IllegalArgumentException("pattern stream offset out of range (0..1 TiB): " + offset);
    }
    return ((long) patternId(seed) << OFFSET_BITS) | offset;
  }

  private int patternId(long seed) {
    if (lastId != 0 && lastSeed == seed) {
      return lastId;
    }
    Integer id = patternIds.get(seed);
    if (id != null) {
      lastSeed = seed;
      lastId = id;
      return id;
    }
    if (patterns == MAX_PATTERNS) {
      throw new IllegalStateException("more than " + MAX_PATTERNS + " distinct fill patterns on one machine");
    }
    if (patterns == patternSeeds.length) {
      patternSeeds = Arrays.copyOf(patternSeeds, patterns * 2);
    }
    patternSeeds[patterns] = seed;
    patternIds.put(seed, patterns);
    return patterns++;
  }

  private long seedOf(long token) {
    return patternSeeds[(int) (token >>> OFFSET_BITS)];
  }

  private static long offsetOf(long token) {
    return token & OFFSET_MASK;
  }

  /** Word {@code w} of the stream named by {@code seed}: its bytes 8w to 8w + 7, little-endian. The same on every machine. */
  static long patternWord(long seed, long w) {
    long z = seed * 0x9E3779B97F4A7C15L + w * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Byte {@code pos} of the stream named by {@code seed}: a fixed function, the same on every machine. */
  static byte patternByte(long seed, long pos) {
    return (byte) (patternWord(seed, pos >>> 3) >>> ((pos & 7) << 3));
  }

  /** Bytes [pos, pos + len) of the seed's stream into {@code dst} at {@code off}, a word of the stream at a time. */
  static void patternBytes(long seed, long pos, byte[] dst, int off, int len) {
    // Up to the stream's next word boundary, then whole words, then what is left of the last word.
    int i = len > 0 && (pos & 7) != 0 ? partialWord(seed, pos, dst, off, len) : 0;
    // patternWord written out in the loop: a process whose JIT stops at C1 does not inline it.
    long s = seed * 0x9E3779B97F4A7C15L;
    long w = (pos + i) >>> 3;
    for (; len - i >= 8; i += 8, w++) {
      long z = s + w * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      WORDS.set(dst, off + i, z ^ (z >>> 31));
    }
    if (i < len) {
      partialWord(seed, pos + i, dst, off + i, len - i);
    }
  }

  /** The bytes of the stream from {@code p} to the end of its word, at most {@code max}; returns how many. */
  private static int partialWord(long seed, long p, byte[] dst, int at, int max) {
    long z = patternWord(seed, p >>> 3);
    int first = (int) (p & 7);
    int n = Math.min(8 - first, max);
    for (int k = 0; k < n; k++) {
      dst[at + k] = (byte) (z >>> ((first + k) << 3));
    }
    return n;
  }

  /** The bytes [off, off + len) of a page into {@code dst} at 0. */
  private void bytesOf(long token, int off, int len, byte[] dst) {
    if (token == ZERO) {
      System.arraycopy(ZERO_PAGE, 0, dst, 0, len);
    } else if (token < 0) {
      System.arraycopy(exact.get((int) (token & Integer.MAX_VALUE)), off, dst, 0, len);
    } else {
      patternBytes(seedOf(token), offsetOf(token) + off, dst, 0, len);
    }
  }

  /** Scratch pages for comparing a page with a stream: a machine runs on one thread, and hands them on when retired. */
  private byte[] have;
  private byte[] want;

  byte byteAt(long token, int off) {
    if (token == ZERO) {
      return 0;
    }
    if (token < 0) {
      return exact.get((int) (token & Integer.MAX_VALUE))[off];
    }
    return patternByte(seedOf(token), offsetOf(token) + off);
  }

  /** Stores a byte; returns the page's new token (a pattern or zero page becomes exact). */
  long store(long token, int off, byte value) {
    long t = makeExact(token, off, 1);
    exact.get((int) (t & Integer.MAX_VALUE))[off] = value;
    return t;
  }

  /** Stores {@code len} bytes of the seed's stream from {@code streamPos} at {@code off}. */
  long storePattern(long token, int off, int len, long seed, long streamPos) {
    long t = makeExact(token, off, len);
    patternBytes(seed, streamPos, exact.get((int) (t & Integer.MAX_VALUE)), off, len);
    return t;
  }

  long storeBytes(long token, int off, byte[] src, int srcOff, int len) {
    long t = makeExact(token, off, len);
    System.arraycopy(src, srcOff, exact.get((int) (t & Integer.MAX_VALUE)), off, len);
    return t;
  }

  /** Copies {@code len} bytes of page {@code src} at {@code srcOff} into page {@code dst} at {@code dstOff}. */
  long copyBytes(long dst, int dstOff, long src, int srcOff, int len) {
    if (len == Page.PAGE_SIZE) {
      release(dst);
      return duplicate(src);
    }
    long t = makeExact(dst, dstOff, len);
    byte[] d = exact.get((int) (t & Integer.MAX_VALUE));
    if (src < 0) {
      System.arraycopy(exact.get((int) (src & Integer.MAX_VALUE)), srcOff, d, dstOff, len);
    } else if (src == ZERO) {
      Arrays.fill(d, dstOff, dstOff + len, (byte) 0);
    } else {
      patternBytes(seedOf(src), offsetOf(src) + srcOff, d, dstOff, len);
    }
    return t;
  }

  /**
   * The token of a whole page made of bytes [off, 4096) of page {@code a} followed by bytes
   * [0, off) of page {@code b}, if it can be named without bytes (both zero, or one stream
   * continuing); otherwise {@code 1} (never a valid result of this method), meaning "compose bytes".
   */
  long spliced(long a, long b, int off) {
    if (a == ZERO && b == ZERO) {
      return ZERO;
    }
    if (a > 0 && b > 0 && (a >>> OFFSET_BITS) == (b >>> OFFSET_BITS)
        && offsetOf(b) == offsetOf(a) + Page.PAGE_SIZE) {
      return a + off;
    }
    return 1;
  }

  /** A token equal in content that the caller will own: exact pages are copied. */
  long duplicate(long token) {
    if (token >= 0) {
      return token;
    }
    long t = newExact();
    System.arraycopy(exact.get((int) (token & Integer.MAX_VALUE)), 0, exact.get((int) (t & Integer.MAX_VALUE)), 0, Page.PAGE_SIZE);
    return t;
  }

  /** Gives back what an owner of the token held; the bytes of a freed exact page are overwritten when it is reused. */
  void release(long token) {
    if (token < 0) {
      int slot = (int) (token & Integer.MAX_VALUE);
      if (freeCount == freeSlots.length) {
        freeSlots = Arrays.copyOf(freeSlots, freeCount * 2);
      }
      freeSlots[freeCount++] = slot;
      liveExact--;
    }
  }

  boolean sameContent(long a, long b) {
    if (a == b) {
      return true;
    }
    if (a >= 0 && b >= 0) {
      return false;
    }
    scratch();
    bytesOf(a, 0, Page.PAGE_SIZE, have);
    bytesOf(b, 0, Page.PAGE_SIZE, want);
    return Arrays.equals(have, want);
  }

  /** Makes the scratch pages at first use: most runs never compare a page's bytes with anything. */
  private void scratch() {
    if (have == null) {
      have = new byte[Page.PAGE_SIZE];
      want = new byte[Page.PAGE_SIZE];
    }
  }

  /** Whether bytes [from, to) of the page equal the seed's stream starting at {@code streamPos} for byte {@code from}. */
  boolean matches(long token, int from, int to, long seed, long streamPos) {
    return mismatch(token, from, to, seed, streamPos) < 0;
  }

  /**
   * The first of bytes [from, to) of the page that differs from the seed's stream (which starts at
   * {@code streamPos} for byte {@code from}), counted from {@code from}; -1 if none does.
   */
  int mismatch(long token, int from, int to, long seed, long streamPos) {
    if (token > 0 && seedOf(token) == seed && offsetOf(token) + from == streamPos) {
      return -1;
    }
    int len = to - from;
    scratch();
    patternBytes(seed, streamPos, want, 0, len);
    if (token < 0) {
      return Arrays.mismatch(exact.get((int) (token & Integer.MAX_VALUE)), from, to, want, 0, len);
    }
    if (token == ZERO) {
      return Arrays.mismatch(ZERO_PAGE, 0, len, want, 0, len);
    }
    bytesOf(token, from, len, have);
    return Arrays.mismatch(have, 0, len, want, 0, len);
  }

  /** Exact pages alive, for the leak check. */
  int liveExact() {
    return liveExact;
  }

  /**
   * The page as an exact token about to be written at [off, off + len): the bytes outside that
   * range are the old token's, those inside are left for the caller to write.
   */
  private long makeExact(long token, int off, int len) {
    if (token < 0) {
      return token;
    }
    boolean reused = freeCount > 0;
    long t = newExact();
    byte[] page = exact.get((int) (t & Integer.MAX_VALUE));
    int end = off + len;
    if (token > 0) {
      patternBytes(seedOf(token), offsetOf(token), page, 0, off);
      patternBytes(seedOf(token), offsetOf(token) + end, page, end, Page.PAGE_SIZE - end);
    } else if (reused) {
      System.arraycopy(ZERO_PAGE, 0, page, 0, off);
      System.arraycopy(ZERO_PAGE, end, page, end, Page.PAGE_SIZE - end);
    }
    return t;
  }

  /** A page of bytes for a new exact token: a freed one again, holding what it held, or a new one, zero. */
  private long newExact() {
    int slot;
    if (freeCount > 0) {
      slot = freeSlots[--freeCount];
    } else {
      slot = exact.size();
      exact.add(new byte[Page.PAGE_SIZE]);
    }
    liveExact++;
    return EXACT | slot;
  }
}
