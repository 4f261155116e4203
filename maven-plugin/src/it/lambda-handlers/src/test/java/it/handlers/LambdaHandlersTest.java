package it.handlers;

import static dev.baton.testing.SpanAssertions.assertChildOf;
import static dev.baton.testing.SpanAssertions.assertLinks;
import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;

import dev.baton.testing.LambdaEvents;
import dev.baton.testing.LocalLambdaRuntime;
import dev.baton.testing.OtlpReceiver;
import dev.baton.testing.XrayDaemon;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each trigger family end to end, with handlers traced by {@code @TracedHandler} alone and woven
 * by {@code baton:weave}: every handler runs in a fresh JVM through the real AWS runtime interface
 * client, sets OpenTelemetry up from {@code otel.*} settings alone (autoconfigure, OTLP/HTTP, a
 * batch processor that never exports on its own) and exports to {@link OtlpReceiver}, a stand-in
 * for a collector (none can be installed here). Every invocation's spans must have arrived before
 * its response.
 */
class LambdaHandlersTest {

  private static OtlpReceiver receiver;

  @BeforeAll
  static void startReceiver() {
    receiver = OtlpReceiver.start();
  }

  @AfterAll
  static void stopReceiver() {
    receiver.close();
  }

  private static LocalLambdaRuntime.Builder function(String handler, String name) {
    return LocalLambdaRuntime.builder(handler)
        .functionName(name)
        .jvmArgument("-Dotel.exporter.otlp.endpoint=" + receiver.endpoint())
        .jvmArgument("-Dotel.exporter.otlp.protocol=http/protobuf")
        .jvmArgument("-Dotel.traces.exporter=otlp")
        .jvmArgument("-Dotel.metrics.exporter=none")
        .jvmArgument("-Dotel.logs.exporter=none")
        .jvmArgument("-Dotel.bsp.schedule.delay=3600000")
        .jvmArgument("-Dotel.propagators=tracecontext,baggage,xray");
  }

  /** Invokes, and waits until Baton's extension exported the spans and asked for its next event. */
  private static LocalLambdaRuntime.Result invoke(LocalLambdaRuntime lambda, LocalLambdaRuntime.Invocation invocation)
      throws Exception {
    LocalLambdaRuntime.Result result = lambda.invoke(invocation);
    lambda.awaitExtensionsDone(result, Duration.ofSeconds(30));
    return result;
  }

  private static final AttributeKey<String> FAAS_INVOCATION_ID = stringKey("faas.invocation_id");

  private static SpanData invocationSpan(String requestId) {
    List<SpanData> found =
        receiver.spans().stream().filter(s -> requestId.equals(s.getAttributes().get(FAAS_INVOCATION_ID))).toList();
    assertThat(found).as("invocation span of %s", requestId).hasSize(1);
    return found.get(0);
  }

  /** Each function JVM gets this JVM's class path: the woven handlers run without AspectJ. */
  @Test
  void theFunctionClassPathHasNoAspectJRuntime() {
    assertThat(System.getProperty("java.class.path")).doesNotContain("aspectj");
    assertThat(getClass().getClassLoader().getResource("org/aspectj/lang/NoAspectBoundException.class"))
        .isNull();
  }

  @Test
  void httpApiInvocationsAreExportedAfterTheResponseBeforeTheNextEvent() throws Exception {
    try (LocalLambdaRuntime lambda = function(PlaceOrder.class.getName(), "place-order").start()) {
      String event = LambdaEvents.json(LambdaEvents.HTTP_API);
      long started = System.nanoTime();
      LocalLambdaRuntime.Result first = lambda.invoke(LocalLambdaRuntime.invocation(event));
      long firstMillis = (System.nanoTime() - started) / 1_000_000;
      lambda.awaitExtensionsDone(first, Duration.ofSeconds(30));
      started = System.nanoTime();
      LocalLambdaRuntime.Result second = lambda.invoke(LocalLambdaRuntime.invocation(event));
      long secondMillis = (System.nanoTime() - started) / 1_000_000;
      lambda.awaitExtensionsDone(second, Duration.ofSeconds(30));
      LocalLambdaRuntime.Result failed =
          invoke(lambda, LocalLambdaRuntime.invocation(event.replace("book", "boom")));
      System.out.printf("[figures] HTTP API through the runtime client: first invocation (cold JVM) %d ms, second %d ms%n",
          firstMillis, secondMillis);

      assertThat(first.error()).as(lambda.output()).isFalse();
      assertThat(first.body()).contains("\"statusCode\":201");
      SpanData cold = invocationSpan(first.requestId());
      assertThat(receiver.order(cold)).as("exported after the response, before the extension asked for its next event").isLessThan(first.extensionsDoneOrder().orElseThrow());
      assertThat(cold)
          .hasName("POST /orders")
          .hasKind(SpanKind.SERVER)
          .hasTraceId(LambdaEvents.TRACEPARENT_TRACE_ID)
          .hasParentSpanId(LambdaEvents.TRACEPARENT_SPAN_ID)
          .hasAttribute(stringKey("faas.trigger"), "http")
          .hasAttribute(booleanKey("faas.coldstart"), true)
          .hasAttribute(stringKey("http.request.method"), "POST")
          .hasAttribute(stringKey("http.route"), "/orders")
          .hasAttribute(longKey("http.response.status_code"), 201L)
          .hasAttribute(stringKey("cloud.provider"), "aws")
          .hasAttribute(stringKey("cloud.region"), "us-east-2")
          .hasAttribute(stringKey("cloud.account.id"), "123456789012")
          .hasAttribute(stringKey("cloud.resource_id"), "arn:aws:lambda:us-east-2:123456789012:function:place-order")
          .hasResourceSatisfying(resource -> resource
              .hasAttribute(stringKey("service.name"), "place-order")
              .hasAttribute(stringKey("faas.name"), "place-order")
              .hasAttribute(stringKey("faas.version"), "$LATEST")
              .hasAttribute(stringKey("cloud.provider"), "aws"));

      List<SpanData> validations =
          receiver.trace(cold.getTraceId()).stream()
              .filter(s -> s.getName().equals("PlaceOrder.validate") && s.getParentSpanId().equals(cold.getSpanId()))
              .toList();
      assertThat(validations).as("the @Traced method inside the handler").hasSize(1);
      assertChildOf(validations.get(0), cold);
      assertThat(validations.get(0).getAttributes().get(longKey("order.body.length"))).isNotNull();

      SpanData warm = invocationSpan(second.requestId());
      assertThat(receiver.order(warm)).isLessThan(second.extensionsDoneOrder().orElseThrow());
      assertThat(warm).hasAttribute(booleanKey("faas.coldstart"), false);

      assertThat(failed.error()).isTrue();
      assertThat(failed.body()).contains("order rejected: boom").contains("java.lang.IllegalStateException");
      SpanData error = invocationSpan(failed.requestId());
      assertThat(receiver.order(error)).isLessThan(failed.extensionsDoneOrder().orElseThrow());
      assertThat(error)
          .hasStatusSatisfying(status -> status.hasCode(StatusCode.ERROR))
          .hasAttribute(stringKey("error.type"), "java.lang.IllegalStateException");
      assertThat(error.getEvents()).extracting(EventData::getName).contains("exception");
    }
  }

  @Test
  void sqsBatchLinksEveryContextAndEachMessageContinuesItsTrace() throws Exception {
    try (LocalLambdaRuntime lambda = function(ProcessOrders.class.getName(), "process-order").start()) {
      String event = LambdaEvents.json(LambdaEvents.SQS_MULTI_SOURCE).replace("plain text, no context", "please fail");
      LocalLambdaRuntime.Result result = invoke(lambda, LocalLambdaRuntime.invocation(event));

      assertThat(result.error()).as(lambda.output()).isFalse();
      assertThat(result.body()).contains("m3");
      SpanData batch = invocationSpan(result.requestId());
      assertThat(receiver.order(batch)).isLessThan(result.extensionsDoneOrder().orElseThrow());
      assertThat(batch).hasName("process multiple_sources").hasKind(SpanKind.CONSUMER);
      assertThat(batch).as("several contexts: no parent").hasNoParent();
      assertLinks(batch,
          LambdaEvents.TRACEPARENT_TRACE_ID + ":" + LambdaEvents.TRACEPARENT_SPAN_ID,
          LambdaEvents.XRAY_TRACE_ID + ":" + LambdaEvents.XRAY_SPAN_ID);
      assertThat(batch)
          .hasAttribute(stringKey("faas.trigger"), "pubsub")
          .hasAttribute(stringKey("messaging.system"), "aws_sqs")
          .hasAttribute(longKey("messaging.batch.message_count"), 3L)
          .hasAttribute(longKey("baton.batch_item_failures"), 1L);
      assertThat(batch).as("an item failure fails the invocation")
          .hasStatusSatisfying(status -> status.hasCode(StatusCode.ERROR));
      assertThat(batch.getEvents()).extracting(EventData::getName).containsExactly("batch item failure");

      SpanData m1 = messageSpan("m1");
      assertThat(m1).hasTraceId(LambdaEvents.TRACEPARENT_TRACE_ID).hasParentSpanId(LambdaEvents.TRACEPARENT_SPAN_ID);
      assertLinks(m1, batch.getTraceId() + ":" + batch.getSpanId());
      SpanData m2 = messageSpan("m2");
      assertThat(m2).hasTraceId(LambdaEvents.XRAY_TRACE_ID).hasName("process returns");
      SpanData m3 = messageSpan("m3");
      assertChildOf(m3, batch); // no context of its own: child of the invocation
      assertThat(receiver.order(m3)).isLessThan(result.extensionsDoneOrder().orElseThrow());
    }
  }

  @Test
  void withAutoconfigureAFailedInvocationIsExportedWholeWhereTheSamplerDroppedIt() throws Exception {
    String placed = "1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a";
    String rejected = "2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b";
    String batchOk = "3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c";
    String batchFailed = "4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d";
    String http = LambdaEvents.json(LambdaEvents.HTTP_API);
    try (LocalLambdaRuntime lambda =
        function(PlaceOrder.class.getName(), "place-order")
            .jvmArgument("-Dotel.traces.sampler=traceidratio")
            .jvmArgument("-Dotel.traces.sampler.arg=0")
            .start()) {
      LocalLambdaRuntime.Result ok =
          invoke(lambda, LocalLambdaRuntime.invocation(http.replace(LambdaEvents.TRACEPARENT_TRACE_ID, placed)));
      LocalLambdaRuntime.Result failed = invoke(lambda, LocalLambdaRuntime.invocation(
          http.replace(LambdaEvents.TRACEPARENT_TRACE_ID, rejected).replace("book", "boom")));

      assertThat(ok.error()).as(lambda.output()).isFalse();
      assertThat(failed.error()).isTrue();
      assertThat(receiver.trace(placed)).isEmpty();
      List<SpanData> trace = receiver.trace(rejected);
      assertThat(trace).extracting(SpanData::getName).containsExactlyInAnyOrder("POST /orders", "PlaceOrder.validate");
      SpanData invocation = invocationSpan(failed.requestId());
      assertThat(invocation)
          .hasStatusSatisfying(status -> status.hasCode(StatusCode.ERROR))
          .hasParentSpanId(LambdaEvents.TRACEPARENT_SPAN_ID);
      assertThat(trace).allSatisfy(span -> assertThat(receiver.order(span)).isLessThan(failed.extensionsDoneOrder().orElseThrow()));
    }
    String sqs = LambdaEvents.json(LambdaEvents.SQS_BATCH_SHARED_CONTEXT);
    try (LocalLambdaRuntime lambda =
        function(ProcessOrders.class.getName(), "process-order")
            .jvmArgument("-Dotel.traces.sampler=parentbased_always_on")
            .start()) {
      String unsampled = LambdaEvents.TRACEPARENT.substring(0, LambdaEvents.TRACEPARENT.length() - 2) + "00";
      LocalLambdaRuntime.Result ok = invoke(lambda, LocalLambdaRuntime.invocation(
          sqs.replace(LambdaEvents.TRACEPARENT, unsampled).replace(LambdaEvents.TRACEPARENT_TRACE_ID, batchOk)));
      LocalLambdaRuntime.Result partial = invoke(lambda, LocalLambdaRuntime.invocation(
          sqs.replace(LambdaEvents.TRACEPARENT, unsampled)
              .replace(LambdaEvents.TRACEPARENT_TRACE_ID, batchFailed)
              .replace("o-5", "o-5 please fail")));

      assertThat(ok.error()).as(lambda.output()).isFalse();
      assertThat(partial.body()).contains("a2");
      assertThat(receiver.trace(batchOk)).isEmpty();
      List<SpanData> trace = receiver.trace(batchFailed);
      SpanData batch = invocationSpan(partial.requestId());
      assertThat(batch).hasStatusSatisfying(status -> status.hasCode(StatusCode.ERROR));
      assertThat(trace).as("the invocation, and per message its process span (the @Traced method)")
          .hasSize(1 + 2)
          .allSatisfy(span -> assertThat(receiver.order(span)).isLessThan(partial.extensionsDoneOrder().orElseThrow()));
    }
  }

  private static SpanData messageSpan(String messageId) {
    List<SpanData> found =
        receiver.spans().stream()
            .filter(s -> messageId.equals(s.getAttributes().get(stringKey("messaging.message.id")))
                && s.getAttributes().get(FAAS_INVOCATION_ID) == null)
            .toList();
    assertThat(found).as("process span of %s", messageId).hasSize(1);
    return found.get(0);
  }

  @Test
  void snsNotificationIsParentedByItsAttributes() throws Exception {
    try (LocalLambdaRuntime lambda = function(NotifyCustomer.class.getName(), "notify-customer").start()) {
      LocalLambdaRuntime.Result result =
          invoke(lambda, LocalLambdaRuntime.invocation(LambdaEvents.json(LambdaEvents.SNS)));

      assertThat(result.error()).as(lambda.output()).isFalse();
      assertThat(result.body()).isEqualTo("\"notified 1\"");
      SpanData span = invocationSpan(result.requestId());
      assertThat(receiver.order(span)).isLessThan(result.extensionsDoneOrder().orElseThrow());
      assertThat(span)
          .hasName("process order-placed")
          .hasTraceId(LambdaEvents.TRACEPARENT_2_TRACE_ID)
          .hasParentSpanId(LambdaEvents.TRACEPARENT_2_SPAN_ID)
          .hasAttribute(stringKey("messaging.system"), "aws.sns")
          .hasAttribute(booleanKey("faas.coldstart"), true);
    }
  }

  @Test
  void withAutoconfigureTheXrayExporterSendsToLambdasDaemon() throws Exception {
    try (XrayDaemon daemon = XrayDaemon.start();
        LocalLambdaRuntime lambda =
            LocalLambdaRuntime.builder(PlaceOrder.class.getName())
                .functionName("place-order")
                .activeTracing(true)
                .environment("AWS_XRAY_DAEMON_ADDRESS", daemon.address())
                .jvmArgument("-Dotel.traces.exporter=xray")
                .jvmArgument("-Dotel.metrics.exporter=none")
                .jvmArgument("-Dotel.logs.exporter=none")
                .jvmArgument("-Dotel.bsp.schedule.delay=3600000")
                .start()) {
      LocalLambdaRuntime.Result result =
          invoke(lambda, LocalLambdaRuntime.invocation(LambdaEvents.json(LambdaEvents.HTTP_API)));

      assertThat(result.error()).as(lambda.output()).isFalse();
      List<SpanData> spans = daemon.awaitSpans(2, java.time.Duration.ofSeconds(30));
      SpanData invocation =
          spans.stream().filter(span -> result.requestId().equals(span.getAttributes().get(FAAS_INVOCATION_ID))).findFirst().orElseThrow();
      String header = result.traceHeader();
      String root = header.substring(header.indexOf("Root=1-") + 7, header.indexOf("Root=1-") + 7 + 33).replace("-", "");
      assertThat(invocation.getTraceId()).as("Lambda's segment parents it").isEqualTo(root);
      assertThat(invocation.getLinks()).as("the request's traceparent, a link")
          .anySatisfy(link -> assertThat(link.getSpanContext().getTraceId()).isEqualTo(LambdaEvents.TRACEPARENT_TRACE_ID));
      assertThat(spans).anySatisfy(span -> assertThat(span).hasName("PlaceOrder.validate"));
    }
  }

  @Test
  void scheduledInvocationFollowsASampledLambdaTraceHeaderAndIgnoresAnUnsampledOne() throws Exception {
    try (LocalLambdaRuntime lambda = function(NightlyReport.class.getName() + "::run", "nightly-report").start()) {
      String event = LambdaEvents.json(LambdaEvents.SCHEDULED);
      LocalLambdaRuntime.Result sampled =
          invoke(lambda, LocalLambdaRuntime.invocation(event).withTraceHeader(LambdaEvents.XRAY_HEADER));
      LocalLambdaRuntime.Result unsampled = invoke(lambda, LocalLambdaRuntime.invocation(event));

      assertThat(sampled.error()).as(lambda.output()).isFalse();
      SpanData fromXray = invocationSpan(sampled.requestId());
      assertThat(receiver.order(fromXray)).isLessThan(sampled.extensionsDoneOrder().orElseThrow());
      assertThat(fromXray)
          .hasName("nightly-report")
          .hasKind(SpanKind.SERVER)
          .hasAttribute(stringKey("faas.trigger"), "timer")
          .hasTraceId(LambdaEvents.XRAY_TRACE_ID)
          .hasParentSpanId(LambdaEvents.XRAY_SPAN_ID);

      SpanData root = invocationSpan(unsampled.requestId());
      assertThat(root).as("Sampled=0 header ignored: a new trace").hasNoParent();
    }
  }

  @Test
  void aFunctionRegisteringItsOwnSdkAfterBatonsSetupGetsItAndBatonFollows() throws Exception {
    try (LocalLambdaRuntime lambda = function(AuditOrders.class.getName() + "::audit", "audit-orders").start()) {
      String event = LambdaEvents.json(LambdaEvents.SCHEDULED);
      LocalLambdaRuntime.Result first = invoke(lambda, LocalLambdaRuntime.invocation(event));
      LocalLambdaRuntime.Result second = invoke(lambda, LocalLambdaRuntime.invocation(event));

      assertThat(first.error()).as("the function's own registration worked: " + lambda.output()).isFalse();
      assertThat(first.body()).isEqualTo("\"audited\"");
      assertThat(second.error()).as(lambda.output()).isFalse();
      SpanData cold = invocationSpan(first.requestId());
      assertThat(receiver.order(cold)).as("Baton's SDK, flushed after the response, before the next event").isLessThan(first.extensionsDoneOrder().orElseThrow());
      assertThat(cold).hasResourceSatisfying(resource -> resource.hasAttribute(stringKey("faas.name"), "audit-orders"));
      assertThat(cold.getResource().getAttributes().asMap().keySet()).extracting(AttributeKey::getKey)
          .doesNotContain("telemetry.owner");
      SpanData warm = invocationSpan(second.requestId());
      assertThat(receiver.order(warm)).as("the function's SDK, flushed by Baton").isLessThan(second.extensionsDoneOrder().orElseThrow());
      assertThat(warm).hasResourceSatisfying(resource -> resource.hasAttribute(stringKey("telemetry.owner"), "function"));
      for (SpanData invocation : List.of(cold, warm)) {
        List<SpanData> audits =
            receiver.trace(invocation.getTraceId()).stream()
                .filter(s -> s.getName().equals("audit orders") && s.getParentSpanId().equals(invocation.getSpanId()))
                .toList();
        assertThat(audits).as("the function's own span in %s", invocation.getAttributes().get(FAAS_INVOCATION_ID)).hasSize(1);
        assertThat(audits.get(0)).hasResourceSatisfying(resource -> resource.hasAttribute(stringKey("telemetry.owner"), "function"));
        assertThat(receiver.order(audits.get(0))).isLessThan(second.extensionsDoneOrder().orElseThrow());
      }
    }
  }

  @Test
  void aStalledExporterDoesNotChangeTheResultAndCostsAtMostTheFlushTimeout() throws Exception {
    try (OtlpReceiver stalled = OtlpReceiver.stalled();
        LocalLambdaRuntime lambda =
            function(PlaceOrder.class.getName(), "place-order-stalled")
                .jvmArgument("-Dotel.exporter.otlp.endpoint=" + stalled.endpoint())
                .environment("BATON_FLUSH_TIMEOUT_MS", "300")
                .start()) {
      String event = LambdaEvents.json(LambdaEvents.HTTP_API);
      invoke(lambda, LocalLambdaRuntime.invocation(event)); // cold JVM: not measured
      long started = System.nanoTime();
      LocalLambdaRuntime.Result result = lambda.invoke(LocalLambdaRuntime.invocation(event));
      long millis = (System.nanoTime() - started) / 1_000_000;
      lambda.awaitExtensionsDone(result, Duration.ofSeconds(30));
      System.out.printf("[figures] warm invocation with a stalled OTLP endpoint and BATON_FLUSH_TIMEOUT_MS=300: the caller"
          + " waited %d ms; the environment was held %d ms past the response%n",
          millis, result.extensionsDoneAfterResponse().orElseThrow().toMillis());

      assertThat(result.error()).as(lambda.output()).isFalse();
      assertThat(result.body()).contains("\"statusCode\":201");
      assertThat(stalled.requestCount()).as("the exporter did try").isPositive();
      assertThat(lambda.output()).contains("Baton: tracing failed while flushing telemetry");
    }
  }

  @Test
  void anExceptionInsideTheExportAfterTheResponseLeavesBatonsExtensionRunning() throws Exception {
    try (LocalLambdaRuntime lambda = function(FlakyExport.class.getName(), "flaky-export").start()) {
      LocalLambdaRuntime.Result broken = invoke(lambda, LocalLambdaRuntime.invocation("{\"break\":\"true\"}"));
      LocalLambdaRuntime.Result next = invoke(lambda, LocalLambdaRuntime.invocation("{}"));

      assertThat(broken.error()).as(lambda.output()).isFalse();
      assertThat(next.error()).isFalse();
      assertThat(lambda.resetCount()).as("the extension asked for its next event after the exception").isZero();
      assertThat(lambda.output()).contains("Baton: tracing failed while flushing telemetry")
          .contains("the exporter broke");
      SpanData first = invocationSpan(broken.requestId());
      SpanData second = invocationSpan(next.requestId());
      assertThat(receiver.order(second)).as("the next invocation exported by the extension")
          .isLessThan(next.extensionsDoneOrder().orElseThrow());
      assertThat(receiver.order(first)).as("the broken flush's spans went out with the next one")
          .isGreaterThan(broken.extensionsDoneOrder().orElseThrow())
          .isLessThan(next.extensionsDoneOrder().orElseThrow());
    }
  }

  @Test
  void malformedContextGivesANewRootAndTheSameResults() throws Exception {
    try (LocalLambdaRuntime http = function(PlaceOrder.class.getName(), "place-order-malformed").start();
        LocalLambdaRuntime sqs = function(ProcessOrders.class.getName(), "process-order-malformed").start()) {
      String event =
          LambdaEvents.json(LambdaEvents.HTTP_API).replace(LambdaEvents.TRACEPARENT, "00-not-a-trace-zz-01");
      LocalLambdaRuntime.Result created = invoke(http, LocalLambdaRuntime.invocation(event));
      LocalLambdaRuntime.Result batch =
          invoke(sqs, LocalLambdaRuntime.invocation(LambdaEvents.json(LambdaEvents.SQS_MALFORMED)));

      assertThat(created.error()).as(http.output()).isFalse();
      assertThat(created.body()).contains("\"statusCode\":201");
      SpanData root = invocationSpan(created.requestId());
      assertThat(receiver.order(root)).isLessThan(created.extensionsDoneOrder().orElseThrow());
      assertThat(root).as("nothing usable came in: a new root").hasNoParent();
      assertThat(root.getTraceId()).isNotEqualTo(LambdaEvents.TRACEPARENT_TRACE_ID).hasSize(32);

      assertThat(batch.error()).as(sqs.output()).isFalse();
      SpanData batchSpan = invocationSpan(batch.requestId());
      assertThat(receiver.order(batchSpan)).isLessThan(batch.extensionsDoneOrder().orElseThrow());
      assertThat(batchSpan.getTraceId()).hasSize(32);
    }
  }

  @Test
  void anUnreachableExporterDoesNotChangeTheResult() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (LocalLambdaRuntime lambda =
        function(PlaceOrder.class.getName(), "place-order-no-collector")
            .jvmArgument("-Dotel.exporter.otlp.endpoint=http://127.0.0.1:" + closedPort)
            .environment("BATON_FLUSH_TIMEOUT_MS", "300")
            .start()) {
      String event = LambdaEvents.json(LambdaEvents.HTTP_API);
      LocalLambdaRuntime.Result first = invoke(lambda, LocalLambdaRuntime.invocation(event));
      LocalLambdaRuntime.Result failed =
          invoke(lambda, LocalLambdaRuntime.invocation(event.replace("book", "boom")));

      assertThat(first.error()).as(lambda.output()).isFalse();
      assertThat(first.body()).contains("\"statusCode\":201");
      assertThat(failed.error()).isTrue();
      assertThat(failed.body()).contains("order rejected: boom").contains("java.lang.IllegalStateException");
    }
  }
}
