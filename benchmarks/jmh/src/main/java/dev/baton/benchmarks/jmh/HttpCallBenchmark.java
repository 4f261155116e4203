package dev.baton.benchmarks.jmh;

import dev.baton.runtime.Baton;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;

import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One {@code java.net.http.HttpClient.send} call site: untraced, with the span and header
 * injection written by hand, and woven by Baton ({@code JdkHttpClientCalls}). What is measured is
 * what tracing adds to a call, so the client answers in memory (an {@code HttpClient} whose {@code
 * send} returns a prepared 200): a real round trip, tens of microseconds even on loopback, would
 * bury the difference in its noise. Both traced versions record into the same SDK as {@link
 * TracedMethodBenchmark} (always sampled, every span handed to an exporter that drops it) with the
 * W3C propagator, and both copy the immutable request to add {@code traceparent}.
 *
 * <p>This class is woven by {@code baton:weave} like the rest of the module, and a woven class's
 * every {@code send} call site is traced: the untraced and hand-written versions call {@code send}
 * through a method reference, which ajc does not weave.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HttpCallBenchmark {

  /** {@code HttpClient.send}, called through a method reference: not a woven call site. */
  interface Send {
    HttpResponse<Void> send(HttpRequest request, HttpResponse.BodyHandler<Void> handler)
        throws IOException, InterruptedException;
  }

  private OpenTelemetrySdk sdk;
  private HttpClient client;
  private Send unwoven;
  private Tracer tracer;
  private final HttpRequest request =
      HttpRequest.newBuilder(URI.create("https://payments.example.com/v1/payments?id=42"))
          .POST(HttpRequest.BodyPublishers.noBody())
          .build();
  private final HttpResponse.BodyHandler<Void> discarding = HttpResponse.BodyHandlers.discarding();

  @Setup
  public void setUp() {
    sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(new TracedMethodBenchmark.DiscardingExporter()))
                    .build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    Baton.useOpenTelemetry(sdk);
    tracer = sdk.getTracer("dev.baton");
    client = new InMemoryHttpClient();
    unwoven = client::send;
  }

  @TearDown
  public void tearDown() {
    sdk.close();
  }

  @Benchmark
  public int untraced() throws Exception {
    return unwoven.send(request, discarding).statusCode();
  }

  @Benchmark
  public int handwritten() throws Exception {
    Span span =
        tracer.spanBuilder(request.method())
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute("http.request.method", request.method())
            .setAttribute("server.address", request.uri().getHost())
            .setAttribute("server.port", 443L)
            .setAttribute("url.full", request.uri().toString())
            .startSpan();
    try (io.opentelemetry.context.Scope scope = span.makeCurrent()) {
      HttpRequest.Builder copy = HttpRequest.newBuilder(request, (name, value) -> true);
      sdk.getPropagators().getTextMapPropagator().inject(Context.current(), copy, HttpRequest.Builder::setHeader);
      HttpResponse<Void> response = unwoven.send(copy.build(), discarding);
      span.setAttribute("http.response.status_code", (long) response.statusCode());
      span.setAttribute("network.protocol.version", "1.1");
      if (response.statusCode() >= 400) {
        span.setStatus(StatusCode.ERROR);
      }
      return response.statusCode();
    } catch (IOException | InterruptedException | RuntimeException failure) {
      span.setStatus(StatusCode.ERROR);
      span.recordException(failure);
      throw failure;
    } finally {
      span.end();
    }
  }

  @Benchmark
  public int baton() throws Exception {
    return client.send(request, discarding).statusCode();
  }

  /** Answers every request with 200 and no body, in memory. */
  static final class InMemoryHttpClient extends HttpClient {

    @Override
    @SuppressWarnings("unchecked")
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
      return (HttpResponse<T>) new Ok(request);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
      return CompletableFuture.completedFuture(send(request, handler));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
        HttpRequest request, HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> push) {
      return sendAsync(request, handler);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
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
    public Optional<ProxySelector> proxy() {
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
    public Optional<Authenticator> authenticator() {
      return Optional.empty();
    }

    @Override
    public Version version() {
      return Version.HTTP_1_1;
    }

    @Override
    public Optional<Executor> executor() {
      return Optional.empty();
    }
  }

  /** A 200 with no body. */
  record Ok(HttpRequest request) implements HttpResponse<Void> {
    private static final HttpHeaders NONE = HttpHeaders.of(Map.of(), (name, value) -> true);

    @Override
    public int statusCode() {
      return 200;
    }

    @Override
    public Optional<HttpResponse<Void>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
      return NONE;
    }

    @Override
    public Void body() {
      return null;
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return Optional.empty();
    }

    @Override
    public URI uri() {
      return request.uri();
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }
}
