package dev.baton.runtime.internal.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.SemanticConventions;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.StatusCode;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;

/**
 * The HTTP request of an API Gateway (REST or HTTP API), function URL or Application Load
 * Balancer event, as the invocation span reads it: a SERVER span {@code METHOD route} with the
 * HTTP server attributes, parented by the request's headers. And the one HTTP end: the response
 * status, an ERROR from 500 on. Each event type is read by its own overload, chosen at compile
 * time; everything after is shared.
 */
final class HttpRequest implements InvocationStart.EventAttributes {

  private static final Set<String> KNOWN_METHODS =
      Set.of("CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE");

  final String method;
  final String route;
  final String path;
  final TreeMap<String, List<String>> headers;

  private HttpRequest(
      String method, String route, String path, TreeMap<String, List<String>> headers) {
    this.method = method == null ? null : method.toUpperCase(Locale.ROOT);
    this.route = route == null || route.isEmpty() ? null : route;
    this.path = path;
    this.headers = headers == null ? Carriers.newCarrier() : headers;
  }

  /** An API Gateway REST API (proxy integration) request; its resource is the route. */
  static HttpRequest of(APIGatewayProxyRequestEvent event) {
    if (event == null) {
      return new HttpRequest(null, null, null, null);
    }
    return new HttpRequest(
        event.getHttpMethod(),
        event.getResource(),
        event.getPath(),
        Carriers.headers(event.getHeaders(), event.getMultiValueHeaders()));
  }

  /** An API Gateway HTTP API (payload 2.0) or function URL request; the route key's path. */
  static HttpRequest of(APIGatewayV2HTTPEvent event) {
    if (event == null) {
      return new HttpRequest(null, null, null, null);
    }
    String method = null;
    if (event.getRequestContext() != null && event.getRequestContext().getHttp() != null) {
      method = event.getRequestContext().getHttp().getMethod();
    }
    return new HttpRequest(
        method, routeOf(event.getRouteKey()), event.getRawPath(), Carriers.headers(event.getHeaders(), null));
  }

  /** An Application Load Balancer request: no route. */
  static HttpRequest of(ApplicationLoadBalancerRequestEvent event) {
    if (event == null) {
      return new HttpRequest(null, null, null, null);
    }
    return new HttpRequest(
        event.getHttpMethod(),
        null,
        event.getPath(),
        Carriers.headers(event.getHeaders(), event.getMultiValueHeaders()));
  }

  /** {@code POST /orders} gives {@code /orders}; {@code $default} has no route. */
  static String routeOf(String routeKey) {
    if (routeKey == null) {
      return null;
    }
    int space = routeKey.indexOf(' ');
    return space < 0 ? null : routeKey.substring(space + 1);
  }

  private boolean knownMethod() {
    return method != null && KNOWN_METHODS.contains(method);
  }

  String spanName() {
    String prefix = knownMethod() ? method : "HTTP";
    return route == null ? prefix : prefix + " " + route;
  }

  @Override
  public void addTo(SpanBuilder builder) {
    if (knownMethod()) {
      builder.setAttribute(SemanticConventions.HTTP_REQUEST_METHOD, method);
    } else if (method != null) {
      builder.setAttribute(
          SemanticConventions.HTTP_REQUEST_METHOD, SemanticConventions.HTTP_REQUEST_METHOD_OTHER);
      builder.setAttribute(SemanticConventions.HTTP_REQUEST_METHOD_ORIGINAL, method);
    }
    if (route != null) {
      builder.setAttribute(SemanticConventions.HTTP_ROUTE, route);
    }
    if (path != null) {
      builder.setAttribute(SemanticConventions.URL_PATH, path);
    }
    String scheme = Carriers.first(headers, "X-Forwarded-Proto");
    if (scheme != null) {
      builder.setAttribute(SemanticConventions.URL_SCHEME, scheme);
    }
    String userAgent = Carriers.first(headers, "User-Agent");
    if (userAgent != null) {
      builder.setAttribute(SemanticConventions.USER_AGENT_ORIGINAL, userAgent);
    }
  }

  /**
   * The response's status on the invocation span ({@code http.response.status_code}; from 500
   * on, status ERROR and {@code error.type}). True when the status says the invocation failed.
   * Never throws.
   */
  static boolean recordStatus(Span span, Integer status) {
    if (status == null) {
      return false;
    }
    try {
      span.setAttribute(SemanticConventions.HTTP_RESPONSE_STATUS_CODE, (long) status);
      if (status >= 500) {
        span.setStatus(StatusCode.ERROR);
        span.setAttribute(SemanticConventions.ERROR_TYPE, String.valueOf(status));
        return true;
      }
    } catch (Throwable failure) {
      Failures.report("recording the HTTP response status", failure);
    }
    return false;
  }

  /** A status getter threw (a user's subclass of a response type): no status, reported once. */
  static Integer unreadableStatus(Throwable failure) {
    Failures.report("reading the HTTP response status", failure);
    return null;
  }
}
