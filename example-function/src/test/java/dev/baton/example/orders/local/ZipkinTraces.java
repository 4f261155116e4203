package dev.baton.example.orders.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/** Zipkin's v2 JSON ({@code GET /api/v2/trace/{id}}) as {@link TraceSpan}s. */
final class ZipkinTraces {

  private ZipkinTraces() {}

  /** The spans of a {@code /api/v2/trace/{id}} answer (a JSON array of spans). */
  static List<TraceSpan> spans(String json) {
    List<TraceSpan> spans = new ArrayList<>();
    if (json == null) {
      return spans;
    }
    for (JsonNode span : JsonNode.parser().parse(json).asArray()) {
      Map<String, String> tags = new LinkedHashMap<>();
      span.field("tags").ifPresent(t -> t.asObject().forEach((key, value) -> tags.put(key, value.asString())));
      String service =
          span.field("localEndpoint").flatMap(e -> e.field("serviceName")).map(JsonNode::asString).orElse("?");
      spans.add(new TraceSpan(
          text(span, "traceId"),
          text(span, "id"),
          text(span, "parentId"),
          service,
          text(span, "name"),
          span.field("kind").map(JsonNode::asString).orElse("INTERNAL"),
          tags.containsKey("error") || "ERROR".equals(tags.get("otel.status_code")),
          span.field("timestamp").map(n -> Long.parseLong(n.asNumber())).orElse(0L),
          span.field("duration").map(n -> Long.parseLong(n.asNumber())).orElse(0L),
          Map.copyOf(tags),
          List.of()));
    }
    return spans;
  }

  /** The trace ids in a {@code /api/v2/traces} answer (an array of traces). */
  static List<String> traceIds(String json) {
    List<String> ids = new ArrayList<>();
    if (json == null) {
      return ids;
    }
    for (JsonNode trace : JsonNode.parser().parse(json).asArray()) {
      List<JsonNode> spans = trace.asArray();
      if (!spans.isEmpty()) {
        ids.add(text(spans.get(0), "traceId"));
      }
    }
    return ids;
  }

  private static String text(JsonNode node, String field) {
    return node.field(field).map(JsonNode::asString).orElse("");
  }
}
