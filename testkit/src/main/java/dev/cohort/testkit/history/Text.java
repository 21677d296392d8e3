package dev.cohort.testkit.history;

import java.util.Locale;

/** Small formatting helpers shared by the printable forms and the reports. */
final class Text {
  private Text() {}

  /** A value in quotes, so that an empty or blank value is visible in a report. */
  static String quote(String value) {
    return '"' + value + '"';
  }

  /** Nanoseconds since {@code origin} as milliseconds with microsecond precision. */
  static String millis(long nanos, long origin) {
    return String.format(Locale.ROOT, "%.3f", (nanos - origin) / 1e6);
  }
}
