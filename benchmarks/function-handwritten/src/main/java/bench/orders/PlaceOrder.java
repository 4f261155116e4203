package bench.orders;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * {@code POST /orders} with the spans written by hand, as a careful engineer would: the same
 * spans and attributes Baton creates (a SERVER invocation span continuing the caller's trace,
 * three INTERNAL method spans, a PRODUCER span for the SQS send whose context the message
 * carries), the same SDK ({@link FunctionTelemetry}), and a flush before each response.
 */
public class PlaceOrder implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  private static final OpenTelemetrySdk SDK = FunctionTelemetry.create();
  private static final Tracer TRACER = SDK.getTracer("bench.orders");
  private static boolean coldStart = true;

  private static final TextMapGetter<Map<String, String>> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };
  private static final TextMapSetter<Map<String, MessageAttributeValue>> MESSAGE_ATTRIBUTES =
      (carrier, key, value) ->
          carrier.put(key, MessageAttributeValue.builder().dataType("String").stringValue(value).build());

  private final SqsClient sqs = OrderQueue.client();
  private final String queueUrl = OrderQueue.url();

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    var http = event.getRequestContext() == null ? null : event.getRequestContext().getHttp();
    String arn = context.getInvokedFunctionArn();
    Span span =
        TRACER.spanBuilder(event.getRouteKey())
            .setSpanKind(SpanKind.SERVER)
            .setParent(SDK.getPropagators().getTextMapPropagator().extract(
                io.opentelemetry.context.Context.current(), event.getHeaders(), HEADERS))
            .setAttribute("faas.trigger", "http")
            .setAttribute("faas.coldstart", coldStart)
            .setAttribute("faas.invocation_id", context.getAwsRequestId())
            .setAttribute("cloud.provider", "aws")
            .setAttribute("cloud.region", System.getenv("AWS_REGION"))
            .setAttribute("cloud.resource_id", arn)
            .setAttribute("cloud.account.id", arn.split(":")[4])
            .setAttribute("http.request.method", http == null ? null : http.getMethod())
            .setAttribute("http.route", event.getRouteKey().substring(event.getRouteKey().indexOf(' ') + 1))
            .setAttribute("url.path", event.getRawPath())
            .startSpan();
    coldStart = false;
    try (Scope scope = span.makeCurrent()) {
      Order order = parse(event.getBody());
      long total = price(order.sku(), order.quantity());
      String messageId = enqueue(order, total);
      APIGatewayV2HTTPResponse response =
          APIGatewayV2HTTPResponse.builder()
              .withStatusCode(201)
              .withBody(OrderLogic.created(order, total, messageId))
              .build();
      span.setAttribute("http.response.status_code", 201L);
      return response;
    } catch (RuntimeException failure) {
      span.setStatus(StatusCode.ERROR);
      span.setAttribute("error.type", failure.getClass().getName());
      span.recordException(failure);
      throw failure;
    } finally {
      span.end();
      SDK.getSdkTracerProvider().forceFlush().join(2_000, TimeUnit.MILLISECONDS);
    }
  }

  Order parse(String body) {
    Span span = TRACER.spanBuilder("PlaceOrder.parse").startSpan();
    try (Scope scope = span.makeCurrent()) {
      return OrderLogic.parse(body);
    } catch (RuntimeException failure) {
      failed(span, failure);
      throw failure;
    } finally {
      span.end();
    }
  }

  long price(String sku, int quantity) {
    Span span =
        TRACER.spanBuilder("PlaceOrder.price")
            .setAttribute("order.sku", sku)
            .setAttribute("order.quantity", quantity)
            .startSpan();
    try (Scope scope = span.makeCurrent()) {
      return OrderLogic.price(sku, quantity);
    } catch (RuntimeException failure) {
      failed(span, failure);
      throw failure;
    } finally {
      span.end();
    }
  }

  String enqueue(Order order, long totalCents) {
    Span span = TRACER.spanBuilder("PlaceOrder.enqueue").startSpan();
    try (Scope scope = span.makeCurrent()) {
      return send(OrderLogic.message(order, totalCents));
    } catch (RuntimeException failure) {
      failed(span, failure);
      throw failure;
    } finally {
      span.end();
    }
  }

  private String send(String body) {
    String queue = queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
    Span span =
        TRACER.spanBuilder("send " + queue)
            .setSpanKind(SpanKind.PRODUCER)
            .setAttribute("rpc.system", "aws-api")
            .setAttribute("rpc.service", "Sqs")
            .setAttribute("rpc.method", "SendMessage")
            .setAttribute("cloud.region", System.getenv("AWS_REGION"))
            .setAttribute("messaging.system", "aws_sqs")
            .setAttribute("messaging.destination.name", queue)
            .setAttribute("messaging.operation.type", "send")
            .setAttribute("aws.sqs.queue_url", queueUrl)
            .startSpan();
    try (Scope scope = span.makeCurrent()) {
      Map<String, MessageAttributeValue> attributes = new HashMap<>();
      SDK.getPropagators().getTextMapPropagator()
          .inject(io.opentelemetry.context.Context.current(), attributes, MESSAGE_ATTRIBUTES);
      SendMessageResponse response =
          sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body).messageAttributes(attributes));
      span.setAttribute("http.response.status_code", (long) response.sdkHttpResponse().statusCode());
      span.setAttribute(AttributeKey.stringKey("messaging.message.id"), response.messageId());
      return response.messageId();
    } catch (RuntimeException failure) {
      failed(span, failure);
      throw failure;
    } finally {
      span.end();
    }
  }

  private static void failed(Span span, RuntimeException failure) {
    span.setStatus(StatusCode.ERROR);
    span.setAttribute("error.type", failure.getClass().getName());
    span.recordException(failure);
  }
}
