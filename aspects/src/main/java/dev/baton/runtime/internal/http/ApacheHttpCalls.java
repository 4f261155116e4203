package dev.baton.runtime.internal.http;

import dev.baton.runtime.internal.Failures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import org.apache.hc.client5.http.async.methods.ConfigurableHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.Configurable;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.concurrent.CancellableDependency;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.ProtocolVersion;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.net.URIAuthority;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>What the advice of {@code dev.baton.aspects.ApacheHttpClientCalls} calls around Apache
 * HttpClient 5's {@code execute} (every overload of the classic client and of the async client):
 *
 * <pre>{@code
 * HttpCall call = ApacheHttpCalls.start(target, request);   // target null when not given
 * try {
 *   Object result = proceed(client, target, ApacheHttpCalls.request(call, request), ...,
 *       ApacheHttpCalls.handler(call, handler));
 *   return ApacheHttpCalls.returned(call, result);         // async: ApacheHttpCalls.started
 * } catch (Throwable failure) {
 *   ApacheHttpCalls.threw(call, failure);
 *   throw TracedMethods.rethrow(failure);
 * }
 * }</pre>
 *
 * <p>Apache's requests are mutable, and callers reuse them and share them between threads, so
 * the caller's request is never changed: the client is handed a copy with the trace context's
 * headers ({@link #request}), the same entity or body, the same {@code RequestConfig}, and, for
 * a classic {@code HttpUriRequestBase}, cancelling the caller's request cancels the copy's
 * exchange. Only a header on the caller's request counts as the caller's own. A request that
 * cannot be copied is sent as it is, and the failure reported once. A response handler is
 * wrapped to read the status before the caller's handler runs; an async callback (also a null
 * one) to end the span when the exchange completes. An async exchange through a producer and a
 * consumer starts its span at {@code execute}, named {@code HTTP}, and names it when the producer
 * hands the client the request (before it connects, so a connection failure is named too); the
 * producer is wrapped to hand on a copy of its request with the headers, the consumer to read
 * the status. Whether a call is classic or async is the advice's to say ({@link #returned} or
 * {@link #started}), never read off the result: a classic handler may well return a {@code
 * Future}. No method here throws.
 */
public final class ApacheHttpCalls {

  /** What a copy is made with before its request line is set from the caller's request. */
  private static final URI ROOT = URI.create("/");

  private ApacheHttpCalls() {}

  /** Starts the CLIENT span of {@code request}, sent to {@code target} (or to its own URI). */
  public static HttpCall start(HttpHost target, HttpRequest request) {
    if (request == null) {
      return HttpCall.none();
    }
    HttpCall call;
    try {
      String scheme;
      String host;
      int port;
      String url;
      if (target != null) {
        scheme = target.getSchemeName();
        host = target.getHostName();
        port = target.getPort();
        String path = request.getRequestUri();
        url = path != null && path.contains("://") ? path : target.toURI() + (path == null ? "" : path);
      } else {
        URIAuthority authority = request.getAuthority();
        scheme = request.getScheme();
        host = authority == null ? null : authority.getHostName();
        port = authority == null ? -1 : authority.getPort();
        url = request.getUri().toString();
      }
      return HttpCall.start(request.getMethod(), scheme, host, port, url);
    } catch (Throwable failure) {
      Failures.report("starting an HTTP client call's span", failure);
      return HttpCall.none();
    }
  }

  /**
   * The classic request to hand the client in place of the caller's {@code request}: a copy with
   * the trace context's headers (an {@code HttpUriRequestBase}, keeping the caller's {@code
   * RequestConfig}; cancelling the caller's request cancels it), or {@code request} itself when
   * there is nothing to add or it cannot be copied.
   */
  public static ClassicHttpRequest request(HttpCall call, ClassicHttpRequest request) {
    List<String> headers = headersFor(call, request);
    if (headers.isEmpty()) {
      return request;
    }
    try {
      HttpUriRequestBase copy = new HttpUriRequestBase(request.getMethod(), ROOT);
      copyLine(request, copy);
      copy.setHeaders(request.getHeaders());
      copy.setEntity(request.getEntity());
      addHeaders(copy, headers);
      if (request instanceof Configurable configurable) {
        copy.setConfig(configurable.getConfig());
      }
      if (request instanceof CancellableDependency cancellable) {
        // What the client does to the request it is given: the caller's cancel() reaches the
        // exchange (and a request cancelled before the call fails it, as it would).
        cancellable.setDependency(new CancelsCopy(cancellable, copy));
      }
      return copy;
    } catch (Throwable failure) {
      Failures.report("copying an Apache HttpClient request to add the trace context's headers", failure);
      return request;
    }
  }

  /**
   * The async request to hand the client in place of the caller's {@code request}: a copy with
   * the trace context's headers, the same body and {@code RequestConfig}, or {@code request}
   * itself when there is nothing to add or it cannot be copied.
   */
  public static SimpleHttpRequest request(HttpCall call, SimpleHttpRequest request) {
    List<String> headers = headersFor(call, request);
    if (headers.isEmpty()) {
      return request;
    }
    try {
      SimpleHttpRequest copy = SimpleRequestBuilder.copy(request).build();
      copy.setConfig(request.getConfig());
      addHeaders(copy, headers);
      return copy;
    } catch (Throwable failure) {
      Failures.report("copying an Apache HttpClient request to add the trace context's headers", failure);
      return request;
    }
  }

  /** A request of a producer's with the trace context's headers, as a new request. */
  private static HttpRequest copyWith(HttpRequest request, List<String> headers) {
    ConfigurableHttpRequest copy = new ConfigurableHttpRequest(request.getMethod(), ROOT);
    copyLine(request, copy);
    copy.setHeaders(request.getHeaders());
    addHeaders(copy, headers);
    if (request instanceof Configurable configurable) {
      copy.setConfig(configurable.getConfig());
    }
    return copy;
  }

  /** Copies the request line (method aside): what {@code ClassicRequestBuilder.copy} copies. */
  private static void copyLine(HttpRequest from, BasicHttpRequest to) {
    to.setScheme(from.getScheme());
    to.setAuthority(from.getAuthority());
    to.setPath(from.getPath());
    to.setVersion(from.getVersion());
    String path = from.getPath();
    if (path != null && !path.contains("://") && !path.equals(from.getRequestUri())) {
      to.setAbsoluteRequestUri(true); // the request line carries the absolute URI (to a proxy)
    }
  }

  private static void addHeaders(HttpRequest request, List<String> headers) {
    for (int i = 0; i < headers.size(); i += 2) {
      request.setHeader(headers.get(i), headers.get(i + 1));
    }
  }

  /** The headers to add to {@code request}: those its caller did not set (see {@link HttpCall#headersToAdd}). */
  private static List<String> headersFor(HttpCall call, HttpRequest request) {
    if (request == null) {
      return Collections.emptyList();
    }
    return call.headersToAdd(
        name -> {
          Header header = request.getFirstHeader(name);
          return header == null ? null : header.getValue();
        });
  }

  /** The handler to hand the client: reads the status, then runs the caller's {@code handler}. */
  public static HttpClientResponseHandler<?> handler(HttpCall call, HttpClientResponseHandler<?> handler) {
    return handler == null ? null : new StatusReadingHandler<>(call, handler);
  }

  /**
   * The callback to hand the async client: ends the span, then calls the caller's {@code
   * callback} (which may be null).
   */
  public static FutureCallback<SimpleHttpResponse> callback(
      HttpCall call, FutureCallback<SimpleHttpResponse> callback) {
    return new EndingCallback<>(call, callback);
  }

  /**
   * An async exchange through {@code execute(producer, consumer, ..., callback)}: its request is
   * made by the producer later, on the client's I/O thread, so the span starts now named {@code
   * HTTP} and is named after the request when the producer sends it.
   */
  public static HttpCall startExchange() {
    return HttpCall.startUnnamed();
  }

  /** The producer to hand the client: adds the trace context to the request it sends. */
  public static AsyncRequestProducer producer(HttpCall call, AsyncRequestProducer producer) {
    return producer == null ? null : new TracingProducer(call, producer);
  }

  /** The consumer to hand the client: reads the response's status into the span. */
  public static AsyncResponseConsumer<?> consumer(HttpCall call, AsyncResponseConsumer<?> consumer) {
    return consumer == null ? null : new StatusReadingConsumer<>(call, consumer);
  }

  /** The callback to hand the client: ends the span, then calls {@code callback} (may be null). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static FutureCallback<?> exchangeCallback(HttpCall call, FutureCallback<?> callback) {
    return new EndingCallback(call, callback);
  }

  /**
   * The classic call returned (a response, or what the caller's handler made of it, which may be
   * anything, a {@code Future} too): ends the span. Returns {@code result} itself.
   */
  public static Object returned(HttpCall call, Object result) {
    call.closeScope();
    if (result instanceof HttpResponse response) {
      responded(call, response);
    }
    call.end();
    return result;
  }

  /**
   * The async call was started (returned its {@code Future}): the span stops being current and
   * ends in the callback when the exchange completes. Returns {@code result} itself.
   */
  public static Object started(HttpCall call, Object result) {
    call.closeScope();
    return result;
  }

  /** The call threw {@code failure}: ends the span as failed. */
  public static void threw(HttpCall call, Throwable failure) {
    call.closeScope();
    call.failed(failure);
    call.end();
  }

  private static void responded(HttpCall call, HttpResponse response) {
    if (!call.isRecording()) {
      return;
    }
    try {
      ProtocolVersion version = response.getVersion();
      call.responded(
          response.getCode(),
          version == null ? null : version.getMinor() == 0 && version.getMajor() >= 2
              ? Integer.toString(version.getMajor())
              : version.getMajor() + "." + version.getMinor());
    } catch (Throwable failure) {
      Failures.report("recording an HTTP response", failure);
    }
  }

  /**
   * Hands on the caller's producer's request as a copy with the trace context's headers; names
   * the span after it the first time. A repeatable producer may send again (a retry): the same
   * headers go out.
   */
  private static final class TracingProducer implements AsyncRequestProducer {
    private final HttpCall call;
    private final AsyncRequestProducer producer;

    /** The headers to add, worked out from the producer's first request; null until then. */
    private volatile List<String> headers;

    TracingProducer(HttpCall call, AsyncRequestProducer producer) {
      this.call = call;
      this.producer = producer;
    }

    @Override
    public void sendRequest(RequestChannel channel, HttpContext context) throws HttpException, IOException {
      producer.sendRequest(new TracingChannel(this, channel), context);
    }

    @Override
    public boolean isRepeatable() {
      return producer.isRepeatable();
    }

    @Override
    public void failed(Exception cause) {
      producer.failed(cause);
    }

    @Override
    public int available() {
      return producer.available();
    }

    @Override
    public void produce(DataStreamChannel channel) throws IOException {
      producer.produce(channel);
    }

    @Override
    public void releaseResources() {
      producer.releaseResources();
    }
  }

  /** The channel the producer sends its request on: a copy with the headers goes on instead. */
  private static final class TracingChannel implements RequestChannel {
    private final TracingProducer producer;
    private final RequestChannel channel;

    TracingChannel(TracingProducer producer, RequestChannel channel) {
      this.producer = producer;
      this.channel = channel;
    }

    @Override
    public void sendRequest(HttpRequest request, EntityDetails entity, HttpContext context)
        throws HttpException, IOException {
      channel.sendRequest(request == null ? null : traced(request), entity, context);
    }

    private HttpRequest traced(HttpRequest request) {
      HttpCall call = producer.call;
      List<String> headers = producer.headers;
      if (headers == null) {
        try {
          URIAuthority authority = request.getAuthority();
          call.named(
              request.getMethod(),
              request.getScheme(),
              authority == null ? null : authority.getHostName(),
              authority == null ? -1 : authority.getPort(),
              request.getUri().toString());
        } catch (Throwable failure) {
          Failures.report("naming an HTTP client call's span", failure);
        }
        headers = headersFor(call, request);
        producer.headers = headers;
      }
      if (headers.isEmpty()) {
        return request;
      }
      try {
        return copyWith(request, headers);
      } catch (Throwable failure) {
        Failures.report("copying an Apache HttpClient request to add the trace context's headers", failure);
        return request;
      }
    }
  }

  /**
   * What the caller's request depends on while its copy is sent: cancelling the caller's request
   * cancels the copy. {@code setDependency} also cancels the new dependency when another thread
   * set one at the same moment (a request shared between threads), so this cancels the copy only
   * when the caller's request really is cancelled.
   */
  private static final class CancelsCopy implements Cancellable {
    private final CancellableDependency request;
    private final Cancellable copy;

    CancelsCopy(CancellableDependency request, Cancellable copy) {
      this.request = request;
      this.copy = copy;
    }

    @Override
    public boolean cancel() {
      return request.isCancelled() && copy.cancel();
    }
  }

  /** Reads the response's status into the span, then hands it to the caller's consumer. */
  private static final class StatusReadingConsumer<T> implements AsyncResponseConsumer<T> {
    private final HttpCall call;
    private final AsyncResponseConsumer<T> consumer;

    StatusReadingConsumer(HttpCall call, AsyncResponseConsumer<T> consumer) {
      this.call = call;
      this.consumer = consumer;
    }

    @Override
    public void consumeResponse(
        HttpResponse response, EntityDetails entity, HttpContext context, FutureCallback<T> resultCallback)
        throws HttpException, IOException {
      if (response != null) {
        responded(call, response);
      }
      consumer.consumeResponse(response, entity, context, resultCallback);
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) throws HttpException, IOException {
      consumer.informationResponse(response, context);
    }

    @Override
    public void failed(Exception cause) {
      consumer.failed(cause);
    }

    @Override
    public void updateCapacity(CapacityChannel channel) throws IOException {
      consumer.updateCapacity(channel);
    }

    @Override
    public void consume(ByteBuffer data) throws IOException {
      consumer.consume(data);
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
      consumer.streamEnd(trailers);
    }

    @Override
    public void releaseResources() {
      consumer.releaseResources();
    }
  }

  /** Reads the response's status into the span, then hands the response to the caller's handler. */
  private static final class StatusReadingHandler<T> implements HttpClientResponseHandler<T> {
    private final HttpCall call;
    private final HttpClientResponseHandler<? extends T> handler;

    StatusReadingHandler(HttpCall call, HttpClientResponseHandler<? extends T> handler) {
      this.call = call;
      this.handler = handler;
    }

    @Override
    public T handleResponse(ClassicHttpResponse response) throws HttpException, java.io.IOException {
      responded(call, response);
      return handler.handleResponse(response);
    }
  }

  /** Ends the span of an async exchange, then calls the caller's callback. */
  private static final class EndingCallback<T> implements FutureCallback<T> {
    private final HttpCall call;
    private final FutureCallback<T> callback;

    EndingCallback(HttpCall call, FutureCallback<T> callback) {
      this.call = call;
      this.callback = callback;
    }

    @Override
    public void completed(T response) {
      if (response instanceof HttpResponse http) {
        responded(call, http);
      }
      call.end();
      if (callback != null) {
        callback.completed(response);
      }
    }

    @Override
    public void failed(Exception failure) {
      call.failed(failure);
      call.end();
      if (callback != null) {
        callback.failed(failure);
      }
    }

    @Override
    public void cancelled() {
      call.end();
      if (callback != null) {
        callback.cancelled();
      }
    }
  }
}
