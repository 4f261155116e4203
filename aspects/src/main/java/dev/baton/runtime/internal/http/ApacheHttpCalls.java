package dev.baton.runtime.internal.http;

import dev.baton.runtime.internal.Failures;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.ProtocolVersion;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;
import org.apache.hc.core5.net.URIAuthority;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>What the advice of {@code dev.baton.aspects.ApacheHttpClientCalls} calls around Apache
 * HttpClient 5's {@code execute} (every overload of the classic client, and the async client's
 * {@code SimpleHttpRequest} ones):
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
 * a null one) to end the span when the exchange completes. No method here throws.
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
  private static final class EndingCallback implements FutureCallback<SimpleHttpResponse> {
    private final HttpCall call;
    private final FutureCallback<SimpleHttpResponse> callback;

    EndingCallback(HttpCall call, FutureCallback<SimpleHttpResponse> callback) {
      this.call = call;
      this.callback = callback;
    }

    @Override
    public void completed(SimpleHttpResponse response) {
      if (response != null) {
        responded(call, response);
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
