package dev.baton.example.orders.local;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trace's spans in parent-child order, printed as an indented tree: spans as the local OTLP
 * receiver gives them, or as {@link ZipkinTraces} reads them back from Zipkin.
 */
final class TraceTree {

  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  /** A span and how deep it sits. */
  record Row(SpanData span, int depth) {}

  private final List<Row> rows = new ArrayList<>();

  TraceTree(List<SpanData> spans) {
    Map<String, SpanData> byId = new LinkedHashMap<>();
    spans.forEach(span -> byId.put(span.getSpanId(), span));
    Map<String, List<SpanData>> children = new LinkedHashMap<>();
    List<SpanData> roots = new ArrayList<>();
    for (SpanData span : spans) {
      if (!span.getParentSpanContext().isValid() || !byId.containsKey(span.getParentSpanId())) {
        roots.add(span);
      } else {
        children.computeIfAbsent(span.getParentSpanId(), id -> new ArrayList<>()).add(span);
      }
    }
    Comparator<SpanData> byStart = Comparator.comparingLong(SpanData::getStartEpochNanos);
    roots.sort(byStart);
    children.values().forEach(list -> list.sort(byStart));
    Set<String> visited = new LinkedHashSet<>();
    roots.forEach(root -> add(root, 0, children, visited));
  }

  private void add(SpanData span, int depth, Map<String, List<SpanData>> children, Set<String> visited) {
    if (visited.add(span.getSpanId())) {
      rows.add(new Row(span, depth));
      children.getOrDefault(span.getSpanId(), List.of()).forEach(child -> add(child, depth + 1, children, visited));
    }
  }

  List<Row> rows() {
    return rows;
  }

  /** {@code function  span (indented)  kind  duration}, one line per span. */
  String render() {
    int nameWidth = 4;
    int serviceWidth = 8;
    for (Row row : rows) {
      nameWidth = Math.max(nameWidth, row.depth() * 2 + row.span().getName().length());
      serviceWidth = Math.max(serviceWidth, service(row.span()).length());
    }
    StringBuilder out = new StringBuilder();
    String format = "%-" + serviceWidth + "s  %-" + nameWidth + "s  %-8s %10s%s%n";
    out.append(String.format(format, "function", "span", "kind", "duration", ""));
    for (Row row : rows) {
      SpanData span = row.span();
      out.append(String.format(
          format,
          service(span),
          "  ".repeat(row.depth()) + span.getName(),
          span.getKind(),
          millis(durationMicros(span)),
          isError(span) ? "  ERROR" : ""));
    }
    return out.toString();
  }

  /** The function (or the stand-in) that recorded {@code span}: its {@code service.name}. */
  static String service(SpanData span) {
    String service = span.getResource().getAttribute(SERVICE_NAME);
    return service == null ? "?" : service;
  }

  static long startMicros(SpanData span) {
    return span.getStartEpochNanos() / 1_000;
  }

  static long durationMicros(SpanData span) {
    return (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1_000;
  }

  static boolean isError(SpanData span) {
    return span.getStatus().getStatusCode() == StatusCode.ERROR;
  }

  static String millis(long micros) {
    return String.format("%.1f ms", micros / 1000.0);
  }
}
