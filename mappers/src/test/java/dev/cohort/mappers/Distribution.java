package dev.cohort.mappers;

import java.util.Arrays;

/**
 * How evenly keys fell over partitions, and the bounds a uniform random assignment stays within
 * except with probability about 1e-9. The mappers are deterministic, so a test either always
 * passes or always fails; the bounds only say how good "uniform" must look.
 */
final class Distribution {
  /** The normal quantile for an upper tail of about 1e-9. */
  private static final double Z = 6.0;

  private final long[] counts;
  private final long total;

  Distribution(long[] counts) {
    this.counts = counts.clone();
    this.total = Arrays.stream(counts).sum();
  }

  double mean() {
    return (double) total / counts.length;
  }

  /** Pearson's chi-square statistic against the uniform distribution. */
  double chiSquare() {
    double expected = mean();
    double sum = 0;
    for (long c : counts) {
      sum += (c - expected) * (c - expected) / expected;
    }
    return sum;
  }

  /**
   * The chi-square value a uniform assignment exceeds with probability about 1e-9, by the
   * Wilson–Hilferty approximation (accurate in the tail, unlike df + z·sqrt(2 df), which for 15
   * degrees of freedom would be exceeded about once in 5,000 fixed key sets).
   */
  double chiSquareBound() {
    double df = counts.length - 1;
    double a = 2 / (9 * df);
    return df * Math.pow(1 - a + Z * Math.sqrt(a), 3);
  }

  double maxOverMean() {
    return Arrays.stream(counts).max().orElseThrow() / mean();
  }

  double minOverMean() {
    return Arrays.stream(counts).min().orElseThrow() / mean();
  }

  /**
   * How far max/mean may exceed 1: Z standard deviations of one partition's binomial count. With
   * 1,000,000 keys that is about 1.023 for 16 partitions and 1.098 for 271 (where a fixed 1.05
   * would be only ~3.3 standard deviations, which some of 271 uniform partitions pass often).
   */
  double spreadBound() {
    double p = 1.0 / counts.length;
    return Z * Math.sqrt(total * p * (1 - p)) / mean();
  }

  @Override
  public String toString() {
    return String.format(
        "%d keys / %d partitions: chi-square %.1f (bound %.1f), max/mean %.4f, min/mean %.4f (bound ±%.4f)",
        total, counts.length, chiSquare(), chiSquareBound(), maxOverMean(), minOverMean(), spreadBound());
  }
}
