package dev.baton.aspects;

import dev.baton.runtime.internal.TracedMethods;
import dev.baton.runtime.internal.http.HttpCall;
import dev.baton.runtime.internal.http.JdkHttpCalls;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.aspectj.lang.annotation.SuppressAjWarnings;

/**
 * {@code java.net.http.HttpClient} calls in woven code: {@code send(request, handler)}, {@code
 * sendAsync(request, handler)} and {@code sendAsync(request, handler, pushPromiseHandler)} get a
 * CLIENT span per the HTTP client semantic conventions, current while the call runs and ended
 * when the response (or, for {@code sendAsync}, the future) completes, and the trace context's
 * headers go out in a copy of the request. The JDK is not woven: the call site is. The client is
 * part of the JDK, so this aspect is always woven. Each advice only calls {@link JdkHttpCalls}.
 */
public aspect JdkHttpClientCalls {

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(HttpClient client, HttpRequest request):
      (call(* HttpClient+.send(HttpRequest, HttpResponse.BodyHandler))
          || call(* HttpClient+.sendAsync(HttpRequest, HttpResponse.BodyHandler, ..)))
          && target(client) && args(request, ..) && !within(dev.baton.runtime..*) {
    HttpCall call = JdkHttpCalls.start(request);
    try {
      Object result = proceed(client, JdkHttpCalls.request(call, request));
      return JdkHttpCalls.returned(call, result);
    } catch (Throwable failure) {
      JdkHttpCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }
}
