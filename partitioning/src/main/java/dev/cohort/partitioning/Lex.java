package dev.cohort.partitioning;

/** Lexicographic comparison of score vectors, lowest best, as the balancers rank their candidates. */
final class Lex {
  private Lex() {}

  /** Whether {@code a} ranks strictly before {@code b}. */
  static boolean less(long[] a, long[] b) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        return a[i] < b[i];
      }
    }
    return false;
  }

  /** Whether {@code a} is strictly below zero in lexicographic order: its first non-zero entry is negative. */
  static boolean negative(long[] a) {
    for (long value : a) {
      if (value != 0) {
        return value < 0;
      }
    }
    return false;
  }
}
