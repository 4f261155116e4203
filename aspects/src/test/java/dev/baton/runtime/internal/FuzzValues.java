package dev.baton.runtime.internal;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.List;

/**
 * Trace context values for the fuzz targets, from the fuzzer's bytes: well-formed ones (so that
 * inputs reach what comes after parsing), well-formed ones with a splice of arbitrary text, and
 * arbitrary text (any chars, lone surrogates and control characters included).
 */
public final class FuzzValues {

  /** Names a carrier may hold: the context's own (in other cases too) and a few others. */
  public static final List<String> NAMES =
      List.of(
          "traceparent",
          "TraceParent",
          "tracestate",
          "baggage",
          "Baggage",
          "X-Amzn-Trace-Id",
          "x-amzn-trace-id",
          "AWSTraceHeader",
          "content-type",
          "");

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /**
   * Chars that break writers and readers: lone surrogates (which have no UTF-8 form), NUL and
   * other control characters, JSON's and HTTP's delimiters, a noncharacter and a line separator.
   */
  private static final char[] TRICKY = {
    '\ud800', '\udbff', '\udc00', '\udfff', '\u0000', '\u0001', '\u001f', '\u007f', '"', '\\', '\n', '\r',
    '\t', ',', ';', '=', '%', '\uffff', '\u2028', '\u00e9'
  };

  private FuzzValues() {}

  /**
   * Arbitrary text of at most {@code maxLength} chars (about), now and then with {@link #TRICKY}
   * chars put in: the fuzzer's own strings are valid UTF-16.
   */
  public static String text(FuzzedDataProvider data, int maxLength) {
    String text = data.consumeString(maxLength);
    int tricky = data.consumeInt(0, 3) == 0 ? data.consumeInt(1, 3) : 0;
    for (int i = 0; i < tricky; i++) {
      int at = data.consumeInt(0, text.length());
      text = text.substring(0, at) + TRICKY[data.consumeInt(0, TRICKY.length - 1)] + text.substring(at);
    }
    return text;
  }

  /** A name from {@link #NAMES}, or arbitrary text. */
  public static String name(FuzzedDataProvider data) {
    int pick = data.consumeInt(0, NAMES.size());
    return pick < NAMES.size() ? NAMES.get(pick) : text(data, 24);
  }

  /** A value for {@code name}: well-formed, spliced, arbitrary, or (when allowed) null. */
  public static String value(FuzzedDataProvider data, String name, boolean nullable) {
    switch (data.consumeInt(0, nullable ? 3 : 2)) {
      case 0:
        return wellFormed(data, name);
      case 1:
        return splice(data, wellFormed(data, name));
      case 2:
        return text(data, 160);
      default:
        return null;
    }
  }

  /** A well-formed value of what {@code name} (case-insensitively) carries. */
  public static String wellFormed(FuzzedDataProvider data, String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    switch (lower) {
      case "traceparent":
        return traceparent(data);
      case "tracestate":
        return key(data) + "=" + text(data, 16);
      case "baggage":
        return baggage(data);
      case "x-amzn-trace-id":
      case "awstraceheader":
        return xrayHeader(data);
      default:
        return text(data, 40);
    }
  }

  /** {@code 00-<trace id>-<span id>-<flags>}, the ids sometimes all zeros (invalid). */
  public static String traceparent(FuzzedDataProvider data) {
    return "00-" + hex(data, 32) + "-" + hex(data, 16) + "-0" + (data.consumeBoolean() ? "1" : "0");
  }

  /** {@code Root=1-<8 hex>-<24 hex>;Parent=<16 hex>;Sampled=<0|1>}, parts in any order. */
  public static String xrayHeader(FuzzedDataProvider data) {
    String root = "Root=1-" + hex(data, 8) + "-" + hex(data, 24);
    String parent = "Parent=" + hex(data, 16);
    String sampled = "Sampled=" + (data.consumeBoolean() ? "1" : "0");
    return data.consumeBoolean()
        ? root + ";" + parent + ";" + sampled
        : sampled + ";" + root + ";" + parent + ";Lineage=" + data.consumeAsciiString(12);
  }

  /** A few baggage members with arbitrary values, percent-signs and all. */
  public static String baggage(FuzzedDataProvider data) {
    StringBuilder baggage = new StringBuilder();
    int members = data.consumeInt(1, 4);
    for (int i = 0; i < members; i++) {
      if (i > 0) {
        baggage.append(',');
      }
      baggage.append(key(data)).append('=').append(text(data, 24));
      if (data.consumeBoolean()) {
        baggage.append(";meta=").append(text(data, 8));
      }
    }
    return baggage.toString();
  }

  /** {@code length} hex digits; all zeros now and then (an invalid id). */
  public static String hex(FuzzedDataProvider data, int length) {
    boolean zeros = data.consumeInt(0, 15) == 0;
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = zeros ? '0' : HEX[data.consumeInt(0, 15)];
    }
    return new String(chars);
  }

  /** {@code value} with arbitrary text put in at some place, or a part cut out. */
  public static String splice(FuzzedDataProvider data, String value) {
    int at = data.consumeInt(0, value.length());
    if (data.consumeBoolean()) {
      return value.substring(0, at) + text(data, 12) + value.substring(at);
    }
    int to = data.consumeInt(at, value.length());
    return value.substring(0, at) + value.substring(to);
  }

  private static String key(FuzzedDataProvider data) {
    String key = data.consumeAsciiString(10).replaceAll("[^a-z0-9_]", "");
    return key.isEmpty() ? "k" : key;
  }
}
