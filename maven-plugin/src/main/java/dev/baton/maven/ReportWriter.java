package dev.baton.maven;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Writes a {@link WeaveReport} as JSON and as a standalone HTML page (no scripts, no external
 * assets).
 */
final class ReportWriter {

  private ReportWriter() {}

  static String json(WeaveReport report) {
    StringBuilder json = new StringBuilder();
    WeaveState.Summary summary = report.summary();
    json.append("{\n");
    json.append("  \"tracedMethods\": ").append(summary.tracedMethods()).append(",\n");
    json.append("  \"classes\": ").append(summary.classes()).append(",\n");
    json.append("  \"joinPoints\": [");
    String separator = "\n";
    for (WeaveReport.WovenMethod method : report.methods()) {
      json.append(separator).append("    {");
      field(json, "class", method.className()).append(", ");
      field(json, "method", method.signature()).append(", ");
      field(json, "file", method.sourceFile()).append(", ");
      json.append("\"line\": ").append(method.line()).append(", ");
      field(json, "span", method.spanName()).append(", ");
      field(json, "kind", method.kind()).append(", ");
      json.append("\"attributes\": [");
      json.append(
          method.attributes().stream()
              .map(attribute -> "{" + quote("key") + ": " + quote(attribute.key()) + ", "
                  + quote("type") + ": " + quote(attribute.type()) + "}")
              .collect(Collectors.joining(", ")));
      json.append("], ");
      field(json, "aspect", method.aspect()).append('}');
      separator = ",\n";
    }
    json.append(report.methods().isEmpty() ? "],\n" : "\n  ],\n");
    json.append("  \"callSites\": [");
    separator = "\n";
    for (JoinPoint site : report.callSites()) {
      json.append(separator).append("    {");
      field(json, "class", site.type()).append(", ");
      field(json, "file", site.sourceFile()).append(", ");
      json.append("\"line\": ").append(site.line()).append(", ");
      field(json, "operation", site.operation()).append(", ");
      field(json, "spanKind", site.spanKind()).append(", ");
      field(json, "context", site.contextPropagation()).append(", ");
      field(json, "joinPoint", site.kind() + "(" + site.signature() + ")").append(", ");
      field(json, "aspect", site.aspect()).append('}');
      separator = ",\n";
    }
    json.append(report.callSites().isEmpty() ? "]\n" : "\n  ]\n");
    return json.append("}\n").toString();
  }

  static String html(WeaveReport report) {
    WeaveState.Summary summary = report.summary();
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.append("<title>Baton weave report</title>\n<style>\n");
    html.append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}\n");
    html.append("table{border-collapse:collapse;width:100%;margin-bottom:2em}\n");
    html.append("th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}\n");
    html.append("th{background:#f3f3f3}code{font-family:ui-monospace,monospace}\n");
    html.append("</style>\n</head>\n<body>\n<h1>Baton weave report</h1>\n");
    html.append("<p>")
        .append(summary.tracedMethods())
        .append(" <code>@Traced</code> methods woven in ")
        .append(summary.classes())
        .append(" classes; ")
        .append(summary.callSites())
        .append(" call sites.</p>\n");
    html.append("<h2>@Traced methods</h2>\n<table>\n<tr><th>Class</th><th>Method</th>");
    html.append("<th>Source</th><th>Span name</th><th>Kind</th><th>Attributes</th></tr>\n");
    for (WeaveReport.WovenMethod method : report.methods()) {
      html.append("<tr>");
      cell(html, method.className(), true);
      cell(html, method.signature(), true);
      cell(html, method.location(), false);
      cell(html, method.spanName(), false);
      cell(html, method.kind(), false);
      cell(
          html,
          method.attributes().stream()
              .map(attribute -> attribute.key() + " (" + attribute.type() + ")")
              .collect(Collectors.joining(", ")),
          false);
      html.append("</tr>\n");
    }
    html.append("</table>\n<h2>Call sites</h2>\n");
    List<JoinPoint> sites = report.callSites();
    if (sites.isEmpty()) {
      html.append("<p>No call sites were advised by library aspects.</p>\n");
    } else {
      html.append(
          "<table>\n<tr><th>Source</th><th>Operation</th><th>Span kind</th><th>Trace context</th>"
              + "<th>Join point</th><th>Aspect</th></tr>\n");
      for (JoinPoint site : sites) {
        html.append("<tr>");
        cell(html, site.location(), false);
        cell(html, site.operation(), false);
        cell(html, site.spanKind(), false);
        cell(html, site.contextPropagation(), false);
        cell(html, site.kind() + "(" + site.signature() + ")", true);
        cell(html, site.aspect(), true);
        html.append("</tr>\n");
      }
      html.append("</table>\n");
    }
    return html.append("</body>\n</html>\n").toString();
  }

  private static void cell(StringBuilder html, String text, boolean code) {
    html.append("<td>");
    html.append(code ? "<code>" : "").append(escapeHtml(text)).append(code ? "</code>" : "");
    html.append("</td>");
  }

  private static StringBuilder field(StringBuilder json, String name, String value) {
    return json.append(quote(name)).append(": ").append(quote(value));
  }

  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder quoted = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        case '\n' -> quoted.append("\\n");
        case '\r' -> quoted.append("\\r");
        case '\t' -> quoted.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            quoted.append(String.format("\\u%04x", (int) c));
          } else {
            quoted.append(c);
          }
        }
      }
    }
    return quoted.append('"').toString();
  }

  static String escapeHtml(String text) {
    if (text == null) {
      return "";
    }
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
