package dev.baton.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The part of Lambda's Extensions API a function JVM of the harness needs, beside the harness's
 * Runtime API ({@link ColdStart}, {@link WarmLatency}): an internal extension registers (always
 * accepted: the harness's Runtime API hands out one event at a time and registration is not closed,
 * which only matters to a function that registers late), asks for its next event, gets an {@code
 * INVOKE} event when the runtime gets each invocation, and asks again when done with it. {@link
 * #awaitDone} waits for that, as Lambda waits before it freezes the environment, so that what an
 * extension does after the response (Baton's export) is over before the harness goes on. The
 * fixtures' {@code LocalLambdaRuntime} implements the whole API; the harness keeps its own lean
 * Runtime API so as not to change what the cold starts time.
 */
final class HarnessExtensions {

  static final String BASE = "/2020-01-01/extension/";

  /**
   * Per registered extension: the events waiting for it, and whether it is busy with one (given an
   * event it has not yet come back from by asking for the next).
   */
  private static final class Extension {
    final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    boolean busy;
  }

  private final Map<String, Extension> extensions = new ConcurrentHashMap<>();
  private final Object changed = new Object();

  /** Serves the Extensions API on {@code server}. */
  void serveOn(HttpServer server) {
    server.createContext(BASE, this::handle);
  }

  /** The runtime was handed invocation {@code requestId}: every extension gets its INVOKE event. */
  void invoked(String requestId, long deadlineMs, String traceHeader) {
    String event = "{\"eventType\":\"INVOKE\",\"deadlineMs\":" + deadlineMs + ",\"requestId\":\"" + requestId
        + "\",\"invokedFunctionArn\":\"arn:aws:lambda:eu-west-1:123456789012:function:place-order\","
        + "\"tracing\":{\"type\":\"X-Amzn-Trace-Id\",\"value\":\"" + traceHeader + "\"}}";
    synchronized (changed) {
      for (Extension extension : extensions.values()) {
        extension.busy = true;
        extension.events.add(event);
      }
    }
  }

  /**
   * Waits until every registered extension has asked for its next event after its last one (at
   * most {@code timeout}); true when they all have (or none registered).
   */
  boolean awaitDone(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (changed) {
      while (!allWaiting()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        changed.wait(Math.max(1, left / 1_000_000));
      }
    }
    return true;
  }

  private boolean allWaiting() {
    for (Extension extension : extensions.values()) {
      if (extension.busy) {
        return false;
      }
    }
    return true;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath().substring(BASE.length());
      exchange.getRequestBody().readAllBytes();
      if (path.equals("register") && exchange.getRequestMethod().equals("POST")) {
        String id = UUID.randomUUID().toString();
        extensions.put(id, new Extension());
        exchange.getResponseHeaders().add("Lambda-Extension-Identifier", id);
        ColdStart.respond(exchange, 200,
            "{\"functionName\":\"place-order\",\"functionVersion\":\"$LATEST\",\"handler\":\"" + Variant.HANDLER + "\"}");
        return;
      }
      Extension extension = extensions.get(exchange.getRequestHeaders().getFirst("Lambda-Extension-Identifier"));
      if (extension == null) {
        ColdStart.respond(exchange, 403, "{\"errorMessage\":\"unknown extension\",\"errorType\":\"Extension.Unknown\"}");
        return;
      }
      if (path.equals("event/next") && exchange.getRequestMethod().equals("GET")) {
        synchronized (changed) {
          extension.busy = !extension.events.isEmpty();
          changed.notifyAll();
        }
        String event;
        try {
          event = extension.events.take();
        } catch (InterruptedException closing) {
          Thread.currentThread().interrupt();
          return;
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        ColdStart.respond(exchange, 200, event);
        return;
      }
      ColdStart.respond(exchange, 404, "{\"errorMessage\":\"not served by the harness\"}");
    }
  }
}
