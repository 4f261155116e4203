package dev.baton.runtime.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Conversions from {@code @SpanAttribute} parameter values to OpenTelemetry attribute values,
 * called by generated span code. A {@code null} value converts to {@code null}, which sets no
 * attribute. {@code null} elements of arrays and lists are left out: OpenTelemetry attribute
 * arrays hold no nulls that every exporter can write. Every result is a fresh list, so a later
 * change to the caller's array or list does not change the span.
 */
public final class AttributeValues {

  private AttributeValues() {}

  /**
   * The keyed hash of a {@code @SpanAttribute(hash = true)} value (see {@code AttributeHashes});
   * null for null. Generated code calls it only for a recording span. Never throws: a failure is
   * reported and records no attribute, never the raw value.
   */
  public static String hashed(String value) {
    try {
      return AttributeHashes.hash(value);
    } catch (Throwable failure) {
      Failures.report("hashing a span attribute", failure);
      return null;
    }
  }

  /** A boxed integral number as a long attribute value. */
  public static Long toLong(Number value) {
    return value == null ? null : value.longValue();
  }

  /** A boxed floating-point number as a double attribute value. */
  public static Double toDouble(Number value) {
    return value == null ? null : value.doubleValue();
  }

  /** A character as a one-character string attribute value. */
  public static String toString(Character value) {
    return value == null ? null : value.toString();
  }

  /** An enum constant as its {@code name()}. */
  public static String name(Enum<?> value) {
    return value == null ? null : value.name();
  }

  public static List<Long> longs(byte[] values) {
    if (values == null) {
      return null;
    }
    List<Long> result = new ArrayList<>(values.length);
    for (byte value : values) {
      result.add((long) value);
    }
    return result;
  }

  public static List<Long> longs(short[] values) {
    if (values == null) {
      return null;
    }
    List<Long> result = new ArrayList<>(values.length);
    for (short value : values) {
      result.add((long) value);
    }
    return result;
  }

  public static List<Long> longs(int[] values) {
    if (values == null) {
      return null;
    }
    List<Long> result = new ArrayList<>(values.length);
    for (int value : values) {
      result.add((long) value);
    }
    return result;
  }

  public static List<Long> longs(long[] values) {
    if (values == null) {
      return null;
    }
    List<Long> result = new ArrayList<>(values.length);
    for (long value : values) {
      result.add(value);
    }
    return result;
  }

  public static List<Double> doubles(float[] values) {
    if (values == null) {
      return null;
    }
    List<Double> result = new ArrayList<>(values.length);
    for (float value : values) {
      result.add((double) value);
    }
    return result;
  }

  public static List<Double> doubles(double[] values) {
    if (values == null) {
      return null;
    }
    List<Double> result = new ArrayList<>(values.length);
    for (double value : values) {
      result.add(value);
    }
    return result;
  }

  public static List<Boolean> booleans(boolean[] values) {
    if (values == null) {
      return null;
    }
    List<Boolean> result = new ArrayList<>(values.length);
    for (boolean value : values) {
      result.add(value);
    }
    return result;
  }

  public static List<String> strings(char[] values) {
    if (values == null) {
      return null;
    }
    List<String> result = new ArrayList<>(values.length);
    for (char value : values) {
      result.add(String.valueOf(value));
    }
    return result;
  }

  /** {@code Byte[]}, {@code Short[]}, {@code Integer[]} or {@code Long[]} as a long array. */
  public static List<Long> longs(Number[] values) {
    return values == null ? null : longs(Arrays.asList(values));
  }

  /** {@code Float[]} or {@code Double[]} as a double array. */
  public static List<Double> doubles(Number[] values) {
    return values == null ? null : doubles(Arrays.asList(values));
  }

  public static List<Boolean> booleans(Boolean[] values) {
    return values == null ? null : booleans(Arrays.asList(values));
  }

  public static List<String> strings(String[] values) {
    return values == null ? null : strings(Arrays.asList(values));
  }

  public static List<String> strings(Character[] values) {
    return values == null ? null : characters(Arrays.asList(values));
  }

  public static List<String> names(Enum<?>[] values) {
    return values == null ? null : names(Arrays.asList(values));
  }

  public static List<Long> longs(List<? extends Number> values) {
    if (values == null) {
      return null;
    }
    List<Long> result = new ArrayList<>(values.size());
    for (Number value : values) {
      if (value != null) {
        result.add(value.longValue());
      }
    }
    return result;
  }

  public static List<Double> doubles(List<? extends Number> values) {
    if (values == null) {
      return null;
    }
    List<Double> result = new ArrayList<>(values.size());
    for (Number value : values) {
      if (value != null) {
        result.add(value.doubleValue());
      }
    }
    return result;
  }

  public static List<Boolean> booleans(List<? extends Boolean> values) {
    if (values == null) {
      return null;
    }
    List<Boolean> result = new ArrayList<>(values.size());
    for (Boolean value : values) {
      if (value != null) {
        result.add(value);
      }
    }
    return result;
  }

  public static List<String> strings(List<? extends String> values) {
    if (values == null) {
      return null;
    }
    List<String> result = new ArrayList<>(values.size());
    for (String value : values) {
      if (value != null) {
        result.add(value);
      }
    }
    return result;
  }

  public static List<String> characters(List<? extends Character> values) {
    if (values == null) {
      return null;
    }
    List<String> result = new ArrayList<>(values.size());
    for (Character value : values) {
      if (value != null) {
        result.add(value.toString());
      }
    }
    return result;
  }

  public static List<String> names(List<? extends Enum<?>> values) {
    if (values == null) {
      return null;
    }
    List<String> result = new ArrayList<>(values.size());
    for (Enum<?> value : values) {
      if (value != null) {
        result.add(value.name());
      }
    }
    return result;
  }
}
