package dev.baton.runtime.internal.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.baton.runtime.internal.Failures;
import io.opentelemetry.context.Context;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The SQS message of a Lambda event and the AWS SDK's {@code Message} read the same way, and the
 * Lambda X-Ray header read only when sampled.
 */
class IncomingContextTest {

  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-b7ad6b7169203331-01";
  private static final String XRAY =
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

  @AfterEach
  void clearHeader() {
    System.clearProperty(IncomingContext.XRAY_TRACE_HEADER_PROPERTY);
  }

  @Test
  void bothSqsMessageTypesReadAttributesThenTraceHeaderThenEnvelope() {
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
