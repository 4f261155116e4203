package dev.baton.benchmarks;

import java.util.List;

/** Median, min and max of a series; percentiles and the median's confidence interval. */
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

  /**
   * A 95% confidence interval of the median of {@code values}, {low, high}: the values of ranks
   * n/2 − 0.98·√n and 1 + n/2 + 0.98·√n (1-based, rounded; the normal approximation to the
   * binomial), which assumes nothing about the distribution. With fewer than 6 values, the min
   * and max.
   */
  static double[] medianConfidence95(List<Double> values) {
    double[] sorted = sorted(values);
    int n = sorted.length;
    if (n < 6) {
      return new double[] {sorted[0], sorted[n - 1]};
    }
    double half = 0.98 * Math.sqrt(n);
    int low = (int) Math.round(n / 2.0 - half);
    int high = (int) Math.round(1 + n / 2.0 + half);
    return new double[] {sorted[Math.max(1, low) - 1], sorted[Math.min(n, high) - 1]};
  }

  private static double[] sorted(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }
}
