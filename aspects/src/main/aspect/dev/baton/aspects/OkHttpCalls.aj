package dev.baton.aspects;

import dev.baton.runtime.internal.http.OkHttpTracing;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.aspectj.lang.annotation.SuppressAjWarnings;

/**
 * OkHttp 4 and 5 calls in woven code: {@code client.newCall(request)} is made on a copy of the
 * client with Baton's interceptor last among the application interceptors (one per client, kept
 * while the client lives), and the request carries the context current at {@code newCall}. When
 * the call runs ({@code execute()} on the caller's thread, {@code enqueue} on OkHttp's
 * dispatcher) the interceptor opens the CLIENT span per the HTTP client semantic conventions,
 * adds the trace context's headers to the request and ends the span with the response or the
 * failure. Woven only when {@code okhttp} is on the classpath. The advice only calls {@link
 * OkHttpTracing}.
 */
public aspect OkHttpCalls {

  @SuppressAjWarnings("adviceDidNotMatch")
  Call around(OkHttpClient client, Request request):
      call(Call OkHttpClient+.newCall(Request)) && target(client) && args(request)
          && !within(dev.baton.runtime..*) {
    return proceed(OkHttpTracing.client(client), OkHttpTracing.request(request));
  }
}
