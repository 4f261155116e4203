package dev.baton.runtime.internal.sdk;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.Failures;
import dev.baton.testing.OtlpSpans;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The built-in setup from settings to spans received by a local OTLP endpoint. */
class BuiltInTelemetryTest {

  private final List<byte[]> received = new CopyOnWriteArrayList<>();
  private final Properties properties = new Properties();
  private final Map<String, String> environment = new HashMap<>();
  private HttpServer server;

  @BeforeEach
  void startCollector() throws IOException {
    reset();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/traces",
        exchange -> {
          received.add(exchange.getRequestBody().readAllBytes());
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    environment.put(
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + server.getAddress().getPort());
    environment.put("AWS_LAMBDA_FUNCTION_NAME", "orders-fn");
    environment.put("AWS_REGION", "eu-west-1");
    environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
  }

  @AfterEach
  void stopCollector() {
    reset();
    server.stop(0);
  }

  private static void reset() {
    if (BatonTelemetry.hasExplicitInstance()
        && BatonTelemetry.openTelemetry() instanceof BuiltInTelemetry telemetry) {
      telemetry.sdkTracerProvider().shutdown();
    }
    BatonTelemetry.use(null, null);
    GlobalOpenTelemetry.resetForTest();
    BuiltInTelemetry.resetForTest();
  }

  private void start() {
    BuiltInTelemetry.start(properties, environment);
  }

  @Test
  void spansGoToTheEndpointWithTheLambdaResourceAtTheFlush() {
    start();
    assertThat(BuiltInTelemetry.started()).isTrue();
    assertThat(BatonTelemetry.hasExplicitInstance()).isTrue();
    assertThat(GlobalOpenTelemetry.isSet()).isTrue();

    Span span = BatonTelemetry.tracer().spanBuilder("handle order").startSpan();
    span.end();
    assertThat(received).isEmpty();
    assertThat(BatonTelemetry.flush(5_000)).isTrue();

    assertThat(received).hasSize(1);
    ExportTraceServiceRequest request = request(received.get(0));
    assertThat(request.getResourceSpansCount()).isEqualTo(1);
    assertThat(request.getResourceSpans(0).getScopeSpansCount()).isEqualTo(1);
    List<SpanData> spans = OtlpSpans.toSpanData(request);
    assertThat(spans).extracting(SpanData::getName).containsExactly("handle order");
    assertThat(spans.get(0)).hasResourceSatisfying(resource -> resource
        .hasAttribute(AttributeKey.stringKey("service.name"), "orders-fn")
        .hasAttribute(AttributeKey.stringKey("cloud.provider"), "aws")
        .hasAttribute(AttributeKey.stringKey("cloud.platform"), "aws_lambda")
        .hasAttribute(AttributeKey.stringKey("cloud.region"), "eu-west-1")
        .hasAttribute(AttributeKey.stringKey("faas.name"), "orders-fn")
        .hasAttribute(AttributeKey.stringKey("telemetry.sdk.language"), "java"));
    assertThat(spans.get(0).getInstrumentationScopeInfo().getName())
        .isEqualTo(BatonTelemetry.INSTRUMENTATION_SCOPE);

    assertThat(BatonTelemetry.flush(5_000)).isTrue();
    assertThat(received).hasSize(1);
  }

  @Test
  void theConfiguredServiceNameWinsOverTheFunctionName() {
    environment.put("OTEL_SERVICE_NAME", "orders");
    start();

    Span span = BatonTelemetry.tracer().spanBuilder("handle order").startSpan();
    span.end();

    assertThat(
            ((ReadableSpan) span)
                .toSpanData()
                .getResource()
                .getAttribute(AttributeKey.stringKey("service.name")))
        .isEqualTo("orders");
  }

  @Test
  void laterCallsDoNothing() {
    start();
    OpenTelemetry first = BatonTelemetry.openTelemetry();

    start();
    BuiltInTelemetry.startOnce();

    assertThat(BatonTelemetry.openTelemetry()).isSameAs(first);
  }

  @Test
  void exporterNoneCreatesSpansAndExportsNothing() {
    environment.put("OTEL_TRACES_EXPORTER", "none");
    start();

    Span span = BatonTelemetry.tracer().spanBuilder("handle order").startSpan();
    span.end();

    assertThat(span.getSpanContext().isSampled()).isTrue();
    assertThat(BatonTelemetry.flush(5_000)).isTrue();
    assertThat(received).isEmpty();
  }

  @Test
  void disabledSetsNothingUp() {
    environment.put("OTEL_SDK_DISABLED", "true");
    start();

    assertThat(BuiltInTelemetry.started()).isTrue();
    assertThat(BatonTelemetry.hasExplicitInstance()).isFalse();
    assertThat(GlobalOpenTelemetry.isSet()).isFalse();
  }

  @Test
  void anUnsupportedSettingIsReportedAndLeavesTracingOff() {
    environment.put("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
    long failures = Failures.count();

    start();

    assertThat(Failures.count()).isEqualTo(failures + 1);
    assertThat(BatonTelemetry.hasExplicitInstance()).isFalse();
    assertThat(GlobalOpenTelemetry.isSet()).isFalse();
    start();
    assertThat(Failures.count()).isEqualTo(failures + 1);
  }

  @Test
  void nothingIsBuiltWhenTheFunctionHandedBatonAnInstance() {
    BatonTelemetry.use(OpenTelemetry.noop());

    start();

    assertThat(BatonTelemetry.openTelemetry()).isSameAs(OpenTelemetry.noop());
    assertThat(GlobalOpenTelemetry.isSet()).isFalse();
  }

  @Test
  void nothingIsBuiltWhenTheFunctionRegisteredAGlobalInstance() {
    GlobalOpenTelemetry.set(OpenTelemetry.noop());

    start();

    assertThat(BatonTelemetry.hasExplicitInstance()).isFalse();
  }

  @Test
  void aFailedExportIsReportedByTheFlush() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    environment.put(
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:" + closedPort + "/v1/traces");
    start();
    BatonTelemetry.tracer().spanBuilder("lost").startSpan().end();
    long failures = Failures.count();

    assertThat(BatonTelemetry.flush(5_000)).isFalse();

    assertThat(Failures.count()).isEqualTo(failures + 1);
  }

  @Test
  void startOnceReadsTheSystemProperties() {
    System.setProperty("otel.traces.exporter", "none");
    try {
      BuiltInTelemetry.startOnce();
    } finally {
      System.clearProperty("otel.traces.exporter");
    }

    assertThat(BatonTelemetry.openTelemetry()).isInstanceOf(BuiltInTelemetry.class);
    assertThat(((BuiltInTelemetry) BatonTelemetry.openTelemetry()).buffer()).isNull();
  }

  @Test
  void concurrentFirstInvocationsAllRunOnTheSdk() throws Exception {
    // Managed Instances: the first invocations arrive together while the SDK is being set up;
    // none may run on the no-op tracer meanwhile.
    System.setProperty("otel.exporter.otlp.traces.endpoint", environment.get("OTEL_EXPORTER_OTLP_ENDPOINT") + "/v1/traces");
    int threads = 8;
    java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(threads);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<Boolean>> recording = new java.util.ArrayList<>();
      for (int i = 0; i < threads; i++) {
        recording.add(pool.submit(() -> {
          together.await(10, java.util.concurrent.TimeUnit.SECONDS);
          BuiltInTelemetry.startOnce();
          Span span = BatonTelemetry.tracer().spanBuilder("first invocation").startSpan();
          span.end();
          return span.isRecording() || span.getSpanContext().isSampled();
        }));
      }
      for (java.util.concurrent.Future<Boolean> future : recording) {
        assertThat(future.get(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
      System.clearProperty("otel.exporter.otlp.traces.endpoint");
    }
    assertThat(BatonTelemetry.flush(5_000)).isTrue();
    assertThat(received).hasSize(1);
    ExportTraceServiceRequest request = request(received.get(0));
    assertThat(request.getResourceSpansCount()).isEqualTo(1);
    assertThat(request.getResourceSpans(0).getScopeSpansCount()).isEqualTo(1);
    assertThat(OtlpSpans.toSpanData(request)).hasSize(threads);
  }

  @Test
  void theSpanLimitsAreHonoured() {
    environment.put("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "2");
    environment.put("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "5");
    environment.put("OTEL_SPAN_EVENT_COUNT_LIMIT", "1");
    start();

    Span span =
        BatonTelemetry.tracer()
            .spanBuilder("limited")
            .setAttribute("a", "abcdefgh")
            .setAttribute("b", "b")
            .setAttribute("c", "c")
            .startSpan();
    span.addEvent("one");
    span.addEvent("two");
    span.end();

    io.opentelemetry.sdk.trace.data.SpanData data = ((ReadableSpan) span).toSpanData();
    assertThat(data.getAttributes().size()).isEqualTo(2);
    assertThat(data.getTotalAttributeCount()).isEqualTo(3);
    assertThat(data.getAttributes().get(AttributeKey.stringKey("a"))).isEqualTo("abcde");
    assertThat(data.getEvents()).hasSize(1);
    assertThat(BatonTelemetry.flush(5_000)).isTrue();
    ExportTraceServiceRequest request = request(received.get(0));
    assertThat(request.getResourceSpansCount()).isEqualTo(1);
    assertThat(request.getResourceSpans(0).getScopeSpansCount()).isEqualTo(1);
    List<SpanData> exported = OtlpSpans.toSpanData(request);
    assertThat(exported).hasSize(1);
    assertThat(exported.get(0).getTotalAttributeCount() - exported.get(0).getAttributes().size())
        .as("dropped_attributes_count").isEqualTo(1);
    assertThat(exported.get(0).getTotalRecordedEvents() - exported.get(0).getEvents().size())
        .as("dropped_events_count").isEqualTo(1);
  }

  private static ExportTraceServiceRequest request(byte[] body) {
    try {
      return ExportTraceServiceRequest.parseFrom(body);
    } catch (IOException e) {
      throw new AssertionError("not an OTLP trace request", e);
    }
  }
}
