package dev.baton.benchmarks.jmh;

/** The body shared by the three versions of {@code price}: a few nanoseconds of real work. */
final class PricingLogic {

  private PricingLogic() {}

  static long price(String sku, int quantity) {
    if (quantity <= 0) {
      throw new IllegalArgumentException("quantity must be positive: " + quantity);
    }
    long unit = 500 + Math.floorMod(sku.hashCode(), 2_000);
    long total = unit * quantity;
    return quantity >= 10 ? total - total / 10 : total;
  }
}
