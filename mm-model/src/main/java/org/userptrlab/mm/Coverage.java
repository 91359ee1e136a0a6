package org.userptrlab.mm;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a machine's run reached: the counters that moved, the {@link ModelPath}s taken, and each
 * kernel change the model consulted, with the way it went (present or not). Immutable.
 */
public record Coverage(Set<VmEvent> counters, Set<ModelPath> paths, Set<KernelChange> consultedWith,
    Set<KernelChange> consultedWithout) {
  /** Nothing reached. */
  public static final Coverage NONE = new Coverage(Set.of(), Set.of(), Set.of(), Set.of());

  public Coverage {
    counters = frozen(counters, VmEvent.class);
    paths = frozen(paths, ModelPath.class);
    consultedWith = frozen(consultedWith, KernelChange.class);
    consultedWithout = frozen(consultedWithout, KernelChange.class);
  }

  private static <E extends Enum<E>> Set<E> frozen(Set<E> s, Class<E> type) {
    EnumSet<E> copy = EnumSet.noneOf(type);
    copy.addAll(s);
    return Collections.unmodifiableSet(copy);
  }

  /** What this and {@code o} reached between them. */
  public Coverage union(Coverage o) {
    return new Coverage(both(counters, o.counters, VmEvent.class), both(paths, o.paths, ModelPath.class),
        both(consultedWith, o.consultedWith, KernelChange.class), both(consultedWithout, o.consultedWithout, KernelChange.class));
  }

  /** Whether {@code o} reached something this did not. */
  public boolean missesAnyOf(Coverage o) {
    return !counters.containsAll(o.counters) || !paths.containsAll(o.paths) || !consultedWith.containsAll(o.consultedWith)
        || !consultedWithout.containsAll(o.consultedWithout);
  }

  /** How many points it reached, of the {@link #points()} there are. */
  public int size() {
    return counters.size() + paths.size() + consultedWith.size() + consultedWithout.size();
  }

  /** Every point coverage can reach: each counter, each path, each change both ways. */
  public static int points() {
    return VmEvent.values().length + ModelPath.values().length + 2 * KernelChange.values().length;
  }

  private static <E extends Enum<E>> Set<E> both(Set<E> a, Set<E> b, Class<E> type) {
    EnumSet<E> out = EnumSet.noneOf(type);
    out.addAll(a);
    out.addAll(b);
    return out;
  }
}
