package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IntIntMapTest {

  @Test
  void behavesAsAMapUnderASeededMixOfPutsAndRemoves() {
    IntIntMap map = new IntIntMap();
    Map<Integer, Integer> ref = new HashMap<>();
    SplittableRandom rnd = new SplittableRandom(3);
    for (int i = 0; i < 200_000; i++) {
      int key = rnd.nextInt(5000);
      if (rnd.nextInt(3) == 0) {
        Integer expected = ref.remove(key);
        assertThat(map.remove(key)).isEqualTo(expected == null ? IntIntMap.ABSENT : expected);
      } else {
        int value = rnd.nextInt(1 << 30);
        ref.put(key, value);
        map.put(key, value);
      }
      if (i % 1000 == 0) {
        assertThat(map.size()).isEqualTo(ref.size());
        for (int k = 0; k < 5000; k += 7) {
          assertThat(map.get(k)).isEqualTo(ref.getOrDefault(k, IntIntMap.ABSENT));
        }
      }
    }
  }
}
