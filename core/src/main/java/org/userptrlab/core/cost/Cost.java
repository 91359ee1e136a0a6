package org.userptrlab.core.cost;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** The simulated time of one run under one profile, in nanoseconds, by {@link CostItem}. */
public record Cost(PlatformProfile profile, Map<CostItem, Double> items) {
  public Cost {
    EnumMap<CostItem, Double> copy = new EnumMap<>(CostItem.class);
    for (CostItem i : CostItem.values()) {
      copy.put(i, items.getOrDefault(i, 0.0));
    }
    items = Collections.unmodifiableMap(copy);
  }

  public double ns(CostItem item) {
    return items.get(item);
  }

  /** The sum of every item. */
  public double totalNs() {
    double total = 0;
    for (double v : items.values()) {
      total += v;
    }
    return total;
  }
}
