package dev.baton.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A local HTTP server (127.0.0.1, a free port) that records every request it receives, with its
 * headers exactly as they arrived, and answers by path: {@code /status/<code>} with that status,
 * {@code /slow} after {@link #slowAnswer} (or when the server closes), anything else with 200 and
 * a short text body; an AWS JSON-protocol request ({@code X-Amz-Target}) with 200 and {@code {}},
 * enough for an AWS SDK client to accept as the answer of a call whose response fields are all
 * optional (a stand-in where no local server of that service exists: the test sees exactly what
 * the SDK sent). What an HTTP client's tracing is checked against: the headers and body a peer
 * really received.
 */
public final class RecordingHttpServer implements AutoCloseable {

  /** How long {@code /slow} waits before answering. */
  public static final Duration slowAnswer = Duration.ofSeconds(5);

  private final HttpServer server;
  private final ExecutorService executor = LoopbackHttpServer.executor("recording-http-server");
  private final List<ReceivedRequest> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);

  private RecordingHttpServer() throws IOException {
    server = LoopbackHttpServer.create(executor);
    server.createContext("/", this::answer);
    server.start();
  }

  /** Starts a server. */
  public static RecordingHttpServer start() {
    try {
      return new RecordingHttpServer();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /** {@code baseUrl() + path}, as a URI. */
  public URI uri(String path) {
    return URI.create(baseUrl() + path);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The requests received so far, in order. */
  public List<ReceivedRequest> requests() {
    return new ArrayList<>(requests);
  }

  /** The one request received so far; fails if there were none or more. */
  public ReceivedRequest onlyRequest() {
    List<ReceivedRequest> received = requests();
    if (received.size() != 1) {
      throw new AssertionError("expected one request, received " + received);
    }
    return received.get(0);
  }

  public void reset() {
    requests.clear();
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, List<String>> headers = new TreeMap<>();
      exchange
          .getRequestHeaders()
          .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
      String received;
      try (InputStream body = exchange.getRequestBody()) {
        received = new String(body.readAllBytes(), StandardCharsets.UTF_8);
      }
      String path = exchange.getRequestURI().getPath();
      requests.add(
          new ReceivedRequest(
              exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, received));
      int status = 200;
      if (path.startsWith("/status/")) {
        status = Integer.parseInt(path.substring("/status/".length()));
      } else if (path.equals("/slow")) {
        try {
          closing.await(slowAnswer.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      boolean awsJson = exchange.getRequestHeaders().containsKey("X-Amz-Target");
      byte[] body = (awsJson ? "{}" : "answered " + path).getBytes(StandardCharsets.UTF_8);
      exchange
          .getResponseHeaders()
          .set("Content-Type", awsJson ? "application/x-amz-json-1.1" : "text/plain");
      if (exchange.getRequestMethod().equals("HEAD")) {
        exchange.sendResponseHeaders(status, -1);
      } else {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (IOException e) {
      // The client went away (a timeout): nothing to answer.
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  /**
   * One request as received.
   *
   * @param headers by lower-cased name
   */
  public record ReceivedRequest(
      String method, String uri, Map<String, List<String>> headers, String body) {

    /** The first value of header {@code name} (any case), or null. */
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }
}
