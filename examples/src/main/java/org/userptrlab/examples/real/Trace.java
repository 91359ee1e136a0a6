package org.userptrlab.examples.real;

import java.util.List;
import org.userptrlab.examples.scenarios.Step;

/** What a program did on one side (model or real kernel): its steps, or why it could not run there. */
public record Trace(List<Step> steps, String notRunnable, long nanos) {
  public Trace {
    steps = List.copyOf(steps);
  }

  static Trace notRunnable(String why) {
    return new Trace(List.of(), why, 0);
  }

  public boolean runnable() {
    return notRunnable == null;
  }
}
