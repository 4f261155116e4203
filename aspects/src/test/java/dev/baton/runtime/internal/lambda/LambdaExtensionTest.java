package dev.baton.runtime.internal.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.baton.runtime.internal.TelemetryFlush;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Baton's internal Lambda extension without Lambda: the hand-off from an invocation's end to the
 * extension's thread, its loop (which must never end), and the Extensions API client against a
 * local HTTP server that answers as Lambda's API does. The real ordering against Lambda's
 * lifecycle is tested through the real runtime client in the {@code lambda-platform} IT.
 */
class LambdaExtensionTest {

  /** A flush that records what it was asked to export, and throws what it is told to. */
  private static final class RecordingFlush implements TelemetryFlush {
    final List<Invocation> flushed = new CopyOnWriteArrayList<>();
    final List<Long> timeouts = new CopyOnWriteArrayList<>();
    final BlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();

    @Override
    public void flush(Invocation invocation, long timeoutMillis) throws Exception {
      flushed.add(invocation);
      timeouts.add(timeoutMillis);
      Throwable failure = failures.poll();
      if (failure instanceof Exception exception) {
        throw exception;
      }
      if (failure instanceof Error error) {
        throw error;
      }
    }
  }

  /** Events handed over by the test; a Throwable in the queue is thrown by {@code next}. */
  private static final class QueuedEvents implements LambdaExtension.Events {
    final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();

    @Override
    public String next() throws IOException {
      Object next;
      try {
        next = queue.take();
      } catch (InterruptedException interrupted) {
        throw new IOException(interrupted);
      }
      if (next instanceof IOException failure) {
        throw failure;
      }
      if (next instanceof RuntimeException failure) {
        throw failure;
      }
      if (next instanceof Error failure) {
        throw failure;
      }
      return (String) next;
    }
  }

  private static String invoke(String requestId, long deadlineMs) {
    return "{\"eventType\":\"INVOKE\",\"deadlineMs\":" + deadlineMs + ",\"requestId\":\"" + requestId
        + "\",\"invokedFunctionArn\":\"arn:aws:lambda:eu-west-1:123456789012:function:f\","
        + "\"tracing\":{\"type\":\"X-Amzn-Trace-Id\",\"value\":\"Root=1-5759e988-bd862e3fe1be46a994272793\"}}";
  }

  private static long inAMinute() {
    return System.currentTimeMillis() + 60_000;
  }

  private final TelemetryFlush.Invocation first = new TelemetryFlush.Invocation() {};
  private final TelemetryFlush.Invocation second = new TelemetryFlush.Invocation() {};

  @AfterEach
  void forgetTheExtension() {
    LambdaExtension.stopUsing();
  }

  @Test
  void withoutARegisteredExtensionTheInvocationExportsItself() {
    assertThat(LambdaExtension.isActive()).isFalse();
    assertThat(LambdaExtension.handOff("r-1", new RecordingFlush(), first, 1_000)).isFalse();
  }

  @Test
  void outsideLambdaRegistrationDoesNothingAndNeverThrows() {
    // AWS_LAMBDA_RUNTIME_API is not set where the tests run.
    LambdaExtension.registerDuringInit(null);
    LambdaExtension.registerDuringInit(null);
    assertThat(LambdaExtension.isActive()).isFalse();
  }

  @Test
  void anInvocationWithoutARequestIdExportsItself() {
    LambdaExtension.start(new LambdaExtension(new QueuedEvents()));
    assertThat(LambdaExtension.handOff(null, new RecordingFlush(), first, 1_000)).isFalse();
  }

  @Test
  void theExtensionExportsWhatItsInvocationHandedOverWhicheverCameFirst() {
    RecordingFlush flush = new RecordingFlush();
    LambdaExtension extension = new LambdaExtension(new QueuedEvents());
    LambdaExtension.start(extension);

    // The invocation ended before the extension saw its event.
    LambdaExtension.started("r-1");
    assertThat(LambdaExtension.handOff("r-1", flush, first, 1_000)).isTrue();
    extension.serve(invoke("r-1", inAMinute()));
    assertThat(flush.flushed).containsExactly(first);
    assertThat(flush.timeouts.get(0)).isBetween(1L, 1_000L);

    // The extension waits for the invocation's end.
    Thread handler = new Thread(() -> {
      sleep(50);
      LambdaExtension.started("r-2");
      sleep(50);
      LambdaExtension.handOff("r-2", flush, second, 2_000);
    });
    handler.start();
    extension.serve(invoke("r-2", inAMinute()));
    assertThat(flush.flushed).containsExactly(first, second);
    assertThat(flush.timeouts.get(1)).as("BATON_FLUSH_TIMEOUT_MS from the handler's end").isBetween(1L, 2_000L);
  }

  @Test
  void anInvocationThatStartsOrEndsAfterTheExtensionStoppedWaitingExportsItsOwnSpans() {
    RecordingFlush flush = new RecordingFlush();
    LambdaExtension extension = new LambdaExtension(new QueuedEvents());
    LambdaExtension.start(extension);

    // The deadline is past already: the extension goes on at once.
    extension.serve(invoke("r-1", System.currentTimeMillis() - 1));
    LambdaExtension.started("r-1");
    assertThat(LambdaExtension.handOff("r-1", flush, first, 60_000)).as("started too late").isFalse();

    // Started in time, ended after the extension stopped waiting, 100 ms before the deadline.
    Thread handler = new Thread(() -> LambdaExtension.started("r-2"));
    handler.start();
    extension.serve(invoke("r-2", System.currentTimeMillis() + 300));
    assertThat(LambdaExtension.handOff("r-2", flush, second, 60_000)).as("ended too late").isFalse();
    assertThat(flush.flushed).isEmpty();
  }

  @Test
  void anInvocationThatNeverStartsHoldsTheExtensionAtMostTheFlushTimeout() {
    RecordingFlush flush = new RecordingFlush();
    LambdaExtension extension = new LambdaExtension(new QueuedEvents());
    LambdaExtension.start(extension);
    System.setProperty(FlushTimeout.PROPERTY, "200");
    try {
      // The runtime could not read the event, say: no @TracedHandler method runs.
      long started = System.nanoTime();
      extension.serve(invoke("r-1", inAMinute()));
      long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

      assertThat(waitedMillis).as("not until the deadline, a minute away").isBetween(150L, 10_000L);
      assertThat(LambdaExtension.handOff("r-1", flush, first, 1_000)).isFalse();
    } finally {
      System.clearProperty(FlushTimeout.PROPERTY);
    }
  }

  @Test
  void theExtensionWaitsForEveryInvocationStartedUnderItsRequest() {
    RecordingFlush flush = new RecordingFlush();
    LambdaExtension extension = new LambdaExtension(new QueuedEvents());
    LambdaExtension.start(extension);

    // A @TracedHandler method calling another with the same Lambda context.
    LambdaExtension.started("r-1");
    LambdaExtension.started("r-1");
    assertThat(LambdaExtension.handOff("r-1", flush, second, 2_000)).isTrue();
    Thread outer = new Thread(() -> {
      sleep(100);
      LambdaExtension.handOff("r-1", flush, first, 2_000);
    });
    outer.start();
    extension.serve(invoke("r-1", inAMinute()));

    assertThat(flush.flushed).containsExactly(second, first);
  }

  @Test
  void whatInvocationsDuringInitHandedOverGoesOutWithTheFirstEvent() {
    RecordingFlush flush = new RecordingFlush();
    LambdaExtension extension = new LambdaExtension(new QueuedEvents());
    LambdaExtension.start(extension);

    // A warm-up during init: the handler called with a context of the function's own.
    LambdaExtension.started("warm-up");
    assertThat(LambdaExtension.handOff("warm-up", flush, first, 1)).isTrue();
    sleep(5); // its own deadline is past; it gets the flush timeout from the first event on
    LambdaExtension.started("r-1");
    LambdaExtension.handOff("r-1", flush, second, 2_000);
    extension.serve(invoke("r-1", inAMinute()));

    assertThat(flush.flushed).containsExactly(second, first);
    assertThat(flush.timeouts.get(1)).isGreaterThan(1L);
  }

  @Test
  void whenTheExtensionTakesNothingInvocationsExportTheirOwnSpansAfterAFew() {
    LambdaExtension.start(new LambdaExtension(new QueuedEvents()));
    RecordingFlush flush = new RecordingFlush();
    for (int i = 0; i < LambdaExtension.MAX_WAITING; i++) {
      LambdaExtension.started("r-" + i);
      assertThat(LambdaExtension.handOff("r-" + i, flush, first, 1_000)).isTrue();
    }
    LambdaExtension.started("r-late");
    assertThat(LambdaExtension.handOff("r-late", flush, first, 1_000)).isFalse();
  }

  @Test
  void anEventWithoutARequestIdExportsNothingAndAHandOffPastItsDeadlineIsNotExported() {
    RecordingFlush flush = new RecordingFlush();
    LambdaExtension extension = new LambdaExtension(new QueuedEvents());
    LambdaExtension.start(extension);

    extension.serve("{\"eventType\":\"SHUTDOWN\"}");
    extension.serve("not json");
    assertThat(flush.flushed).isEmpty();

    LambdaExtension.started("r-1");
    LambdaExtension.handOff("r-1", flush, first, 0);
    extension.serve(invoke("r-1", inAMinute()));
    assertThat(flush.flushed).as("a flush timeout of 0 exports nothing").isEmpty();
    assertThat(extension.exported()).isEqualTo(1);
  }

  @Test
  void theLoopSurvivesEveryFailureAndExportsTheNextInvocation() throws Exception {
    RecordingFlush flush = new RecordingFlush();
    QueuedEvents events = new QueuedEvents();
    LambdaExtension extension = new LambdaExtension(events);
    LambdaExtension.start(extension);

    events.queue.add(new IOException("connection refused"));
    events.queue.add(new IllegalStateException("a broken answer"));
    events.queue.add(new OutOfMemoryError("asking for the next event"));
    flush.failures.add(new IllegalStateException("the exporter threw"));
    flush.failures.add(new StackOverflowError());
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (int i = 1; i <= 3; i++) {
      // One invocation at a time, as Lambda hands them over.
      LambdaExtension.started("r-" + i);
      events.queue.add(invoke("r-" + i, inAMinute()));
      LambdaExtension.handOff("r-" + i, flush, i == 3 ? second : first, 10_000);
      while (extension.exported() < i && System.nanoTime() < until) {
        sleep(5);
      }
    }

    assertThat(extension.exported()).isEqualTo(3);
    assertThat(flush.flushed).containsExactly(first, first, second);
    assertThat(events.queue).isEmpty();
  }

  @Test
  void theClientRegistersForInvokeAndReadsTheNextEventAsLambdaAnswersIt() throws Exception {
    List<String> requests = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/2020-01-01/extension/", exchange -> {
      try (exchange) {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
            + exchange.getRequestHeaders().getFirst("Lambda-Extension-Name") + " "
            + exchange.getRequestHeaders().getFirst("Lambda-Extension-Identifier") + " " + body);
        byte[] answer;
        if (exchange.getRequestURI().getPath().endsWith("register")) {
          answer = "{\"functionName\":\"f\",\"functionVersion\":\"$LATEST\",\"handler\":\"h\"}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Lambda-Extension-Identifier", "6a1ee46d-1f5b-4b42-9a4c-3bc3c5d4f1d0");
          exchange.sendResponseHeaders(200, answer.length);
        } else {
          answer = invoke("r-1", 1_700_000_000_000L).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, 0); // chunked
        }
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    });
    server.start();
    try {
      ExtensionsApiClient client = ExtensionsApiClient.of("127.0.0.1:" + server.getAddress().getPort());
      String identifier = client.register("baton", 2_000);
      String event = client.next(identifier);

      assertThat(identifier).isEqualTo("6a1ee46d-1f5b-4b42-9a4c-3bc3c5d4f1d0");
      assertThat(ExtensionsApiClient.requestId(event)).isEqualTo("r-1");
      assertThat(ExtensionsApiClient.deadlineMs(event)).isEqualTo(1_700_000_000_000L);
      assertThat(ExtensionsApiClient.eventType(event)).isEqualTo("INVOKE");
      assertThat(requests).containsExactly(
          "POST /2020-01-01/extension/register baton null {\"events\":[\"INVOKE\"]}",
          "GET /2020-01-01/extension/event/next null 6a1ee46d-1f5b-4b42-9a4c-3bc3c5d4f1d0 ");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aRefusedRegistrationSaysWhy() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        byte[] answer = "{\"errorMessage\":\"Extension registration closed already\",\"errorType\":\"Extension.RegistrationClosed\"}"
            .getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(403, answer.length);
        exchange.getResponseBody().write(answer);
      }
    });
    server.start();
    try {
      ExtensionsApiClient client = ExtensionsApiClient.of("127.0.0.1:" + server.getAddress().getPort());
      assertThatThrownBy(() -> client.register("baton", 2_000))
          .isInstanceOf(ExtensionsApiClient.Refused.class)
          .hasMessageContaining("403")
          .hasMessageContaining("Extension.RegistrationClosed");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void runtimeApiAddressesAndEventFields() {
    assertThat(ExtensionsApiClient.of("127.0.0.1:9001")).isNotNull();
    assertThat(ExtensionsApiClient.of("[::1]:9001")).isNotNull();
    assertThat(ExtensionsApiClient.of("localhost")).isNull();
    assertThat(ExtensionsApiClient.of("host:port")).isNull();
    assertThat(ExtensionsApiClient.of(":9001")).isNull();
    assertThat(ExtensionsApiClient.of(null)).isNull();

    assertThat(ExtensionsApiClient.requestId("{ \"requestId\" : \"a\\\"b\\u0041\" }")).isEqualTo("a\"bA");
    assertThat(ExtensionsApiClient.requestId("{\"requestId\":null}")).isNull();
    assertThat(ExtensionsApiClient.deadlineMs("{\"deadlineMs\":\"soon\"}")).isZero();
    assertThat(ExtensionsApiClient.deadlineMs("{}")).isZero();
  }

  @Test
  void snapStartPrimingNeverThrowsIntoTheCheckpointAndRunsEveryAction() {
    List<String> ran = new CopyOnWriteArrayList<>();
    // Outside Lambda (no AWS_LAMBDA_INITIALIZATION_TYPE) a snapshot may be taken: actions register.
    dev.baton.runtime.internal.Restores.beforeCheckpoint(() -> {
      ran.add("first");
      throw new StackOverflowError("priming failed");
    });
    dev.baton.runtime.internal.Restores.beforeCheckpoint(() -> ran.add("second"));

    dev.baton.runtime.internal.Restores.checkpointing();

    assertThat(ran).containsExactly("first", "second");
  }

  @Test
  void aPrimingInvocationIsHandedToTheExtensionAndExportsNothing() throws Exception {
    RecordingFlush flush = new RecordingFlush();
    LambdaExtension extension = new LambdaExtension(new QueuedEvents());
    LambdaExtension.start(extension);
    assertThat(LambdaExtension.primesInvocations()).as("no flush in use here").isFalse();

    LambdaInvocation invocation = LambdaInvocation.startOther(LambdaInvocation.OTHER, LambdaExtension.primingContext());
    LambdaExtension.endPriming(invocation);

    assertThat(extension.exported()).as("through the extension's handling of an event").isEqualTo(1);
    assertThat(flush.flushed).isEmpty();
  }

  @Test
  void primingNeverWaitsOnTheExtensionWhenRequestsAreUnderWayAlready() {
    LambdaExtension extension = new LambdaExtension(new QueuedEvents());
    LambdaExtension.start(extension);
    // A SnapStart warm-up that left invocations under way (started, never ended) during init.
    for (int i = 0; i < LambdaExtension.MAX_WAITING; i++) {
      LambdaExtension.started("warm-up-" + i);
    }

    long started = System.nanoTime();
    LambdaInvocation invocation = LambdaInvocation.startOther(LambdaInvocation.OTHER, LambdaExtension.primingContext());
    LambdaExtension.endPriming(invocation);

    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000L);
    assertThat(extension.exported()).as("the priming invocation exported itself").isZero();
  }

  @Test
  void onManagedInstancesABoundedQueueExportsInTheBackgroundAndAFullOneHandsTheExportBack() {
    RecordingFlush flush = new RecordingFlush();
    BackgroundExport export = new BackgroundExport(2);
    LambdaExtension.exportInBackground(export);

    assertThat(LambdaExtension.handOff("r-1", flush, first, 1_000)).isTrue();
    assertThat(LambdaExtension.handOff(null, flush, second, 1_000)).as("no request id needed").isTrue();
    assertThat(LambdaExtension.handOff("r-3", flush, first, 1_000)).as("full: the invocation exports").isFalse();

    flush.failures.add(new IllegalStateException("the exporter threw"));
    assertThat(export.exportNext(0)).isTrue();
    assertThat(export.exportNext(0)).isTrue();
    assertThat(export.exportNext(0)).isFalse();
    assertThat(flush.flushed).containsExactly(first, second);

    LambdaExtension.handOff("r-4", flush, first, 1_000);
    export.drain(1_000);
    assertThat(flush.flushed).containsExactly(first, second, first);
  }

  @Test
  void batonExportSaysWhenSpansAreExported() {
    assertThat(ExportTiming.afterResponse(null)).isTrue();
    assertThat(ExportTiming.afterResponse(" ")).isTrue();
    assertThat(ExportTiming.afterResponse("after-response")).isTrue();
    assertThat(ExportTiming.afterResponse(" Before-Response ")).isFalse();
    assertThat(ExportTiming.afterResponse("later")).as("unknown: the default, reported once").isTrue();
  }

  @Test
  void spansForXrayGoBeforeTheResponseUnlessBatonExportSaysOtherwise() {
    assertThat(ExportTiming.afterResponse(null, "xray")).as("a UDP send: before").isFalse();
    assertThat(ExportTiming.afterResponse(" ", " XRay ")).isFalse();
    assertThat(ExportTiming.afterResponse("after-response", "xray")).isTrue();
    assertThat(ExportTiming.afterResponse("before-response", "xray")).isFalse();
    assertThat(ExportTiming.afterResponse(null, "otlp")).isTrue();
    assertThat(ExportTiming.afterResponse(null, "xray,otlp")).as("not X-Ray alone").isTrue();
    assertThat(ExportTiming.afterResponse(null, null)).isTrue();
    assertThat(ExportTiming.afterResponse(null, "xray,none")).as("read as the built-in setup does").isFalse();
    assertThat(ExportTiming.afterResponse(null, "xray, xray")).isFalse();
    assertThat(ExportTiming.afterResponse(null, "none")).isTrue();
    assertThat(ExportTiming.afterResponse("later", "xray")).as("unknown: X-Ray's default").isFalse();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
