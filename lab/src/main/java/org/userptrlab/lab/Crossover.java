package org.userptrlab.lab;

import java.util.List;
import org.userptrlab.core.cost.PlatformProfile;

/**
 * Where {@code challenger} costs less than {@code baseline} under one profile.
 *
 * @param from the smallest size from which the challenger is cheaper at every larger size swept
 *     that could be compared (refused sizes compare nothing), or 0 when there is none
 * @param cheaperAt every size at which the challenger is cheaper
 * @param refusedAt sizes where either was refused, which compare nothing
 */
public record Crossover(PlatformProfile profile, String baseline, String challenger, long from, List<Long> cheaperAt,
    List<Long> refusedAt, long smallest, long largest) {
  public Crossover {
    cheaperAt = List.copyOf(cheaperAt);
    refusedAt = List.copyOf(refusedAt);
  }

  /** What the sweep says, as one clause: "from 2 MiB up", "at 4 KiB only", "at no size swept (...)". */
  public String describe() {
    String refused = refusedAt.isEmpty() ? "" : "; refused at " + String.join(", ", refusedAt.stream().map(Sizes::format).toList());
    if (from > 0) {
      return "from " + Sizes.format(from) + " up" + (cheaperAt.size() > sizesFrom() ? " (and at " + earlier() + ")" : "") + refused;
    }
    if (!cheaperAt.isEmpty()) {
      return "at " + String.join(", ", cheaperAt.stream().map(Sizes::format).toList()) + " only, not up to "
          + Sizes.format(largest) + refused;
    }
    return "at no size swept (" + Sizes.format(smallest) + " to " + Sizes.format(largest) + ")" + refused;
  }

  private long sizesFrom() {
    return cheaperAt.stream().filter(s -> s >= from).count();
  }

  private String earlier() {
    return String.join(", ", cheaperAt.stream().filter(s -> s < from).map(Sizes::format).toList());
  }
}
