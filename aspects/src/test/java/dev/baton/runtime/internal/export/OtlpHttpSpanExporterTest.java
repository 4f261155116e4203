package dev.baton.runtime.internal.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.baton.runtime.internal.Failures;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exporter against a local HTTP server: what it sends, and what it makes of the answers. */
class OtlpHttpSpanExporterTest {

  /** Far more than any export here takes; only there so that a hang fails instead of blocking. */
  private static final Duration GENEROUS = Duration.ofSeconds(5);

  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private HttpServer server;
  private volatile int status = 200;
  private volatile String answer = "";
  private volatile boolean answering = true;

  record Request(Map<String, String> headers, byte[] body, int remotePort) {}

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/v1/traces", this::handle);
    server.start();
  }

  @AfterEach
  void stopServer() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    Map<String, String> headers = new LinkedHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
    requests.add(new Request(headers, body, exchange.getRemoteAddress().getPort()));
    if (!answering) {
      try {
        release.await();
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
      return;
    }
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private URL endpoint() throws IOException {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces").toURL();
  }

  private OtlpHttpSpanExporter exporter(
      Map<String, String> headers, long timeoutMillis, boolean gzip) throws IOException {
    return new OtlpHttpSpanExporter(endpoint(), headers, timeoutMillis, gzip);
  }

  @Test
  void postsTheMarshalersBytesWithTheHeaders() throws IOException {
    List<SpanData> spans = spans(3);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "Bearer secret");
    headers.put("X-Tenant", "acme");

    CompletableResultCode result = exporter(headers, 10_000, false).export(spans);

    assertThat(result.isDone()).isTrue();
    assertThat(result.isSuccess()).isTrue();
    assertThat(requests).hasSize(1);
    Request request = requests.get(0);
    assertThat(request.body()).isEqualTo(marshaled(spans));
    assertThat(request.headers())
        .containsEntry("content-type", "application/x-protobuf")
        .containsEntry("authorization", "Bearer secret")
        .containsEntry("x-tenant", "acme")
        .doesNotContainKey("content-encoding");
    assertThat(request.headers().get("user-agent")).startsWith("Baton-OTLP-Exporter-Java/");
  }

  @Test
  void gzipsTheBodyWhenAsked() throws IOException {
    List<SpanData> spans = spans(20);

    CompletableResultCode result = exporter(Map.of(), 10_000, true).export(spans);

    assertThat(result.isSuccess()).isTrue();
    Request request = requests.get(0);
    assertThat(request.headers()).containsEntry("content-encoding", "gzip");
    try (InputStream gunzipped = new GZIPInputStream(new ByteArrayInputStream(request.body()))) {
      assertThat(gunzipped.readAllBytes()).isEqualTo(marshaled(spans));
    }
  }

  @Test
  void aSecondExportReusesTheConnection() throws IOException {
    OtlpHttpSpanExporter exporter = exporter(Map.of(), 10_000, false);
    answer = "{}";

    assertThat(exporter.export(spans(1)).isSuccess()).isTrue();
    assertThat(exporter.export(spans(2)).isSuccess()).isTrue();

    assertThat(requests).hasSize(2);
    assertThat(requests.get(1).remotePort()).isEqualTo(requests.get(0).remotePort());
  }

  @Test
  void anAnswerOtherThan2xxIsAFailureWithTheStatusAndTheStartOfTheBody() throws IOException {
    OtlpHttpSpanExporter exporter = exporter(Map.of(), 10_000, false);
    status = 503;
    answer = "collector overloaded\n" + "x".repeat(1_000);

    CompletableResultCode result = exporter.export(spans(1));

    assertThat(result.isDone()).isTrue();
    assertThat(result.isSuccess()).isFalse();
    assertThat(result.getFailureThrowable())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("HTTP 503")
        .hasMessageContaining("collector overloaded")
        .hasMessageNotContaining("x".repeat(300));
    status = 200;
    assertThat(exporter.export(spans(1)).isSuccess()).isTrue();
  }

  @Test
  void aRedirectIsNotFollowed() throws IOException {
    status = 307;

    CompletableResultCode result = exporter(Map.of(), 10_000, false).export(spans(1));

    assertThat(result.isSuccess()).isFalse();
    assertThat(result.getFailureThrowable()).hasMessageContaining("HTTP 307");
    assertThat(requests).hasSize(1);
  }

  @Test
  void anUnreachableEndpointFailsQuickly() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    OtlpHttpSpanExporter exporter =
        new OtlpHttpSpanExporter(
            URI.create("http://127.0.0.1:" + closedPort + "/v1/traces").toURL(),
            Map.of(),
            10_000,
            false);

    long start = System.nanoTime();
    CompletableResultCode result = exporter.export(spans(1));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(GENEROUS);
    assertThat(result.isDone()).isTrue();
    assertThat(result.isSuccess()).isFalse();
    assertThat(result.getFailureThrowable()).isInstanceOf(ConnectException.class);
  }

  @Test
  void aServerThatNeverAnswersFailsAtTheTimeout() throws IOException {
    answering = false;

    long start = System.nanoTime();
    CompletableResultCode result = exporter(Map.of(), 200, false).export(spans(1));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(GENEROUS);
    assertThat(result.isSuccess()).isFalse();
    assertThat(result.getFailureThrowable())
        .isInstanceOf(OtlpHttpSpanExporter.DeadlineException.class)
        .hasMessageContaining("did not answer within");
  }

  @Test
  void aServerThatNeverAnswersFailsAtTheCallersDeadline() throws IOException {
    answering = false;
    OtlpHttpSpanExporter exporter = exporter(Map.of(), 60_000, false);

    long start = System.nanoTime();
    CompletableResultCode result =
        exporter.export(spans(1), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(GENEROUS);
    assertThat(result.isSuccess()).isFalse();
    assertThat(result.getFailureThrowable())
        .isInstanceOf(OtlpHttpSpanExporter.DeadlineException.class);
  }

  @Test
  void aCollectorThatDripsItsAnswerIsCutOffAtTheDeadline() throws Exception {
    // The read timeout restarts with every byte: only the deadline bounds a dripping answer.
    try (ServerSocket dripping = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> drip(dripping), "dripping-collector");
      server.setDaemon(true);
      server.start();
      OtlpHttpSpanExporter exporter =
          new OtlpHttpSpanExporter(
              new URL("http://127.0.0.1:" + dripping.getLocalPort() + "/v1/traces"),
              Map.of(),
              60_000,
              false);

      long start = System.nanoTime();
      CompletableResultCode result =
          exporter.export(spans(1), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(result.isSuccess()).isFalse();
      assertThat(result.getFailureThrowable())
          .isInstanceOf(OtlpHttpSpanExporter.DeadlineException.class)
          .hasMessageContaining("was cut off");
      // The whole answer would take over a minute to drip.
      assertThat(took).isLessThan(GENEROUS);
      server.interrupt();
    }
  }

  /** Reads one request, then answers it one byte every 100 ms. */
  private static void drip(ServerSocket server) {
    try (Socket socket = server.accept()) {
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      in.read(buffer);
      byte[] answer =
          ("HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 600\r\n\r\n"
                  + "x".repeat(600))
              .getBytes(StandardCharsets.US_ASCII);
      OutputStream out = socket.getOutputStream();
      for (byte b : answer) {
        out.write(b);
        out.flush();
        Thread.sleep(100);
      }
    } catch (IOException | InterruptedException stopped) {
      // the exporter hung up, or the test is over
    }
  }

  @Test
  void aProxyTheJvmIsConfiguredWithIsReportedAndNotUsed() throws IOException {
    // Nothing listens at the proxy: were it used, the export would fail.
    System.setProperty("http.proxyHost", "127.0.0.1");
    System.setProperty("http.proxyPort", "1");
    System.setProperty("http.nonProxyHosts", "");
    try {
      long failures = Failures.count();
      OtlpHttpSpanExporter exporter =
          new OtlpHttpSpanExporter(
              URI.create("http://collector.internal:" + server.getAddress().getPort() + "/v1/traces").toURL(),
              Map.of(), 10_000, false, host -> InetAddress.getLoopbackAddress(), null);

      assertThat(Failures.count()).as("reported").isEqualTo(failures + 1);
      assertThat(exporter.export(spans(1)).isSuccess()).isTrue();
      assertThat(requests).hasSize(1);
    } finally {
      System.clearProperty("http.proxyHost");
      System.clearProperty("http.proxyPort");
      System.clearProperty("http.nonProxyHosts");
    }
  }

  @Test
  void aDeadlineThatPassedFailsWithoutSending() throws IOException {
    CompletableResultCode result =
        exporter(Map.of(), 10_000, false).export(spans(1), System.nanoTime() - 1);

    assertThat(result.isSuccess()).isFalse();
    assertThat(requests).isEmpty();
  }

  @Test
  void afterShutdownExportsFailAtOnce() throws IOException {
    OtlpHttpSpanExporter exporter = exporter(Map.of(), 10_000, false);

    assertThat(exporter.shutdown().isSuccess()).isTrue();
    CompletableResultCode result = exporter.export(spans(1));

    assertThat(result.isDone()).isTrue();
    assertThat(result.isSuccess()).isFalse();
    assertThat(requests).isEmpty();
  }

  @Test
  void nothingToExportSendsNothing() throws IOException {
    OtlpHttpSpanExporter exporter = exporter(Map.of(), 10_000, false);

    assertThat(exporter.export(List.of()).isSuccess()).isTrue();
    assertThat(exporter.flush().isSuccess()).isTrue();
    assertThat(requests).isEmpty();
  }

  static List<SpanData> spans(int count) {
    List<SpanData> spans = new ArrayList<>();
    Resource resource = Resource.getDefault();
    InstrumentationScopeInfo scope = InstrumentationScopeInfo.create("dev.baton");
    for (int i = 0; i < count; i++) {
      spans.add(
          TestSpanData.builder()
              .setSpanContext(
                  SpanContext.create(
                      TraceId.fromLongs(7, i + 1L),
                      SpanId.fromLong(i + 1L),
                      TraceFlags.getSampled(),
                      TraceState.getDefault()))
              .setResource(resource)
              .setInstrumentationScopeInfo(scope)
              .setName("span " + i)
              .setKind(SpanKind.INTERNAL)
              .setStartEpochNanos(1_000 + i)
              .setEndEpochNanos(2_000 + i)
              .setStatus(StatusData.unset())
              .setHasEnded(true)
              .build());
    }
    return spans;
  }

  static byte[] marshaled(List<SpanData> spans) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TraceRequestMarshaler.create(spans).writeBinaryTo(bytes);
    return bytes.toByteArray();
  }
}
