package dev.baton.example.orders.local;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A trace's spans in parent-child order, printed as an indented tree. */
final class TraceTree {

  /** A span and how deep it sits. */
  record Row(TraceSpan span, int depth) {}

  private final List<Row> rows = new ArrayList<>();

  TraceTree(List<TraceSpan> spans) {
    Map<String, TraceSpan> byId = new LinkedHashMap<>();
    spans.forEach(span -> byId.put(span.spanId(), span));
    Map<String, List<TraceSpan>> children = new LinkedHashMap<>();
    List<TraceSpan> roots = new ArrayList<>();
    for (TraceSpan span : spans) {
      if (span.isRoot() || !byId.containsKey(span.parentSpanId())) {
        roots.add(span);
      } else {
        children.computeIfAbsent(span.parentSpanId(), id -> new ArrayList<>()).add(span);
      }
    }
    Comparator<TraceSpan> byStart = Comparator.comparingLong(TraceSpan::startMicros);
    roots.sort(byStart);
    children.values().forEach(list -> list.sort(byStart));
    Set<String> visited = new LinkedHashSet<>();
    roots.forEach(root -> add(root, 0, children, visited));
  }

  private void add(TraceSpan span, int depth, Map<String, List<TraceSpan>> children, Set<String> visited) {
    if (visited.add(span.spanId())) {
      rows.add(new Row(span, depth));
      children.getOrDefault(span.spanId(), List.of()).forEach(child -> add(child, depth + 1, children, visited));
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
      nameWidth = Math.max(nameWidth, row.depth() * 2 + row.span().name().length());
      serviceWidth = Math.max(serviceWidth, row.span().service().length());
    }
    StringBuilder out = new StringBuilder();
    String format = "%-" + serviceWidth + "s  %-" + nameWidth + "s  %-8s %10s%s%n";
    out.append(String.format(format, "function", "span", "kind", "duration", ""));
    for (Row row : rows) {
      TraceSpan span = row.span();
      out.append(String.format(
          format,
          span.service(),
          "  ".repeat(row.depth()) + span.name(),
          span.kind(),
          millis(span.durationMicros()),
          span.error() ? "  ERROR" : ""));
    }
    return out.toString();
  }

  static String millis(long micros) {
    return String.format("%.1f ms", micros / 1000.0);
  }
}
