package dev.baton.runtime.internal.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.FuzzOracles;
import dev.baton.runtime.internal.FuzzValues;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageBuilder;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context.BeforeExecution;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;

/**
 * What the injection fuzz targets share: real SDK clients on a {@link RecordingHttpClient} (a
 * stand-in for AWS), an interceptor that sees the request the SDK was handed (after Baton's
 * advice), {@link RecordingClients} that keep the response or exception the SDK gave back, and
 * one user call per input, made in a
 * parent span with baggage from the fuzzer, and checked against the shared oracles: the same
 * response or exception object comes back, nothing reached the safety net, the context is the
 * root again, and the spans export.
 */
final class InjectionFuzzing implements ExecutionInterceptor {

  /** The context fields Baton may add: the default propagators' and the X-Ray header. */
  static final Set<String> CONTEXT_FIELDS = Set.of("traceparent", "tracestate", "baggage");

  final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  final RecordingHttpClient http = new RecordingHttpClient();
  private final OpenTelemetrySdk w3c;
  private final OpenTelemetrySdk w3cAndXray;
  boolean xray;

  final RecordingClients.Outcome outcome = new RecordingClients.Outcome();
  SdkRequest sent;

  InjectionFuzzing() {
    // The SDK logs every request at DEBUG with the test classpath's logback defaults: a cost per
    // input that is no part of what is fuzzed.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("software.amazon.awssdk"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    w3c = sdk(TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance()));
    w3cAndXray =
        sdk(
            TextMapPropagator.composite(
                W3CTraceContextPropagator.getInstance(),
                W3CBaggagePropagator.getInstance(),
                AwsXrayPropagator.getInstance()));
  }

  private OpenTelemetrySdk sdk(TextMapPropagator propagator) {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(
            SdkTracerProvider.builder()
                .setSampler(Sampler.alwaysOn())
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build())
        .setPropagators(ContextPropagators.create(propagator))
        .build();
  }

  /** {@code builder} set up to send to the stand-in, with this interceptor. */
  <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder) {
    return builder
        .httpClient(http)
        .region(Region.EU_WEST_1)
        .endpointOverride(URI.create("https://stand-in.invalid"))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDFUZZ", "fuzz")))
        .overrideConfiguration(c -> c.addExecutionInterceptor(this))
        .build();
  }

  void close() {
    BatonTelemetry.use(null, null);
    w3c.close();
    w3cAndXray.close();
  }

  @Override
  public void beforeExecution(BeforeExecution context, ExecutionAttributes attributes) {
    sent = context.request();
  }


  /**
   * Makes the user's call in a parent span with baggage from {@code data}, the stand-in
   * answering success or a service error, and checks the shared oracles. {@code userFailure}, when
   * not null, is what the user's own code (a consumer filling in the request) throws.
   */
  void call(FuzzedDataProvider data, Callable<Object> userCall, RuntimeException userFailure) {
    xray = data.consumeBoolean();
    BatonTelemetry.use(xray ? w3cAndXray : w3c);
    http.answer = data.consumeInt(0, 4) == 0 ? RecordingHttpClient.Answer.SERVICE_ERROR : RecordingHttpClient.Answer.SUCCESS;
    exporter.reset();
    sent = null;
    outcome.reset();
    Baggage baggage = baggage(data);
    long before = FuzzOracles.caught();

    Span parent = BatonTelemetry.tracer().spanBuilder("handler").startSpan();
    Object returned = null;
    Throwable thrown = null;
    try (Scope ignored = Context.current().with(parent).with(baggage).makeCurrent()) {
      returned = userCall.call();
    } catch (Throwable t) {
      thrown = t;
    } finally {
      parent.end();
    }

    if (userFailure != null) {
      assertThat(thrown).as("what the call threw").isSameAs(userFailure);
    } else if (outcome.threw != null) {
      assertThat(thrown).as("what the call threw").isSameAs(outcome.threw);
    } else {
      assertThat(thrown).as("what the call threw").isNull();
      assertThat(returned).as("what the call returned").isNotNull().isSameAs(outcome.returned);
    }
    FuzzOracles.assertNothingCaughtSince(before);
    FuzzOracles.assertRootContext();
    FuzzOracles.assertExportDecodes(exporter.getFinishedSpanItems());
  }

  private static Baggage baggage(FuzzedDataProvider data) {
    BaggageBuilder baggage = Baggage.builder();
    int entries = data.consumeInt(0, 3);
    for (int i = 0; i < entries; i++) {
      baggage.put(FuzzValues.text(data, 12), FuzzValues.text(data, 40));
    }
    return baggage.build();
  }

  /** The call's PRODUCER or CLIENT span: the one Baton's advice started. */
  SpanData callSpan() {
    for (SpanData span : exporter.getFinishedSpanItems()) {
      if (span.getKind() == SpanKind.PRODUCER || span.getKind() == SpanKind.CLIENT) {
        return span;
      }
    }
    throw new AssertionError("no span of the call among " + exporter.getFinishedSpanItems());
  }

  /** How many {@value MessageAttributes#NOT_INJECTED} events name {@code entryId} (null: any). */
  int notInjected(String entryId) {
    int count = 0;
    for (EventData event : callSpan().getEvents()) {
      if (event.getName().equals(MessageAttributes.NOT_INJECTED)
          && (entryId == null || entryId.equals(event.getAttributes().get(MessageAttributes.ENTRY_ID)))) {
        count++;
      }
    }
    return count;
  }

  // ------------------------------------------------------------------------- message checks

  /** One message attribute, whichever service's type it came from. */
  record Attribute(String dataType, String stringValue, byte[] binaryValue) {
    long bytes(String name) {
      return utf8(name) + utf8(dataType) + utf8(stringValue) + (binaryValue == null ? 0 : binaryValue.length);
    }

    boolean sameAs(Attribute other) {
      return Objects.equals(dataType, other.dataType)
          && Objects.equals(stringValue, other.stringValue)
          && java.util.Arrays.equals(binaryValue, other.binaryValue);
    }
  }

  /**
   * One message as the user made it and as it was sent: the body and every user attribute arrive
   * as they were; either the context was added (only context fields, none the user had in any
   * case, within {@value MessageAttributes#MAX_ATTRIBUTES} attributes, and no event) or the
   * message is unchanged and exactly one event says why.
   *
   * @return whether the context was added
   */
  boolean assertMessage(
      String label,
      String userBody,
      Map<String, Attribute> user,
      String sentBody,
      Map<String, Attribute> sentAttributes,
      int events) {
    assertThat(sentBody).as("%s: the body", label).isEqualTo(userBody);
    for (Map.Entry<String, Attribute> attribute : user.entrySet()) {
      Attribute arrived = sentAttributes.get(attribute.getKey());
      assertThat(arrived).as("%s: the user's attribute %s", label, attribute.getKey()).isNotNull();
      assertThat(arrived.sameAs(attribute.getValue()))
          .as("%s: the user's attribute %s arrives as it was", label, attribute.getKey())
          .isTrue();
    }
    List<String> added = new ArrayList<>(sentAttributes.keySet());
    added.removeAll(user.keySet());
    if (added.isEmpty()) {
      assertThat(events).as("%s: events saying why the message was left unchanged", label).isEqualTo(1);
      return false;
    }
    assertThat(events).as("%s: events for a message the context was added to", label).isZero();
    assertThat(added).as("%s: what Baton added", label).contains("traceparent");
    for (String name : added) {
      assertThat(CONTEXT_FIELDS).as("%s: what Baton added", label).contains(name);
      for (String userName : user.keySet()) {
        assertThat(userName.toLowerCase(Locale.ROOT)).as("%s: a context field the user had", label).isNotEqualTo(name);
      }
    }
    assertThat(sentAttributes.size()).as("%s: message attributes", label).isLessThanOrEqualTo(MessageAttributes.MAX_ATTRIBUTES);
    return true;
  }

  /** A message's (or batch's) bytes as SQS and SNS count them: body and attributes, in UTF-8. */
  static long bytes(String body, Map<String, Attribute> attributes) {
    long bytes = utf8(body);
    for (Map.Entry<String, Attribute> attribute : attributes.entrySet()) {
      bytes += attribute.getValue().bytes(attribute.getKey());
    }
    return bytes;
  }

  /** What was within a limit as the user made it is within it as sent. */
  static void assertWithinLimits(String label, long[] limits, long userBytes, long sentBytes) {
    for (long limit : limits) {
      if (userBytes <= limit) {
        assertThat(sentBytes).as("%s: bytes as sent (%d as the user made it), limit %d", label, userBytes, limit).isLessThanOrEqualTo(limit);
      }
    }
  }

  static long utf8(String value) {
    return value == null ? 0 : value.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * A body that, with {@code padTo} chosen, brings the message (or its share of a batch) to a
   * few hundred bytes under or over a size limit; else short.
   */
  static String body(FuzzedDataProvider data, long[] limits, int share) {
    String text = FuzzValues.text(data, 60);
    int pick = data.consumeInt(0, limits.length + 2);
    if (pick >= limits.length) {
      return text;
    }
    long target = limits[pick] / share - data.consumeInt(-64, 600);
    return text + "x".repeat((int) Math.max(0, target - utf8(text)));
  }

  /** Message attributes as a user sets them: any names (context fields among them), types, values. */
  static List<String[]> attributeSpecs(FuzzedDataProvider data) {
    List<String[]> specs = new ArrayList<>();
    int count = data.consumeInt(0, data.consumeInt(0, 5) == 0 ? 12 : 4);
    for (int i = 0; i < count; i++) {
      String name = FuzzValues.name(data);
      if (name.isEmpty()) {
        name = "n" + i;
      }
      String type = data.consumeInt(0, 3) == 0 ? (data.consumeBoolean() ? "Number" : "Binary") : "String";
      specs.add(new String[] {name, type, FuzzValues.value(data, name, false)});
    }
    return specs;
  }
}
