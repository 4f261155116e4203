package it.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.LambdaEvents;
import dev.baton.testing.LocalLambdaRuntime;
import dev.baton.testing.OtlpReceiver;
import dev.baton.testing.ReceivedSpan;
import dev.baton.testing.XrayDaemon;
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

  private static ReceivedSpan invocationSpan(String requestId) {
    List<ReceivedSpan> found =
        receiver.spans().stream().filter(s -> requestId.equals(s.attribute("faas.invocation_id"))).toList();
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
      ReceivedSpan cold = invocationSpan(first.requestId());
      assertThat(cold.order()).as("exported after the response, before the extension asked for its next event").isLessThan(first.extensionsDoneOrder().orElseThrow());
      assertThat(cold.name()).isEqualTo("POST /orders");
      assertThat(cold.kind()).isEqualTo("SERVER");
      assertThat(cold.traceId()).isEqualTo(LambdaEvents.TRACEPARENT_TRACE_ID);
      assertThat(cold.parentSpanId()).isEqualTo(LambdaEvents.TRACEPARENT_SPAN_ID);
      assertThat(cold.attributes())
          .containsEntry("faas.trigger", "http")
          .containsEntry("faas.coldstart", "true")
          .containsEntry("http.request.method", "POST")
          .containsEntry("http.route", "/orders")
          .containsEntry("http.response.status_code", "201")
          .containsEntry("cloud.provider", "aws")
          .containsEntry("cloud.region", "us-east-2")
          .containsEntry("cloud.account.id", "123456789012")
          .containsEntry("cloud.resource_id", "arn:aws:lambda:us-east-2:123456789012:function:place-order");
      assertThat(cold.resource())
          .containsEntry("service.name", "place-order")
          .containsEntry("faas.name", "place-order")
          .containsEntry("faas.version", "$LATEST")
          .containsEntry("cloud.provider", "aws");

      List<ReceivedSpan> validations =
          receiver.trace(cold.traceId()).stream()
              .filter(s -> s.name().equals("PlaceOrder.validate") && s.isChildOf(cold))
              .toList();
      assertThat(validations).as("the @Traced method inside the handler").hasSize(1);
      assertThat(validations.get(0).isChildOf(cold)).isTrue();
      assertThat(validations.get(0).attributes()).containsKey("order.body.length");

      ReceivedSpan warm = invocationSpan(second.requestId());
      assertThat(warm.order()).isLessThan(second.extensionsDoneOrder().orElseThrow());
      assertThat(warm.attribute("faas.coldstart")).isEqualTo("false");

      assertThat(failed.error()).isTrue();
      assertThat(failed.body()).contains("order rejected: boom").contains("java.lang.IllegalStateException");
      ReceivedSpan error = invocationSpan(failed.requestId());
      assertThat(error.order()).isLessThan(failed.extensionsDoneOrder().orElseThrow());
      assertThat(error.statusCode()).isEqualTo("ERROR");
      assertThat(error.attribute("error.type")).isEqualTo("java.lang.IllegalStateException");
      assertThat(error.eventNames()).contains("exception");
    }
  }

  @Test
  void sqsBatchLinksEveryContextAndEachMessageContinuesItsTrace() throws Exception {
    try (LocalLambdaRuntime lambda = function(ProcessOrders.class.getName(), "process-order").start()) {
      String event = LambdaEvents.json(LambdaEvents.SQS_MULTI_SOURCE).replace("plain text, no context", "please fail");
      LocalLambdaRuntime.Result result = invoke(lambda, LocalLambdaRuntime.invocation(event));

      assertThat(result.error()).as(lambda.output()).isFalse();
      assertThat(result.body()).contains("m3");
      ReceivedSpan batch = invocationSpan(result.requestId());
      assertThat(batch.order()).isLessThan(result.extensionsDoneOrder().orElseThrow());
      assertThat(batch.name()).isEqualTo("process multiple_sources");
      assertThat(batch.kind()).isEqualTo("CONSUMER");
      assertThat(batch.parentSpanId()).as("several contexts: no parent").isEmpty();
      assertThat(batch.links())
          .containsExactlyInAnyOrder(
              new ReceivedSpan.Link(LambdaEvents.TRACEPARENT_TRACE_ID, LambdaEvents.TRACEPARENT_SPAN_ID),
              new ReceivedSpan.Link(LambdaEvents.XRAY_TRACE_ID, LambdaEvents.XRAY_SPAN_ID));
      assertThat(batch.attributes())
          .containsEntry("faas.trigger", "pubsub")
          .containsEntry("messaging.system", "aws_sqs")
          .containsEntry("messaging.batch.message_count", "3")
          .containsEntry("baton.batch_item_failures", "1");
      assertThat(batch.statusCode()).as("an item failure fails the invocation").isEqualTo("ERROR");
      assertThat(batch.eventNames()).containsExactly("batch item failure");

      ReceivedSpan m1 = messageSpan("m1");
      assertThat(m1.traceId()).isEqualTo(LambdaEvents.TRACEPARENT_TRACE_ID);
      assertThat(m1.parentSpanId()).isEqualTo(LambdaEvents.TRACEPARENT_SPAN_ID);
      assertThat(m1.links()).containsExactly(new ReceivedSpan.Link(batch.traceId(), batch.spanId()));
      ReceivedSpan m2 = messageSpan("m2");
      assertThat(m2.traceId()).isEqualTo(LambdaEvents.XRAY_TRACE_ID);
      assertThat(m2.name()).isEqualTo("process returns");
      ReceivedSpan m3 = messageSpan("m3");
      assertThat(m3.isChildOf(batch)).as("no context of its own: child of the invocation").isTrue();
      assertThat(m3.order()).isLessThan(result.extensionsDoneOrder().orElseThrow());
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
      List<ReceivedSpan> trace = receiver.trace(rejected);
      assertThat(trace).extracting(ReceivedSpan::name).containsExactlyInAnyOrder("POST /orders", "PlaceOrder.validate");
      ReceivedSpan invocation = invocationSpan(failed.requestId());
      assertThat(invocation.statusCode()).isEqualTo("ERROR");
      assertThat(invocation.parentSpanId()).isEqualTo(LambdaEvents.TRACEPARENT_SPAN_ID);
      assertThat(trace).allSatisfy(span -> assertThat(span.order()).isLessThan(failed.extensionsDoneOrder().orElseThrow()));
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
      List<ReceivedSpan> trace = receiver.trace(batchFailed);
      ReceivedSpan batch = invocationSpan(partial.requestId());
      assertThat(batch.statusCode()).isEqualTo("ERROR");
      assertThat(trace).as("the invocation, and per message its process span (the @Traced method)")
          .hasSize(1 + 2)
          .allSatisfy(span -> assertThat(span.order()).isLessThan(partial.extensionsDoneOrder().orElseThrow()));
    }
  }

  private static ReceivedSpan messageSpan(String messageId) {
    List<ReceivedSpan> found =
        receiver.spans().stream()
            .filter(s -> messageId.equals(s.attribute("messaging.message.id")) && s.attribute("faas.invocation_id") == null)
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
      ReceivedSpan span = invocationSpan(result.requestId());
      assertThat(span.order()).isLessThan(result.extensionsDoneOrder().orElseThrow());
      assertThat(span.name()).isEqualTo("process order-placed");
      assertThat(span.traceId()).isEqualTo(LambdaEvents.TRACEPARENT_2_TRACE_ID);
      assertThat(span.parentSpanId()).isEqualTo(LambdaEvents.TRACEPARENT_2_SPAN_ID);
      assertThat(span.attributes()).containsEntry("messaging.system", "aws.sns").containsEntry("faas.coldstart", "true");
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
      List<ReceivedSpan> spans = daemon.awaitSpans(2, java.time.Duration.ofSeconds(30));
      ReceivedSpan invocation =
          spans.stream().filter(span -> result.requestId().equals(span.attribute("faas.invocation_id"))).findFirst().orElseThrow();
      String header = result.traceHeader();
      String root = header.substring(header.indexOf("Root=1-") + 7, header.indexOf("Root=1-") + 7 + 33).replace("-", "");
      assertThat(invocation.traceId()).as("Lambda's segment parents it").isEqualTo(root);
      assertThat(invocation.links()).as("the request's traceparent, a link")
          .anySatisfy(link -> assertThat(link.traceId()).isEqualTo(LambdaEvents.TRACEPARENT_TRACE_ID));
      assertThat(spans).anySatisfy(span -> assertThat(span.name()).isEqualTo("PlaceOrder.validate"));
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
      ReceivedSpan fromXray = invocationSpan(sampled.requestId());
      assertThat(fromXray.order()).isLessThan(sampled.extensionsDoneOrder().orElseThrow());
      assertThat(fromXray.name()).isEqualTo("nightly-report");
      assertThat(fromXray.kind()).isEqualTo("SERVER");
      assertThat(fromXray.attribute("faas.trigger")).isEqualTo("timer");
      assertThat(fromXray.traceId()).isEqualTo(LambdaEvents.XRAY_TRACE_ID);
      assertThat(fromXray.parentSpanId()).isEqualTo(LambdaEvents.XRAY_SPAN_ID);

      ReceivedSpan root = invocationSpan(unsampled.requestId());
      assertThat(root.parentSpanId()).as("Sampled=0 header ignored: a new trace").isEmpty();
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
      ReceivedSpan cold = invocationSpan(first.requestId());
      assertThat(cold.order()).as("Baton's SDK, flushed after the response, before the next event").isLessThan(first.extensionsDoneOrder().orElseThrow());
      assertThat(cold.resource()).containsEntry("faas.name", "audit-orders").doesNotContainKey("telemetry.owner");
      ReceivedSpan warm = invocationSpan(second.requestId());
      assertThat(warm.order()).as("the function's SDK, flushed by Baton").isLessThan(second.extensionsDoneOrder().orElseThrow());
      assertThat(warm.resource()).containsEntry("telemetry.owner", "function");
      for (ReceivedSpan invocation : List.of(cold, warm)) {
        List<ReceivedSpan> audits =
            receiver.trace(invocation.traceId()).stream()
                .filter(s -> s.name().equals("audit orders") && s.isChildOf(invocation))
                .toList();
        assertThat(audits).as("the function's own span in %s", invocation.attribute("faas.invocation_id")).hasSize(1);
        assertThat(audits.get(0).resource()).containsEntry("telemetry.owner", "function");
        assertThat(audits.get(0).order()).isLessThan(second.extensionsDoneOrder().orElseThrow());
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
      ReceivedSpan first = invocationSpan(broken.requestId());
      ReceivedSpan second = invocationSpan(next.requestId());
      assertThat(second.order()).as("the next invocation exported by the extension")
          .isLessThan(next.extensionsDoneOrder().orElseThrow());
      assertThat(first.order()).as("the broken flush's spans went out with the next one")
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
      ReceivedSpan root = invocationSpan(created.requestId());
      assertThat(root.order()).isLessThan(created.extensionsDoneOrder().orElseThrow());
      assertThat(root.parentSpanId()).as("nothing usable came in: a new root").isEmpty();
      assertThat(root.traceId()).isNotEqualTo(LambdaEvents.TRACEPARENT_TRACE_ID).hasSize(32);

      assertThat(batch.error()).as(sqs.output()).isFalse();
      ReceivedSpan batchSpan = invocationSpan(batch.requestId());
      assertThat(batchSpan.order()).isLessThan(batch.extensionsDoneOrder().orElseThrow());
      assertThat(batchSpan.traceId()).hasSize(32);
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
