package dev.baton.example.orders.local;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A trace as an SVG waterfall: one row per span, in tree order, a bar per span on a shared time axis. */
final class Waterfall {

  private static final String[] COLOURS = {"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2"};
  private static final int ROW = 24;
  private static final int LABEL = 430;
  private static final int CHART = 640;
  private static final int TOP = 56;

  private Waterfall() {}

  static String svg(String traceId, TraceTree tree) {
    List<TraceTree.Row> rows = tree.rows();
    long start = rows.stream().mapToLong(r -> TraceTree.startMicros(r.span())).min().orElse(0);
    long end = rows.stream().mapToLong(r -> TraceTree.startMicros(r.span()) + TraceTree.durationMicros(r.span())).max().orElse(1);
    double scale = CHART / (double) Math.max(1, end - start);
    Map<String, String> colours = new LinkedHashMap<>();
    for (TraceTree.Row row : rows) {
      colours.computeIfAbsent(TraceTree.service(row.span()), s -> COLOURS[colours.size() % COLOURS.length]);
    }
    int width = LABEL + CHART + 110;
    int height = TOP + rows.size() * ROW + 40;
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"monospace\" font-size=\"12\">%n",
        width, height, width, height));
    svg.append(String.format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
    svg.append(String.format(
        "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">trace %s: %d spans across %d functions, %s</text>%n",
        traceId, rows.size(), colours.size(), TraceTree.millis(end - start)));
    int legend = 10;
    for (Map.Entry<String, String> entry : colours.entrySet()) {
      svg.append(String.format("<rect x=\"%d\" y=\"30\" width=\"12\" height=\"12\" fill=\"%s\"/>%n", legend, entry.getValue()));
      svg.append(String.format("<text x=\"%d\" y=\"40\">%s</text>%n", legend + 16, escape(entry.getKey())));
      legend += 30 + entry.getKey().length() * 8;
    }
    for (int tick = 0; tick <= 4; tick++) {
      double x = LABEL + CHART * tick / 4.0;
      svg.append(String.format("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", x, TOP - 4, x, height - 30));
      svg.append(String.format(
          "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#666\">%s</text>%n",
          x, height - 14, TraceTree.millis((end - start) * tick / 4)));
    }
    int y = TOP;
    for (TraceTree.Row row : rows) {
      SpanData span = row.span();
      String colour = colours.get(TraceTree.service(span));
      double x = LABEL + (TraceTree.startMicros(span) - start) * scale;
      double w = Math.max(1.5, TraceTree.durationMicros(span) * scale);
      svg.append(String.format(
          "<text x=\"%d\" y=\"%d\">%s</text>%n", 10 + row.depth() * 14, y + 15, escape(span.getName())));
      svg.append(String.format(
          "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"2\" fill=\"%s\"%s><title>%s %s (%s) %s</title></rect>%n",
          x, y + 4, w, ROW - 8, colour, TraceTree.isError(span) ? " stroke=\"#d62728\" stroke-width=\"2\"" : "",
          escape(TraceTree.service(span)), escape(span.getName()), span.getKind(), TraceTree.millis(TraceTree.durationMicros(span))));
      svg.append(String.format(
          "<text x=\"%.1f\" y=\"%d\" fill=\"#444\">%s</text>%n", x + w + 4, y + 15, TraceTree.millis(TraceTree.durationMicros(span))));
      y += ROW;
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
