package com.acme.billing;

import dev.baton.SpanAttribute;
import dev.baton.Traced;

public class Invoices {

  @Traced
  public int total(@SpanAttribute("invoice.lines") int lines) {
    return lines * tax(10);
  }

  @Traced
  static int tax(int amount) {
    return amount + amount / 5;
  }
}
