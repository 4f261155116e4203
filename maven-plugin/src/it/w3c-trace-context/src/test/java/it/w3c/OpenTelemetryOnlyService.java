package it.w3c;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reference: the same service done by hand with OpenTelemetry's {@code
 * W3CTraceContextPropagator} alone, on the same headers (multi-value, names case-insensitive, the
 * first value of a name read as its value): extract, a SERVER span, a CLIENT span per call, inject.
 * Test code, so {@code baton:weave} does not touch its {@code HttpClient} calls.
 */
final class OpenTelemetryOnlyService {

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final Tracer TRACER = SdkTracerProvider.builder().build().get("w3c-reference");
  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

  private OpenTelemetryOnlyService() {}

  static APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event) {
    TreeMap<String, List<String>> carrier = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (event.getMultiValueHeaders() != null) {
      carrier.putAll(event.getMultiValueHeaders());
    }
    Context parent = W3C.extract(Context.root(), carrier, Getter.INSTANCE);
    Span server = TRACER.spanBuilder("POST /test").setParent(parent).setSpanKind(SpanKind.SERVER).startSpan();
    try {
      for (HarnessActionsAccess.Action action : HarnessActionsAccess.parse(event.getBody())) {
        Span client = TRACER.spanBuilder("POST").setParent(parent.with(server)).setSpanKind(SpanKind.CLIENT).startSpan();
        HttpRequest.Builder request =
            HttpRequest.newBuilder(URI.create(action.url()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(action.arguments()));
        W3C.inject(Context.root().with(client), request, HttpRequest.Builder::header);
        try {
          CLIENT.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (Exception e) {
          return new APIGatewayProxyResponseEvent().withStatusCode(502);
        } finally {
          client.end();
        }
      }
    } finally {
      server.end();
    }
    return new APIGatewayProxyResponseEvent().withStatusCode(200).withBody("{}");
  }

  private enum Getter implements TextMapGetter<Map<String, List<String>>> {
    INSTANCE;

    @Override
    public Iterable<String> keys(Map<String, List<String>> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, List<String>> carrier, String key) {
      List<String> values = carrier.get(key);
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public Iterator<String> getAll(Map<String, List<String>> carrier, String key) {
      List<String> values = carrier.get(key);
      return values == null ? Collections.emptyIterator() : values.iterator();
    }
  }
}
