package dev.baton.runtime.internal.http;

import dev.baton.runtime.internal.Failures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>What the advice of {@code dev.baton.aspects.JdkHttpClientCalls} calls around {@code
 * java.net.http.HttpClient.send} and {@code sendAsync} in woven code:
 *
 * <pre>{@code
 * HttpCall call = JdkHttpCalls.start(request);
 * try {
 *   Object result = proceed(client, JdkHttpCalls.request(call, request)); // a copy with the headers
 *   return JdkHttpCalls.returned(call, result);   // the same response, or the same future
 * } catch (Throwable failure) {
 *   JdkHttpCalls.threw(call, failure);
 *   throw TracedMethods.rethrow(failure);         // the same object
 * }
 * }</pre>
 *
 * <p>An {@code HttpRequest} is immutable: the headers go into a copy, {@code
 * HttpRequest.newBuilder(request, (name, value) -> true)} with them set. When the copy cannot be
 * made or the client's builder rejects a header (a restricted name such as {@code Host} from a
 * custom propagator), the original request is sent, and the failure reported once. No method
 * here throws.
 */
public final class JdkHttpCalls {

  private JdkHttpCalls() {}

  /** Starts the CLIENT span of {@code request} (null passes through: the client throws for it). */
  public static HttpCall start(HttpRequest request) {
    if (request == null) {
      return HttpCall.none();
    }
    try {
      URI uri = request.uri();
      return HttpCall.start(
          request.method(), uri.getScheme(), uri.getHost(), uri.getPort(), uri.toString());
    } catch (Throwable failure) {
      Failures.report("starting an HTTP client call's span", failure);
      return HttpCall.none();
    }
  }

  /** The request to send: a copy of {@code request} with the trace context's headers, or itself. */
  public static HttpRequest request(HttpCall call, HttpRequest request) {
    if (request == null) {
      return null;
    }
    List<String> headers = call.headersToAdd(name -> request.headers().firstValue(name).orElse(null));
    if (headers.isEmpty()) {
      return request;
    }
    try {
      HttpRequest.Builder copy = HttpRequest.newBuilder(request, (name, value) -> true);
      for (int i = 0; i < headers.size(); i += 2) {
        copy.setHeader(headers.get(i), headers.get(i + 1));
      }
      return copy.build();
    } catch (Throwable failure) {
      Failures.report("adding the trace context's headers to an HttpRequest", failure);
      return request;
    }
  }

  /**
   * {@code send} returned a response, or {@code sendAsync} a future: ends the span now, or when
   * the future completes. Returns {@code result} itself.
   */
  public static Object returned(HttpCall call, Object result) {
    call.closeScope();
    if (result instanceof CompletableFuture<?> future) {
      try {
        future.whenComplete(new Completion(call));
      } catch (Throwable failure) {
        Failures.report("waiting for an asynchronous HTTP call", failure);
        call.end();
      }
    } else {
      responded(call, result);
      call.end();
    }
    return result;
  }

  /** The call threw {@code failure}: ends the span as failed. */
  public static void threw(HttpCall call, Throwable failure) {
    call.closeScope();
    call.failed(failure);
    call.end();
  }

  private static void responded(HttpCall call, Object result) {
    if (result instanceof HttpResponse<?> response && call.isRecording()) {
      try {
        call.responded(response.statusCode(), protocolVersion(response.version()));
      } catch (Throwable failure) {
        Failures.report("recording an HTTP response", failure);
      }
    }
  }

  private static String protocolVersion(HttpClient.Version version) {
    if (version == null) {
      return null;
    }
    switch (version) {
      case HTTP_1_1:
        return "1.1";
      case HTTP_2:
        return "2";
      default:
        return null;
    }
  }

  /** Ends the span of a {@code sendAsync} when its future completes. */
  private static final class Completion implements BiConsumer<Object, Throwable> {
    private final HttpCall call;

    Completion(HttpCall call) {
      this.call = call;
    }

    @Override
    public void accept(Object response, Throwable failure) {
      if (failure != null) {
        call.failed(failure);
      } else {
        responded(call, response);
      }
      call.end();
    }
  }
}
