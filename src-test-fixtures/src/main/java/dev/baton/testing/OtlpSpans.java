package dev.baton.testing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfoBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns OTLP's protobuf ({@code opentelemetry-proto}'s {@link ExportTraceServiceRequest}) back
 * into the SDK's {@link SpanData}, so that spans that went over the wire are asserted like spans
 * of an {@code InMemorySpanExporter}: with {@code OpenTelemetryAssertions.assertThat(span)}.
 * {@link OtlpReceiver} and {@link XrayDaemon} keep what they receive this way.
 *
 * <p>What OTLP carries is kept: ids, trace flags and state; the parent, remote or not as the span
 * flags say ({@code SPAN_FLAGS_CONTEXT_IS_REMOTE}), with the span's trace flags and no trace state
 * (OTLP has no field for the parent's); kind, status, start and end; typed attributes
 * (string, boolean, long, double, and arrays of one of them; any other value as its protobuf text);
 * events and links with their attributes; every dropped count (in {@code getTotalAttributeCount()},
 * {@code getTotalRecordedEvents()}, {@code getTotalRecordedLinks()}: what was recorded plus what
 * was dropped); the scope and the resource.
 */
public final class OtlpSpans {

  private static final HexFormat HEX = HexFormat.of();
  private static final int TRACE_FLAGS_MASK = 0xFF;
  private static final int HAS_IS_REMOTE = 0x100;
  private static final int IS_REMOTE = 0x200;

  private OtlpSpans() {}

  /** Every span of {@code request}, in the order the request lists them. */
  public static List<SpanData> toSpanData(ExportTraceServiceRequest request) {
    List<SpanData> spans = new ArrayList<>();
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      Resource resource =
          Resource.create(
              attributes(resourceSpans.getResource().getAttributesList()),
              resourceSpans.getSchemaUrl().isEmpty() ? null : resourceSpans.getSchemaUrl());
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        InstrumentationScopeInfo scope = scope(scopeSpans.getScope(), scopeSpans.getSchemaUrl());
        for (Span span : scopeSpans.getSpansList()) {
          spans.add(span(span, resource, scope));
        }
      }
    }
    return spans;
  }

  private static SpanData span(Span span, Resource resource, InstrumentationScopeInfo scope) {
    TraceState traceState = traceState(span.getTraceState());
    String traceId = HEX.formatHex(span.getTraceId().toByteArray());
    SpanContext context =
        SpanContext.create(
            traceId,
            HEX.formatHex(span.getSpanId().toByteArray()),
            TraceFlags.fromByte((byte) (span.getFlags() & TRACE_FLAGS_MASK)),
            traceState);
    String parentSpanId = HEX.formatHex(span.getParentSpanId().toByteArray());
    SpanContext parent =
        parentSpanId.isEmpty() || parentSpanId.equals(SpanId.getInvalid())
            ? SpanContext.getInvalid()
            // OTLP carries no trace state of the parent's, and the trace flags of the span only.
            : context(traceId, parentSpanId, span.getFlags(), TraceState.getDefault());
    List<EventData> events = new ArrayList<>();
    for (Span.Event event : span.getEventsList()) {
      Attributes attributes = attributes(event.getAttributesList());
      events.add(
          EventData.create(
              event.getTimeUnixNano(),
              event.getName(),
              attributes,
              attributes.size() + event.getDroppedAttributesCount()));
    }
    List<LinkData> links = new ArrayList<>();
    for (Span.Link link : span.getLinksList()) {
      Attributes attributes = attributes(link.getAttributesList());
      links.add(
          LinkData.create(
              context(
                  HEX.formatHex(link.getTraceId().toByteArray()),
                  HEX.formatHex(link.getSpanId().toByteArray()),
                  link.getFlags(),
                  traceState(link.getTraceState())),
              attributes,
              attributes.size() + link.getDroppedAttributesCount()));
    }
    Attributes attributes = attributes(span.getAttributesList());
    return TestSpanData.builder()
        .setSpanContext(context)
        .setParentSpanContext(parent)
        .setResource(resource)
        .setInstrumentationScopeInfo(scope)
        .setName(span.getName())
        .setKind(kind(span.getKind()))
        .setStartEpochNanos(span.getStartTimeUnixNano())
        .setEndEpochNanos(span.getEndTimeUnixNano())
        .setHasEnded(true)
        .setAttributes(attributes)
        .setTotalAttributeCount(attributes.size() + span.getDroppedAttributesCount())
        .setEvents(events)
        .setTotalRecordedEvents(events.size() + span.getDroppedEventsCount())
        .setLinks(links)
        .setTotalRecordedLinks(links.size() + span.getDroppedLinksCount())
        .setStatus(status(span.getStatus()))
        .build();
  }

  /** A parent's or link's context: remote as the span flags say (not remote when they say nothing). */
  private static SpanContext context(String traceId, String spanId, int flags, TraceState traceState) {
    TraceFlags traceFlags = TraceFlags.fromByte((byte) (flags & TRACE_FLAGS_MASK));
    boolean remote = (flags & HAS_IS_REMOTE) != 0 && (flags & IS_REMOTE) != 0;
    return remote
        ? SpanContext.createFromRemoteParent(traceId, spanId, traceFlags, traceState)
        : SpanContext.create(traceId, spanId, traceFlags, traceState);
  }

  private static InstrumentationScopeInfo scope(InstrumentationScope scope, String schemaUrl) {
    InstrumentationScopeInfoBuilder builder = InstrumentationScopeInfo.builder(scope.getName());
    if (!scope.getVersion().isEmpty()) {
      builder.setVersion(scope.getVersion());
    }
    if (!schemaUrl.isEmpty()) {
      builder.setSchemaUrl(schemaUrl);
    }
    return builder.setAttributes(attributes(scope.getAttributesList())).build();
  }

  /** OTLP's {@code key=value} list, comma-separated, as W3C {@code tracestate} writes it. */
  private static TraceState traceState(String header) {
    if (header.isBlank()) {
      return TraceState.getDefault();
    }
    TraceStateBuilder builder = TraceState.builder();
    String[] members = header.split(",");
    // TraceStateBuilder.put puts in front: add the last first to keep the order.
    for (int i = members.length - 1; i >= 0; i--) {
      int equals = members[i].indexOf('=');
      if (equals > 0) {
        builder.put(members[i].substring(0, equals).trim(), members[i].substring(equals + 1).trim());
      }
    }
    return builder.build();
  }

  private static SpanKind kind(Span.SpanKind kind) {
    switch (kind) {
      case SPAN_KIND_SERVER:
        return SpanKind.SERVER;
      case SPAN_KIND_CLIENT:
        return SpanKind.CLIENT;
      case SPAN_KIND_PRODUCER:
        return SpanKind.PRODUCER;
      case SPAN_KIND_CONSUMER:
        return SpanKind.CONSUMER;
      default:
        return SpanKind.INTERNAL;
    }
  }

  private static StatusData status(Status status) {
    switch (status.getCode()) {
      case STATUS_CODE_OK:
        return StatusData.create(StatusCode.OK, status.getMessage());
      case STATUS_CODE_ERROR:
        return StatusData.create(StatusCode.ERROR, status.getMessage());
      default:
        return StatusData.unset();
    }
  }

  private static Attributes attributes(List<KeyValue> keyValues) {
    AttributesBuilder builder = Attributes.builder();
    for (KeyValue keyValue : keyValues) {
      put(builder, keyValue.getKey(), keyValue.getValue());
    }
    return builder.build();
  }

  private static void put(AttributesBuilder builder, String key, AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE:
        builder.put(AttributeKey.stringKey(key), value.getStringValue());
        return;
      case BOOL_VALUE:
        builder.put(AttributeKey.booleanKey(key), value.getBoolValue());
        return;
      case INT_VALUE:
        builder.put(AttributeKey.longKey(key), value.getIntValue());
        return;
      case DOUBLE_VALUE:
        builder.put(AttributeKey.doubleKey(key), value.getDoubleValue());
        return;
      case ARRAY_VALUE:
        if (putArray(builder, key, value.getArrayValue().getValuesList())) {
          return;
        }
        break;
      default:
        break;
    }
    // Bytes, key-value lists and mixed arrays: no SDK attribute type; their protobuf text.
    builder.put(AttributeKey.stringKey(key), value.toString().trim());
  }

  /** An array of one primitive type as that type's array attribute; false for any other. */
  private static boolean putArray(AttributesBuilder builder, String key, List<AnyValue> values) {
    AnyValue.ValueCase type = values.isEmpty() ? AnyValue.ValueCase.STRING_VALUE : values.get(0).getValueCase();
    if (values.stream().anyMatch(value -> value.getValueCase() != type)) {
      return false;
    }
    switch (type) {
      case STRING_VALUE:
        builder.put(AttributeKey.stringArrayKey(key), values.stream().map(AnyValue::getStringValue).toList());
        return true;
      case BOOL_VALUE:
        builder.put(AttributeKey.booleanArrayKey(key), values.stream().map(AnyValue::getBoolValue).toList());
        return true;
      case INT_VALUE:
        builder.put(AttributeKey.longArrayKey(key), values.stream().map(AnyValue::getIntValue).toList());
        return true;
      case DOUBLE_VALUE:
        builder.put(AttributeKey.doubleArrayKey(key), values.stream().map(AnyValue::getDoubleValue).toList());
        return true;
      default:
        return false;
    }
  }
}
