package org.userptrlab.mm;

import java.util.Arrays;

/**
 * A map from non-negative int keys to int values in two primitive arrays (open addressing, linear
 * probing, backward-shift deletion), so that per-page side tables cost no object per page.
 */
final class IntIntMap {
  static final int ABSENT = -1;
  private int[] keys;
  private int[] values;
  private int size;

  IntIntMap() {
    keys = new int[16];
    values = new int[16];
    Arrays.fill(keys, ABSENT);
  }

  int size() {
    return size;
  }

  private static int hash(int key, int mask) {
    return (key * 0x9E3779B9) >>> 7 & mask;
  }

  int get(int key) {
    int mask = keys.length - 1;
    for (int i = hash(key, mask); ; i = (i + 1) & mask) {
      if (keys[i] == key) {
        return values[i];
      }
      if (keys[i] == ABSENT) {
        return ABSENT;
      }
    }
  }

  void put(int key, int value) {
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    int i = hash(key, mask);
    while (keys[i] != ABSENT && keys[i] != key) {
      i = (i + 1) & mask;
    }
    if (keys[i] == ABSENT) {
      size++;
    }
    keys[i] = key;
    values[i] = value;
  }

  /** Removes the key; its value, or {@link #ABSENT}. */
  int remove(int key) {
    int mask = keys.length - 1;
    int i = hash(key, mask);
    while (keys[i] != key) {
      if (keys[i] == ABSENT) {
        return ABSENT;
      }
      i = (i + 1) & mask;
    }
    int old = values[i];
    size--;
    // Backward-shift: pull later entries of the probe run into the hole so lookups still find them.
    for (int j = (i + 1) & mask; keys[j] != ABSENT; j = (j + 1) & mask) {
      int home = hash(keys[j], mask);
      if (((j - home) & mask) >= ((j - i) & mask)) {
        keys[i] = keys[j];
        values[i] = values[j];
        i = j;
      }
    }
    keys[i] = ABSENT;
    return old;
  }

  private void grow() {
    int[] oldKeys = keys;
    int[] oldValues = values;
    keys = new int[oldKeys.length * 2];
    values = new int[oldKeys.length * 2];
    Arrays.fill(keys, ABSENT);
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != ABSENT) {
        put(oldKeys[i], oldValues[i]);
      }
    }
  }
}
