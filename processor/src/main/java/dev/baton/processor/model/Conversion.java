package dev.baton.processor.model;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;

/**
 * How generated code turns a parameter value into an attribute value: passed as it is where
 * OpenTelemetry takes the type directly, otherwise through {@code AttributeValues}, which maps
 * {@code null} to no attribute.
 */
public enum Conversion {
  /** {@code String}, {@code int}, {@code long}, {@code double}, {@code boolean}, {@code Boolean}. */
  DIRECT(null),
  /** {@code byte}, {@code short}: widened to {@code int}, which OpenTelemetry takes as a long. */
  WIDEN_TO_INT(null),
  /** {@code float}: widened to {@code double}. */
  WIDEN_TO_DOUBLE(null),
  /** {@code char}: a one-character string. */
  CHAR_TO_STRING(null),
  TO_LONG("toLong"),
  TO_DOUBLE("toDouble"),
  TO_STRING("toString"),
  NAME("name"),
  LONGS("longs"),
  DOUBLES("doubles"),
  BOOLEANS("booleans"),
  STRINGS("strings"),
  CHARACTERS("characters"),
  NAMES("names"),
  /** A {@code String} recorded as its keyed hash ({@code @SpanAttribute(hash = true)}). */
  HASHED("hashed");

  private static final ClassName ATTRIBUTE_VALUES = RuntimeNames.ATTRIBUTE_VALUES;

  private final String helper;

  Conversion(String helper) {
    this.helper = helper;
  }

  /** The expression that converts the parameter named {@code parameter}. */
  public CodeBlock apply(String parameter) {
    switch (this) {
      case DIRECT:
        return CodeBlock.of("$N", parameter);
      case WIDEN_TO_INT:
        return CodeBlock.of("(int) $N", parameter);
      case WIDEN_TO_DOUBLE:
        return CodeBlock.of("(double) $N", parameter);
      case CHAR_TO_STRING:
        return CodeBlock.of("$T.valueOf($N)", String.class, parameter);
      default:
        return CodeBlock.of("$T.$N($N)", ATTRIBUTE_VALUES, helper, parameter);
    }
  }
}
