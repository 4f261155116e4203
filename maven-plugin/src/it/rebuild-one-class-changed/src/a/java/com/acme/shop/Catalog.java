package com.acme.shop;

import dev.baton.SpanAttribute;
import dev.baton.Traced;

public class Catalog {

  @Traced
  public long price(@SpanAttribute("item.sku") String sku) {
    return 100 + Math.floorMod(sku.hashCode(), 900);
  }
}
