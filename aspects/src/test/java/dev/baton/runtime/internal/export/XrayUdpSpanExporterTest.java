package dev.baton.runtime.internal.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.runtime.internal.export.XrayUdpSpanExporter.DaemonAddress;
import dev.baton.testing.OtlpSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What goes to Lambda's X-Ray daemon: datagrams as AWS's exporters write them, never over the
 * UDP limit, every span in one of them.
 */
class XrayUdpSpanExporterTest {

  private static final String HEADER = "{\"format\":\"json\",\"version\":1}\nT1S";

  private static List<SpanData> spans(int count, Attributes attributes) {
    List<SpanData> spans = new ArrayList<>();
    for (SpanData span : OtlpHttpSpanExporterTest.spans(count)) {
      spans.add(copy(span, span.getResource(), attributes));
    }
    return spans;
  }

  /** {@code span} with another resource and attributes. */
  private static SpanData copy(SpanData span, Resource resource, Attributes attributes) {
    return TestSpanData.builder()
        .setSpanContext(span.getSpanContext())
        .setParentSpanContext(span.getParentSpanContext())
        .setResource(resource)
        .setInstrumentationScopeInfo(span.getInstrumentationScopeInfo())
        .setName(span.getName())
        .setKind(span.getKind())
        .setStartEpochNanos(span.getStartEpochNanos())
        .setEndEpochNanos(span.getEndEpochNanos())
        .setStatus(span.getStatus())
        .setHasEnded(true)
        .setAttributes(attributes)
        .setTotalAttributeCount(attributes.size())
        .build();
  }

  /** The spans in a datagram, after checking its header and prefix. */
  private static List<SpanData> spansIn(byte[] datagram) {
    String text = new String(datagram, StandardCharsets.US_ASCII);
    assertThat(text).startsWith(HEADER);
    byte[] protobuf = Base64.getDecoder().decode(text.substring(HEADER.length()));
    try {
      return OtlpSpans.toSpanData(ExportTraceServiceRequest.parseFrom(protobuf));
    } catch (IOException e) {
      throw new AssertionError("not an OTLP trace request", e);
    }
  }

  @Test
  void fewSpansGoInOneDatagramAsAwsExportersWriteIt() throws Exception {
    try (DatagramSocket daemon = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      XrayUdpSpanExporter exporter =
          new XrayUdpSpanExporter(DaemonAddress.parse("127.0.0.1:" + daemon.getLocalPort()));

      CompletableResultCode result = exporter.export(spans(3, Attributes.empty()));

      assertThat(result.isSuccess()).isTrue();
      byte[] buffer = new byte[65_536];
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      daemon.receive(packet);
      assertThat(spansIn(Arrays.copyOf(buffer, packet.getLength()))).hasSize(3);
      exporter.shutdown();
    }
  }

  @Test
  void fiveThousandSpansAreSplitIntoDatagramsWithinTheLimitAndNoneIsLost() {
    Attributes attributes = Attributes.of(AttributeKey.stringKey("order.id"), "o-".repeat(40));
    List<SpanData> spans = spans(5_000, attributes);

    List<byte[]> datagrams = XrayUdpSpanExporter.datagrams(spans);

    assertThat(datagrams).hasSizeGreaterThan(1);
    assertThat(datagrams).allSatisfy(datagram -> assertThat(datagram.length).isLessThanOrEqualTo(65_507));
    int total = 0;
    for (byte[] datagram : datagrams) {
      total += spansIn(datagram).size();
    }
    assertThat(total).isEqualTo(5_000);
    // Packed, not merely split: all but the last are nearly full.
    for (int i = 0; i < datagrams.size() - 1; i++) {
      assertThat(datagrams.get(i).length).isGreaterThan(60_000);
    }
  }

  @Test
  void equalResourcesThatAreDifferentInstancesCountAsTheDifferentGroupsTheyEncodeAs() {
    // The encoder groups by instance: two equal resources are two groups in a request, each with
    // its own copy of the resource. Packing must count both, or a batch overflows the datagram.
    Attributes large = Attributes.of(AttributeKey.stringKey("deployment"), "d".repeat(6_000));
    Resource one = Resource.create(large);
    Resource equalCopy = Resource.create(large);
    List<SpanData> spans = new ArrayList<>();
    for (SpanData span : spans(40, Attributes.of(AttributeKey.stringKey("order.id"), "o".repeat(2_000)))) {
      spans.add(copy(span, spans.size() % 2 == 0 ? one : equalCopy, span.getAttributes()));
    }

    List<List<SpanData>> batches = XrayUdpSpanExporter.pack(spans);

    assertThat(batches).hasSizeGreaterThan(1);
    assertThat(batches)
        .allSatisfy(batch -> assertThat(OtlpSpanEncoder.encode(batch).length)
            .isLessThanOrEqualTo(XrayUdpSpanExporter.MAX_PROTOBUF));
    assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(40);
  }

  @Test
  void aSpanTooLargeAloneLosesItsLargestAttributesNotItself() {
    Attributes attributes = Attributes.builder()
        .put("order.note", "x".repeat(100_000))
        .put("order.id", "o-1")
        .put("order.lines", 3L)
        .build();
    List<SpanData> spans = spans(2, attributes);

    List<byte[]> datagrams = XrayUdpSpanExporter.datagrams(spans);

    assertThat(datagrams).hasSize(2);
    for (byte[] datagram : datagrams) {
      assertThat(datagram.length).isLessThanOrEqualTo(65_507);
      SpanData span = spansIn(datagram).get(0);
      assertThat(span.getAttributes().get(AttributeKey.stringKey("order.id"))).isEqualTo("o-1");
      assertThat(span.getAttributes().get(AttributeKey.stringKey("order.note"))).isNull();
      assertThat(span.getTotalAttributeCount() - span.getAttributes().size()).as("dropped_attributes_count").isEqualTo(1);
    }
  }

  @Test
  void aSpanThatFitsOnlyAloneGoesAlone() {
    Attributes attributes = Attributes.of(AttributeKey.stringKey("blob"), "y".repeat(40_000));

    List<byte[]> datagrams = XrayUdpSpanExporter.datagrams(spans(3, attributes));

    assertThat(datagrams).hasSize(3);
    assertThat(datagrams).allSatisfy(datagram -> {
      SpanData span = spansIn(datagram).get(0);
      assertThat(span.getAttributes().get(AttributeKey.stringKey("blob"))).isNotNull();
    });
  }

  @Test
  void noDaemonListeningFailsTheExportSayingWhyAndNeverBlocks() throws Exception {
    int closed;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      closed = probe.getLocalPort();
    }
    XrayUdpSpanExporter exporter = new XrayUdpSpanExporter(DaemonAddress.parse("127.0.0.1:" + closed));

    // The kernel answers a datagram to a closed port with an ICMP error, which the next send on
    // the connected socket reports.
    CompletableResultCode failed = null;
    for (int attempt = 0; attempt < 20 && failed == null; attempt++) {
      CompletableResultCode result = exporter.export(spans(1, Attributes.empty()));
      assertThat(result.isDone()).isTrue();
      if (!result.isSuccess()) {
        failed = result;
      }
    }
    assertThat(failed).isNotNull();
    assertThat(failed.getFailureThrowable()).hasMessageContaining("no X-Ray daemon listens")
        .hasMessageContaining("Tracing: Active");
  }

  @Test
  void anUnknownHostFailsTheExport() {
    XrayUdpSpanExporter exporter = new XrayUdpSpanExporter(DaemonAddress.parse("no-such-daemon.invalid:2000"));

    CompletableResultCode result = exporter.export(spans(1, Attributes.empty()));

    assertThat(result.isSuccess()).isFalse();
    assertThat(result.getFailureThrowable()).hasMessageContaining("is unknown");
  }

  @Test
  void theDaemonAddressInEveryFormLambdaAndTheXraySdksUse() {
    assertThat(DaemonAddress.parse("169.254.79.129:2000")).isEqualTo(new DaemonAddress("169.254.79.129", 2000));
    assertThat(DaemonAddress.parse(null)).isEqualTo(new DaemonAddress("127.0.0.1", 2000));
    assertThat(DaemonAddress.parse("  ")).isEqualTo(new DaemonAddress("127.0.0.1", 2000));
    assertThat(DaemonAddress.parse("udp:10.0.0.1:2001 tcp:10.0.0.2:2002")).isEqualTo(new DaemonAddress("10.0.0.1", 2001));
    assertThat(DaemonAddress.parse("tcp:10.0.0.2:2002 udp:10.0.0.1:2001")).isEqualTo(new DaemonAddress("10.0.0.1", 2001));
    assertThat(DaemonAddress.parse("[::1]:2000")).isEqualTo(new DaemonAddress("::1", 2000));
    assertThat(DaemonAddress.parse("daemon.local:2000").toString()).isEqualTo("daemon.local:2000");
    for (String malformed : List.of("2000", "host:", ":2000", "host:port", "host:70000", "tcp:1.2.3.4:2000", "udp:a:1 sctp:b:2")) {
      assertThatThrownBy(() -> DaemonAddress.parse(malformed))
          .as(malformed)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("AWS_XRAY_DAEMON_ADDRESS=" + malformed);
    }
  }
}
