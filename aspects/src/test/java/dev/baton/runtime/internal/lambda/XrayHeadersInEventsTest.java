package dev.baton.runtime.internal.lambda;

import static dev.baton.testing.SpanAssertions.assertRemoteParent;
import static dev.baton.testing.SpanAssertions.assertRoot;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.baton.runtime.Baton;
import dev.baton.testing.LambdaEvents;
import dev.baton.testing.TestLambdaContext;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code OTEL_PROPAGATORS=tracecontext,baggage,xray} and the default parent-based sampler, an
 * X-Ray header that came in with the event is a parent only when it says {@code Sampled=1}. On
 * AWS the SDK in a calling function adds its own X-Ray header to every request ({@code Sampled=0}
 * with active tracing off), and API Gateway forwards it: taken as the parent, it would have made
 * the sampler drop the invocation, and nothing would be exported at all. Real event JSON, with the
 * headers a caller's SDK would have sent.
 */
class XrayHeadersInEventsTest {

  private static final InMemorySpanExporter EXPORTER = InMemorySpanExporter.create();
  private static final TestLambdaContext CONTEXT = TestLambdaContext.of("req-xray", "orders");

  private static final String CALLER_TRACE_ID = "67a1b2c30123456789abcdef01234567";
  private static final String CALLER_SPAN_ID = "1111111111111111";
  private static final String CALLERS_UNSAMPLED =
      "Root=1-67a1b2c3-0123456789abcdef01234567;Parent=1111111111111111;Sampled=0";
  private static final String CALLERS_SAMPLED = CALLERS_UNSAMPLED.replace("Sampled=0", "Sampled=1");

  @BeforeAll
  static void useInMemorySdkWithXray() {
    Baton.useOpenTelemetry(
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .setSampler(Sampler.parentBased(Sampler.alwaysOn()))
                    .addSpanProcessor(SimpleSpanProcessor.create(EXPORTER))
                    .build())
            .setPropagators(
                ContextPropagators.create(
                    TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(),
                        W3CBaggagePropagator.getInstance(),
                        AwsXrayPropagator.getInstance())))
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
    assertThat(spans).as("the invocation span, sampled and exported").hasSize(1);
    return spans.get(0);
  }

  /** The REST API event with the caller's X-Ray header in place of its own and no traceparent. */
  private static APIGatewayProxyRequestEvent restRequestFromALambdaCaller(String xrayHeader) {
    APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent(LambdaEvents.API_GATEWAY_REST);
    Map<String, String> headers = new HashMap<>(event.getHeaders());
    headers.remove("TraceParent");
    headers.put("X-Amzn-Trace-Id", xrayHeader);
    event.setHeaders(headers);
    Map<String, List<String>> multi = new HashMap<>(event.getMultiValueHeaders());
    multi.remove("TraceParent");
    multi.put("X-Amzn-Trace-Id", List.of(xrayHeader));
    event.setMultiValueHeaders(multi);
    return event;
  }

  @Test
  void anApiGatewayRequestWithAnUnsampledXrayHeaderStartsATraceOfItsOwn() {
    LambdaInvocation.startApiGateway(restRequestFromALambdaCaller(CALLERS_UNSAMPLED), CONTEXT)
        .endApiGateway(new APIGatewayProxyResponseEvent().withStatusCode(200));

    SpanData span = only();
    assertRoot(span);
    assertThat(span.getTraceId()).isNotEqualTo(CALLER_TRACE_ID);
    assertThat(span.getSpanContext().isSampled()).isTrue();
  }

  @Test
  void aSampledOneParentsTheInvocation() {
    LambdaInvocation.startApiGateway(restRequestFromALambdaCaller(CALLERS_SAMPLED), CONTEXT)
        .endApiGateway(new APIGatewayProxyResponseEvent().withStatusCode(200));

    assertRemoteParent(only(), CALLER_TRACE_ID, CALLER_SPAN_ID);
  }

  @Test
  void theEventAsApiGatewaySendsItIsParentedByItsTraceparent() {
    // API Gateway's own X-Ray header ("Root=..." only) is no parent; the traceparent is.
    LambdaInvocation.startApiGateway(EventLoader.loadApiGatewayRestEvent(LambdaEvents.API_GATEWAY_REST), CONTEXT)
        .endApiGateway(new APIGatewayProxyResponseEvent().withStatusCode(200));

    assertRemoteParent(only(), LambdaEvents.TRACEPARENT_TRACE_ID, LambdaEvents.TRACEPARENT_SPAN_ID);
  }

  @Test
  void anSnsNotificationWithAnUnsampledXrayAttributeStartsATraceOfItsOwn() {
    SNSEvent event = EventLoader.loadSNSEvent(LambdaEvents.SNS);
    SNSEvent.SNS sns = event.getRecords().get(0).getSNS();
    SNSEvent.MessageAttribute xray = new SNSEvent.MessageAttribute();
    xray.setType("String");
    xray.setValue(CALLERS_UNSAMPLED);
    sns.setMessageAttributes(Map.of("X-Amzn-Trace-Id", xray));

    LambdaInvocation.startSns(event, CONTEXT).end();
    assertRoot(only());

    EXPORTER.reset();
    xray.setValue(CALLERS_SAMPLED);
    LambdaInvocation.startSns(event, CONTEXT).end();
    assertRemoteParent(only(), CALLER_TRACE_ID, CALLER_SPAN_ID);
  }

  @Test
  void aClientContextWithAnUnsampledXrayHeaderGivesWayToTheFunctionsSampledOne() {
    System.setProperty("com.amazonaws.xray.traceHeader", LambdaEvents.XRAY_HEADER);

    LambdaInvocation.startOther(
            LambdaInvocation.OTHER, CONTEXT.withClientContextCustom(Map.of("X-Amzn-Trace-Id", CALLERS_UNSAMPLED)))
        .end();

    assertRemoteParent(only(), LambdaEvents.XRAY_TRACE_ID, LambdaEvents.XRAY_SPAN_ID);
  }
}
