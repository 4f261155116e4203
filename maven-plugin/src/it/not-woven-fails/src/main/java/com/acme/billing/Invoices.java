package com.acme.billing;

import dev.baton.SpanAttribute;
import dev.baton.Traced;

public class Invoices {

  @Traced
  public int total(@SpanAttribute("invoice.lines") int lines) {
    return lines * 12;
  }

  @Traced
  static String number(String prefix, long sequence) {
    return prefix + sequence;
  }
}
