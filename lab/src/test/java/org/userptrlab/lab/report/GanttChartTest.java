package org.userptrlab.lab.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A Gantt chart's times are read by a person: each in the unit that keeps it short, a day-long run in seconds. */
class GanttChartTest {
  @Test
  void eachTimeIsInTheUnitThatKeepsItShort() {
    assertThat(GanttChart.time(850)).isEqualTo("850 ns");
    assertThat(GanttChart.time(12_500)).isEqualTo("12.5 us");
    assertThat(GanttChart.time(5_000_000)).isEqualTo("5.00 ms");
    assertThat(GanttChart.time(999_990_000)).isEqualTo("999.99 ms");
    assertThat(GanttChart.time(86_400_000_000_000L)).isEqualTo("86400.00 s");
  }
}
