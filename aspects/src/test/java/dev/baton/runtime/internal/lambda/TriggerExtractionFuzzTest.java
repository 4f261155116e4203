package dev.baton.runtime.internal.lambda;

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
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.FuzzOracles;
import dev.baton.runtime.internal.FuzzValues;
import dev.baton.runtime.internal.TracedMethods;
import dev.baton.runtime.internal.sdk.SdkSetup;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.utilslite.SdkInternalThreadLocal;

/**
 * Fuzz targets for the context extraction of every trigger shape: whatever arrives, the user's
 * result or exception comes back as the same object, no Baton code throws into the safety net
 * ({@link FuzzOracles}), the context is the root again, the invocation's one span is exported in
 * a form {@code opentelemetry-proto} decodes, and a well-formed {@code traceparent} that is the
 * only one in the input parents it.
 *
 * <p>Each input goes through {@link #handle}, the shape of the handler advice the processor
 * generates ({@code AspectWriter}): start, the user's code, end with the response, or end with the
 * failure and rethrow it. The committed inputs under {@code TriggerExtractionFuzzTestInputs/}
 * are replayed by every build; {@code JAZZER_FUZZ=1} fuzzes one target (README, Contributing).
 */
class TriggerExtractionFuzzTest {

  private static final InMemorySpanExporter EXPORTER = InMemorySpanExporter.create();
  private static OpenTelemetrySdk w3c;
  private static OpenTelemetrySdk w3cAndXray;

  @BeforeAll
  static void sdks() {
    w3c =
        sdk(
            TextMapPropagator.composite(
                W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance()));
    w3cAndXray =
        sdk(
            TextMapPropagator.composite(
                W3CTraceContextPropagator.getInstance(),
                W3CBaggagePropagator.getInstance(),
                AwsXrayPropagator.getInstance()));
  }

  /** Every span recorded and exported (no sampling), so that every input's span is checked. */
  private static OpenTelemetrySdk sdk(TextMapPropagator propagator) {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(
            SdkTracerProvider.builder()
                .setSampler(Sampler.alwaysOn())
                .addSpanProcessor(SimpleSpanProcessor.create(EXPORTER))
                .build())
        .setPropagators(ContextPropagators.create(propagator))
        .build();
  }

  @AfterEach
  void forgetInput() {
    SdkInternalThreadLocal.remove(IncomingContext.PER_THREAD_TRACE_ID_KEY);
    System.clearProperty(IncomingContext.XRAY_TRACE_HEADER_PROPERTY);
    BatonTelemetry.parentInvocationsOnLambdaXrayHeader(false);
  }

  @AfterAll
  static void closeSdks() {
    BatonTelemetry.use(null, null);
    w3c.close();
    w3cAndXray.close();
  }

  @FuzzTest(maxDuration = "10m")
  void apiGatewayRest(FuzzedDataProvider data) {
    Headers headers = Headers.of(data, true);
    APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent();
    event.setHeaders(headers.single);
    event.setMultiValueHeaders(headers.multi);
    event.setHttpMethod(FuzzValues.text(data, 10));
    event.setResource(FuzzValues.text(data, 30));
    event.setPath(FuzzValues.text(data, 30));
    APIGatewayProxyResponseEvent response =
        new APIGatewayProxyResponseEvent().withStatusCode(data.consumeInt(-1, 600));
    handle(
        data,
        lambda -> LambdaInvocation.startApiGateway(event, lambda),
        invocation -> invocation.endApiGateway(response),
        response,
        headers.parent);
  }

  @FuzzTest(maxDuration = "10m")
  void httpApi(FuzzedDataProvider data) {
    Headers headers = Headers.of(data, false);
    APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
    event.setHeaders(headers.single);
    event.setRouteKey(FuzzValues.text(data, 30));
    event.setRawPath(FuzzValues.text(data, 30));
    if (data.consumeBoolean()) {
      APIGatewayV2HTTPEvent.RequestContext requestContext = new APIGatewayV2HTTPEvent.RequestContext();
      if (data.consumeBoolean()) {
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod(FuzzValues.text(data, 10));
        requestContext.setHttp(http);
      }
      event.setRequestContext(requestContext);
    }
    APIGatewayV2HTTPResponse response = new APIGatewayV2HTTPResponse();
    response.setStatusCode(data.consumeInt(-1, 600));
    handle(
        data,
        lambda -> LambdaInvocation.startHttpApi(event, lambda),
        invocation -> invocation.endHttpApi(response),
        response,
        headers.parent);
  }

  @FuzzTest(maxDuration = "10m")
  void alb(FuzzedDataProvider data) {
    Headers headers = Headers.of(data, true);
    ApplicationLoadBalancerRequestEvent event = new ApplicationLoadBalancerRequestEvent();
    event.setHeaders(headers.single);
    event.setMultiValueHeaders(headers.multi);
    event.setHttpMethod(FuzzValues.text(data, 10));
    event.setPath(FuzzValues.text(data, 30));
    ApplicationLoadBalancerResponseEvent response = new ApplicationLoadBalancerResponseEvent();
    response.setStatusCode(data.consumeInt(-1, 600));
    handle(
        data,
        lambda -> LambdaInvocation.startAlb(event, lambda),
        invocation -> invocation.endAlb(response),
        response,
        headers.parent);
  }

  /** SQS messages: String (and other) message attributes, {@code AWSTraceHeader}, bodies. */
  @FuzzTest(maxDuration = "10m")
  void sqs(FuzzedDataProvider data) {
    SQSEvent event = new SQSEvent();
    List<SQSEvent.SQSMessage> records = new ArrayList<>();
    int count = data.consumeInt(0, 4);
    String parent = null;
    boolean oneParent = count == 1;
    for (int i = 0; i < count; i++) {
      if (data.consumeInt(0, 9) == 0) {
        records.add(null);
        oneParent = false;
        continue;
      }
      SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
      Map<String, SQSEvent.MessageAttribute> attributes = new HashMap<>();
      Headers names = new Headers();
      int attributeCount = data.consumeInt(0, 5);
      for (int a = 0; a < attributeCount; a++) {
        String name = FuzzValues.name(data);
        SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
        String type = pick(data, "String", "String.custom", "Number", "Binary", null);
        attribute.setDataType(type);
        String value = FuzzValues.value(data, name, true);
        attribute.setStringValue(value);
        if (data.consumeBoolean()) {
          attribute.setBinaryValue(java.nio.ByteBuffer.wrap(data.consumeBytes(8)));
        }
        attributes.put(name, data.consumeInt(0, 19) == 0 ? null : attribute);
        if (attributes.get(name) != null && type != null && type.startsWith("String")) {
          names.note(name, value);
        } else {
          names.note(name, null);
        }
      }
      Map<String, SQSEvent.MessageAttribute> sent = data.consumeInt(0, 9) == 0 ? null : attributes;
      message.setMessageAttributes(sent);
      if (data.consumeBoolean()) {
        Map<String, String> system = new HashMap<>();
        system.put(
            data.consumeBoolean() ? "AWSTraceHeader" : FuzzValues.name(data),
            FuzzValues.value(data, "AWSTraceHeader", true));
        message.setAttributes(system);
      }
      message.setBody(data.consumeBoolean() ? SnsEnvelopeFuzzTest.envelope(data, null) : FuzzValues.text(data, 80));
      message.setEventSourceArn(FuzzValues.text(data, 60));
      records.add(message);
      parent = sent == null ? null : names.parent();
    }
    event.setRecords(data.consumeInt(0, 19) == 0 ? null : records);
    SQSBatchResponse response = new SQSBatchResponse();
    handle(
        data,
        lambda -> LambdaInvocation.startSqs(event, lambda),
        invocation -> {
          processEach(event.getRecords(), invocation);
          invocation.endSqs(response);
        },
        response,
        oneParent && event.getRecords() != null ? parent : null);
  }

  /** SNS events: String (and other) message attributes of each record. */
  @FuzzTest(maxDuration = "10m")
  void sns(FuzzedDataProvider data) {
    SNSEvent event = new SNSEvent();
    List<SNSEvent.SNSRecord> records = new ArrayList<>();
    int count = data.consumeInt(0, 3);
    String parent = null;
    boolean oneParent = count == 1;
    for (int i = 0; i < count; i++) {
      SNSEvent.SNSRecord record = new SNSEvent.SNSRecord();
      if (data.consumeInt(0, 9) == 0) {
        records.add(data.consumeBoolean() ? null : record);
        oneParent = false;
        continue;
      }
      SNSEvent.SNS sns = new SNSEvent.SNS();
      Map<String, SNSEvent.MessageAttribute> attributes = new HashMap<>();
      Headers names = new Headers();
      int attributeCount = data.consumeInt(0, 5);
      for (int a = 0; a < attributeCount; a++) {
        String name = FuzzValues.name(data);
        SNSEvent.MessageAttribute attribute = new SNSEvent.MessageAttribute();
        String type = pick(data, "String", "String.Array", "Number", "Binary", null);
        String value = FuzzValues.value(data, name, true);
        attribute.setType(type);
        attribute.setValue(value);
        attributes.put(name, data.consumeInt(0, 19) == 0 ? null : attribute);
        names.note(name, attributes.get(name) != null && "String".equals(type) ? value : null);
      }
      Map<String, SNSEvent.MessageAttribute> sent = data.consumeInt(0, 9) == 0 ? null : attributes;
      sns.setMessageAttributes(sent);
      sns.setTopicArn(FuzzValues.text(data, 60));
      sns.setMessage(FuzzValues.text(data, 40));
      record.setSns(sns);
      records.add(record);
      parent = sent == null ? null : names.parent();
    }
    event.setRecords(records);
    handle(
        data,
        lambda -> LambdaInvocation.startSns(event, lambda),
        invocation -> {
          processEach(event.getRecords(), invocation);
          invocation.end();
        },
        null,
        oneParent ? parent : null);
  }

  /** A client context's custom map (a traced Lambda-to-Lambda invoke). */
  @FuzzTest(maxDuration = "10m")
  void clientContext(FuzzedDataProvider data) {
    Headers custom = Headers.of(data, false);
    FuzzLambdaContext lambda = FuzzLambdaContext.of(data, custom.single);
    handle(
        data,
        () -> LambdaInvocation.startOther(pick(data, LambdaInvocation.OTHER, null, "timer"), lambda),
        invocation -> invocation.end(),
        FuzzValues.text(data, 20),
        custom.parent);
  }

  /**
   * The Lambda X-Ray header in both runtime modes: {@code Context.getXrayTraceId()}, the runtime
   * client's per-thread value (multi-concurrent mode) and the JVM-wide system property (classic
   * mode), each well-formed, spliced or arbitrary.
   */
  @FuzzTest(maxDuration = "10m")
  void lambdaXrayHeader(FuzzedDataProvider data) {
    String fromContext = FuzzValues.value(data, "X-Amzn-Trace-Id", true);
    if (data.consumeBoolean()) {
      SdkInternalThreadLocal.put(
          IncomingContext.PER_THREAD_TRACE_ID_KEY, FuzzValues.value(data, "X-Amzn-Trace-Id", false));
    }
    if (data.consumeBoolean()) {
      System.setProperty(
          IncomingContext.XRAY_TRACE_HEADER_PROPERTY, FuzzValues.value(data, "X-Amzn-Trace-Id", false));
    }
    boolean multiConcurrent = data.consumeBoolean();
    long before = FuzzOracles.caught();
    FuzzLambdaContext lambda = new FuzzLambdaContext(fromContext, null);
    String header = IncomingContext.lambdaXrayHeader(lambda, multiConcurrent);
    if (header != null) {
      IncomingContext.fromSampledXrayHeader(header, "the Lambda X-Ray header");
    }
    FuzzOracles.assertNothingCaughtSince(before);
    handle(data, () -> LambdaInvocation.startOther(null, lambda), invocation -> invocation.end(), null, null);
  }

  // ---------------------------------------------------------------------------------- handler

  private interface Start {
    LambdaInvocation start(FuzzLambdaContext lambda);
  }

  private static void handle(
      FuzzedDataProvider data,
      Start start,
      Consumer<LambdaInvocation> end,
      Object result,
      String expectedTraceparent) {
    FuzzLambdaContext lambda = FuzzLambdaContext.of(data, null);
    handle(data, () -> start.start(lambda), end, result, expectedTraceparent);
  }

  /**
   * Runs one invocation as the generated handler advice does, the user's code returning {@code
   * result}, throwing, or throwing an exception whose {@code getMessage()} throws (the one case
   * the safety net is for), and checks the oracles.
   */
  private static void handle(
      FuzzedDataProvider data,
      Supplier<LambdaInvocation> start,
      Consumer<LambdaInvocation> end,
      Object result,
      String expectedTraceparent) {
    SdkSetup.use(data.consumeBoolean() ? w3c : w3cAndXray);
    BatonTelemetry.parentInvocationsOnLambdaXrayHeader(data.consumeInt(0, 3) == 0);
    EXPORTER.reset();
    processSpans = 0;
    int outcome = data.consumeInt(0, 5);
    Throwable userFailure =
        outcome == 0
            ? new IllegalStateException(FuzzValues.text(data, 40))
            : outcome == 1 ? new MisbehavingException() : null;
    long before = FuzzOracles.caught();

    Object returned = null;
    Throwable thrown = null;
    try {
      returned = handler(start, end, result, userFailure);
    } catch (Throwable failure) {
      thrown = failure;
    }

    if (userFailure == null) {
      assertThat(thrown).as("what the handler threw").isNull();
      assertThat(returned).as("what the handler returned").isSameAs(result);
    } else {
      assertThat(thrown).as("what the handler threw").isSameAs(userFailure);
    }
    if (!(userFailure instanceof MisbehavingException)) {
      FuzzOracles.assertNothingCaughtSince(before);
    }
    FuzzOracles.assertRootContext();
    List<SpanData> spans = EXPORTER.getFinishedSpanItems();
    assertThat(spans).as("the invocation's span and its messages' process spans").hasSize(1 + processSpans);
    FuzzOracles.assertExportDecodes(spans);
    SpanData invocationSpan = spans.get(spans.size() - 1); // it ends last
    if (expectedTraceparent != null && !BatonTelemetry.lambdaXrayParentFirst()) {
      assertThat(invocationSpan.getTraceId())
          .as("the trace of the input's only traceparent, %s", expectedTraceparent)
          .isEqualTo(expectedTraceparent.substring(3, 35));
      assertThat(invocationSpan.getParentSpanId()).isEqualTo(expectedTraceparent.substring(36, 52));
    }
  }

  /** The process spans started in this input's invocation (0 when the user's code threw first). */
  private static int processSpans;

  /**
   * Each message's {@code process} span, as a {@code @Traced} method taking the message starts it
   * inside the invocation: its parent must be what reading the message afresh gives (the
   * invocation's batch read it once, at the start, and the span uses that reading), else the
   * invocation span.
   */
  private static void processEach(List<?> records, LambdaInvocation invocation) {
    if (records == null) {
      return;
    }
    String invocationTrace = invocation.span().getSpanContext().getTraceId();
    for (Object record : records) {
      if (record == null) {
        continue;
      }
      io.opentelemetry.context.Context afresh;
      io.opentelemetry.api.trace.Span span;
      if (record instanceof SQSEvent.SQSMessage message) {
        afresh = IncomingContext.fromSqsMessage(message);
        span = MessageSpans.sqsMessage(null, message);
      } else {
        SNSEvent.SNSRecord snsRecord = (SNSEvent.SNSRecord) record;
        afresh = IncomingContext.fromSnsRecord(snsRecord);
        span = MessageSpans.snsRecord(null, snsRecord);
      }
      span.end();
      processSpans++;
      String expected = afresh == null ? invocationTrace : IncomingContext.spanContext(afresh).getTraceId();
      assertThat(span.getSpanContext().getTraceId())
          .as("the process span's trace: the message's own context, read once, else the invocation's")
          .isEqualTo(expected);
    }
  }

  private static Object handler(
      Supplier<LambdaInvocation> start,
      Consumer<LambdaInvocation> end,
      Object result,
      Throwable userFailure) {
    LambdaInvocation invocation = start.get();
    try {
      if (userFailure != null) {
        throw TracedMethods.rethrow(userFailure);
      }
      end.accept(invocation);
      return result;
    } catch (Throwable failure) {
      invocation.end(failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  @SafeVarargs
  static <T> T pick(FuzzedDataProvider data, T... choices) {
    return choices[data.consumeInt(0, choices.length - 1)];
  }

  /** User code that misbehaves: an exception whose message cannot be read. */
  static final class MisbehavingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @Override
    public String getMessage() {
      throw new UnsupportedOperationException("getMessage() of a misbehaving exception");
    }

    @Override
    public String toString() {
      throw new UnsupportedOperationException("toString() of a misbehaving exception");
    }
  }

  /**
   * Headers as HTTP events carry them (a single-value map and, where the shape has one, a
   * multi-value map with null entries, duplicates and names differing in case), and the {@code
   * traceparent} that must parent the span: set only when the input holds exactly one name that
   * is {@code traceparent} in any case, with exactly one well-formed, valid value.
   */
  static final class Headers {
    Map<String, String> single;
    Map<String, List<String>> multi;
    String parent;
    private final List<String> traceparents = new ArrayList<>();

    static Headers of(FuzzedDataProvider data, boolean withMulti) {
      Headers headers = new Headers();
      if (data.consumeInt(0, 9) > 0) {
        headers.single = new HashMap<>();
        int count = data.consumeInt(0, 6);
        for (int i = 0; i < count; i++) {
          String name = data.consumeInt(0, 19) == 0 ? null : FuzzValues.name(data);
          String value = FuzzValues.value(data, name == null ? "" : name, true);
          headers.single.put(name, value);
          headers.note(name, value);
        }
      }
      if (withMulti && data.consumeBoolean()) {
        headers.multi = new HashMap<>();
        int count = data.consumeInt(0, 4);
        for (int i = 0; i < count; i++) {
          String name = data.consumeInt(0, 19) == 0 ? null : FuzzValues.name(data);
          List<String> values = data.consumeInt(0, 9) == 0 ? null : new ArrayList<>();
          int valueCount = values == null ? 0 : data.consumeInt(0, 3);
          for (int v = 0; v < valueCount; v++) {
            String value = FuzzValues.value(data, name == null ? "" : name, true);
            values.add(value);
            headers.note(name, value);
          }
          if (values == null || valueCount == 0) {
            headers.note(name, null);
          }
          headers.multi.put(name, values);
        }
      }
      headers.parent = headers.parent();
      return headers;
    }

    void note(String name, String value) {
      if (name != null && name.toLowerCase(Locale.ROOT).equals("traceparent")) {
        traceparents.add(value);
      }
    }

    /** The only traceparent, when it is valid (not all-zero ids); else null. */
    String parent() {
      if (traceparents.size() != 1 || traceparents.get(0) == null) {
        return null;
      }
      String value = traceparents.get(0);
      boolean wellFormed =
          value.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]")
              && !value.substring(3, 35).equals("0".repeat(32))
              && !value.substring(36, 52).equals("0".repeat(16));
      return wellFormed ? value : null;
    }
  }
}
