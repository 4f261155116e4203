package dev.baton.aspects;

import dev.baton.runtime.internal.TracedMethods;
import dev.baton.runtime.internal.http.ApacheHttpCalls;
import dev.baton.runtime.internal.http.HttpCall;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.HttpAsyncClient;
import org.apache.hc.client5.http.classic.HttpClient;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.HandlerFactory;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.aspectj.lang.annotation.SuppressAjWarnings;

/**
 * Apache HttpClient 5 calls in woven code: every {@code execute} overload of the classic client
 * ({@code HttpClient} and {@code CloseableHttpClient}: with or without a target host, a context,
 * a response handler) and {@code executeOpen}, and the async client's {@code
 * execute(SimpleHttpRequest, [context,] callback)} and {@code execute([target,] producer, consumer,
 * [pushHandlerFactory,] [context,] callback)}, get a CLIENT span per the HTTP client semantic
 * conventions and the trace context's headers. Woven only when {@code httpclient5} is on the
 * classpath. Each advice only calls {@link ApacheHttpCalls}: the client is handed a copy of the
 * caller's request with the headers (the caller's is never changed), and the advice, not the
 * result's type, says whether the call is classic (the span ends when it returns) or async (the
 * span ends in the callback).
 */
public aspect ApacheHttpClientCalls {

  pointcut woven(): !within(dev.baton.runtime..*);

  /** execute(request) and execute(request, context). */
  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(HttpClient client, ClassicHttpRequest request):
      (call(* HttpClient+.execute(ClassicHttpRequest)) || call(* HttpClient+.execute(ClassicHttpRequest, HttpContext)))
          && target(client) && args(request, ..) && woven() {
    HttpCall call = ApacheHttpCalls.start(null, request);
    try {
      Object result = proceed(client, ApacheHttpCalls.request(call, request));
      return ApacheHttpCalls.returned(call, result);
    } catch (Throwable failure) {
      ApacheHttpCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  /** execute(target, request), execute(target, request, context) and executeOpen. */
  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(HttpClient client, HttpHost target, ClassicHttpRequest request):
      (call(* HttpClient+.execute(HttpHost, ClassicHttpRequest))
          || call(* HttpClient+.execute(HttpHost, ClassicHttpRequest, HttpContext))
          || call(* HttpClient+.executeOpen(HttpHost, ClassicHttpRequest, HttpContext)))
          && target(client) && args(target, request, ..) && woven() {
    HttpCall call = ApacheHttpCalls.start(target, request);
    try {
      Object result = proceed(client, target, ApacheHttpCalls.request(call, request));
      return ApacheHttpCalls.returned(call, result);
    } catch (Throwable failure) {
      ApacheHttpCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  /** execute(request, handler). */
  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(HttpClient client, ClassicHttpRequest request, HttpClientResponseHandler handler):
      call(* HttpClient+.execute(ClassicHttpRequest, HttpClientResponseHandler))
          && target(client) && args(request, handler) && woven() {
    HttpCall call = ApacheHttpCalls.start(null, request);
    try {
      Object result = proceed(client, ApacheHttpCalls.request(call, request), ApacheHttpCalls.handler(call, handler));
      return ApacheHttpCalls.returned(call, result);
    } catch (Throwable failure) {
      ApacheHttpCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  /** execute(request, context, handler). */
  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(HttpClient client, ClassicHttpRequest request, HttpContext context, HttpClientResponseHandler handler):
      call(* HttpClient+.execute(ClassicHttpRequest, HttpContext, HttpClientResponseHandler))
          && target(client) && args(request, context, handler) && woven() {
    HttpCall call = ApacheHttpCalls.start(null, request);
    try {
      Object result = proceed(client, ApacheHttpCalls.request(call, request), context, ApacheHttpCalls.handler(call, handler));
      return ApacheHttpCalls.returned(call, result);
    } catch (Throwable failure) {
      ApacheHttpCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  /** execute(target, request, handler). */
  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(HttpClient client, HttpHost target, ClassicHttpRequest request, HttpClientResponseHandler handler):
      call(* HttpClient+.execute(HttpHost, ClassicHttpRequest, HttpClientResponseHandler))
          && target(client) && args(target, request, handler) && woven() {
    HttpCall call = ApacheHttpCalls.start(target, request);
    try {
      Object result = proceed(client, target, ApacheHttpCalls.request(call, request), ApacheHttpCalls.handler(call, handler));
      return ApacheHttpCalls.returned(call, result);
    } catch (Throwable failure) {
      ApacheHttpCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  /** execute(target, request, context, handler). */
  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(
          HttpClient client, HttpHost target, ClassicHttpRequest request, HttpContext context, HttpClientResponseHandler handler):
      call(* HttpClient+.execute(HttpHost, ClassicHttpRequest, HttpContext, HttpClientResponseHandler))
          && target(client) && args(target, request, context, handler) && woven() {
    HttpCall call = ApacheHttpCalls.start(target, request);
    try {
      Object result = proceed(client, target, ApacheHttpCalls.request(call, request), context, ApacheHttpCalls.handler(call, handler));
      return ApacheHttpCalls.returned(call, result);
    } catch (Throwable failure) {
      ApacheHttpCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  /** The async client's execute(request, callback). */
  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(CloseableHttpAsyncClient client, SimpleHttpRequest request, FutureCallback callback):
      call(* CloseableHttpAsyncClient+.execute(SimpleHttpRequest, FutureCallback))
          && target(client) && args(request, callback) && woven() {
    HttpCall call = ApacheHttpCalls.start(null, request);
    try {
      Object result = proceed(client, ApacheHttpCalls.request(call, request), ApacheHttpCalls.callback(call, callback));
      return ApacheHttpCalls.started(call, result);
    } catch (Throwable failure) {
      ApacheHttpCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  /** The async client's execute(request, context, callback). */
  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(CloseableHttpAsyncClient client, SimpleHttpRequest request, HttpContext context, FutureCallback callback):
      call(* CloseableHttpAsyncClient+.execute(SimpleHttpRequest, HttpContext, FutureCallback))
          && target(client) && args(request, context, callback) && woven() {
    HttpCall call = ApacheHttpCalls.start(null, request);
    try {
      Object result = proceed(client, ApacheHttpCalls.request(call, request), context, ApacheHttpCalls.callback(call, callback));
      return ApacheHttpCalls.started(call, result);
    } catch (Throwable failure) {
      ApacheHttpCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  /** The async client's execute(producer, consumer, callback). */
  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(HttpAsyncClient client, AsyncRequestProducer producer, AsyncResponseConsumer consumer, FutureCallback callback):
      call(* HttpAsyncClient+.execute(AsyncRequestProducer, AsyncResponseConsumer, FutureCallback))
          && target(client) && args(producer, consumer, callback) && woven() {
    HttpCall call = ApacheHttpCalls.startExchange();
    try {
      Object result = proceed(client, ApacheHttpCalls.producer(call, producer), ApacheHttpCalls.consumer(call, consumer), ApacheHttpCalls.exchangeCallback(call, callback));
      return ApacheHttpCalls.started(call, result);
    } catch (Throwable failure) {
      ApacheHttpCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  /** The async client's execute(producer, consumer, context, callback). */
  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(
          HttpAsyncClient client, AsyncRequestProducer producer, AsyncResponseConsumer consumer, HttpContext context,
          FutureCallback callback):
      call(* HttpAsyncClient+.execute(AsyncRequestProducer, AsyncResponseConsumer, HttpContext, FutureCallback))
          && target(client) && args(producer, consumer, context, callback) && woven() {
    HttpCall call = ApacheHttpCalls.startExchange();
    try {
      Object result = proceed(client, ApacheHttpCalls.producer(call, producer), ApacheHttpCalls.consumer(call, consumer), context, ApacheHttpCalls.exchangeCallback(call, callback));
      return ApacheHttpCalls.started(call, result);
    } catch (Throwable failure) {
      ApacheHttpCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  /** The async client's execute(producer, consumer, pushHandlerFactory, context, callback). */
  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(
          HttpAsyncClient client, AsyncRequestProducer producer, AsyncResponseConsumer consumer, HandlerFactory push,
          HttpContext context, FutureCallback callback):
      call(* HttpAsyncClient+.execute(AsyncRequestProducer, AsyncResponseConsumer, HandlerFactory, HttpContext, FutureCallback))
          && target(client) && args(producer, consumer, push, context, callback) && woven() {
    HttpCall call = ApacheHttpCalls.startExchange();
    try {
      Object result = proceed(client, ApacheHttpCalls.producer(call, producer), ApacheHttpCalls.consumer(call, consumer), push, context, ApacheHttpCalls.exchangeCallback(call, callback));
      return ApacheHttpCalls.started(call, result);
    } catch (Throwable failure) {
      ApacheHttpCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  /** The async client's execute(target, producer, consumer, pushHandlerFactory, context, callback). */
  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(
          HttpAsyncClient client, HttpHost target, AsyncRequestProducer producer, AsyncResponseConsumer consumer,
          HandlerFactory push, HttpContext context, FutureCallback callback):
      call(* HttpAsyncClient+.execute(HttpHost, AsyncRequestProducer, AsyncResponseConsumer, HandlerFactory, HttpContext, FutureCallback))
          && target(client) && args(target, producer, consumer, push, context, callback) && woven() {
    HttpCall call = ApacheHttpCalls.startExchange();
    try {
      Object result = proceed(client, target, ApacheHttpCalls.producer(call, producer), ApacheHttpCalls.consumer(call, consumer), push, context, ApacheHttpCalls.exchangeCallback(call, callback));
      return ApacheHttpCalls.started(call, result);
    } catch (Throwable failure) {
      ApacheHttpCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }
}
