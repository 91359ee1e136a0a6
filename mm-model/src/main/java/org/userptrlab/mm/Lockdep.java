package org.userptrlab.mm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * kernel/locking/lockdep.c's lock-order validator over the locks the model takes: each lock class
 * (mmap_lock, the MMU notifier's invalidate map, a driver's own locks) is a node, and taking one
 * while holding another records the order between them; an order that closes a cycle with the
 * ones seen before is a possible deadlock, reported with the orders that close it, as "possible
 * circular locking dependency detected" is; like lockdep, it reports the first and then stops
 * checking (debug_locks_off). Classes are few (at most 64), so each class's successors are one bit set.
 */
public final class Lockdep {
  /** mm->mmap_lock, taken by every system call that changes the address space and by faults and get_user_pages. */
  public static final String MMAP_LOCK = "&mm->mmap_lock";
  /**
   * __mmu_notifier_invalidate_range_start_map: the lockdep map mmu_notifier_invalidate_range_start
   * takes around the invalidate callbacks (and mmu_interval_read_begin takes and drops), so that a
   * lock a callback takes is ordered after everything held when an invalidation may start.
   */
  public static final String INVALIDATE_RANGE_START = "mmu_notifier_invalidate_range_start";

  /** One possible deadlock: the order just taken, and the chain of orders seen before that closes the cycle. */
  public record Inversion(String held, String acquired, String heldWhere, List<String> earlier) {
    /** For a person: both orders and where each was seen. */
    public String describe() {
      return String.format("%s taken while holding %s (%s), but earlier: %s", acquired, held, heldWhere, String.join("; ", earlier));
    }
  }

  private final Map<String, Integer> ids = new HashMap<>();
  private final List<String> names = new ArrayList<>();
  private long[] after = new long[8];
  /** Where each order was first seen, by (from * 64 + to). */
  private final Map<Integer, String> witness = new HashMap<>();
  private final int[] held = new int[16];
  private int depth;
  private final List<Inversion> inversions = new ArrayList<>();

  /** The class called {@code name}, registered the first time. */
  int classOf(String name) {
    // The names are constants: one comparison of references each, before the map, on every lock taken.
    for (int i = 0, n = names.size(); i < n; i++) {
      if (names.get(i) == name) {
        return i;
      }
    }
    Integer id = ids.get(name);
    if (id == null) {
      if (names.size() == 64) {
        throw new IllegalStateException("lockdep: more than 64 lock classes");
      }
      id = names.size();
      ids.put(name, id);
      names.add(name);
      if (id >= after.length) {
        after = java.util.Arrays.copyOf(after, 64);
      }
    }
    return id;
  }

  /** lock_acquire: {@code name} is taken at {@code where}; every class held now is ordered before it. */
  public void acquire(String name, String where) {
    int c = classOf(name);
    for (int i = 0; i < depth; i++) {
      int h = held[i];
      if (h == c || (after[h] & (1L << c)) != 0) {
        continue;
      }
      List<Integer> path = inversions.isEmpty() ? path(c, h) : null;
      if (path != null) {
        List<String> earlier = new ArrayList<>();
        for (int j = 0; j + 1 < path.size(); j++) {
          earlier.add(names.get(path.get(j + 1)) + " taken while holding " + names.get(path.get(j)) + " ("
              + witness.get(path.get(j) * 64 + path.get(j + 1)) + ")");
        }
        inversions.add(new Inversion(names.get(h), name, where, earlier));
      }
      after[h] |= 1L << c;
      witness.putIfAbsent(h * 64 + c, where);
    }
    if (depth == held.length) {
      throw new IllegalStateException("lockdep: more than " + held.length + " locks held");
    }
    held[depth++] = c;
  }

  /** lock_release of the innermost hold of {@code name}. */
  public void release(String name) {
    int c = classOf(name);
    for (int i = depth - 1; i >= 0; i--) {
      if (held[i] == c) {
        System.arraycopy(held, i + 1, held, i, depth - i - 1);
        depth--;
        return;
      }
    }
    throw new IllegalStateException("lockdep: releasing " + name + ", which is not held");
  }

  /** lock_map_acquire then lock_map_release: the orders of taking it now, without holding it after. */
  public void touch(String name, String where) {
    acquire(name, where);
    release(name);
  }

  /** The classes from {@code from} to {@code to} along recorded orders, or null if there is no such chain. */
  private List<Integer> path(int from, int to) {
    int[] prev = new int[names.size()];
    java.util.Arrays.fill(prev, -1);
    java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
    queue.add(from);
    prev[from] = from;
    while (!queue.isEmpty()) {
      int x = queue.poll();
      if (x == to) {
        List<Integer> out = new ArrayList<>();
        for (int y = to; y != from; y = prev[y]) {
          out.add(0, y);
        }
        out.add(0, from);
        return out;
      }
      for (long bits = after[x]; bits != 0; bits &= bits - 1) {
        int y = Long.numberOfTrailingZeros(bits);
        if (prev[y] < 0) {
          prev[y] = x;
          queue.add(y);
        }
      }
    }
    return null;
  }

  /** The possible deadlocks found so far, in the order found. */
  public List<Inversion> inversions() {
    return List.copyOf(inversions);
  }
}
