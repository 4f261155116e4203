package com.acme.payments;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;

import dev.baton.runtime.Baton;
import dev.baton.testing.RecordingHttpServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The classes woven by baton:weave (not by ajc with the AspectJ runtime, as in Baton's own
 * tests), run without AspectJ on the classpath: each call is a span and each peer got the
 * context. The peer is a RecordingHttpServer; for EventBridge and Step Functions it stands in for
 * the services (none runs locally) and keeps what the SDK sent.
 */
class PaymentsApiTest {

  private static final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private static OpenTelemetrySdk sdk;
  private static RecordingHttpServer server;
  private static CloseableHttpClient apache;
  private static CloseableHttpAsyncClient apacheAsync;
  private static OkHttpClient okHttp;

  @BeforeAll
  static void start() {
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .setPropagators(io.opentelemetry.context.propagation.ContextPropagators.create(
            io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator.getInstance()))
        .build();
    Baton.useOpenTelemetry(sdk);
    server = RecordingHttpServer.start();
    apache = HttpClients.createDefault();
    apacheAsync = HttpAsyncClients.createDefault();
    apacheAsync.start();
    okHttp = new OkHttpClient();
  }

  @AfterAll
  static void stop() throws Exception {
    apache.close();
    apacheAsync.close();
    okHttp.dispatcher().executorService().shutdown();
    server.close();
    sdk.close();
  }

  @Test
  void noAspectJAtRunTime() {
    assertThat(getClass().getClassLoader().getResource("org/aspectj/lang/NoAspectBoundException.class")).isNull();
  }

  @Test
  void everyClientCallIsAClientSpanWhoseContextThePeerReceived() throws Exception {
    PaymentsApi api = new PaymentsApi(server.baseUrl(), apache, apacheAsync, okHttp);
    exporter.reset();
    server.reset();
    Span parent = sdk.getTracer("test").spanBuilder("handler").startSpan();
    try (Scope ignored = parent.makeCurrent()) {
      assertThat(api.statusWithApache("/status/404")).isEqualTo(404);
      assertThat(api.chargeWithApache("/payments")).isEqualTo("answered /payments");
      assertThat(api.statusWithApacheAsync("/async").get(10, TimeUnit.SECONDS).getCode()).isEqualTo(200);
      assertThat(api.statusWithApacheProducer("/produced").get(10, TimeUnit.SECONDS).getCode()).isEqualTo(200);
      assertThat(api.statusWithOkHttp("/ok")).isEqualTo(200);
      assertThat(api.statusWithOkHttpAsync("/status/503").get(10, TimeUnit.SECONDS)).isEqualTo(503);
    } finally {
      parent.end();
    }

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (exporter.getFinishedSpanItems().size() < 7 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    List<SpanData> clients = exporter.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.CLIENT).toList();
    assertThat(clients).hasSize(6);
    for (SpanData span : clients) {
      assertThat(span).hasParentSpanId(parent.getSpanContext().getSpanId());
      assertThat(server.requests().stream().filter(r -> r.header("traceparent") != null && r.header("traceparent").contains(span.getSpanId())))
          .as("the request of %s", span).hasSize(1);
    }
    assertThat(clients.stream().filter(s -> s.getStatus().getStatusCode() == io.opentelemetry.api.trace.StatusCode.ERROR)).hasSize(2);
  }

  @Test
  void eventBridgeAndStepFunctionsCarryTheTraceHeader() {
    StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"));
    try (EventBridgeClient events = EventBridgeClient.builder().endpointOverride(server.uri("")).region(Region.US_EAST_1).credentialsProvider(credentials).build();
        SfnClient sfn = SfnClient.builder().endpointOverride(server.uri("")).region(Region.US_EAST_1).credentialsProvider(credentials).build()) {
      OrderEvents orderEvents = new OrderEvents(events, sfn);
      exporter.reset();
      server.reset();

      orderEvents.paid("o-1");
      orderEvents.fulfil("arn:aws:states:us-east-1:123456789012:stateMachine:fulfil", "o-1");
    }

    SpanData put = exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals("EventBridge.PutEvents")).findFirst().orElseThrow();
    SpanData start = exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals("Sfn.StartExecution")).findFirst().orElseThrow();
    assertThat(put).hasKind(SpanKind.PRODUCER);
    assertThat(start).hasKind(SpanKind.CLIENT);
    assertThat(server.requests().get(0).body()).contains("\"TraceHeader\":\"Root=1-").contains("Parent=" + put.getSpanId());
    assertThat(server.requests().get(1).body()).contains("\"traceHeader\":\"Root=1-").contains("Parent=" + start.getSpanId());
  }
}
