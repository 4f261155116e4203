package dev.baton.runtime.internal.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.baton.runtime.internal.FuzzOracles;
import dev.baton.runtime.internal.FuzzValues;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target for the built-in OTLP encoder: spans with any strings (lone surrogates and control
 * characters included) in every place a string goes, every attribute type, events, links, trace
 * state, status, resource and scope. Every export decodes with {@code opentelemetry-proto} (valid
 * UTF-8, 16- and 8-byte ids), is byte for byte what OpenTelemetry's own marshaler writes, and a
 * span name that is valid UTF-16 comes back as it was.
 */
class OtlpSpanEncoderFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void encode(FuzzedDataProvider data) throws IOException {
    // A resource's keys must be printable ASCII (Resource.create refuses others); values may be anything.
    Resource resource = Resource.create(resourceAttributes(data), data.consumeBoolean() ? FuzzValues.text(data, 20) : null);
    InstrumentationScopeInfo scope =
        InstrumentationScopeInfo.builder(FuzzValues.text(data, 20))
            .setVersion(data.consumeBoolean() ? FuzzValues.text(data, 10) : null)
            .setSchemaUrl(data.consumeBoolean() ? FuzzValues.text(data, 20) : null)
            .setAttributes(attributes(data))
            .build();
    List<SpanData> spans = new ArrayList<>();
    int count = data.consumeInt(0, 3);
    for (int i = 0; i < count; i++) {
      spans.add(span(data, resource, scope));
    }
    long before = FuzzOracles.caught();

    byte[] encoded = OtlpSpanEncoder.encode(spans);

    FuzzOracles.assertNothingCaughtSince(before);
    FuzzOracles.assertExportDecodes(spans);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    TraceRequestMarshaler.create(spans).writeBinaryTo(expected);
    assertThat(Arrays.mismatch(encoded, expected.toByteArray()))
        .as("first byte that differs from OpenTelemetry's marshaler")
        .isEqualTo(-1);
    if (!spans.isEmpty()) {
      String name = ExportTraceServiceRequest.parseFrom(encoded)
          .getResourceSpans(0).getScopeSpans(0).getSpans(0).getName();
      if (isValidUtf16(spans.get(0).getName())) {
        assertThat(name).isEqualTo(spans.get(0).getName());
      }
    }
  }

  private static SpanData span(FuzzedDataProvider data, Resource resource, InstrumentationScopeInfo scope) {
    Attributes attributes = attributes(data);
    List<EventData> events = new ArrayList<>();
    int eventCount = data.consumeInt(0, 2);
    for (int i = 0; i < eventCount; i++) {
      Attributes eventAttributes = attributes(data);
      events.add(EventData.create(data.consumeLong(), FuzzValues.text(data, 20), eventAttributes,
          eventAttributes.size() + data.consumeInt(0, 3)));
    }
    List<LinkData> links = new ArrayList<>();
    int linkCount = data.consumeInt(0, 2);
    for (int i = 0; i < linkCount; i++) {
      Attributes linkAttributes = attributes(data);
      links.add(LinkData.create(context(data), linkAttributes, linkAttributes.size() + data.consumeInt(0, 3)));
    }
    StatusCode code = StatusCode.values()[data.consumeInt(0, StatusCode.values().length - 1)];
    return TestSpanData.builder()
        .setSpanContext(context(data))
        .setParentSpanContext(data.consumeBoolean() ? context(data) : SpanContext.getInvalid())
        .setResource(resource)
        .setInstrumentationScopeInfo(scope)
        .setName(FuzzValues.text(data, 40))
        .setKind(SpanKind.values()[data.consumeInt(0, SpanKind.values().length - 1)])
        .setStartEpochNanos(data.consumeLong())
        .setEndEpochNanos(data.consumeLong())
        .setAttributes(attributes)
        .setTotalAttributeCount(attributes.size() + data.consumeInt(0, 5))
        .setEvents(events)
        .setTotalRecordedEvents(events.size() + data.consumeInt(0, 5))
        .setLinks(links)
        .setTotalRecordedLinks(links.size() + data.consumeInt(0, 5))
        .setStatus(StatusData.create(code, data.consumeBoolean() ? FuzzValues.text(data, 30) : ""))
        .setHasEnded(true)
        .build();
  }

  /** A context with ids from the fuzzer (all zeros now and then), flags and a trace state. */
  private static SpanContext context(FuzzedDataProvider data) {
    TraceStateBuilder state = TraceState.builder();
    int entries = data.consumeInt(0, 2);
    for (int i = 0; i < entries; i++) {
      state.put(data.consumeAsciiString(8), FuzzValues.text(data, 12));
    }
    TraceFlags flags = TraceFlags.fromByte(data.consumeByte());
    String traceId = FuzzValues.hex(data, 32);
    String spanId = FuzzValues.hex(data, 16);
    return data.consumeBoolean()
        ? SpanContext.createFromRemoteParent(traceId, spanId, flags, state.build())
        : SpanContext.create(traceId, spanId, flags, state.build());
  }

  private static Attributes attributes(FuzzedDataProvider data) {
    AttributesBuilder builder = Attributes.builder();
    int count = data.consumeInt(0, 4);
    for (int i = 0; i < count; i++) {
      String key = FuzzValues.text(data, 16);
      switch (data.consumeInt(0, 7)) {
        case 0 -> builder.put(AttributeKey.stringKey(key), FuzzValues.text(data, 40));
        case 1 -> builder.put(AttributeKey.longKey(key), data.consumeLong());
        case 2 -> builder.put(AttributeKey.doubleKey(key), data.consumeDouble());
        case 3 -> builder.put(AttributeKey.booleanKey(key), data.consumeBoolean());
        case 4 -> builder.put(AttributeKey.stringArrayKey(key), List.of(FuzzValues.text(data, 10), FuzzValues.text(data, 10)));
        case 5 -> builder.put(AttributeKey.longArrayKey(key), List.of(data.consumeLong(), data.consumeLong()));
        case 6 -> builder.put(AttributeKey.doubleArrayKey(key), List.of(data.consumeDouble()));
        default -> builder.put(AttributeKey.booleanArrayKey(key), List.of(data.consumeBoolean()));
      }
    }
    return builder.build();
  }

  private static Attributes resourceAttributes(FuzzedDataProvider data) {
    AttributesBuilder builder = Attributes.builder();
    int count = data.consumeInt(0, 3);
    for (int i = 0; i < count; i++) {
      builder.put(AttributeKey.stringKey("k" + data.consumeAsciiString(16).replaceAll("[^a-z0-9_.]", "")), FuzzValues.text(data, 40));
    }
    return builder.build();
  }

  private static boolean isValidUtf16(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
