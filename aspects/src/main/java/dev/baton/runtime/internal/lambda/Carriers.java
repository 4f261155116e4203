package dev.baton.runtime.internal.lambda;

import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Carriers that propagators read from: a case-insensitive multimap built from the single- and
 * multi-value header maps of an HTTP event, or from the string-valued attributes of a message.
 */
final class Carriers {

  private Carriers() {}

  /** Names compared case-insensitively, as HTTP header names are; each name has its values. */
  static TreeMap<String, List<String>> newCarrier() {
    return new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  }

  /**
   * The headers of an HTTP event. Multi-value headers (REST API, ALB with multi-value headers
   * on) win over the single-value map for a name they both have, since they hold every value.
   */
  static TreeMap<String, List<String>> headers(
      Map<String, String> single, Map<String, List<String>> multi) {
    TreeMap<String, List<String>> carrier = newCarrier();
    if (single != null) {
      for (Map.Entry<String, String> header : single.entrySet()) {
        if (header.getKey() != null && header.getValue() != null) {
          carrier.put(header.getKey(), Collections.singletonList(header.getValue()));
        }
      }
    }
    if (multi != null) {
      for (Map.Entry<String, List<String>> header : multi.entrySet()) {
        List<String> values = nonNull(header.getValue());
        if (header.getKey() != null && !values.isEmpty()) {
          carrier.put(header.getKey(), values);
        }
      }
    }
    return carrier;
  }

  /**
   * The non-null values of a multi-value header (none for null). A null entry in the list is no
   * value: handed to a propagator it would make it throw (OpenTelemetry's baggage propagator
   * does), and the whole extraction would be lost with it.
   */
  private static List<String> nonNull(List<String> values) {
    if (values == null || values.isEmpty()) {
      return List.of();
    }
    List<String> nonNull = new ArrayList<>(values.size());
    for (String value : values) {
      if (value != null) {
        nonNull.add(value);
      }
    }
    return nonNull;
  }

  /** Adds one string value under {@code name}; null names or values are left out. */
  static void put(TreeMap<String, List<String>> carrier, String name, String value) {
    if (name != null && value != null) {
      carrier.put(name, Collections.singletonList(value));
    }
  }

  static String first(Map<String, List<String>> carrier, String name) {
    List<String> values = carrier.get(name);
    if (values == null) {
      return null;
    }
    for (String value : values) {
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /** Reads a carrier built by this class: a name's values are its value, comma-joined. */
  enum Getter implements TextMapGetter<Map<String, List<String>>> {
    INSTANCE;

    private static final String XRAY_HEADER = "X-Amzn-Trace-Id";
    private static final String LINEAGE = "Lineage";

    @Override
    public Iterable<String> keys(Map<String, List<String>> carrier) {
      return carrier.keySet();
    }

    /**
     * A name's value when the header came more than once. HTTP combines repeated lines only for
     * fields defined as lists (RFC 9110, 5.3): {@code tracestate} and {@code baggage} lines are
     * joined with commas into one list; a repeated {@code traceparent}, which the W3C Trace
     * Context spec forbids, is returned joined too, so that it is malformed and starts a new
     * trace; any other name ({@code X-Amzn-Trace-Id}, whose fields would mix across lines) gives
     * its first non-blank value. One value (every message attribute) is returned as it is. An
     * {@code X-Amzn-Trace-Id} loses a broken {@code Lineage} field ({@link #withoutBrokenLineage}).
     */
    @Override
    public String get(Map<String, List<String>> carrier, String key) {
      List<String> values = carrier == null || key == null ? null : carrier.get(key);
      if (values == null) {
        return null;
      }
      String value = values.size() == 1 ? values.get(0) : combined(values, key);
      return value != null && key.equalsIgnoreCase(XRAY_HEADER) ? withoutBrokenLineage(value) : value;
    }

    private static String combined(List<String> values, String key) {
      boolean joins = isJoined(key);
      StringBuilder joined = null;
      String only = null;
      for (String value : values) {
        if (value == null || value.isBlank()) {
          continue;
        }
        if (only == null) {
          only = value;
          if (!joins) {
            return only;
          }
        } else {
          if (joined == null) {
            joined = new StringBuilder(only);
          }
          joined.append(',').append(value);
        }
      }
      return joined == null ? only : joined.toString();
    }

    /**
     * {@code header} (an X-Ray trace header) without a {@code Lineage} field whose value has an
     * empty part ({@code 1:a1b2c3d4:}): no valid lineage has one, and OpenTelemetry's X-Ray
     * propagator (1.57.0-alpha) throws on such a value instead of skipping it, which would lose the
     * header's trace context too. Every other field stays as it was.
     */
    static String withoutBrokenLineage(String header) {
      if (header.indexOf(LINEAGE) < 0) {
        return header;
      }
      StringJoiner kept = new StringJoiner(";");
      boolean dropped = false;
      for (String part : header.split(";", -1)) {
        if (isBrokenLineage(part.trim())) {
          dropped = true;
        } else {
          kept.add(part);
        }
      }
      return dropped ? kept.toString() : header;
    }

    /** A part the propagator takes for a lineage (its name starts so) with an empty value part. */
    private static boolean isBrokenLineage(String part) {
      if (!part.startsWith(LINEAGE)) {
        return false;
      }
      int equals = part.indexOf('=');
      if (equals < 0) {
        return false;
      }
      String value = part.substring(equals + 1);
      return value.isEmpty()
          || value.startsWith(":")
          || value.endsWith(":")
          || value.contains("::");
    }

    /** Whether repeated lines of {@code name} are read joined (see {@link #get}). */
    private static boolean isJoined(String name) {
      return name.equalsIgnoreCase("tracestate")
          || name.equalsIgnoreCase("baggage")
          || name.equalsIgnoreCase("traceparent");
    }

    @Override
    public Iterator<String> getAll(Map<String, List<String>> carrier, String key) {
      List<String> values = carrier == null || key == null ? null : carrier.get(key);
      return values == null ? Collections.emptyIterator() : nonNull(values).iterator();
    }
  }
}
