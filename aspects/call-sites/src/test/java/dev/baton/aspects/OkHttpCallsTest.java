package dev.baton.aspects;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.runtime.internal.Failures;
import dev.baton.testing.RecordingHttpServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.NetworkAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import io.opentelemetry.semconv.UrlAttributes;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OkHttp calls woven at the call site ({@code newCall}), run with {@code execute} and {@code
 * enqueue} against a real local server that records the headers it receives. Woven by {@code
 * baton:weave} with the library aspects, as a function is.
 */
class OkHttpCallsTest {

  private static RecordingHttpServer server;
  private static OkHttpClient client;
  private WovenHttpTracing tracing;

  @BeforeAll
  static void start() {
    server = RecordingHttpServer.start();
    client = new OkHttpClient();
  }

  @AfterAll
  static void stop() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
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
  void executeIsAClientSpanAndThePeerReceivesItsContext() throws Exception {
    Span parent = tracing.startParent("handler");
    String currentInInterceptor;
    try (Scope ignored = parent.makeCurrent();
        Response response = client.newCall(new Request.Builder().url(server.baseUrl() + "/orders?id=7").build()).execute()) {
      assertThat(response.body().string()).isEqualTo("answered /orders");
    }
    parent.end();

    SpanData span = tracing.span("GET");
    assertThat(span)
        .hasParentSpanId(parent.getSpanContext().getSpanId())
        .hasAttribute(ServerAttributes.SERVER_ADDRESS, "127.0.0.1")
        .hasAttribute(ServerAttributes.SERVER_PORT, (long) server.port())
        .hasAttribute(UrlAttributes.URL_FULL, server.baseUrl() + "/orders?id=7")
        .hasAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, 200L)
        .hasAttribute(NetworkAttributes.NETWORK_PROTOCOL_VERSION, "1.1");
    assertThat(server.onlyRequest().header("traceparent")).contains(span.getTraceId() + "-" + span.getSpanId());
  }

  @Test
  void enqueueRunsTheSpanOnTheDispatcherUnderTheParentOfNewCall() throws Exception {
    CompletableFuture<Integer> status = new CompletableFuture<>();
    Span parent = tracing.startParent("handler");
    try (Scope ignored = parent.makeCurrent()) {
      client.newCall(new Request.Builder().url(server.baseUrl() + "/status/502").build()).enqueue(new Callback() {
        @Override
        public void onFailure(Call call, IOException e) {
          status.completeExceptionally(e);
        }

        @Override
        public void onResponse(Call call, Response response) {
          response.close();
          status.complete(response.code());
        }
      });
    }
    parent.end();

    assertThat(status.get(10, TimeUnit.SECONDS)).isEqualTo(502);
    SpanData span = tracing.span("GET");
    assertThat(span)
        .hasParentSpanId(parent.getSpanContext().getSpanId())
        .hasStatus(StatusData.error())
        .hasAttribute(ErrorAttributes.ERROR_TYPE, "502");
    assertThat(server.onlyRequest().header("traceparent")).contains(span.getSpanId());
  }

  @Test
  void aTimeoutReachesTheCallerAndFailsTheSpan() {
    OkHttpClient impatient = client.newBuilder().readTimeout(Duration.ofMillis(200)).build();

    assertThatThrownBy(() -> impatient.newCall(new Request.Builder().url(server.baseUrl() + "/slow").build()).execute())
        .isInstanceOf(SocketTimeoutException.class);

    assertThat(tracing.span("GET"))
        .hasStatus(StatusData.error())
        .hasAttribute(ErrorAttributes.ERROR_TYPE, SocketTimeoutException.class.getName());
  }

  @Test
  void aTraceparentTheCallerSetIsLeftAloneAndRecorded() throws Exception {
    String own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    client.newCall(new Request.Builder().url(server.baseUrl() + "/own").header("traceparent", own).build()).execute().close();

    assertThat(server.onlyRequest().headers().get("traceparent")).containsExactly(own);
    assertThat(tracing.span("GET"))
        .hasAttribute(AttributeKey.stringArrayKey("http.request.header.traceparent"), List.of(own));
  }

  @Test
  void aHeaderTheClientRejectsLeavesTheRequestAsItWas() throws Exception {
    tracing.close();
    tracing = new WovenHttpTracing(TextMapPropagator.composite(new BadValuePropagator(), W3CTraceContextPropagator.getInstance()));
    long failures = Failures.count();

    try (Response response = client.newCall(new Request.Builder().url(server.baseUrl() + "/rejected").build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
    }

    assertThat(Failures.count()).isGreaterThan(failures);
    assertThat(server.onlyRequest().header("traceparent")).isNull();
    assertThat(tracing.span("GET")).hasAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, 200L);
  }

  @Test
  void aClonedCallIsTracedEachTimeItRuns() throws Exception {
    Call call = client.newCall(new Request.Builder().url(server.baseUrl() + "/twice").build());
    call.execute().close();
    call.clone().execute().close();

    assertThat(tracing.spans()).hasSize(2);
    assertThat(server.requests().get(1).header("traceparent")).contains(tracing.spans().get(1).getSpanId());
  }

  /** Injects a value with a line break, which OkHttp's header builder rejects. */
  private static final class BadValuePropagator implements TextMapPropagator {
    @Override
    public Collection<String> fields() {
      return List.of("x-bad");
    }

    @Override
    public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
      setter.set(carrier, "x-bad", "line\nbreak");
    }

    @Override
    public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
      return context;
    }
  }
}
