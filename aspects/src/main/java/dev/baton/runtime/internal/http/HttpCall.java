package dev.baton.runtime.internal.http;

import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.SemanticConventions;
import dev.baton.runtime.internal.TracedMethods;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>One HTTP request made from woven code, with any of the supported clients, and its CLIENT
 * span as the HTTP client semantic conventions describe it: named after the method ({@code GET};
 * {@code HTTP} for a method the conventions do not know), with {@code http.request.method}
 * ({@code _OTHER} and {@code http.request.method_original} for an unknown one), {@code
 * server.address}, {@code server.port}, {@code url.full} (see {@link HttpUrls}), {@code
 * http.response.status_code} and {@code network.protocol.version}. A status of 400 or more, or a
 * failure, is an error: status ERROR and {@code error.type} (the status code, or the exception's
 * class name, with an {@code exception} event).
 *
 * <p>The span is current from {@link #start} until the client call returns ({@link
 * #closeScope}), and ends exactly once ({@link #end}), also when an asynchronous call completes
 * on another thread. No method throws: every step has its own {@code try} and reports to {@link
 * Failures}; a call whose span could not start records nothing.
 */
public final class HttpCall {

  /** The methods the HTTP semantic conventions know, as {@code http.request.method} values. */
  private static final List<String> KNOWN_METHODS =
      List.of("CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "QUERY", "TRACE");

  /** The span name of a request whose method is not known. */
  static final String OTHER_METHOD_SPAN_NAME = "HTTP";

  private static final String TRACEPARENT = "traceparent";
  private static final String TRACESTATE = "tracestate";

  private Span span = Span.getInvalid();
  private Scope scope = Scope.noop();
  private final AtomicBoolean ended = new AtomicBoolean();

  private HttpCall() {}

  /** A call that traces nothing: what a failed start leaves. */
  static HttpCall none() {
    HttpCall call = new HttpCall();
    call.ended.set(true);
    return call;
  }

  /**
   * Starts the CLIENT span of a request and makes it current.
   *
   * @param url the request's URL as the client holds it, recorded through {@link HttpUrls#full}
   * @param port the URL's port, or -1 for the scheme's default
   */
  static HttpCall start(String method, String scheme, String host, int port, String url) {
    HttpCall call = new HttpCall();
    try {
      boolean known = method != null && KNOWN_METHODS.contains(method);
      SpanBuilder builder =
          BatonTelemetry.tracer()
              .spanBuilder(known ? method : OTHER_METHOD_SPAN_NAME)
              .setSpanKind(SpanKind.CLIENT)
              .setAttribute(
                  SemanticConventions.HTTP_REQUEST_METHOD,
                  known ? method : SemanticConventions.HTTP_REQUEST_METHOD_OTHER);
      if (!known && method != null) {
        builder.setAttribute(SemanticConventions.HTTP_REQUEST_METHOD_ORIGINAL, method);
      }
      String address = HttpUrls.address(host);
      if (address != null) {
        builder.setAttribute(SemanticConventions.SERVER_ADDRESS, address);
      }
      int serverPort = HttpUrls.port(scheme, port);
      if (serverPort > 0) {
        builder.setAttribute(SemanticConventions.SERVER_PORT, (long) serverPort);
      }
      String full = HttpUrls.full(url);
      if (full != null) {
        builder.setAttribute(SemanticConventions.URL_FULL, full);
      }
      call.span = builder.startSpan();
      call.scope = call.span.makeCurrent();
    } catch (Throwable failure) {
      Failures.report("starting an HTTP client call's span", failure);
    }
    return call;
  }

  /**
   * Starts the CLIENT span of a request not known yet (Apache's async {@code AsyncRequestProducer}
   * makes it later, on the client's I/O thread), named {@code HTTP} until {@link #named} names
   * it, and makes it current.
   */
  static HttpCall startUnnamed() {
    HttpCall call = new HttpCall();
    try {
      call.span =
          BatonTelemetry.tracer()
              .spanBuilder(OTHER_METHOD_SPAN_NAME)
              .setSpanKind(SpanKind.CLIENT)
              .startSpan();
      call.scope = call.span.makeCurrent();
    } catch (Throwable failure) {
      Failures.report("starting an HTTP client call's span", failure);
    }
    return call;
  }

  /** The request of a call started by {@link #startUnnamed} is known: names the span after it. */
  void named(String method, String scheme, String host, int port, String url) {
    try {
      if (!span.isRecording()) {
        return;
      }
      boolean known = method != null && KNOWN_METHODS.contains(method);
      span.updateName(known ? method : OTHER_METHOD_SPAN_NAME);
      span.setAttribute(
          SemanticConventions.HTTP_REQUEST_METHOD,
          known ? method : SemanticConventions.HTTP_REQUEST_METHOD_OTHER);
      if (!known && method != null) {
        span.setAttribute(SemanticConventions.HTTP_REQUEST_METHOD_ORIGINAL, method);
      }
      String address = HttpUrls.address(host);
      if (address != null) {
        span.setAttribute(SemanticConventions.SERVER_ADDRESS, address);
      }
      int serverPort = HttpUrls.port(scheme, port);
      if (serverPort > 0) {
        span.setAttribute(SemanticConventions.SERVER_PORT, (long) serverPort);
      }
      String full = HttpUrls.full(url);
      if (full != null) {
        span.setAttribute(SemanticConventions.URL_FULL, full);
      }
    } catch (Throwable failure) {
      Failures.report("naming an HTTP client call's span", failure);
    }
  }

  /** Whether the span records (is sampled, or recorded for a dropped invocation). */
  boolean isRecording() {
    return span.isRecording();
  }

  /**
   * The headers the configured propagators inject for this call's span, less those the request
   * already has: a header the caller set (its own {@code traceparent}, say) is left alone and
   * recorded as {@code http.request.header.<name>}; with a caller's {@code traceparent} Baton's
   * {@code tracestate} is left out too, as it belongs to another parent. Pairs of name and value;
   * empty when the span could not start. Never throws.
   */
  List<String> headersToAdd(ExistingHeaders existing) {
    if (!span.getSpanContext().isValid()) {
      return Collections.emptyList();
    }
    try {
      List<String> headers = new ArrayList<>(4);
      BatonTelemetry.openTelemetry()
          .getPropagators()
          .getTextMapPropagator()
          .inject(Context.current().with(span), headers, Collector.INSTANCE);
      int count = headers.size() / 2;
      String[] own = new String[count];
      boolean callerTraceparent = false;
      for (int i = 0; i < count; i++) {
        own[i] = existing.first(headers.get(2 * i));
        if (own[i] != null && headers.get(2 * i).equalsIgnoreCase(TRACEPARENT)) {
          callerTraceparent = true;
        }
      }
      List<String> toAdd = new ArrayList<>(headers.size());
      for (int i = 0; i < count; i++) {
        String name = headers.get(2 * i);
        if (own[i] != null) {
          recordCallerHeader(name, own[i]);
        } else if (!(callerTraceparent && name.equalsIgnoreCase(TRACESTATE))) {
          toAdd.add(name);
          toAdd.add(headers.get(2 * i + 1));
        }
      }
      return toAdd;
    } catch (Throwable failure) {
      Failures.report("injecting the trace context into an HTTP request", failure);
      return Collections.emptyList();
    }
  }

  private void recordCallerHeader(String name, String value) {
    if (span.isRecording()) {
      span.setAttribute(
          SemanticConventions.httpRequestHeader(name), Collections.singletonList(value));
    }
  }

  /** The response arrived with {@code status} over {@code protocolVersion} (null if unknown). */
  void responded(int status, String protocolVersion) {
    try {
      if (!span.isRecording()) {
        return;
      }
      if (status > 0) {
        span.setAttribute(SemanticConventions.HTTP_RESPONSE_STATUS_CODE, (long) status);
      }
      if (protocolVersion != null) {
        span.setAttribute(SemanticConventions.NETWORK_PROTOCOL_VERSION, protocolVersion);
      }
      if (status >= 400) {
        span.setStatus(StatusCode.ERROR);
        span.setAttribute(SemanticConventions.ERROR_TYPE, Integer.toString(status));
      }
    } catch (Throwable failure) {
      Failures.report("recording an HTTP response", failure);
    }
  }

  /** The call failed with {@code failure} (a {@code CompletionException}'s cause is recorded). */
  void failed(Throwable failure) {
    if (span.isRecording() && !ended.get()) {
      TracedMethods.recordFailure(span, TracedMethods.unwrap(failure));
    }
  }

  /** Ends the span, the first time only. */
  void end() {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    try {
      span.end();
    } catch (Throwable failure) {
      Failures.report("ending a span", failure);
    }
  }

  /** The client call returned (for an asynchronous one: was started): the span stops being current. */
  void closeScope() {
    Scope current = scope;
    scope = Scope.noop();
    try {
      current.close();
    } catch (Throwable failure) {
      Failures.report("closing a span's scope", failure);
    }
  }

  /** How a client's request answers whether it has a header already. */
  interface ExistingHeaders {
    /** The request's first value of header {@code name} (case-insensitive), or null. */
    String first(String name);
  }

  /** Collects injected headers as name, value pairs. */
  private enum Collector implements TextMapSetter<List<String>> {
    INSTANCE;

    @Override
    public void set(List<String> carrier, String key, String value) {
      if (carrier != null && key != null && value != null) {
        carrier.add(key);
        carrier.add(value);
      }
    }
  }
}
