package dev.baton.benchmarks.jmh;

/** The method under test, untraced. */
public class UntracedPricing {

  public long price(String sku, int quantity) {
    return PricingLogic.price(sku, quantity);
  }
}
