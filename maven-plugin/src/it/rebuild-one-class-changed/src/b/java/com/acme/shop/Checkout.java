package com.acme.shop;

import dev.baton.Traced;

public class Checkout {

  @Traced
  public long pay(long cents) {
    if (cents < 0) {
      throw new IllegalArgumentException("negative amount");
    }
    return cents;
  }
}
