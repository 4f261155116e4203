package dev.baton.runtime.internal.lambda;

import static dev.baton.testing.SpanAssertions.assertChildOf;
import static dev.baton.testing.SpanAssertions.assertLinks;
import static dev.baton.testing.SpanAssertions.assertRemoteParent;
import static dev.baton.testing.SpanAssertions.assertRoot;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.baton.runtime.Baton;
import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.TracedMethods;
import dev.baton.testing.LambdaEvents;
import dev.baton.testing.SpanAssertions;
import dev.baton.testing.TestLambdaContext;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every extraction path of the runtime, fed with the real event JSON of {@link LambdaEvents}. */
class TriggerExtractionTest {

  private static final InMemorySpanExporter EXPORTER = InMemorySpanExporter.create();
  private static final String FUNCTION = "orders";
  private static final TestLambdaContext CONTEXT = TestLambdaContext.of("req-1", FUNCTION);

  @BeforeAll
  static void useInMemorySdk() {
    Baton.useOpenTelemetry(
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(EXPORTER)).build())
            .setPropagators(
                ContextPropagators.create(
                    TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
            .build());
  }

  @BeforeEach
  @AfterEach
  void reset() {
    EXPORTER.reset();
    System.clearProperty("com.amazonaws.xray.traceHeader");
  }

  private static SpanData only() {
    List<SpanData> spans = EXPORTER.getFinishedSpanItems();
    assertThat(spans).hasSize(1);
    return spans.get(0);
  }

  @Test
  void apiGatewayRestRequest() {
    APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent(LambdaEvents.API_GATEWAY_REST);
    LambdaInvocation invocation = LambdaInvocation.startApiGateway(event, CONTEXT);
    assertThat(Span.current().getSpanContext()).isEqualTo(invocation.span().getSpanContext());
    invocation.endApiGateway(new APIGatewayProxyResponseEvent().withStatusCode(200));

    SpanData span = only();
    assertThat(span)
        .hasName("POST /orders/{id}")
        .hasKind(SpanKind.SERVER)
        .hasAttribute(AttributeKey.stringKey("http.request.method"), "POST")
        .hasAttribute(AttributeKey.stringKey("http.route"), "/orders/{id}")
        .hasAttribute(AttributeKey.stringKey("url.path"), "/orders/42")
        .hasAttribute(AttributeKey.stringKey("url.scheme"), "https")
        .hasAttribute(AttributeKey.stringKey("user_agent.original"), "curl/8.5.0")
        .hasAttribute(AttributeKey.longKey("http.response.status_code"), 200L)
        .hasAttribute(AttributeKey.stringKey("faas.trigger"), "http")
        .hasAttribute(AttributeKey.stringKey("faas.invocation_id"), "req-1")
        .hasAttribute(AttributeKey.stringKey("cloud.provider"), "aws")
        .hasAttribute(AttributeKey.stringKey("cloud.account.id"), "123456789012")
        .hasAttribute(AttributeKey.stringKey("cloud.resource_id"), TestLambdaContext.arn(FUNCTION))
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.unset());
    assertThat(span.getAttributes().get(AttributeKey.booleanKey("faas.coldstart"))).isNotNull();
    // "TraceParent" in the event: header names are matched case-insensitively.
    assertRemoteParent(span, LambdaEvents.TRACEPARENT_TRACE_ID, LambdaEvents.TRACEPARENT_SPAN_ID);
    assertThat(Span.current().getSpanContext().isValid()).as("scope closed").isFalse();
  }

  @Test
  void theResourceIdIsTheFunctionsArnWithoutTheAliasItWasInvokedThrough() {
    LambdaInvocation.startOther(
            LambdaInvocation.OTHER,
            CONTEXT.withInvokedArn(TestLambdaContext.arn(FUNCTION) + ":prod"))
        .end();

    // AWS_LAMBDA_FUNCTION_VERSION, which would name the version, is not set here.
    assertThat(only())
        .hasAttribute(AttributeKey.stringKey("cloud.resource_id"), TestLambdaContext.arn(FUNCTION))
        .hasAttribute(AttributeKey.stringKey("aws.lambda.invoked_arn"), TestLambdaContext.arn(FUNCTION) + ":prod");
  }

  @Test
  void serverErrorResponseIsAnError() {
    LambdaInvocation.startApiGateway(EventLoader.loadApiGatewayRestEvent(LambdaEvents.API_GATEWAY_REST), CONTEXT)
        .endApiGateway(new APIGatewayProxyResponseEvent().withStatusCode(503));
    assertThat(only()).hasStatus(io.opentelemetry.sdk.trace.data.StatusData.error())
        .hasAttribute(AttributeKey.stringKey("error.type"), "503");
  }

  @Test
  void httpApiRequest() {
    APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent(LambdaEvents.HTTP_API);
    LambdaInvocation.startHttpApi(event, CONTEXT)
        .endHttpApi(APIGatewayV2HTTPResponse.builder().withStatusCode(404).build());
    SpanData span = only();
    assertThat(span).hasName("POST /orders").hasKind(SpanKind.SERVER)
        .hasAttribute(AttributeKey.longKey("http.response.status_code"), 404L)
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.unset());
    assertRemoteParent(span, LambdaEvents.TRACEPARENT_TRACE_ID, LambdaEvents.TRACEPARENT_SPAN_ID);
    assertThat(span.getParentSpanContext().getTraceState().get("congo")).isEqualTo("t61rcWkgMzE");
  }

  @Test
  void albRequestWithMultiValueHeadersAndBaggage() {
    ApplicationLoadBalancerRequestEvent event = EventLoader.loadApplicationLoadBalancerRequestEvent(LambdaEvents.ALB);
    LambdaInvocation invocation = LambdaInvocation.startAlb(event, CONTEXT);
    Baggage baggage = Baggage.current();
    ApplicationLoadBalancerResponseEvent response = new ApplicationLoadBalancerResponseEvent();
    response.setStatusCode(200);
    invocation.endAlb(response);

    SpanData span = only();
    assertThat(span).hasName("GET").hasAttribute(AttributeKey.stringKey("url.path"), "/lambda");
    assertRemoteParent(span, LambdaEvents.TRACEPARENT_2_TRACE_ID, LambdaEvents.TRACEPARENT_2_SPAN_ID);
    assertThat(baggage.getEntryValue("tenant")).isEqualTo("acme");
    assertThat(baggage.getEntryValue("region")).isEqualTo("eu");
  }

  @Test
  void sqsMessageWithW3cAttributes() {
    SQSEvent event = EventLoader.loadSQSEvent(LambdaEvents.SQS_W3C);
    LambdaInvocation.startSqs(event, CONTEXT).endSqs(new SQSBatchResponse(List.of()));
    SpanData span = only();
    assertThat(span).hasName("process orders").hasKind(SpanKind.CONSUMER)
        .hasAttribute(AttributeKey.stringKey("faas.trigger"), "pubsub")
        .hasAttribute(AttributeKey.stringKey("messaging.system"), "aws_sqs")
        .hasAttribute(AttributeKey.stringKey("messaging.operation.type"), "process")
        .hasAttribute(AttributeKey.stringKey("messaging.destination.name"), "orders")
        .hasAttribute(AttributeKey.longKey("messaging.batch.message_count"), 1L)
        .hasAttribute(AttributeKey.longKey("baton.batch_item_failures"), 0L);
    assertRemoteParent(span, LambdaEvents.TRACEPARENT_TRACE_ID, LambdaEvents.TRACEPARENT_SPAN_ID);
  }

  @Test
  void sqsMessageWithAwsTraceHeader() {
    LambdaInvocation.startSqs(EventLoader.loadSQSEvent(LambdaEvents.SQS_AWS_TRACE_HEADER), CONTEXT).end();
    assertRemoteParent(only(), LambdaEvents.XRAY_TRACE_ID, LambdaEvents.XRAY_SPAN_ID);
  }

  @Test
  void sqsMessageWithSnsEnvelopeBody() {
    LambdaInvocation.startSqs(EventLoader.loadSQSEvent(LambdaEvents.SQS_SNS_ENVELOPE), CONTEXT).end();
    SpanData span = only();
    assertThat(span).hasName("process notify-customer");
    assertRemoteParent(span, LambdaEvents.TRACEPARENT_2_TRACE_ID, LambdaEvents.TRACEPARENT_2_SPAN_ID);
  }

  @Test
  void batchSharingOneContextIsParentedByIt() {
    LambdaInvocation.startSqs(EventLoader.loadSQSEvent(LambdaEvents.SQS_BATCH_SHARED_CONTEXT), CONTEXT).end();
    SpanData span = only();
    assertRemoteParent(span, LambdaEvents.TRACEPARENT_TRACE_ID, LambdaEvents.TRACEPARENT_SPAN_ID);
    assertThat(span.getLinks()).isEmpty();
  }

  @Test
  void batchFromSeveralSourcesLinksEveryContext() {
    LambdaInvocation.startSqs(EventLoader.loadSQSEvent(LambdaEvents.SQS_MULTI_SOURCE), CONTEXT).end();
    SpanData span = only();
    assertThat(span).hasName("process multiple_sources");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("messaging.destination.name"))).isNull();
    assertRoot(span);
    assertLinks(span,
        LambdaEvents.TRACEPARENT_TRACE_ID + ":" + LambdaEvents.TRACEPARENT_SPAN_ID,
        LambdaEvents.XRAY_TRACE_ID + ":" + LambdaEvents.XRAY_SPAN_ID);
  }

  @Test
  void batchItemFailuresAreRecorded() {
    LambdaInvocation.startSqs(EventLoader.loadSQSEvent(LambdaEvents.SQS_BATCH_SHARED_CONTEXT), CONTEXT)
        .endSqs(new SQSBatchResponse(List.of(new SQSBatchResponse.BatchItemFailure("a2"))));
    SpanData span = only();
    assertThat(span).hasAttribute(AttributeKey.longKey("baton.batch_item_failures"), 1L)
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.create(
            StatusCode.ERROR, "1 message of the batch failed"));
    assertThat(span.getEvents()).singleElement().satisfies(event -> {
      assertThat(event.getName()).isEqualTo("batch item failure");
      assertThat(event.getAttributes().get(AttributeKey.stringKey("messaging.message.id"))).isEqualTo("a2");
    });
  }

  @Test
  void snsRecord() {
    SNSEvent event = EventLoader.loadSNSEvent(LambdaEvents.SNS);
    LambdaInvocation.startSns(event, CONTEXT).end();
    SpanData span = only();
    assertThat(span).hasName("process order-placed").hasKind(SpanKind.CONSUMER)
        .hasAttribute(AttributeKey.stringKey("messaging.system"), "aws.sns");
    assertRemoteParent(span, LambdaEvents.TRACEPARENT_2_TRACE_ID, LambdaEvents.TRACEPARENT_2_SPAN_ID);
  }

  @Test
  void withSpansGoingToXrayLambdasSampledHeaderParentsAndTheCallersContextBecomesALink() {
    dev.baton.runtime.internal.BatonTelemetry.parentInvocationsOnLambdaXrayHeader(true);
    System.setProperty("com.amazonaws.xray.traceHeader", LambdaEvents.XRAY_HEADER);
    try {
      LambdaInvocation.startHttpApi(EventLoader.loadApiGatewayHttpEvent(LambdaEvents.HTTP_API), CONTEXT)
          .endHttpApi(APIGatewayV2HTTPResponse.builder().withStatusCode(200).build());
      SpanData span = only();
      assertRemoteParent(span, LambdaEvents.XRAY_TRACE_ID, LambdaEvents.XRAY_SPAN_ID);
      assertThat(span.getLinks()).singleElement().satisfies(link -> {
        assertThat(link.getSpanContext().getTraceId()).isEqualTo(LambdaEvents.TRACEPARENT_TRACE_ID);
        assertThat(link.getSpanContext().getSpanId()).isEqualTo(LambdaEvents.TRACEPARENT_SPAN_ID);
      });

      // Unsampled (active tracing off): the caller's context parents, as always.
      EXPORTER.reset();
      System.setProperty("com.amazonaws.xray.traceHeader", LambdaEvents.XRAY_HEADER.replace("Sampled=1", "Sampled=0"));
      LambdaInvocation.startHttpApi(EventLoader.loadApiGatewayHttpEvent(LambdaEvents.HTTP_API), CONTEXT)
          .endHttpApi(APIGatewayV2HTTPResponse.builder().withStatusCode(200).build());
      assertRemoteParent(only(), LambdaEvents.TRACEPARENT_TRACE_ID, LambdaEvents.TRACEPARENT_SPAN_ID);
      assertThat(only().getLinks()).isEmpty();
    } finally {
      dev.baton.runtime.internal.BatonTelemetry.parentInvocationsOnLambdaXrayHeader(false);
    }
  }

  @Test
  void scheduledEventUsesTheSampledLambdaXrayHeader() {
    System.setProperty("com.amazonaws.xray.traceHeader", LambdaEvents.XRAY_HEADER);
    LambdaInvocation.startOther(LambdaInvocation.TIMER, CONTEXT).end();
    SpanData span = only();
    assertThat(span).hasName(FUNCTION).hasKind(SpanKind.SERVER)
        .hasAttribute(AttributeKey.stringKey("faas.trigger"), "timer");
    assertRemoteParent(span, LambdaEvents.XRAY_TRACE_ID, LambdaEvents.XRAY_SPAN_ID);
  }

  @Test
  void unsampledLambdaXrayHeaderIsIgnored() {
    System.setProperty("com.amazonaws.xray.traceHeader", LambdaEvents.XRAY_HEADER.replace("Sampled=1", "Sampled=0"));
    LambdaInvocation.startOther(LambdaInvocation.OTHER, CONTEXT).end();
    assertRoot(only());
  }

  @Test
  void clientContextOfALambdaToLambdaInvoke() {
    System.setProperty("com.amazonaws.xray.traceHeader", LambdaEvents.XRAY_HEADER);
    LambdaInvocation.startOther(LambdaInvocation.OTHER,
            CONTEXT.withClientContextCustom(Map.of("traceparent", LambdaEvents.TRACEPARENT_2)))
        .end();
    assertRemoteParent(only(), LambdaEvents.TRACEPARENT_2_TRACE_ID, LambdaEvents.TRACEPARENT_2_SPAN_ID);
  }

  @Test
  void handlerExceptionIsRecordedAndTheSameObjectRethrown() {
    IllegalStateException thrown = new IllegalStateException("boom");
    AtomicReference<Throwable> caught = new AtomicReference<>();
    LambdaInvocation invocation = LambdaInvocation.startOther(LambdaInvocation.OTHER, CONTEXT);
    try {
      try {
        throw thrown;
      } catch (Throwable failure) {
        invocation.end(failure);
        throw TracedMethods.rethrow(failure);
      }
    } catch (Throwable rethrown) {
      caught.set(rethrown);
    }
    assertThat(caught.get()).isSameAs(thrown);
    SpanData span = only();
    assertThat(span).hasStatus(io.opentelemetry.sdk.trace.data.StatusData.error())
        .hasAttribute(AttributeKey.stringKey("error.type"), "java.lang.IllegalStateException")
        .hasException(thrown);
  }

  @Test
  void endsAreIdempotent() {
    LambdaInvocation invocation = LambdaInvocation.startOther(LambdaInvocation.OTHER, CONTEXT);
    invocation.end();
    invocation.end(new RuntimeException("late"));
    invocation.end();
    assertThat(only().getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void messageSpansContinueEachMessagesTrace() {
    SQSEvent event = EventLoader.loadSQSEvent(LambdaEvents.SQS_MULTI_SOURCE);
    LambdaInvocation invocation = LambdaInvocation.startSqs(event, CONTEXT);
    for (SQSEvent.SQSMessage message : event.getRecords()) {
      Span span = MessageSpans.sqsMessage(null, message);
      Scope scope = TracedMethods.makeCurrent(span);
      TracedMethods.end(span, scope);
    }
    invocation.end();

    List<SpanData> spans = EXPORTER.getFinishedSpanItems();
    SpanData batch = SpanAssertions.invocationSpan(spans, "req-1");
    SpanData m1 = byMessageId(spans, "m1");
    assertRemoteParent(m1, LambdaEvents.TRACEPARENT_TRACE_ID, LambdaEvents.TRACEPARENT_SPAN_ID);
    assertLinks(m1, batch.getTraceId() + ":" + batch.getSpanId());
    assertThat(m1).hasName("process orders").hasKind(SpanKind.CONSUMER);
    SpanData m2 = byMessageId(spans, "m2");
    assertRemoteParent(m2, LambdaEvents.XRAY_TRACE_ID, LambdaEvents.XRAY_SPAN_ID);
    assertThat(m2).hasName("process returns");
    SpanData m3 = byMessageId(spans, "m3");
    assertChildOf(m3, batch);
    assertThat(m3.getLinks()).isEmpty();
  }

  @Test
  void messageSpanInTheInvocationsTraceIsItsChild() {
    SNSEvent event = EventLoader.loadSNSEvent(LambdaEvents.SNS);
    LambdaInvocation invocation = LambdaInvocation.startSns(event, CONTEXT);
    Span span = MessageSpans.snsRecord("notify", event.getRecords().get(0));
    TracedMethods.end(span, TracedMethods.makeCurrent(span));
    invocation.end();
    List<SpanData> spans = EXPORTER.getFinishedSpanItems();
    SpanData message = byMessageId(spans, "95df01b4-ee98-5cb9-9903-4c221d41eb5e");
    assertThat(message).hasName("notify")
        .hasAttribute(AttributeKey.stringKey("messaging.destination.name"), "order-placed");
    assertChildOf(message, SpanAssertions.invocationSpan(spans, "req-1"));
    assertThat(message.getLinks()).isEmpty();
  }

  private static SpanData byMessageId(List<SpanData> spans, String id) {
    return spans.stream()
        .filter(s -> id.equals(s.getAttributes().get(AttributeKey.stringKey("messaging.message.id")))
            && s.getAttributes().get(AttributeKey.stringKey("faas.invocation_id")) == null)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span for message " + id + " in " + spans));
  }

  @Test
  void failuresAreCountedNotThrown() {
    long before = Failures.count();
    LambdaInvocation.startSqs(EventLoader.loadSQSEvent(LambdaEvents.SQS_MALFORMED), CONTEXT).end();
    assertRoot(only());
    assertThat(only().getLinks()).as("nothing usable: no links").isEmpty();
    assertThat(Failures.count() - before).as("malformed traceparent, X-Ray header, envelope").isGreaterThanOrEqualTo(3);
  }
}
