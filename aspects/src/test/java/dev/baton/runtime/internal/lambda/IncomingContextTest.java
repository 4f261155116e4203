package dev.baton.runtime.internal.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.Failures;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayLambdaPropagator;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayPropagator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.utilslite.SdkInternalThreadLocal;

/**
 * The SQS message of a Lambda event and the AWS SDK's {@code Message} read the same way, W3C
 * context before the X-Ray headers AWS adds, which count only when sampled, and the invocation's
 * own X-Ray header read first, never in place of a carrier's context.
 */
class IncomingContextTest {

  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-b7ad6b7169203331-01";
  private static final String XRAY =
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

  private static final String UNSAMPLED_XRAY =
      "Root=1-67a1b2c3-0123456789abcdef01234567;Parent=1111111111111111;Sampled=0";
  private static final String ENVELOPE_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String ENVELOPE =
      "{\"Type\":\"Notification\",\"MessageId\":\"m-1\","
          + "\"TopicArn\":\"arn:aws:sns:us-east-1:123456789012:order-events\",\"Message\":\"hi\","
          + "\"MessageAttributes\":{\"traceparent\":{\"Type\":\"String\","
          + "\"Value\":\"00-" + ENVELOPE_TRACE_ID + "-00f067aa0ba902b7-01\"}}}";

  @AfterEach
  void clearHeader() {
    System.clearProperty(IncomingContext.XRAY_TRACE_HEADER_PROPERTY);
    SdkInternalThreadLocal.remove(IncomingContext.PER_THREAD_TRACE_ID_KEY);
    BatonTelemetry.use(null, null);
  }

  private static SQSEvent.SQSMessage message(String traceparent, String awsTraceHeader, String body) {
    SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
    if (traceparent != null) {
      SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
      attribute.setDataType("String");
      attribute.setStringValue(traceparent);
      message.setMessageAttributes(Map.of("traceparent", attribute));
    }
    if (awsTraceHeader != null) {
      message.setAttributes(Map.of(IncomingContext.AWS_TRACE_HEADER, awsTraceHeader));
    }
    message.setBody(body);
    return message;
  }

  @Test
  void snsToSqsOnAwsTheEnvelopesContextWinsOverTheUnsampledTraceHeaderSnsAdded() {
    // On AWS a message delivered from SNS carries the publisher's X-Ray header as AWSTraceHeader,
    // Sampled=0 with active tracing off: a trace of its own that no one records.
    SQSEvent.SQSMessage delivered = message(null, UNSAMPLED_XRAY, ENVELOPE);

    assertThat(traceId(IncomingContext.fromSqsMessage(delivered))).isEqualTo(ENVELOPE_TRACE_ID);
    assertThat(traceId(SdkMessageSpans.fromMessage(sdkMessage(null, UNSAMPLED_XRAY, ENVELOPE))))
        .isEqualTo(ENVELOPE_TRACE_ID);
  }

  @Test
  void aSampledTraceHeaderNeverWinsOverW3cContext() {
    assertThat(traceId(IncomingContext.fromSqsMessage(message(TRACEPARENT, XRAY, null)))).isEqualTo(TRACE_ID);
    assertThat(traceId(IncomingContext.fromSqsMessage(message(null, XRAY, ENVELOPE))))
        .isEqualTo(ENVELOPE_TRACE_ID);
  }

  @Test
  void anUnsampledTraceHeaderAloneIsNoParent() {
    long before = Failures.count();

    assertThat(IncomingContext.fromSqsMessage(message(null, UNSAMPLED_XRAY, "{}"))).isNull();
    assertThat(IncomingContext.fromSqsMessage(message(null, "Root=garbage;Sampled=0", "{}"))).isNull();
    assertThat(Failures.count()).as("unsampled: not parsed, so not reported").isEqualTo(before);
  }

  @Test
  void aCarrierIsReadOnItsOwnEvenWithTheXrayLambdaPropagator() {
    // xray-lambda falls back to the function's own X-Ray header when its input has no span: for
    // a message or a request that would make the function's header the carrier's context.
    BatonTelemetry.use(
        OpenTelemetry.propagating(ContextPropagators.create(AwsXrayLambdaPropagator.getInstance())));
    System.setProperty(IncomingContext.XRAY_TRACE_HEADER_PROPERTY, XRAY);

    assertThat(IncomingContext.fromSqsMessage(message(null, null, "{}"))).isNull();
    assertThat(traceId(IncomingContext.fromSqsMessage(message(TRACEPARENT, null, null)))).isEqualTo(TRACE_ID);
    TreeMap<String, List<String>> headers = Carriers.newCarrier();
    Carriers.put(headers, "X-Amzn-Trace-Id", UNSAMPLED_XRAY);
    assertThat(traceId(IncomingContext.fromCarrier(headers, "HTTP headers")))
        .as("the carrier's own X-Ray header, not the function's")
        .isEqualTo("67a1b2c30123456789abcdef01234567");
    // The function's header is still read as the one input it is.
    assertThat(traceId(IncomingContext.fromLambda(null))).isEqualTo("5759e988bd862e3fe1be46a994272793");
  }

  @Test
  void aTraceparentWinsOverAnXrayHeaderInTheSameCarrier() {
    BatonTelemetry.use(
        OpenTelemetry.propagating(
            ContextPropagators.create(
                TextMapPropagator.composite(
                    W3CTraceContextPropagator.getInstance(), AwsXrayPropagator.getInstance()))));
    TreeMap<String, List<String>> headers = Carriers.newCarrier();
    Carriers.put(headers, "traceparent", TRACEPARENT);
    Carriers.put(headers, "X-Amzn-Trace-Id", UNSAMPLED_XRAY);

    assertThat(traceId(IncomingContext.fromCarrier(headers, "HTTP headers"))).isEqualTo(TRACE_ID);
  }

  @Test
  void theInvocationsOwnHeaderComesBeforeTheJvmWideOnes() {
    System.setProperty(IncomingContext.XRAY_TRACE_HEADER_PROPERTY, UNSAMPLED_XRAY);
    XrayContext own = new XrayContext(XRAY);

    assertThat(IncomingContext.lambdaXrayHeader(own, false)).isEqualTo(XRAY);
    assertThat(traceId(IncomingContext.fromLambda(own))).isEqualTo("5759e988bd862e3fe1be46a994272793");

    SdkInternalThreadLocal.put(IncomingContext.PER_THREAD_TRACE_ID_KEY, XRAY);
    assertThat(IncomingContext.lambdaXrayHeader(new XrayContext(null), false))
        .as("the runtime client's per-thread value next")
        .isEqualTo(XRAY);
    SdkInternalThreadLocal.remove(IncomingContext.PER_THREAD_TRACE_ID_KEY);
    assertThat(IncomingContext.lambdaXrayHeader(new XrayContext(null), false))
        .as("the system property last, one invocation at a time")
        .isEqualTo(UNSAMPLED_XRAY);
    assertThat(IncomingContext.lambdaXrayHeader(new XrayContext(null), true))
        .as("with invocations at once, the JVM-wide value may be another invocation's")
        .isNull();
  }

  private static Message sdkMessage(String traceparent, String awsTraceHeader, String body) {
    Message.Builder message = Message.builder().body(body);
    if (traceparent != null) {
      message.messageAttributes(
          Map.of("traceparent", MessageAttributeValue.builder().dataType("String").stringValue(traceparent).build()));
    }
    if (awsTraceHeader != null) {
      message.attributes(Map.of(MessageSystemAttributeName.AWS_TRACE_HEADER, awsTraceHeader));
    }
    return message.build();
  }

  /** A Lambda context with just an X-Ray header, as the runtime client's gives it. */
  private static final class XrayContext implements com.amazonaws.services.lambda.runtime.Context {
    private final String header;

    XrayContext(String header) {
      this.header = header;
    }

    @Override
    public String getXrayTraceId() {
      return header;
    }

    @Override
    public String getAwsRequestId() {
      return "req";
    }

    @Override
    public String getLogGroupName() {
      return null;
    }

    @Override
    public String getLogStreamName() {
      return null;
    }

    @Override
    public String getFunctionName() {
      return "fn";
    }

    @Override
    public String getFunctionVersion() {
      return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
      return null;
    }

    @Override
    public com.amazonaws.services.lambda.runtime.CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public com.amazonaws.services.lambda.runtime.ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
      return 0;
    }

    @Override
    public int getMemoryLimitInMB() {
      return 512;
    }

    @Override
    public com.amazonaws.services.lambda.runtime.LambdaLogger getLogger() {
      return null;
    }
  }

  @Test
  void bothSqsMessageTypesReadAttributesThenEnvelopeThenSampledTraceHeader() {
    SQSEvent.SQSMessage lambda = new SQSEvent.SQSMessage();
    SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
    attribute.setDataType("String");
    attribute.setStringValue(TRACEPARENT);
    lambda.setMessageAttributes(Map.of("traceparent", attribute));
    lambda.setAttributes(Map.of(IncomingContext.AWS_TRACE_HEADER, XRAY));
    Message sdk = Message.builder()
        .messageAttributes(Map.of("traceparent", MessageAttributeValue.builder().dataType("String").stringValue(TRACEPARENT).build()))
        .attributes(Map.of(MessageSystemAttributeName.AWS_TRACE_HEADER, XRAY))
        .build();
    assertThat(traceId(IncomingContext.fromSqsMessage(lambda))).isEqualTo(TRACE_ID);
    assertThat(traceId(SdkMessageSpans.fromMessage(sdk))).isEqualTo(TRACE_ID);

    lambda.setMessageAttributes(null);
    sdk = sdk.toBuilder().messageAttributes(Map.of()).build();
    assertThat(traceId(IncomingContext.fromSqsMessage(lambda))).isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(traceId(SdkMessageSpans.fromMessage(sdk))).isEqualTo("5759e988bd862e3fe1be46a994272793");
  }

  @Test
  void aNonStringTraceparentIsReportedOnTheSdkPathToo() {
    Message sdk = Message.builder()
        .messageAttributes(Map.of("traceparent", MessageAttributeValue.builder().dataType("Number").stringValue("1").build()))
        .build();
    SQSEvent.SQSMessage lambda = new SQSEvent.SQSMessage();
    SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
    attribute.setDataType("Binary");
    lambda.setMessageAttributes(Map.of("traceparent", attribute));

    long before = Failures.count();
    assertThat(SdkMessageSpans.fromMessage(sdk)).isNull();
    assertThat(Failures.count()).isEqualTo(before + 1);
    assertThat(IncomingContext.fromSqsMessage(lambda)).isNull();
    assertThat(Failures.count()).isEqualTo(before + 2);
  }

  @Test
  void theLambdaXrayHeaderIsParsedOnlyWhenSampled() {
    System.setProperty(IncomingContext.XRAY_TRACE_HEADER_PROPERTY, XRAY);
    assertThat(traceId(IncomingContext.fromLambda(null))).isEqualTo("5759e988bd862e3fe1be46a994272793");

    long before = Failures.count();
    System.setProperty(IncomingContext.XRAY_TRACE_HEADER_PROPERTY, XRAY.replace("Sampled=1", "Sampled=0"));
    assertThat(IncomingContext.fromLambda(null)).isNull();
    System.setProperty(IncomingContext.XRAY_TRACE_HEADER_PROPERTY, "Root=not-a-root;Sampled=0");
    assertThat(IncomingContext.fromLambda(null)).as("unsampled: not parsed, so not reported").isNull();
    assertThat(Failures.count()).isEqualTo(before);

    System.setProperty(IncomingContext.XRAY_TRACE_HEADER_PROPERTY, "Root=not-a-root;Sampled=1");
    assertThat(IncomingContext.fromLambda(null)).isNull();
    assertThat(Failures.count()).isEqualTo(before + 1);
  }

  private static String traceId(Context context) {
    assertThat(context).isNotNull();
    return IncomingContext.spanContext(context).getTraceId();
  }
}
