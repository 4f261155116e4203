package dev.baton.testing;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
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
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@link OtlpReceiver} and {@link XrayDaemon} give a test is what was sent: spans written by
 * OpenTelemetry's own OTLP marshaler come back through {@link OtlpSpans} equal to the originals.
 */
class OtlpSpansTest {

  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final Resource RESOURCE =
      Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "orders",
          AttributeKey.longKey("pid"), 42L));
  private static final InstrumentationScopeInfo SCOPE =
      InstrumentationScopeInfo.builder("dev.baton").setVersion("0.1.0").build();

  @Test
  void everyPartOfASpanSurvivesTheWire() throws Exception {
    SpanData child = TestSpanData.builder()
        .setSpanContext(SpanContext.create(TRACE, "b7ad6b7169203331", TraceFlags.getSampled(),
            TraceState.builder().put("vendor", "one").put("other", "two").build()))
        .setParentSpanContext(SpanContext.createFromRemoteParent(TRACE, "00f067aa0ba902b7",
            TraceFlags.getSampled(), TraceState.getDefault()))
        .setResource(RESOURCE)
        .setInstrumentationScopeInfo(SCOPE)
        .setName("process orders")
        .setKind(SpanKind.CONSUMER)
        .setStartEpochNanos(1_700_000_000_000_000_000L)
        .setEndEpochNanos(1_700_000_000_500_000_000L)
        .setHasEnded(true)
        .setAttributes(Attributes.builder()
            .put("faas.trigger", "pubsub")
            .put("faas.coldstart", true)
            .put("messaging.batch.message_count", 3L)
            .put("ratio", 0.5)
            .put(AttributeKey.stringArrayKey("queues"), List.of("a", "b"))
            .put(AttributeKey.longArrayKey("sizes"), List.of(1L, 2L))
            .build())
        .setTotalAttributeCount(7)
        .setEvents(List.of(EventData.create(1_700_000_000_100_000_000L, "batch item failure",
            Attributes.of(AttributeKey.stringKey("messaging.message.id"), "m3"), 2)))
        .setTotalRecordedEvents(3)
        .setLinks(List.of(
            LinkData.create(SpanContext.createFromRemoteParent("5759e988bd862e3fe1be46a994272793",
                "53995c3f42cd8ad8", TraceFlags.getSampled(), TraceState.getDefault())),
            LinkData.create(SpanContext.create(TRACE, "1111111111111111", TraceFlags.getDefault(),
                TraceState.getDefault()), Attributes.of(AttributeKey.stringKey("k"), "v"), 2)))
        .setTotalRecordedLinks(4)
        .setStatus(StatusData.create(StatusCode.ERROR, "1 of 3 failed"))
        .build();
    SpanData root = TestSpanData.builder()
        .setSpanContext(SpanContext.create("1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a", "2b2b2b2b2b2b2b2b",
            TraceFlags.getSampled(), TraceState.getDefault()))
        .setResource(RESOURCE)
        .setInstrumentationScopeInfo(SCOPE)
        .setName("POST /orders")
        .setKind(SpanKind.SERVER)
        .setStartEpochNanos(1L)
        .setEndEpochNanos(2L)
        .setHasEnded(true)
        .setStatus(StatusData.unset())
        .build();

    List<SpanData> received = OtlpSpans.toSpanData(sent(List.of(child, root)));

    assertThat(received).hasSize(2);
    assertThat(received.get(0)).isEqualTo(child);
    assertThat(received.get(0))
        .hasParentSpanId("00f067aa0ba902b7")
        .hasKind(SpanKind.CONSUMER)
        .hasStatus(StatusData.create(StatusCode.ERROR, "1 of 3 failed"))
        .hasAttribute(AttributeKey.booleanKey("faas.coldstart"), true)
        .hasAttribute(AttributeKey.longKey("messaging.batch.message_count"), 3L)
        .hasTotalAttributeCount(7)
        .hasTotalRecordedEvents(3)
        .hasTotalRecordedLinks(4)
        .hasResource(RESOURCE);
    assertThat(received.get(0).getParentSpanContext().isRemote()).isTrue();
    assertThat(received.get(0).getLinks().get(0).getSpanContext().isRemote()).isTrue();
    assertThat(received.get(0).getLinks().get(1).getSpanContext().isRemote()).isFalse();
    assertThat(received.get(1)).isEqualTo(root).hasNoParent();
  }

  private static ExportTraceServiceRequest sent(List<SpanData> spans) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TraceRequestMarshaler.create(spans).writeBinaryTo(out);
    return ExportTraceServiceRequest.parseFrom(out.toByteArray());
  }
}
