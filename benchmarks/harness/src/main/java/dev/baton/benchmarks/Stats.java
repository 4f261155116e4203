package dev.baton.benchmarks;

import java.util.List;

/** Median, min and max of a series. */
record Stats(double median, double min, double max, int n) {

  static Stats of(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new Stats(median, sorted[0], sorted[n - 1], n);
  }
}
