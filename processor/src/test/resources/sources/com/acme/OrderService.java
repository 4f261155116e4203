package com.acme;

import dev.baton.SpanAttribute;
import dev.baton.SpanKind;
import dev.baton.Traced;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

public class OrderService {
  @Traced
  public int price(@SpanAttribute("order.quantity") int quantity, @SpanAttribute String sku) throws IOException {
    if (quantity < 0) throw new IOException("negative");
    return quantity * 2;
  }

  @Traced(value = "load order", kind = SpanKind.CLIENT)
  static CompletableFuture<String> load(String id) {
    return CompletableFuture.completedFuture(id);
  }

  @Traced
  private void audit(@SpanAttribute List<String> tags) {}
}
