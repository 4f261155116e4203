package dev.baton.benchmarks.jmh;

import dev.baton.SpanAttribute;
import dev.baton.Traced;

/** The method under test, three ways: this one is woven by Baton. */
public class Pricing {

  @Traced
  public long price(@SpanAttribute("order.sku") String sku, @SpanAttribute("order.quantity") int quantity) {
    return PricingLogic.price(sku, quantity);
  }
}
