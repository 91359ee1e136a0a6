package org.userptrlab.core.time;

import java.util.List;

/**
 * A run's timing: when its last actor was done, the latency of each kind of call the program made
 * (only the kinds it made), each actor's waits, the GPU's side, and the spans of a Gantt chart
 * (empty unless the run was asked to keep them).
 */
public record Timing(long totalNs, List<Latency> latencies, List<ActorTime> actors, GpuTiming gpu, List<Span> spans) {
  public static final Timing NONE = new Timing(0, List.of(), List.of(), GpuTiming.NONE, List.of());

  public Timing {
    latencies = List.copyOf(latencies);
    actors = List.copyOf(actors);
    spans = List.copyOf(spans);
  }

  /** One actor's time: when it was last busy and how long it waited. */
  public record ActorTime(String name, Actor.Kind kind, String owner, long busyUntil, long waited) {}

  /** The latency of the calls of {@code kind}, if the program made any. */
  public java.util.Optional<Latency> latency(CallKind kind) {
    return latencies.stream().filter(l -> l.kind() == kind).findFirst();
  }

  /** How long the threads of the process the program calls {@code owner} waited in all. */
  public long stalled(String owner) {
    return actors.stream().filter(a -> a.kind() == Actor.Kind.CPU && a.owner().equals(owner)).mapToLong(ActorTime::waited).sum();
  }
}
