package dev.baton.benchmarks;

import java.util.List;

/** Median, min and max of a series. */
record Stats(double median, double min, double max, int n) {

  static Stats of(List<Double> values) {
    double[] sorted = sorted(values);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new Stats(median, sorted[0], sorted[n - 1], n);
  }

  /** The {@code percent}th percentile of {@code values}, by nearest rank: a value of the series. */
  static double percentile(List<Double> values, double percent) {
    double[] sorted = sorted(values);
    int rank = (int) Math.ceil(percent / 100 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static double[] sorted(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }
}
