package dev.baton.runtime.internal.lambda;

/** The fuzz targets' JSON string writer (every escape JSON allows), for other packages' targets. */
public final class SnsEnvelopeFuzzTestAccess {

  private SnsEnvelopeFuzzTestAccess() {}

  /** {@code value} as a JSON string. */
  public static String string(String value) {
    return SnsEnvelopeFuzzTest.string(value);
  }
}
