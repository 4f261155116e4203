package dev.baton.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * A stand-in for an OpenTelemetry Collector in tests: a small OTLP/HTTP receiver (protobuf, on
 * 127.0.0.1, a free port) that decodes {@code /v1/traces} with the {@code opentelemetry-proto}
 * classes and keeps the spans as {@link SpanData} ({@link OtlpSpans}), for {@code
 * OpenTelemetryAssertions}; {@link #order(SpanData)} tells when the request that carried a span
 * arrived, in {@link EventOrder}. No
 * OTLP backend can be installed where Baton is built, and this is all a test needs. Metrics and
 * logs requests are answered and counted, not decoded. Like a collector, it answers with {@code
 * TCP_NODELAY} ({@code sun.net.httpserver.nodelay=true}, set unless set otherwise), so a delayed
 * ACK does not add to an export's time.
 *
 * <p>Collectors that misbehave, for testing that a flush gives up in time: {@link #stalled()}
 * reads every request and never answers until closed; {@link #dripping(Duration)} reads every
 * request (and keeps its spans), then sends its whole answer, status line and headers included,
 * one byte at a time, for far longer than any export timeout; {@link #drippingBody(Duration,
 * Duration)} sends the status line and headers of a 200 at once (after a delay, if asked), then
 * drips or stalls the body, so that the answer's body is what a client waits for; {@link
 * #slow(Duration)} answers every export correctly after a delay.
 */
public final class OtlpReceiver implements AutoCloseable {

  private final HttpServer server;
  private final DrippingServer dripping;
  private final ExecutorService executor = LoopbackHttpServer.executor("otlp-receiver");
  private final List<SpanData> spans = new CopyOnWriteArrayList<>();
  /** When the request that carried each span (this very object) arrived, in EventOrder. */
  private final Map<SpanData, Long> arrived = Collections.synchronizedMap(new IdentityHashMap<>());
  private final AtomicInteger requests = new AtomicInteger();
  /** When each request, by the order it arrived in, began to be answered (both in EventOrder). */
  private final Map<Long, Long> answered = new java.util.concurrent.ConcurrentHashMap<>();
  private final boolean stall;
  private final Duration delay;
  private final CountDownLatch closing = new CountDownLatch(1);

  private OtlpReceiver(boolean stall, Duration delay) {
    this.stall = stall;
    this.delay = delay;
    this.dripping = null;
    try {
      server = LoopbackHttpServer.create(executor);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  /** A dripping receiver: see {@link DrippingServer}. */
  private OtlpReceiver(Duration headersAfter, Duration perByte, boolean bodyOnly, int healthyFirst) {
    this.stall = false;
    this.delay = Duration.ZERO;
    this.server = null;
    try {
      dripping = new DrippingServer(headersAfter, perByte, bodyOnly, healthyFirst);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    executor.execute(dripping::acceptAll);
  }

  /** A receiver that answers every export with success. */
  public static OtlpReceiver start() {
    return new OtlpReceiver(false, Duration.ZERO);
  }

  /** A receiver that reads every request and never answers until closed. */
  public static OtlpReceiver stalled() {
    return new OtlpReceiver(true, Duration.ZERO);
  }

  /** A receiver that answers every export with success after {@code delay}. */
  public static OtlpReceiver slow(Duration delay) {
    return new OtlpReceiver(false, delay);
  }

  /**
   * A receiver that reads every request, keeps its spans, and then drips its answer (a 200 with a
   * 100,000-byte body), status line first, one byte every {@code perByte}, until closed or the
   * client hangs up: a read timeout, which restarts with every byte, never ends it.
   */
  public static OtlpReceiver dripping(Duration perByte) {
    return new OtlpReceiver(Duration.ZERO, perByte, false, 0);
  }

  /**
   * A receiver that answers its first {@code healthyFirst} requests at once, as a healthy
   * collector does, and drips every answer after them (see {@link #dripping(Duration)}): a
   * collector that goes bad while the function is warm.
   */
  public static OtlpReceiver dripping(Duration perByte, int healthyFirst) {
    return new OtlpReceiver(Duration.ZERO, perByte, false, healthyFirst);
  }

  /**
   * A receiver that reads every request, keeps its spans, waits {@code headersAfter}, sends the
   * status line and headers of a 200 with a 10,000-byte body at once (a body small enough that a
   * client reads it to keep the connection), and then drips the body, one byte every {@code
   * perByte}, until closed or the client hangs up. A client that has the status sees a success and
   * waits for the body: a read timeout, which restarts with every byte, never ends it. A {@code
   * perByte} longer than the test stalls the body after its first byte.
   */
  public static OtlpReceiver drippingBody(Duration headersAfter, Duration perByte) {
    return new OtlpReceiver(headersAfter, perByte, true, 0);
  }

  /**
   * A receiver that answers its first {@code healthyFirst} requests at once and drips the body
   * of every answer after them (see {@link #drippingBody(Duration, Duration)}).
   */
  public static OtlpReceiver drippingBody(Duration headersAfter, Duration perByte, int healthyFirst) {
    return new OtlpReceiver(headersAfter, perByte, true, healthyFirst);
  }

  /** {@code http://127.0.0.1:<port>}: the value for {@code otel.exporter.otlp.endpoint}. */
  public String endpoint() {
    int port = dripping != null ? dripping.socket.getLocalPort() : server.getAddress().getPort();
    return "http://127.0.0.1:" + port;
  }

  /** Every span received so far, in arrival order. */
  public List<SpanData> spans() {
    return List.copyOf(spans);
  }

  /** The spans whose trace is {@code traceId} (lower-case hex). */
  public List<SpanData> trace(String traceId) {
    return spans.stream().filter(span -> span.getTraceId().equals(traceId)).toList();
  }

  /**
   * When the export request that carried {@code span} (one of {@link #spans()}) arrived, in
   * {@link EventOrder}: a test compares it with when a response arrived or a process froze.
   *
   * @throws IllegalArgumentException if {@code span} did not come from this receiver
   */
  public long order(SpanData span) {
    Long order = arrived.get(span);
    if (order == null) {
      throw new IllegalArgumentException("not received by this receiver: " + span);
    }
    return order;
  }

  /** How many requests (of any signal) arrived. */
  public int requestCount() {
    return requests.get();
  }

  @Override
  public void close() {
    closing.countDown();
    if (server != null) {
      server.stop(0);
    }
    if (dripping != null) {
      dripping.close();
    }
    executor.shutdownNow();
  }

  /**
   * When the export request that carried {@code span} began to be answered, in {@link
   * EventOrder}: after the delay of a {@link #slow} receiver. Empty for a request not answered
   * (yet), and for the dripping and stalled receivers.
   */
  public java.util.OptionalLong answeredOrder(SpanData span) {
    Long order = answered.get(order(span));
    return order == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(order);
  }

  /**
   * Decodes and keeps one export request's spans (other signals are only counted); returns when
   * it arrived, in {@link EventOrder}.
   */
  private long received(String path, byte[] body) throws IOException {
    long order = EventOrder.next();
    requests.incrementAndGet();
    if (path.equals("/v1/traces")) {
      List<SpanData> decoded = OtlpSpans.toSpanData(ExportTraceServiceRequest.parseFrom(body));
      decoded.forEach(span -> arrived.put(span, order));
      spans.addAll(decoded);
    }
    return order;
  }

  /**
   * The dripping collector: a raw socket server, since the JDK's HttpServer writes a status line
   * and headers at once and has no way to stall a body it has begun. Each connection gets its own
   * thread. After its healthy answers, it waits {@code headersAfter}, then drips the whole answer
   * one byte every {@code perByte}, or, with {@code bodyOnly}, writes the status line and headers
   * at once and drips only the body.
   */
  private final class DrippingServer {
    private final ServerSocket socket;
    private final long headersAfterNanos;
    private final long perByteNanos;
    private final boolean bodyOnly;
    private final AtomicInteger healthyLeft;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();

    DrippingServer(Duration headersAfter, Duration perByte, boolean bodyOnly, int healthyFirst)
        throws IOException {
      this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      this.headersAfterNanos = headersAfter.toNanos();
      this.perByteNanos = perByte.toNanos();
      this.bodyOnly = bodyOnly;
      this.healthyLeft = new AtomicInteger(healthyFirst);
    }

    void acceptAll() {
      while (!socket.isClosed()) {
        try {
          Socket connection = socket.accept();
          connections.add(connection);
          executor.execute(() -> serve(connection));
        } catch (IOException | RuntimeException closed) {
          return;
        }
      }
    }

    private void serve(Socket connection) {
      try (connection) {
        InputStream in = connection.getInputStream();
        Map<String, String> headers = new LinkedHashMap<>();
        String requestLine;
        // Answered at once while healthy: the next request comes on the same kept-alive
        // connection.
        while ((requestLine = readHeaders(in, headers)) != null && healthyLeft.getAndDecrement() > 0) {
          receivedOn(in, headers, requestLine);
          connection.getOutputStream().write(
              "HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n"
                  .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
          connection.getOutputStream().flush();
          headers.clear();
        }
        if (requestLine == null) {
          return;
        }
        receivedOn(in, headers, requestLine);
        byte[] body = new byte[bodyOnly ? 10_000 : 100_000];
        byte[] head =
            ("HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: "
                    + body.length
                    + "\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        OutputStream out = connection.getOutputStream();
        java.util.concurrent.TimeUnit.NANOSECONDS.sleep(headersAfterNanos);
        if (bodyOnly) {
          out.write(head);
          out.flush();
        } else {
          drip(out, head);
        }
        drip(out, body);
      } catch (IOException | InterruptedException | RuntimeException hungUp) {
        // the client hung up, or the receiver is closing
      }
    }

    private void drip(OutputStream out, byte[] bytes) throws IOException, InterruptedException {
      for (byte b : bytes) {
        out.write(b);
        out.flush();
        java.util.concurrent.TimeUnit.NANOSECONDS.sleep(perByteNanos);
      }
    }

    /** Reads a request's body and keeps its spans. */
    private void receivedOn(InputStream in, Map<String, String> headers, String requestLine)
        throws IOException {
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      byte[] body = in.readNBytes(length);
      if ("gzip".equalsIgnoreCase(headers.get("content-encoding"))) {
        try (InputStream gunzip = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
          body = gunzip.readAllBytes();
        }
      }
      String[] parts = requestLine.split(" ");
      received(parts.length > 1 ? parts[1] : "/", body);
    }

    /** The request line, with the headers (names in lower case) put into {@code headers}. */
    private String readHeaders(InputStream in, Map<String, String> headers) throws IOException {
      String requestLine = null;
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0) {
        if (c == '\n') {
          String text = line.toString().strip();
          line.setLength(0);
          if (text.isEmpty()) {
            return requestLine;
          }
          if (requestLine == null) {
            requestLine = text;
          } else {
            int colon = text.indexOf(':');
            if (colon > 0) {
              headers.put(text.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
                  text.substring(colon + 1).trim());
            }
          }
        } else {
          line.append((char) c);
        }
      }
      return null;
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      for (Socket connection : connections) {
        try {
          connection.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
          ? new GZIPInputStream(exchange.getRequestBody())
          : exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String path = exchange.getRequestURI().getPath();
      if (stall) {
        EventOrder.next();
        requests.incrementAndGet();
        try {
          closing.await();
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      long order = received(path, body);
      if (!delay.isZero()) {
        try {
          Thread.sleep(delay.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      answered.put(order, EventOrder.next());
      byte[] response = new byte[0];
      if (path.equals("/v1/traces")) {
        response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      }
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response);
      }
    }
  }
}
