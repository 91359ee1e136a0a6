package org.userptrlab.mm;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The kernel a machine runs, as the set of {@link KernelChange}s it has. A release has every
 * change merged up to it ({@code linux("5.8")}); from there single changes can be added or removed
 * ({@code parse("3.4+foll-pin")}, {@code parse("6.12-anon-exclusive")}) to ask what one commit did
 * on its own. A combination no mainline release had is allowed and says so ({@link #isReleased}).
 * Immutable; equal configurations make the model behave identically.
 */
public final class KernelConfig {
  /**
   * The releases the lab compares by default: the seed thread's kernel, then each long-term release to
   * today, and 5.17 and 5.18, either side of the COW fixes of 5.18 (do_swap_page and do_wp_page
   * count references) and of the munlock rework that made munmap's locked_vm subtraction unguarded,
   * and 6.15, the release of drm_gpusvm and the newest whose changes the model follows.
   */
  private static final List<KernelRelease> PRESETS = List.of("3.4", "4.4", "4.9", "4.14", "4.19", "5.4", "5.10", "5.15",
      "5.17", "5.18", "6.1", "6.6", "6.12", "6.15").stream().map(KernelRelease::parse).toList();

  /** Linux 3.4 (May 2012), the kernel of the dri-devel thread. */
  public static final KernelConfig LINUX_3_4 = linux("3.4");

  /** Linux 6.12, the newest long-term release: the modern kernel the lab compares the seed thread's with. */
  public static final KernelConfig LINUX_6_12 = linux("6.12");

  /** How do_wp_page decides that a write to a write-protected anonymous page may reuse it. */
  public enum CowReuse {
    /** Before 5.9: reuse_swap_page, i.e. page_mapcount(page) == 1; other references are not looked at. */
    MAPCOUNT,
    /** 5.9 to 5.18 (09854ba94c6a): page_count(page) == 1, so any extra reference makes the writer copy. */
    PAGE_COUNT,
    /** 5.19+: PageAnonExclusive, or wp_can_reuse_anon_folio's refcount == 1, which then sets it. */
    ANON_EXCLUSIVE
  }

  /** Where movable allocations find free pages relative to the CMA region. */
  public enum CmaPolicy {
    /** Use CMA pageblocks only once the other movable pageblocks are empty. */
    FALLBACK,
    /** Prefer CMA pageblocks while they hold more than half of the free pages. */
    BALANCED
  }

  private final KernelRelease release;
  /** Asked on every fault: kept as the EnumSet itself (a bit test), handed out read-only. */
  private final EnumSet<KernelChange> changes;
  private final Set<KernelChange> added;
  private final Set<KernelChange> removed;

  private KernelConfig(KernelRelease release, Set<KernelChange> added, Set<KernelChange> removed) {
    this.release = release;
    EnumSet<KernelChange> set = mergedBy(release);
    set.addAll(added);
    set.removeAll(removed);
    this.changes = set;
    this.added = Collections.unmodifiableSet(copy(added));
    this.removed = Collections.unmodifiableSet(copy(removed));
  }

  /** Mainline {@code release}: every change merged up to and including it. */
  public static KernelConfig linux(KernelRelease release) {
    if (!release.atLeast(KernelRelease.OLDEST)) {
      throw new IllegalArgumentException("kernel " + release + " is older than the model follows; the oldest is " + KernelRelease.OLDEST);
    }
    if (release.neverReleased() != null) {
      throw new IllegalArgumentException("there was no Linux " + release + ": " + release.neverReleased());
    }
    return new KernelConfig(release, Set.of(), Set.of());
  }

  public static KernelConfig linux(String release) {
    return linux(KernelRelease.parse(release));
  }

  /** 3.4, the long-term releases 4.4 to 6.12, and 5.17 and 5.18: the kernels a timeline runs on unless told otherwise. */
  public static List<KernelConfig> presets() {
    return PRESETS.stream().map(KernelConfig::linux).toList();
  }

  /** The release of the kernel this JVM runs on (uname -r), as mainline had it. */
  public static KernelConfig host() {
    String os = System.getProperty("os.name", "");
    if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
      throw new IllegalArgumentException("the host kernel is asked for, but this is " + os + ", not Linux");
    }
    return linux(KernelRelease.parse(System.getProperty("os.version", "")));
  }

  /**
   * Reads a kernel as written on the command line and in reports: a release ({@code 5.10}) or
   * {@code host}, followed by changes to add ({@code +foll-pin}) or remove ({@code -anon-exclusive}).
   */
  public static KernelConfig parse(String spec) {
    String s = spec == null ? "" : spec.strip();
    if (s.endsWith("-") || s.endsWith("+")) {
      // A sign with no change after it, which a release's own suffix ("6.18.44-fc") never ends with.
      throw new IllegalArgumentException(String.format("'%s': no kernel change named ''; the changes are %s", s, ids()));
    }
    int i = 0;
    while (i < s.length() && s.charAt(i) != '+' && !(s.charAt(i) == '-' && i > 0 && Character.isLetter(peek(s, i + 1)))) {
      i++;
    }
    String base = s.substring(0, i);
    KernelConfig k = base.equalsIgnoreCase("host") ? host() : linux(KernelRelease.parse(base));
    while (i < s.length()) {
      char sign = s.charAt(i);
      KernelChange c = longestIdAt(s, i + 1);
      if (c == null && s.substring(i + 1).matches("rc[0-9]+")) {
        throw new IllegalArgumentException(String.format("'%s': a release candidate is not a kernel the model follows; "
            + "give its release, %s, or the one before it", s, base));
      }
      if (c == null) {
        throw new IllegalArgumentException(String.format("'%s': no kernel change named '%s'; the changes are %s", s,
            s.substring(i + 1), ids()));
      }
      k = sign == '+' ? k.with(c) : k.without(c);
      i += 1 + c.id().length();
    }
    return k;
  }

  private static char peek(String s, int i) {
    return i < s.length() ? s.charAt(i) : ' ';
  }

  private static KernelChange longestIdAt(String s, int from) {
    KernelChange best = null;
    for (KernelChange c : KernelChange.values()) {
      int end = from + c.id().length();
      // Every change's name is lower case: FOLL-PIN is foll-pin.
      if (s.regionMatches(true, from, c.id(), 0, c.id().length()) && (end == s.length() || s.charAt(end) == '+' || s.charAt(end) == '-')
          && (best == null || c.id().length() > best.id().length())) {
        best = c;
      }
    }
    return best;
  }

  private static String ids() {
    return List.of(KernelChange.values()).stream().map(KernelChange::id).collect(Collectors.joining(", "));
  }

  /** This kernel with {@code change} as well. */
  public KernelConfig with(KernelChange change) {
    EnumSet<KernelChange> a = copy(added);
    EnumSet<KernelChange> r = copy(removed);
    if (!r.remove(change) && !mergedBy(release).contains(change)) {
      a.add(change);
    }
    return new KernelConfig(release, a, r);
  }

  /** This kernel without {@code change}. */
  public KernelConfig without(KernelChange change) {
    EnumSet<KernelChange> a = copy(added);
    EnumSet<KernelChange> r = copy(removed);
    if (!a.remove(change) && mergedBy(release).contains(change)) {
      r.add(change);
    }
    return new KernelConfig(release, a, r);
  }

  public boolean has(KernelChange change) {
    return changes.contains(change);
  }

  /** The mainline release this kernel starts from. */
  public KernelRelease release() {
    return release;
  }

  public Set<KernelChange> changes() {
    return Collections.unmodifiableSet(changes);
  }

  /** Changes added to, and removed from, the release's own. */
  public Set<KernelChange> added() {
    return added;
  }

  public Set<KernelChange> removed() {
    return removed;
  }

  /**
   * Whether some mainline release had exactly these changes (3.4+cma+madv-remove-punch-hole is 3.5's
   * set; 3.4+foll-pin is no one's).
   */
  public boolean isReleased() {
    KernelRelease newest = KernelRelease.OLDEST;
    for (KernelChange c : changes) {
      newest = c.release().compareTo(newest) > 0 ? c.release() : newest;
    }
    return changes.equals(mergedBy(newest));
  }

  /** As the command line takes it and reports write it: {@code 3.4}, {@code 3.4+foll-pin}, {@code 6.12-anon-exclusive}. */
  public String name() {
    StringBuilder sb = new StringBuilder(release.toString());
    added.forEach(c -> sb.append('+').append(c.id()));
    removed.forEach(c -> sb.append('-').append(c.id()));
    return sb.toString();
  }

  /** {@link #name()}, followed by a warning when no released kernel had this combination. */
  public String describe() {
    return isReleased() ? name() : name() + " (a combination no released kernel had)";
  }

  public CowReuse cowReuse() {
    if (has(KernelChange.ANON_EXCLUSIVE)) {
      return CowReuse.ANON_EXCLUSIVE;
    }
    return has(KernelChange.WP_PAGE_COUNT) ? CowReuse.PAGE_COUNT : CowReuse.MAPCOUNT;
  }

  public CmaPolicy cmaPolicy() {
    return has(KernelChange.CMA_BALANCED) ? CmaPolicy.BALANCED : CmaPolicy.FALLBACK;
  }

  /** include/uapi/linux/resource.h: MLOCK_LIMIT, the RLIMIT_MEMLOCK a process starts with. */
  public long defaultMemlockLimit() {
    return has(KernelChange.MEMLOCK_8M) ? 8L << 20 : 64L << 10;
  }

  private static EnumSet<KernelChange> mergedBy(KernelRelease release) {
    EnumSet<KernelChange> set = EnumSet.noneOf(KernelChange.class);
    for (KernelChange c : KernelChange.values()) {
      if (release.atLeast(c.release())) {
        set.add(c);
      }
    }
    return set;
  }

  private static EnumSet<KernelChange> copy(Set<KernelChange> s) {
    return s.isEmpty() ? EnumSet.noneOf(KernelChange.class) : EnumSet.copyOf(s);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KernelConfig k && release.equals(k.release) && added.equals(k.added) && removed.equals(k.removed);
  }

  @Override
  public int hashCode() {
    return Objects.hash(release, added, removed);
  }

  @Override
  public String toString() {
    return name();
  }
}
