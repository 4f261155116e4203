package com.acme.misuse;

import dev.baton.SpanAttribute;
import dev.baton.Traced;
import java.util.Map;

public abstract class Misuses {

  @Traced
  abstract void abstractMethod();

  @Traced
  void unsupportedType(@SpanAttribute Map<String, String> headers) {}

  @Traced
  void duplicateKey(@SpanAttribute("id") String first, @SpanAttribute("id") String second) {}

  @Traced("  ")
  void blankName() {}

  void notTraced(@SpanAttribute String value) {}
}
