package dev.baton.aspects;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.runtime.internal.Failures;
import dev.baton.testing.RecordingHttpServer;
import dev.baton.testing.RecordingHttpServer.ReceivedRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.NetworkAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import io.opentelemetry.semconv.UrlAttributes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code java.net.http.HttpClient} calls woven at the call site, against a real local server
 * that records the headers it receives. This class is woven by {@code baton:weave} with the
 * library aspects, so every {@code send} and {@code sendAsync} below is woven as in a
 * function.
 */
class JdkHttpClientCallsTest {

  private static RecordingHttpServer server;
  private static HttpClient client;
  private WovenHttpTracing tracing;

  @BeforeAll
  static void startServer() {
    server = RecordingHttpServer.start();
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void trace() {
    tracing = WovenHttpTracing.w3c();
    server.reset();
  }

  @AfterEach
  void stopTracing() {
    tracing.close();
  }

  @Test
  void sendIsAClientSpanAndThePeerReceivesItsContext() throws Exception {
    Span parent = tracing.startParent("handler");
    HttpResponse<String> response;
    try (Scope ignored = parent.makeCurrent()) {
      response = client.send(HttpRequest.newBuilder(server.uri("/orders/7?expand=items")).build(), BodyHandlers.ofString());
    }
    parent.end();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("answered /orders/7");
    SpanData span = tracing.span("GET");
    assertThat(span)
        .hasKind(SpanKind.CLIENT)
        .hasParentSpanId(parent.getSpanContext().getSpanId())
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.unset())
        .hasAttribute(HttpAttributes.HTTP_REQUEST_METHOD, "GET")
        .hasAttribute(ServerAttributes.SERVER_ADDRESS, "127.0.0.1")
        .hasAttribute(ServerAttributes.SERVER_PORT, (long) server.port())
        .hasAttribute(UrlAttributes.URL_FULL, server.baseUrl() + "/orders/7?expand=items")
        .hasAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, 200L)
        .hasAttribute(NetworkAttributes.NETWORK_PROTOCOL_VERSION, "1.1");
    assertThat(server.onlyRequest().header("traceparent"))
        .isEqualTo(traceparent(span));
  }

  @Test
  void theSpanIsCurrentWhileTheCallRuns() throws Exception {
    FailingHttpClient recorder = new FailingHttpClient(null);

    recorder.send(HttpRequest.newBuilder(server.uri("/current")).build(), BodyHandlers.discarding());

    SpanData span = tracing.span("GET");
    assertThat(recorder.currentInSend).isEqualTo(span.getSpanId());
    assertThat(Span.current().getSpanContext().isValid()).isFalse();
  }

  @Test
  void sendAsyncEndsTheSpanOnceWhenTheFutureCompletes() throws Exception {
    Span parent = tracing.startParent("handler");
    CompletableFuture<HttpResponse<String>> future;
    try (Scope ignored = parent.makeCurrent()) {
      future = client.sendAsync(HttpRequest.newBuilder(server.uri("/async")).build(), BodyHandlers.ofString());
    }
    assertThat(future.get().body()).isEqualTo("answered /async");
    parent.end();

    SpanData span = tracing.span("GET");
    assertThat(span)
        .hasParentSpanId(parent.getSpanContext().getSpanId())
        .hasAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, 200L);
    assertThat(server.onlyRequest().header("traceparent")).isEqualTo(traceparent(span));
    assertThat(tracing.names()).containsExactlyInAnyOrder("GET", "handler");
  }

  @Test
  void statusesOf400AndMoreAreErrors() throws Exception {
    HttpResponse<String> notFound =
        client.send(HttpRequest.newBuilder(server.uri("/status/404")).build(), BodyHandlers.ofString());
    HttpResponse<String> failed =
        client.sendAsync(
                HttpRequest.newBuilder(server.uri("/status/503")).method("DELETE", HttpRequest.BodyPublishers.noBody()).build(),
                BodyHandlers.ofString())
            .get();
    client.send(HttpRequest.newBuilder(server.uri("/status/302")).build(), BodyHandlers.ofString());

    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(failed.statusCode()).isEqualTo(503);
    assertThat(tracing.span("DELETE"))
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.error())
        .hasAttribute(ErrorAttributes.ERROR_TYPE, "503")
        .hasAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, 503L);
    List<SpanData> gets = tracing.spans().stream().filter(s -> s.getName().equals("GET")).toList();
    assertThat(gets).hasSize(2);
    SpanData span404 = gets.stream().filter(s -> s.getAttributes().get(HttpAttributes.HTTP_RESPONSE_STATUS_CODE) == 404L).findFirst().orElseThrow();
    assertThat(span404).hasStatus(io.opentelemetry.sdk.trace.data.StatusData.error()).hasAttribute(ErrorAttributes.ERROR_TYPE, "404");
    SpanData span302 = gets.stream().filter(s -> s.getAttributes().get(HttpAttributes.HTTP_RESPONSE_STATUS_CODE) == 302L).findFirst().orElseThrow();
    assertThat(span302.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(span302.getAttributes().get(ErrorAttributes.ERROR_TYPE)).isNull();
  }

  @Test
  void aTimeoutReachesTheCallerAndFailsTheSpan() {
    HttpRequest slow = HttpRequest.newBuilder(server.uri("/slow")).timeout(Duration.ofMillis(200)).build();

    assertThatThrownBy(() -> client.send(slow, BodyHandlers.ofString())).isInstanceOf(HttpTimeoutException.class);
    assertThatThrownBy(() -> client.sendAsync(slow, BodyHandlers.ofString()).get())
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(HttpTimeoutException.class);

    List<SpanData> spans = waitForSpans(2);
    for (SpanData span : spans) {
      assertThat(span)
          .hasName("GET")
          .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.error())
          .hasAttribute(ErrorAttributes.ERROR_TYPE, HttpTimeoutException.class.getName());
      assertThat(span.getEvents()).anySatisfy(event -> assertThat(event.getName()).isEqualTo("exception"));
    }
  }

  @Test
  void aConnectFailureIsTheSameObjectTheClientThrew() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closedPort + "/")).build();

    assertThatThrownBy(() -> client.send(request, BodyHandlers.ofString())).isInstanceOf(ConnectException.class);

    assertThat(tracing.span("GET"))
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.error())
        .hasAttribute(ErrorAttributes.ERROR_TYPE, ConnectException.class.getName())
        .hasAttribute(ServerAttributes.SERVER_PORT, (long) closedPort);
  }

  @Test
  void theCallerGetsTheExactExceptionObjectSyncAndAsync() {
    IOException thrown = new IOException("the provider is down");
    HttpClient failing = new FailingHttpClient(thrown);
    HttpRequest request = HttpRequest.newBuilder(server.uri("/never")).build();

    assertThatThrownBy(() -> failing.send(request, BodyHandlers.ofString())).isSameAs(thrown);
    assertThatThrownBy(() -> failing.sendAsync(request, BodyHandlers.ofString()).join())
        .hasCause(thrown);

    for (SpanData span : waitForSpans(2)) {
      assertThat(span).hasAttribute(ErrorAttributes.ERROR_TYPE, IOException.class.getName());
    }
  }

  @Test
  void aTraceparentTheCallerSetIsLeftAloneAndRecorded() throws Exception {
    String own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    Span parent = tracing.startParent("handler");
    try (Scope ignored = parent.makeCurrent()) {
      client.send(
          HttpRequest.newBuilder(server.uri("/own")).header("traceparent", own).header("tracestate", "vendor=1").build(),
          BodyHandlers.ofString());
    }
    parent.end();

    ReceivedRequest received = server.onlyRequest();
    assertThat(received.headers().get("traceparent")).containsExactly(own);
    assertThat(received.headers().get("tracestate")).containsExactly("vendor=1");
    assertThat(tracing.span("GET"))
        .hasAttribute(AttributeKey.stringArrayKey("http.request.header.traceparent"), List.of(own));
  }

  @Test
  void urlFullCarriesNoCredentials() throws Exception {
    URI signed =
        server.uri("/bucket/key?AWSAccessKeyId=AKIAEXAMPLE&Expires=1700000000&Signature=c2lnbmF0dXJl&sig=abc&X-Goog-Signature=def&keep=1");

    client.send(HttpRequest.newBuilder(signed).build(), BodyHandlers.discarding());

    assertThat(tracing.span("GET"))
        .hasAttribute(
            UrlAttributes.URL_FULL,
            server.baseUrl()
                + "/bucket/key?AWSAccessKeyId=REDACTED&Expires=1700000000&Signature=REDACTED&sig=REDACTED&X-Goog-Signature=REDACTED&keep=1");
    // The server still got the real URL.
    assertThat(server.onlyRequest().uri()).contains("Signature=c2lnbmF0dXJl");
  }

  @Test
  void aMethodTheConventionsDoNotKnowIsOther() throws Exception {
    client.send(
        HttpRequest.newBuilder(server.uri("/custom")).method("PURGE", HttpRequest.BodyPublishers.noBody()).build(),
        BodyHandlers.discarding());

    assertThat(tracing.span("HTTP"))
        .hasAttribute(HttpAttributes.HTTP_REQUEST_METHOD, "_OTHER")
        .hasAttribute(HttpAttributes.HTTP_REQUEST_METHOD_ORIGINAL, "PURGE");
    assertThat(server.onlyRequest().method()).isEqualTo("PURGE");
  }

  @Test
  void aHeaderTheClientRejectsLeavesTheRequestAsItWas() throws Exception {
    // A propagator that injects a header java.net.http refuses to set ("Host" is restricted).
    tracing.close();
    tracing = new WovenHttpTracing(TextMapPropagator.composite(new HostPropagator(), W3CTraceContextPropagator.getInstance()));
    long failures = Failures.count();

    HttpResponse<String> response =
        client.send(HttpRequest.newBuilder(server.uri("/rejected")).build(), BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Failures.count()).isGreaterThan(failures);
    assertThat(server.onlyRequest().header("traceparent")).isNull();
    assertThat(tracing.span("GET")).hasAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, 200L);
  }

  @Test
  void aRequestThatCannotBeCopiedIsSentAsItIs() throws Exception {
    // A request of the caller's own class whose headers cannot be read: HttpRequest.newBuilder
    // cannot copy it; the client is handed the caller's object.
    FailingHttpClient recorder = new FailingHttpClient(null);
    HttpRequest own = new UnreadableRequest(server.uri("/own-class"));

    recorder.send(own, BodyHandlers.discarding());

    assertThat(recorder.sent).isSameAs(own);
    assertThat(tracing.span("GET")).hasAttribute(UrlAttributes.URL_FULL, server.baseUrl() + "/own-class");
  }

  private List<SpanData> waitForSpans(int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (tracing.spans().size() < count && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    List<SpanData> spans = tracing.spans();
    assertThat(spans).hasSize(count);
    return spans;
  }

  private static String traceparent(SpanData span) {
    return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getSpanContext().getTraceFlags().asHex();
  }

  /** Injects {@code Host}, which java.net.http's request builder rejects. */
  private static final class HostPropagator implements TextMapPropagator {
    @Override
    public Collection<String> fields() {
      return List.of("Host");
    }

    @Override
    public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
      setter.set(carrier, "Host", "elsewhere.example");
    }

    @Override
    public <C> Context extract(Context context, C carrier, io.opentelemetry.context.propagation.TextMapGetter<C> getter) {
      return context;
    }
  }

  /** A request of the caller's own class, whose headers throw when read. */
  private static final class UnreadableRequest extends HttpRequest {
    private final URI uri;

    UnreadableRequest(URI uri) {
      this.uri = uri;
    }

    @Override
    public Optional<BodyPublisher> bodyPublisher() {
      return Optional.empty();
    }

    @Override
    public String method() {
      return "GET";
    }

    @Override
    public Optional<Duration> timeout() {
      return Optional.empty();
    }

    @Override
    public boolean expectContinue() {
      return false;
    }

    @Override
    public URI uri() {
      return uri;
    }

    @Override
    public Optional<HttpClient.Version> version() {
      return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
      throw new UnsupportedOperationException("headers are not readable");
    }
  }

  /**
   * An {@code HttpClient} of the caller's own that fails every call with the given exception (or,
   * given none, answers nothing and keeps the request it was handed).
   */
  private static final class FailingHttpClient extends HttpClient {
    private final IOException failure;
    HttpRequest sent;
    String currentInSend;

    FailingHttpClient(IOException failure) {
      this.failure = failure;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
      sent = request;
      currentInSend = Span.current().getSpanContext().getSpanId();
      if (failure != null) {
        throw failure;
      }
      return null;
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
      sent = request;
      return CompletableFuture.failedFuture(failure);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
        HttpRequest request, HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> push) {
      return sendAsync(request, handler);
    }

    @Override
    public Optional<java.net.CookieHandler> cookieHandler() {
      return Optional.empty();
    }

    @Override
    public Optional<Duration> connectTimeout() {
      return Optional.empty();
    }

    @Override
    public Redirect followRedirects() {
      return Redirect.NEVER;
    }

    @Override
    public Optional<java.net.ProxySelector> proxy() {
      return Optional.empty();
    }

    @Override
    public SSLContext sslContext() {
      return null;
    }

    @Override
    public SSLParameters sslParameters() {
      return null;
    }

    @Override
    public Optional<java.net.Authenticator> authenticator() {
      return Optional.empty();
    }

    @Override
    public Version version() {
      return Version.HTTP_1_1;
    }

    @Override
    public Optional<java.util.concurrent.Executor> executor() {
      return Optional.empty();
    }
  }
}
