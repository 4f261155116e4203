package dev.baton.runtime.internal.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.Failures;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageBuilder;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayLambdaPropagator;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayPropagator;
import java.util.Collection;
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

  /**
   * Fuzzing found it: OpenTelemetry's X-Ray propagator throws on a {@code Lineage} whose last part
   * is empty, which lost the header's context; Baton drops such a lineage (no valid one has an
   * empty part) and keeps the rest.
   */
  @Test
  void anXrayHeaderWithABrokenLineageKeepsItsContext() {
    long caught = Failures.caught();
    for (String lineage : List.of("Lineage=12:a1b2c3d4:", "Lineage=::", " Lineage=1::", "Lineage=:a1b2c3d4:5")) {
      Context extracted = IncomingContext.fromXrayHeader(XRAY + ";" + lineage, "a test");
      assertThat(extracted).as(lineage).isNotNull();
      assertThat(IncomingContext.spanContext(extracted).getTraceId()).isEqualTo("5759e988bd862e3fe1be46a994272793");
    }
    assertThat(Failures.caught()).isEqualTo(caught);
    assertThat(Carriers.Getter.withoutBrokenLineage(XRAY + ";Lineage=12:a1b2c3d4:;Self=1"))
        .isEqualTo(XRAY + ";Self=1");
    String valid = XRAY + ";Lineage=12:a1b2c3d4:5";
    assertThat(Carriers.Getter.withoutBrokenLineage(valid)).isSameAs(valid);
    assertThat(Baggage.fromContext(IncomingContext.fromXrayHeader(valid, "a test")).getEntryValue("Lineage"))
        .isEqualTo("12:a1b2c3d4:5");
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
    Carriers.put(headers, "X-Amzn-Trace-Id", UNSAMPLED_XRAY.replace("Sampled=0", "Sampled=1"));
    assertThat(traceId(IncomingContext.fromCarrier(headers, "HTTP headers")))
        .as("the carrier's own X-Ray header, not the function's")
        .isEqualTo("67a1b2c30123456789abcdef01234567");
    Carriers.put(headers, "X-Amzn-Trace-Id", UNSAMPLED_XRAY);
    assertThat(IncomingContext.fromCarrier(headers, "HTTP headers"))
        .as("an unsampled one is hidden from the propagator, which must not fall back either")
        .isNull();
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

  /** {@code OTEL_PROPAGATORS=tracecontext,baggage,xray}. */
  private static void useW3cAndXray(TextMapPropagator... more) {
    List<TextMapPropagator> propagators = new java.util.ArrayList<>(List.of(
        W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance(), AwsXrayPropagator.getInstance()));
    propagators.addAll(List.of(more));
    BatonTelemetry.use(OpenTelemetry.propagating(ContextPropagators.create(TextMapPropagator.composite(propagators))));
  }

  @Test
  void withTheXrayPropagatorAnUnsampledXrayHeaderInAnyCarrierIsNoParent() {
    // API Gateway forwards the X-Amzn-Trace-Id that the AWS SDK added in a calling Lambda
    // function: Sampled=0 with active tracing off, and a parent-based sampler would drop us.
    useW3cAndXray();
    String sampled = UNSAMPLED_XRAY.replace("Sampled=0", "Sampled=1");
    TreeMap<String, List<String>> headers = Carriers.headers(
        Map.of("accept", "*/*", "x-amzn-trace-id", UNSAMPLED_XRAY), null);
    long before = Failures.count();

    assertThat(IncomingContext.fromCarrier(headers, "HTTP headers")).isNull();
    headers.put("X-Amzn-Trace-Id", List.of("Root=1-5e66d96f-7491f09b0c2e4a0ed18acf3d"));
    assertThat(IncomingContext.fromCarrier(headers, "HTTP headers")).as("API Gateway's own, no decision").isNull();
    headers.put("X-Amzn-Trace-Id", List.of("Root=1-67a1b2c3-0123456789abcdef01234567;Parent=1111111111111111;Sampled=?"));
    assertThat(IncomingContext.fromCarrier(headers, "HTTP headers")).isNull();
    assertThat(Failures.count()).as("expected on AWS: not reported").isEqualTo(before);
    headers.put("X-Amzn-Trace-Id", List.of(sampled));
    assertThat(traceId(IncomingContext.fromCarrier(headers, "HTTP headers"))).isEqualTo("67a1b2c30123456789abcdef01234567");

    // Every other carrier an X-Ray header can come in.
    SNSEvent.SNSRecord record = new SNSEvent.SNSRecord();
    SNSEvent.SNS sns = new SNSEvent.SNS();
    SNSEvent.MessageAttribute attribute = new SNSEvent.MessageAttribute();
    attribute.setType("String");
    attribute.setValue(UNSAMPLED_XRAY);
    sns.setMessageAttributes(Map.of("X-Amzn-Trace-Id", attribute));
    record.setSns(sns);
    assertThat(IncomingContext.fromSnsRecord(record)).as("SNS message attributes").isNull();
    attribute.setValue(sampled);
    assertThat(traceId(IncomingContext.fromSnsRecord(record))).isEqualTo("67a1b2c30123456789abcdef01234567");

    SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
    SQSEvent.MessageAttribute sqsAttribute = new SQSEvent.MessageAttribute();
    sqsAttribute.setDataType("String");
    sqsAttribute.setStringValue(UNSAMPLED_XRAY);
    message.setMessageAttributes(Map.of("X-Amzn-Trace-Id", sqsAttribute));
    assertThat(IncomingContext.fromSqsMessage(message)).as("SQS message attributes").isNull();
    String envelope = ENVELOPE.replace("traceparent", "X-Amzn-Trace-Id")
        .replace("00-" + ENVELOPE_TRACE_ID + "-00f067aa0ba902b7-01", UNSAMPLED_XRAY);
    assertThat(IncomingContext.fromSqsMessage(message(null, null, envelope))).as("an SNS envelope").isNull();

    XrayContext invoked = new XrayContext(null, Map.of("X-Amzn-Trace-Id", UNSAMPLED_XRAY));
    assertThat(IncomingContext.fromClientContext(invoked)).as("a client context").isNull();
    invoked = new XrayContext(null, Map.of("X-Amzn-Trace-Id", sampled));
    assertThat(traceId(IncomingContext.fromClientContext(invoked))).isEqualTo("67a1b2c30123456789abcdef01234567");
  }

  @Test
  void anUnsampledXrayHeaderIsHiddenFromEveryConfiguredPropagatorAndTheRestIsKept() {
    // A propagator that reads every key (as Jaeger's and OT's baggage do) sees no X-Ray header.
    useW3cAndXray(new KeysToBaggage());
    TreeMap<String, List<String>> headers = Carriers.headers(
        Map.of("traceparent", TRACEPARENT, "X-Amzn-Trace-Id", UNSAMPLED_XRAY, "tenant", "acme"), null);

    Context context = IncomingContext.fromCarrier(headers, "HTTP headers");

    assertThat(traceId(context)).isEqualTo(TRACE_ID);
    assertThat(Baggage.fromContext(context).asMap()).containsOnlyKeys("traceparent", "tenant");
  }

  @Test
  void repeatedHeaderLinesAreOneListAsHttpCombinesThem() {
    // W3C Trace Context: a repeated traceparent is invalid (a new trace); tracestate lines combine.
    TreeMap<String, List<String>> duplicated = Carriers.headers(
        null, Map.of("traceparent", List.of(TRACEPARENT, "00-12345678901234567890123456789012-1234567890123456-01")));
    assertThat(IncomingContext.fromCarrier(duplicated, "HTTP headers")).isNull();

    TreeMap<String, List<String>> states = Carriers.headers(
        null, Map.of("traceparent", List.of(TRACEPARENT), "tracestate", List.of("foo=1,bar=2", "", "baz=3")));
    Context context = IncomingContext.fromCarrier(states, "HTTP headers");
    assertThat(traceId(context)).isEqualTo(TRACE_ID);
    assertThat(Span.fromContext(context).getSpanContext().getTraceState().asMap())
        .containsExactly(Map.entry("foo", "1"), Map.entry("bar", "2"), Map.entry("baz", "3"));
  }

  @Test
  void repeatedXrayHeaderLinesAreNotMixedTheFirstIsRead() {
    // X-Amzn-Trace-Id is no list: joined, a later line's Parent would overwrite the first's.
    useW3cAndXray();
    String first = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    String second = "Root=1-67a1b2c3-0123456789abcdef01234567;Parent=1111111111111111;Sampled=1";
    TreeMap<String, List<String>> headers = Carriers.headers(null, Map.of("X-Amzn-Trace-Id", List.of(first, second)));

    SpanContext parent = IncomingContext.spanContext(IncomingContext.fromCarrier(headers, "HTTP headers"));

    assertThat(parent.getTraceId()).isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(parent.getSpanId()).isEqualTo("53995c3f42cd8ad8");
  }

  @Test
  void aPropagatorThatRebuildsTheSpanContextItWasGivenGivesNoParent() {
    // Adds its own header to the tracestate of whatever span it is given: a copy of the
    // placeholder that a carrier with no span context is extracted onto.
    BatonTelemetry.use(OpenTelemetry.propagating(ContextPropagators.create(TextMapPropagator.composite(
        W3CTraceContextPropagator.getInstance(), new VendorTraceState()))));
    TreeMap<String, List<String>> headers = Carriers.headers(Map.of("x-vendor", "v1", "accept", "*/*"), null);

    assertThat(IncomingContext.fromCarrier(headers, "HTTP headers")).isNull();
    SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
    SQSEvent.MessageAttribute vendor = new SQSEvent.MessageAttribute();
    vendor.setDataType("String");
    vendor.setStringValue("v1");
    message.setMessageAttributes(Map.of("x-vendor", vendor));
    assertThat(IncomingContext.fromSqsMessage(message)).isNull();

    headers.put("traceparent", List.of(TRACEPARENT));
    assertThat(traceId(IncomingContext.fromCarrier(headers, "HTTP headers"))).isEqualTo(TRACE_ID);
  }

  @Test
  void maxConcurrencyMeansInvocationsAtOnceOnlyAsTheRuntimeClientReadsIt() {
    // ConcurrencyConfig: Integer.parseInt(AWS_LAMBDA_MAX_CONCURRENCY), multi-concurrent when >= 1.
    assertThat(IncomingContext.multiConcurrent("1")).isTrue();
    assertThat(IncomingContext.multiConcurrent("32")).isTrue();
    assertThat(IncomingContext.multiConcurrent("+4")).isTrue();
    assertThat(IncomingContext.multiConcurrent(null)).isFalse();
    assertThat(IncomingContext.multiConcurrent("0")).isFalse();
    assertThat(IncomingContext.multiConcurrent("-1")).isFalse();

    long before = Failures.count();
    assertThat(IncomingContext.multiConcurrent("")).isFalse();
    assertThat(IncomingContext.multiConcurrent(" 4")).isFalse();
    assertThat(IncomingContext.multiConcurrent("four")).isFalse();
    assertThat(IncomingContext.multiConcurrent("99999999999")).isFalse();
    assertThat(Failures.count()).as("garbage is reported").isEqualTo(before + 4);
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

  /** A Lambda context with just an X-Ray header (and client context), as the runtime client's gives it. */
  private static final class XrayContext implements com.amazonaws.services.lambda.runtime.Context {
    private final String header;
    private final Map<String, String> custom;

    XrayContext(String header) {
      this(header, null);
    }

    XrayContext(String header, Map<String, String> custom) {
      this.header = header;
      this.custom = custom;
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
      if (custom == null) {
        return null;
      }
      return new com.amazonaws.services.lambda.runtime.ClientContext() {
        @Override
        public com.amazonaws.services.lambda.runtime.Client getClient() {
          return null;
        }

        @Override
        public Map<String, String> getCustom() {
          return custom;
        }

        @Override
        public Map<String, String> getEnvironment() {
          return null;
        }
      };
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

  /**
   * A vendor propagator: its {@code x-vendor} header goes into the tracestate of the span it is
   * given, which it rebuilds; nothing else is extracted.
   */
  private static final class VendorTraceState implements TextMapPropagator {
    @Override
    public Collection<String> fields() {
      return List.of("x-vendor");
    }

    @Override
    public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {}

    @Override
    public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
      String vendor = getter.get(carrier, "x-vendor");
      SpanContext given = Span.fromContext(context).getSpanContext();
      if (vendor == null || !given.isValid()) {
        return context;
      }
      return context.with(Span.wrap(SpanContext.createFromRemoteParent(
          given.getTraceId(), given.getSpanId(), given.getTraceFlags(),
          given.getTraceState().toBuilder().put("vendor", vendor).build())));
    }
  }

  /** Reads every key of a carrier into baggage, as key-prefix propagators do. */
  private static final class KeysToBaggage implements TextMapPropagator {
    @Override
    public Collection<String> fields() {
      return List.of();
    }

    @Override
    public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {}

    @Override
    public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
      BaggageBuilder baggage = Baggage.fromContext(context).toBuilder();
      for (String key : getter.keys(carrier)) {
        String value = getter.get(carrier, key);
        if (value != null) {
          baggage.put(key.toLowerCase(java.util.Locale.ROOT), value);
        }
      }
      return context.with(baggage.build());
    }
  }

  private static String traceId(Context context) {
    assertThat(context).isNotNull();
    return IncomingContext.spanContext(context).getTraceId();
  }
}
