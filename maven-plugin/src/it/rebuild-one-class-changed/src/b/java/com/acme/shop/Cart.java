package com.acme.shop;

import dev.baton.SpanAttribute;
import dev.baton.Traced;
import java.util.ArrayList;
import java.util.List;

public class Cart {

  private final List<String> items = new ArrayList<>();

  @Traced
  public int add(@SpanAttribute("item.sku") String sku) {
    items.add(sku);
    return items.size();
  }

  @Traced("cart clear")
  public void clear() {
    items.clear();
  }
}
