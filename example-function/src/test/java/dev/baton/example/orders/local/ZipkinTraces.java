package dev.baton.example.orders.local;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * Zipkin's v2 JSON ({@code GET /api/v2/trace/{id}}) as {@link SpanData}, as Zipkin keeps a span:
 * its tags as string attributes, the function's {@code serviceName} as the resource's {@code
 * service.name}, no kind for an internal span, no links, microseconds, an error as a tag.
 */
final class ZipkinTraces {

  private ZipkinTraces() {}

  /** The spans of a {@code /api/v2/trace/{id}} answer (a JSON array of spans). */
  static List<SpanData> spans(String json) {
    List<SpanData> spans = new ArrayList<>();
    if (json == null) {
      return spans;
    }
    for (JsonNode span : JsonNode.parser().parse(json).asArray()) {
      AttributesBuilder tags = Attributes.builder();
      span.field("tags").ifPresent(t -> t.asObject().forEach((key, value) -> tags.put(key, value.asString())));
      Attributes attributes = tags.build();
      String service =
          span.field("localEndpoint").flatMap(e -> e.field("serviceName")).map(JsonNode::asString).orElse("?");
      String traceId = text(span, "traceId");
      String parentId = text(span, "parentId");
      long startMicros = span.field("timestamp").map(n -> Long.parseLong(n.asNumber())).orElse(0L);
      long durationMicros = span.field("duration").map(n -> Long.parseLong(n.asNumber())).orElse(0L);
      boolean error = attributes.get(AttributeKey.stringKey("error")) != null
          || "ERROR".equals(attributes.get(AttributeKey.stringKey("otel.status_code")));
      spans.add(TestSpanData.builder()
          .setSpanContext(context(traceId, text(span, "id")))
          .setParentSpanContext(parentId.isEmpty() ? SpanContext.getInvalid() : context(traceId, parentId))
          .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)))
          .setName(text(span, "name"))
          .setKind(span.field("kind").map(kind -> SpanKind.valueOf(kind.asString())).orElse(SpanKind.INTERNAL))
          .setStartEpochNanos(startMicros * 1_000)
          .setEndEpochNanos((startMicros + durationMicros) * 1_000)
          .setHasEnded(true)
          .setAttributes(attributes)
          .setTotalAttributeCount(attributes.size())
          .setStatus(error ? StatusData.error() : StatusData.unset())
          .build());
    }
    return spans;
  }

  private static SpanContext context(String traceId, String spanId) {
    return SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault());
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
