package dev.baton.aspects;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;

import dev.baton.testing.RecordingHttpServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartSyncExecutionRequest;

/**
 * EventBridge {@code PutEvents} and Step Functions {@code StartExecution} / {@code
 * StartSyncExecution} woven at the call site. No local EventBridge or Step Functions exists to
 * run here, so the clients talk to a stand-in, a {@link RecordingHttpServer} that answers {@code
 * {}} and keeps the JSON the real SDK sent: what would reach AWS is read from there.
 */
class TraceHeaderCallsTest {

  private static final String OWN_HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

  private static RecordingHttpServer server;
  private static EventBridgeClient events;
  private static SfnClient sfn;
  private static SfnAsyncClient sfnAsync;
  private static WovenSdkTracing tracing;

  @BeforeAll
  static void start() {
    server = RecordingHttpServer.start();
    StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"));
    events = EventBridgeClient.builder().endpointOverride(server.uri("")).region(Region.EU_WEST_1).credentialsProvider(credentials).build();
    sfn = SfnClient.builder().endpointOverride(server.uri("")).region(Region.EU_WEST_1).credentialsProvider(credentials).build();
    // StartSyncExecution goes to a "sync-" host prefix on AWS; here it goes to the stand-in.
    sfnAsync =
        SfnAsyncClient.builder()
            .endpointOverride(server.uri(""))
            .region(Region.EU_WEST_1)
            .credentialsProvider(credentials)
            .overrideConfiguration(o -> o.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
            .build();
    tracing = WovenSdkTracing.w3c();
  }

  @AfterAll
  static void stop() {
    tracing.close();
    events.close();
    sfn.close();
    sfnAsync.close();
    server.close();
  }

  @BeforeEach
  void reset() {
    tracing.reset();
    server.reset();
  }

  @Test
  void putEventsIsAProducerSpanAndEveryEntryWithoutAHeaderCarriesIt() {
    Span parent = tracing.startParent("handler");
    try (Scope ignored = parent.makeCurrent()) {
      events.putEvents(b -> b.entries(
          PutEventsRequestEntry.builder().source("orders").detailType("placed").detail("{}").build(),
          PutEventsRequestEntry.builder().source("orders").detailType("own").detail("{}").traceHeader(OWN_HEADER).build()));
    } finally {
      parent.end();
    }

    SpanData put = tracing.span("EventBridge.PutEvents");
    assertThat(put).hasKind(SpanKind.PRODUCER).hasParentSpanId(parent.getSpanContext().getSpanId());
    String body = server.onlyRequest().body();
    String xray = "Root=1-" + put.getTraceId().substring(0, 8) + "-" + put.getTraceId().substring(8) + ";Parent=" + put.getSpanId() + ";Sampled=1";
    assertThat(body).contains("\"TraceHeader\":\"" + xray + "\"");
    assertThat(body).contains("\"TraceHeader\":\"" + OWN_HEADER + "\"");
  }

  @Test
  void startExecutionCarriesTheTraceHeaderUnlessTheCallerSetOne() throws Exception {
    Span parent = tracing.startParent("handler");
    try (Scope ignored = parent.makeCurrent()) {
      sfn.startExecution(b -> b.stateMachineArn("arn:aws:states:eu-west-1:123456789012:stateMachine:orders").input("{}"));
      sfnAsync.startSyncExecution(b -> b.stateMachineArn("arn:aws:states:eu-west-1:123456789012:stateMachine:express")).get();
      sfn.startExecution(b -> b.stateMachineArn("arn:aws:states:eu-west-1:123456789012:stateMachine:own").traceHeader(OWN_HEADER));
    } finally {
      parent.end();
    }

    SpanData start = tracing.spans().stream().filter(s -> s.getName().equals("Sfn.StartExecution")).findFirst().orElseThrow();
    SpanData sync = tracing.span("Sfn.StartSyncExecution");
    assertThat(start).hasKind(SpanKind.CLIENT).hasParentSpanId(parent.getSpanContext().getSpanId());
    assertThat(sync).hasKind(SpanKind.CLIENT);
    List<RecordingHttpServer.ReceivedRequest> requests = server.requests();
    assertThat(requests).hasSize(3);
    assertThat(requests.get(0).body()).contains("\"traceHeader\":\"Root=1-" + start.getTraceId().substring(0, 8)).contains("Parent=" + start.getSpanId());
    assertThat(requests.get(1).body()).contains("Parent=" + sync.getSpanId());
    assertThat(requests.get(2).body()).contains("\"traceHeader\":\"" + OWN_HEADER + "\"");
  }

  @Test
  void startExecutionGivenARequestCarriesTheTraceHeaderUnlessTheCallerSetOne() throws Exception {
    Span parent = tracing.startParent("handler");
    try (Scope ignored = parent.makeCurrent()) {
      sfn.startExecution(StartExecutionRequest.builder()
          .stateMachineArn("arn:aws:states:eu-west-1:123456789012:stateMachine:orders").input("{}").build());
      sfnAsync.startSyncExecution(StartSyncExecutionRequest.builder()
          .stateMachineArn("arn:aws:states:eu-west-1:123456789012:stateMachine:express").build()).get();
      sfn.startExecution(StartExecutionRequest.builder()
          .stateMachineArn("arn:aws:states:eu-west-1:123456789012:stateMachine:own").traceHeader(OWN_HEADER).build());
    } finally {
      parent.end();
    }

    SpanData start = tracing.spans().stream().filter(s -> s.getName().equals("Sfn.StartExecution")).findFirst().orElseThrow();
    SpanData sync = tracing.span("Sfn.StartSyncExecution");
    List<RecordingHttpServer.ReceivedRequest> requests = server.requests();
    assertThat(requests).hasSize(3);
    assertThat(requests.get(0).body()).contains("\"traceHeader\":\"Root=1-" + start.getTraceId().substring(0, 8)).contains("Parent=" + start.getSpanId());
    assertThat(requests.get(1).body()).contains("Parent=" + sync.getSpanId());
    assertThat(requests.get(2).body()).contains("\"traceHeader\":\"" + OWN_HEADER + "\"");
  }

  @Test
  void anUnsampledSpanWritesNoTraceHeaderAndLeavesTheCallersAlone() throws Exception {
    // A parent that was not sampled (an incoming Sampled=0, say): Baton's spans are not sampled
    // either, and a Sampled=0 header must not replace the X-Ray header the SDK sends in Lambda.
    Span unsampled = Span.wrap(SpanContext.create(
        "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getDefault(), TraceState.getDefault()));
    try (Scope ignored = unsampled.makeCurrent()) {
      events.putEvents(b -> b.entries(
          PutEventsRequestEntry.builder().source("orders").detailType("placed").detail("{}").build(),
          PutEventsRequestEntry.builder().source("orders").detailType("own").detail("{}").traceHeader(OWN_HEADER).build()));
      sfn.startExecution(b -> b.stateMachineArn("arn:aws:states:eu-west-1:123456789012:stateMachine:orders").input("{}"));
      sfnAsync.startSyncExecution(b -> b.stateMachineArn("arn:aws:states:eu-west-1:123456789012:stateMachine:express")).get();
      sfn.startExecution(b -> b.stateMachineArn("arn:aws:states:eu-west-1:123456789012:stateMachine:own").traceHeader(OWN_HEADER));
    }

    List<RecordingHttpServer.ReceivedRequest> requests = server.requests();
    assertThat(requests).hasSize(4);
    assertThat(requests.get(0).body()).containsOnlyOnce("\"TraceHeader\"").contains("\"TraceHeader\":\"" + OWN_HEADER + "\"");
    assertThat(requests.get(1).body()).doesNotContain("traceHeader");
    assertThat(requests.get(2).body()).doesNotContain("traceHeader");
    assertThat(requests.get(3).body()).contains("\"traceHeader\":\"" + OWN_HEADER + "\"");
  }
}
