package dev.baton.runtime.internal.http;

import dev.baton.runtime.internal.Failures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.ProtocolVersion;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;
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
 *   Object result = proceed(client, target, request, ..., ApacheHttpCalls.handler(call, handler));
 *   return ApacheHttpCalls.returned(call, result);
 * } catch (Throwable failure) {
 *   ApacheHttpCalls.threw(call, failure);
 *   throw TracedMethods.rethrow(failure);
 * }
 * }</pre>
 *
 * <p>Apache's requests are mutable: {@link #start} sets the trace context's headers on the
 * caller's request and the call's end removes them again, so that the same request object sent
 * again is traced afresh. A request whose headers cannot be set (a class of the caller's own
 * whose {@code setHeader} throws) is sent as it is, and the failure reported once. A response
 * handler is wrapped to read the status before the caller's handler runs; an async callback (also
 * a null one) to end the span when the exchange completes. An async exchange through a producer
 * and a consumer starts its span at {@code execute}, named {@code HTTP}, and names it when the
 * producer hands the client the request (before it connects, so a connection failure is named
 * too); the producer and consumer are wrapped to add the headers and read the status. No method here
 * throws.
 */
public final class ApacheHttpCalls {

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
      call = HttpCall.start(request.getMethod(), scheme, host, port, url);
    } catch (Throwable failure) {
      Failures.report("starting an HTTP client call's span", failure);
      return HttpCall.none();
    }
    inject(call, request);
    return call;
  }

  private static void inject(HttpCall call, HttpRequest request) {
    List<String> headers =
        call.headersToAdd(
            name -> {
              Header header = request.getFirstHeader(name);
              return header == null ? null : header.getValue();
            });
    if (headers.isEmpty()) {
      return;
    }
    List<String> added = new ArrayList<>(headers.size() / 2);
    try {
      for (int i = 0; i < headers.size(); i += 2) {
        request.setHeader(headers.get(i), headers.get(i + 1));
        added.add(headers.get(i));
      }
    } catch (Throwable failure) {
      Failures.report("adding the trace context's headers to an Apache HttpClient request", failure);
    }
    call.mutatedRequest = request;
    call.addedHeaders = added;
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
   * The classic call returned (a response, or what the caller's handler made of it): ends the
   * span. For the async client the span ends in its callback. Returns {@code result} itself.
   */
  public static Object returned(HttpCall call, Object result) {
    call.closeScope();
    if (result instanceof java.util.concurrent.Future<?>) {
      return result;
    }
    if (result instanceof HttpResponse response) {
      responded(call, response);
    }
    end(call);
    return result;
  }

  /** The call threw {@code failure}: ends the span as failed. */
  public static void threw(HttpCall call, Throwable failure) {
    call.closeScope();
    call.failed(failure);
    end(call);
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

  private static void end(HttpCall call) {
    if (call.mutatedRequest instanceof HttpRequest request) {
      try {
        for (String name : call.addedHeaders) {
          request.removeHeaders(name);
        }
      } catch (Throwable failure) {
        Failures.report("removing the trace context's headers from an Apache HttpClient request", failure);
      }
      call.mutatedRequest = null;
    }
    call.end();
  }

  /**
   * Sends the caller's producer's request with the trace context's headers; names the span after
   * it the first time. A repeatable producer may send again (a retry): the same headers go out.
   */
  private static final class TracingProducer implements AsyncRequestProducer {
    private final HttpCall call;
    private final AsyncRequestProducer producer;

    TracingProducer(HttpCall call, AsyncRequestProducer producer) {
      this.call = call;
      this.producer = producer;
    }

    @Override
    public void sendRequest(RequestChannel channel, HttpContext context) throws HttpException, IOException {
      producer.sendRequest(new TracingChannel(call, channel), context);
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

  /** The channel the producer sends its request on: the headers go in first. */
  private static final class TracingChannel implements RequestChannel {
    private final HttpCall call;
    private final RequestChannel channel;

    TracingChannel(HttpCall call, RequestChannel channel) {
      this.call = call;
      this.channel = channel;
    }

    @Override
    public void sendRequest(HttpRequest request, EntityDetails entity, HttpContext context)
        throws HttpException, IOException {
      if (request != null) {
        addHeaders(request);
      }
      channel.sendRequest(request, entity, context);
    }

    private void addHeaders(HttpRequest request) {
      if (call.mutatedRequest == request) {
        return; // sent again: the headers are still on it
      }
      if (call.mutatedRequest == null) {
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
      }
      inject(call, request);
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
      end(call);
      if (callback != null) {
        callback.completed(response);
      }
    }

    @Override
    public void failed(Exception failure) {
      call.failed(failure);
      end(call);
      if (callback != null) {
        callback.failed(failure);
      }
    }

    @Override
    public void cancelled() {
      end(call);
      if (callback != null) {
        callback.cancelled();
      }
    }
  }
}
