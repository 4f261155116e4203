package dev.baton.aspects;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.testing.RecordingHttpServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.NetworkAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import io.opentelemetry.semconv.UrlAttributes;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Apache HttpClient 5 calls woven at the call site (classic and async), against a real local
 * server that records the headers it receives. Woven by {@code baton:weave} with the library
 * aspects, as a function is.
 */
class ApacheHttpClientCallsTest {

  private static final AttributeKey<List<String>> CALLER_TRACEPARENT =
      AttributeKey.stringArrayKey("http.request.header.traceparent");

  private static RecordingHttpServer server;
  private static CloseableHttpClient client;
  private static CloseableHttpAsyncClient asyncClient;
  private WovenHttpTracing tracing;

  @BeforeAll
  static void start() {
    server = RecordingHttpServer.start();
    client = HttpClients.createDefault();
    asyncClient = HttpAsyncClients.createDefault();
    asyncClient.start();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    asyncClient.close();
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
  void everyClassicOverloadIsAClientSpanAndThePeerReceivesItsContext() throws Exception {
    HttpHost host = new HttpHost("http", "127.0.0.1", server.port());
    Span parent = tracing.startParent("handler");
    try (Scope ignored = parent.makeCurrent()) {
      try (ClassicHttpResponse response = client.executeOpen(null, new HttpGet(server.uri("/a")), null)) {
        EntityUtils.consume(response.getEntity());
      }
      String body = client.execute(new HttpGet(server.uri("/b")), response -> EntityUtils.toString(response.getEntity()));
      assertThat(body).isEqualTo("answered /b");
      client.execute(host, new HttpGet("/c?x=1"), response -> response.getCode());
      client.execute(host, new HttpPost("/d"), HttpClientContext.create(), response -> response.getCode());
      client.execute(new HttpGet(server.uri("/e")), HttpClientContext.create(), response -> response.getCode());
    }
    parent.end();

    List<SpanData> calls = tracing.spans().stream().filter(s -> s.getKind() == SpanKind.CLIENT).toList();
    assertThat(calls).hasSize(5);
    for (SpanData span : calls) {
      assertThat(span)
          .hasParentSpanId(parent.getSpanContext().getSpanId())
          .hasAttribute(ServerAttributes.SERVER_ADDRESS, "127.0.0.1")
          .hasAttribute(ServerAttributes.SERVER_PORT, (long) server.port())
          .hasAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, 200L)
          .hasAttribute(NetworkAttributes.NETWORK_PROTOCOL_VERSION, "1.1");
    }
    assertThat(calls.stream().map(s -> s.getAttributes().get(UrlAttributes.URL_FULL)))
        .containsExactly(
            server.baseUrl() + "/a", server.baseUrl() + "/b", server.baseUrl() + "/c?x=1",
            server.baseUrl() + "/d", server.baseUrl() + "/e");
    assertThat(calls.get(3)).hasName("POST");
    for (int i = 0; i < calls.size(); i++) {
      SpanData span = calls.get(i);
      assertThat(server.requests().get(i).header("traceparent"))
          .isEqualTo("00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getSpanContext().getTraceFlags().asHex());
    }
  }

  @Test
  void theSameRequestSentTwiceIsTracedTwiceAndLeftAsItWas() throws Exception {
    HttpGet request = new HttpGet(server.uri("/again"));

    client.execute(request, response -> response.getCode());
    client.execute(request, response -> response.getCode());

    assertThat(request.getHeaders()).isEmpty();
    List<SpanData> spans = tracing.spans();
    assertThat(spans).hasSize(2);
    assertThat(server.requests().get(0).header("traceparent")).contains(spans.get(0).getSpanId());
    assertThat(server.requests().get(1).header("traceparent")).contains(spans.get(1).getSpanId());
  }

  @Test
  void serverErrorsAndHandlerExceptionsAreErrorsAndReachTheCallerUnchanged() throws Exception {
    RuntimeException fromHandler = new IllegalStateException("cannot parse");

    try (ClassicHttpResponse response = client.executeOpen(null, new HttpGet(server.uri("/status/500")), null)) {
      assertThat(response.getCode()).isEqualTo(500);
    }
    assertThatThrownBy(() -> client.execute(new HttpGet(server.uri("/ok")), response -> {
          throw fromHandler;
        }))
        .isSameAs(fromHandler);

    assertThat(tracing.spans().get(0))
        .hasStatus(StatusData.error())
        .hasAttribute(ErrorAttributes.ERROR_TYPE, "500");
    assertThat(tracing.spans().get(1))
        .hasStatus(StatusData.error())
        .hasAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, 200L)
        .hasAttribute(ErrorAttributes.ERROR_TYPE, IllegalStateException.class.getName());
  }

  @Test
  void aTimeoutReachesTheCaller() {
    HttpGet slow = new HttpGet(server.uri("/slow"));
    slow.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofMilliseconds(200)).build());

    assertThatThrownBy(() -> client.execute(slow, response -> response.getCode()))
        .isInstanceOf(SocketTimeoutException.class);

    assertThat(tracing.span("GET"))
        .hasStatus(StatusData.error())
        .hasAttribute(ErrorAttributes.ERROR_TYPE, SocketTimeoutException.class.getName());
  }

  @Test
  void aTraceparentTheCallerSetIsLeftAloneAndRecorded() throws Exception {
    String own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    HttpGet request = new HttpGet(server.uri("/own"));
    request.setHeader("traceparent", own);

    client.execute(request, response -> response.getCode());

    assertThat(server.onlyRequest().headers().get("traceparent")).containsExactly(own);
    assertThat(request.getFirstHeader("traceparent").getValue()).isEqualTo(own);
    assertThat(tracing.span("GET"))
        .hasAttribute(CALLER_TRACEPARENT, List.of(own));
  }

  @Test
  void aRequestWhoseHeadersCannotBeSetIsSentTracedAndUnchanged() throws Exception {
    ImmutableHeadersRequest request = new ImmutableHeadersRequest(server.uri("/immutable"));

    int status = client.execute(request, response -> response.getCode());

    assertThat(status).isEqualTo(200);
    SpanData span = tracing.span("GET");
    assertThat(span).hasAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, 200L);
    assertThat(server.onlyRequest().header("traceparent")).isEqualTo(traceparent(span));
    assertThat(request.getHeaders()).isEmpty();
  }

  @Test
  void aRequestSharedBetweenThreadsCarriesEachCallsOwnContextAndIsLeftAsItWas() throws Exception {
    HttpGet shared = new HttpGet(server.uri("/shared"));
    shared.setHeader("x-caller", "kept");
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(threads.submit(() -> {
          for (int i = 0; i < 100; i++) {
            client.execute(shared, response -> response.getCode());
          }
          return null;
        }));
      }
      for (Future<?> each : done) {
        each.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }

    assertEachRequestCarriedItsOwnSpan(400);
    assertThat(shared.getHeaders()).extracting(Header::getName).containsExactly("x-caller");
    assertThat(server.requests()).allSatisfy(r -> assertThat(r.header("x-caller")).isEqualTo("kept"));
  }

  @Test
  void aCancelledRequestIsNotSentAsWithoutBaton() {
    HttpGet request = new HttpGet(server.uri("/cancelled"));
    request.cancel(); // the client is handed a copy: cancelling the caller's request reaches it

    // What the client throws for a cancelled request is its own (an IllegalStateException here).
    assertThatThrownBy(() -> client.execute(request, response -> response.getCode())).isNotNull();

    assertThat(server.requests()).isEmpty();
    assertThat(tracing.span("GET")).hasStatus(StatusData.error());
  }

  @Test
  void theSameAsyncRequestSentAgainCarriesEachCallsOwnContextAndIsLeftAsItWas() throws Exception {
    SimpleHttpRequest request = SimpleRequestBuilder.get(server.uri("/async-again")).build();

    for (int i = 0; i < 200; i++) {
      asyncClient.execute(request, null).get(10, TimeUnit.SECONDS);
    }
    SimpleHttpRequest produced = SimpleRequestBuilder.get(server.uri("/produced-again")).build();
    for (int i = 0; i < 20; i++) {
      asyncClient.execute(SimpleRequestProducer.create(produced), SimpleResponseConsumer.create(), null)
          .get(10, TimeUnit.SECONDS);
    }

    assertEachRequestCarriedItsOwnSpan(220);
    assertThat(request.getHeaders()).isEmpty();
    assertThat(produced.getHeaders()).isEmpty();
  }

  @Test
  void aResponseHandlerReturningAFutureIsStillASynchronousCallWhoseSpanEnds() throws Exception {
    CompletableFuture<Integer> code =
        client.execute(new HttpGet(server.uri("/future")), response -> CompletableFuture.completedFuture(response.getCode()));

    assertThat(code.get()).isEqualTo(200);
    assertThat(tracing.spans()).singleElement().satisfies(span -> assertThat(span)
        .hasName("GET")
        .hasAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, 200L));
  }

  /**
   * {@code calls} CLIENT spans ended (an async one in the client's callback, so wait a little), no
   * span took a header Baton sent for a caller's, and every request the server received carried
   * the {@code traceparent} of a span of its own.
   */
  private void assertEachRequestCarriedItsOwnSpan(int calls) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (tracing.spans().size() < calls && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    List<SpanData> spans = tracing.spans();
    assertThat(spans).hasSize(calls);
    assertThat(spans).allSatisfy(span -> assertThat(span.getAttributes().get(CALLER_TRACEPARENT)).isNull());
    List<RecordingHttpServer.ReceivedRequest> requests = server.requests();
    assertThat(requests).hasSize(calls);
    assertThat(requests).allSatisfy(r -> assertThat(r.headers().get("traceparent")).hasSize(1));
    Set<String> sent = requests.stream().map(r -> r.header("traceparent")).collect(Collectors.toSet());
    assertThat(sent).isEqualTo(spans.stream().map(ApacheHttpClientCallsTest::traceparent).collect(Collectors.toSet()));
  }

  private static String traceparent(SpanData span) {
    return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getSpanContext().getTraceFlags().asHex();
  }

  @Test
  void theAsyncClientEndsTheSpanWhenTheExchangeCompletes() throws Exception {
    SimpleHttpResponse[] seen = new SimpleHttpResponse[1];
    Span parent = tracing.startParent("handler");
    SimpleHttpResponse response;
    try (Scope ignored = parent.makeCurrent()) {
      response = asyncClient.execute(SimpleRequestBuilder.get(server.uri("/async")).build(), new FutureCallback<>() {
            @Override
            public void completed(SimpleHttpResponse result) {
              seen[0] = result;
            }

            @Override
            public void failed(Exception ex) {}

            @Override
            public void cancelled() {}
          })
          .get(10, TimeUnit.SECONDS);
    }
    parent.end();
    asyncClient.execute(SimpleRequestBuilder.get(server.uri("/status/503")).build(), null).get(10, TimeUnit.SECONDS);

    assertThat(response.getBodyText()).isEqualTo("answered /async");
    assertThat(seen[0]).isSameAs(response);
    SpanData ok = tracing.spans().stream().filter(s -> s.getParentSpanId().equals(parent.getSpanContext().getSpanId()) && s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
    assertThat(ok).hasName("GET").hasAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, 200L);
    assertThat(server.requests().get(0).header("traceparent")).contains(ok.getSpanId());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (tracing.spans().size() < 3 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(tracing.spans().stream().filter(s -> "503".equals(s.getAttributes().get(ErrorAttributes.ERROR_TYPE)))).hasSize(1);
  }

  @Test
  void theAsyncClientsProducerAndConsumerOverloadsAreTracedToo() throws Exception {
    Span parent = tracing.startParent("handler");
    SimpleHttpResponse ok;
    SimpleHttpResponse failed;
    try (Scope ignored = parent.makeCurrent()) {
      ok = asyncClient.execute(
              SimpleRequestProducer.create(SimpleRequestBuilder.post(server.uri("/produced")).setBody("{}", ContentType.APPLICATION_JSON).build()),
              SimpleResponseConsumer.create(), null)
          .get(10, TimeUnit.SECONDS);
      failed = asyncClient.execute(
              SimpleRequestProducer.create(SimpleRequestBuilder.get(server.uri("/status/500")).build()),
              SimpleResponseConsumer.create(), HttpClientContext.create(), null)
          .get(10, TimeUnit.SECONDS);
    }
    parent.end();

    assertThat(ok.getCode()).isEqualTo(200);
    assertThat(failed.getCode()).isEqualTo(500);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (tracing.spans().size() < 3 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    SpanData post = tracing.span("POST");
    assertThat(post)
        .hasKind(SpanKind.CLIENT)
        .hasParentSpanId(parent.getSpanContext().getSpanId())
        .hasAttribute(UrlAttributes.URL_FULL, server.baseUrl() + "/produced")
        .hasAttribute(ServerAttributes.SERVER_PORT, (long) server.port())
        .hasAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, 200L);
    assertThat(tracing.span("GET")).hasStatus(StatusData.error()).hasAttribute(ErrorAttributes.ERROR_TYPE, "500");
    assertThat(server.requests().get(0).header("traceparent")).contains(post.getSpanId());
  }

  @Test
  void anAsyncExchangeWhoseConnectionFailsIsAFailedSpan() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    java.util.concurrent.Future<SimpleHttpResponse> future = asyncClient.execute(
        SimpleRequestProducer.create(SimpleRequestBuilder.get("http://127.0.0.1:" + closedPort + "/").build()),
        SimpleResponseConsumer.create(), null);

    assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
        .isInstanceOf(java.util.concurrent.ExecutionException.class)
        .hasCauseInstanceOf(java.net.ConnectException.class);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (tracing.spans().isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(tracing.spans()).singleElement().satisfies(span -> assertThat(span)
        .hasName("GET") // the client has the request from the producer before it connects
        .hasAttribute(ServerAttributes.SERVER_PORT, (long) closedPort)
        .hasKind(SpanKind.CLIENT)
        .hasStatus(StatusData.error())
        .hasAttribute(ErrorAttributes.ERROR_TYPE, org.apache.hc.client5.http.HttpHostConnectException.class.getName()));
  }

  /** A request of the caller's own class whose headers cannot be changed. */
  private static final class ImmutableHeadersRequest extends BasicClassicHttpRequest {
    ImmutableHeadersRequest(java.net.URI uri) {
      super("GET", uri);
    }

    @Override
    public void setHeader(Header header) {
      throw new UnsupportedOperationException("immutable");
    }

    @Override
    public void setHeader(String name, Object value) {
      throw new UnsupportedOperationException("immutable");
    }

    @Override
    public void addHeader(String name, Object value) {
      throw new UnsupportedOperationException("immutable");
    }
  }
}
