package com.acme.shop;

import dev.baton.SpanAttribute;
import dev.baton.Traced;
import lombok.extern.slf4j.Slf4j;

@Slf4j
public class Checkout {

  @Traced("checkout")
  public int pay(@SpanAttribute("cart.owner") String owner, Cart cart) {
    log.debug("paying for {}", cart.getOwner());
    return cart.total(1);
  }
}
