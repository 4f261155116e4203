package com.acme.shop;

import dev.baton.SpanAttribute;
import dev.baton.Traced;
import java.util.ArrayList;
import java.util.List;
import lombok.Data;

@Data
public class Cart {
  private final String owner;
  private final List<Integer> prices = new ArrayList<>();

  @Traced
  public int total(@SpanAttribute("cart.discount") int discount) {
    return prices.stream().mapToInt(Integer::intValue).sum() - discount;
  }
}
