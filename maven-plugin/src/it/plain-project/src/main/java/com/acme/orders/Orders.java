package com.acme.orders;

import dev.baton.SpanAttribute;
import dev.baton.SpanKind;
import dev.baton.Traced;
import java.util.List;
import java.util.concurrent.CompletableFuture;

public class Orders {

  @Traced("place order")
  public int place(@SpanAttribute("order.id") String id, @SpanAttribute int quantity)
      throws OrderRejected {
    if (quantity <= 0) {
      throw new OrderRejected("order " + id + " has no items");
    }
    return price(quantity, List.of("book", "pen"));
  }

  @Traced
  int price(int quantity, @SpanAttribute("order.items") List<String> items) {
    return quantity * Pricing.unitPrice(items.size());
  }

  @Traced(kind = SpanKind.PRODUCER)
  protected CompletableFuture<String> ship(
      @SpanAttribute("order.id") String id, CompletableFuture<String> delivery) {
    return delivery;
  }

  static class Pricing {
    @Traced
    static int unitPrice(int kinds) {
      return kinds * 5;
    }
  }
}
