package dev.baton.runtime.internal.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.Failures;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayPropagator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.utilslite.SdkInternalThreadLocal;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Where an invocation's incoming trace context comes from. Every method returns a context or
 * {@code null} (nothing usable came in) and never throws; bad input is reported once per kind to
 * {@link Failures} and otherwise ignored.
 *
 * <p>Carriers (HTTP headers, message attributes, a client context's custom map, an SNS envelope's
 * attributes) are read with the configured propagator, and {@code traceparent} is always
 * understood: a valid W3C {@code traceparent} in a carrier is its parent, whatever else the
 * configured propagator found there (on AWS, an {@code X-Amzn-Trace-Id} header that AWS added is
 * in most carriers, usually from a trace that is not the caller's). A carrier is read on its
 * own: propagators that fall back to the function's own X-Ray header ({@code xray-lambda}) are
 * kept from doing so, as the function's header is one input of its own ({@link #fromLambda}),
 * read once per invocation.
 *
 * <p>X-Ray headers are used only when they say {@code Sampled=1}, wherever they arrive: {@code
 * AWSTraceHeader} on SQS messages, Lambda's own header, and an {@code X-Amzn-Trace-Id} in any
 * carrier (an HTTP request's headers, message attributes, an SNS envelope, a client context),
 * which a configured X-Ray propagator would otherwise read. AWS sets them on nearly every request
 * and message (inside Lambda the AWS SDK adds the function's header to each request it makes;
 * API Gateway forwards it): with active tracing off they say {@code Sampled=0}, belong to a trace
 * no one records, and as a parent would make a parent-based sampler drop the invocation.
 */
final class IncomingContext {

  static final String TRACEPARENT = "traceparent";
  static final String XRAY_HEADER = "X-Amzn-Trace-Id";
  static final String AWS_TRACE_HEADER = "AWSTraceHeader";
  static final String XRAY_TRACE_HEADER_PROPERTY = "com.amazonaws.xray.traceHeader";
  static final String XRAY_TRACE_HEADER_ENV = "_X_AMZN_TRACE_ID";

  /**
   * Set to 1 or more in Lambda's multi-concurrent mode (Managed Instances); then nothing JVM-wide
   * is read.
   */
  static final String MAX_CONCURRENCY_ENV = "AWS_LAMBDA_MAX_CONCURRENCY";

  /** The runtime client's per-thread key for the invocation's X-Ray header (multi-concurrent). */
  static final String PER_THREAD_TRACE_ID_KEY = "AWS_LAMBDA_X_TRACE_ID";

  /** What a sampled X-Ray trace header contains; the only ones used. */
  private static final String SAMPLED = "Sampled=1";

  private static final int MAX_REPORTED_CHARS = 80;

  /**
   * The parent a carrier is extracted onto: a valid span context that no carrier produces, so that
   * propagators which fall back to something outside the carrier when their input has no valid
   * span ({@code AwsXrayLambdaPropagator} reads the function's own X-Ray header then) do not; a
   * result that still has its ids means the carrier had no span context. Recognised by its ids, not
   * by identity: a propagator may hand back a rebuilt copy of the span context it was given.
   */
  private static final SpanContext PLACEHOLDER =
      SpanContext.create(
          "ba70000000000000000000000000ba70",
          "ba700000000000ba",
          TraceFlags.getDefault(),
          TraceState.getDefault());

  private static final Context PLACEHOLDER_CONTEXT =
      Context.root().with(Span.wrap(PLACEHOLDER));

  /** Whether this JVM runs invocations concurrently (read once). */
  private static final boolean MULTI_CONCURRENT = multiConcurrent();

  private static volatile boolean noPerThreadHeader;

  /** Learnt once: {@code Context.getXrayTraceId()} is missing (aws-lambda-java-core before 1.4.0). */
  private static volatile boolean noXrayTraceIdMethod;

  private IncomingContext() {}

  static boolean isValid(Context context) {
    return context != null && Span.fromContext(context).getSpanContext().isValid();
  }

  static SpanContext spanContext(Context context) {
    return Span.fromContext(context).getSpanContext();
  }

  /**
   * The context in {@code carrier} (built with {@link Carriers}, names case-insensitive), or null;
   * {@code source} names it in reports. An {@code X-Amzn-Trace-Id} in it that does not say {@code
   * Sampled=1} is hidden from the configured propagator.
   */
  static Context fromCarrier(Map<String, List<String>> carrier, String source) {
    if (carrier == null || carrier.isEmpty()) {
      return null;
    }
    Context extracted = Context.root();
    try {
      TextMapPropagator configured =
          BatonTelemetry.openTelemetry().getPropagators().getTextMapPropagator();
      String xray = Carriers.first(carrier, XRAY_HEADER);
      TextMapGetter<Map<String, List<String>>> getter =
          xray == null || isSampledXrayHeader(xray)
              ? Carriers.Getter.INSTANCE
              : WithoutXrayHeader.INSTANCE;
      extracted = withoutPlaceholder(configured.extract(PLACEHOLDER_CONTEXT, carrier, getter));
    } catch (Throwable failure) {
      Failures.report("extracting the trace context from " + source, failure);
    }
    // A valid traceparent is the parent; the rest of what the configured propagator found
    // (baggage, say) is kept.
    SpanContext w3c =
        spanContext(
            W3CTraceContextPropagator.getInstance()
                .extract(Context.root(), carrier, Carriers.Getter.INSTANCE));
    if (w3c.isValid()) {
      return spanContext(extracted).equals(w3c) ? extracted : extracted.with(Span.wrap(w3c));
    }
    if (isValid(extracted)) {
      return extracted;
    }
    String traceparent = Carriers.first(carrier, TRACEPARENT);
    if (traceparent != null) {
      Failures.reportInput("a malformed traceparent in " + source, shorten(traceparent));
    }
    return null;
  }

  private static Context withoutPlaceholder(Context extracted) {
    if (extracted == null) {
      return Context.root();
    }
    return isPlaceholder(spanContext(extracted)) ? extracted.with(Span.getInvalid()) : extracted;
  }

  private static boolean isPlaceholder(SpanContext spanContext) {
    return PLACEHOLDER.getSpanId().equals(spanContext.getSpanId())
        && PLACEHOLDER.getTraceId().equals(spanContext.getTraceId());
  }

  /**
   * Whether {@code header} is an X-Ray trace header that says {@code Sampled=1}: the only ones a
   * carrier's configured propagator is given. Quiet: a malformed one is the propagator's to skip.
   */
  private static boolean isSampledXrayHeader(String header) {
    if (!header.contains(SAMPLED)) {
      return false;
    }
    TreeMap<String, List<String>> carrier = Carriers.newCarrier();
    Carriers.put(carrier, XRAY_HEADER, header);
    return spanContext(
            AwsXrayPropagator.getInstance()
                .extract(Context.root(), carrier, Carriers.Getter.INSTANCE))
        .isSampled();
  }

  /** The context in an X-Ray trace header ({@code Root=...;Parent=...;Sampled=...}), or null. */
  static Context fromXrayHeader(String header, String source) {
    if (header == null || header.isEmpty()) {
      return null;
    }
    TreeMap<String, List<String>> carrier = Carriers.newCarrier();
    Carriers.put(carrier, XRAY_HEADER, header);
    Context extracted =
        AwsXrayPropagator.getInstance()
            .extract(Context.root(), carrier, Carriers.Getter.INSTANCE);
    if (isValid(extracted)) {
      return extracted;
    }
    Failures.reportInput("a malformed X-Ray trace header in " + source, shorten(header));
    return null;
  }

  /**
   * One SQS message's context: its message attributes, else its {@code AWSTraceHeader} system
   * attribute, else the attributes of an SNS notification envelope in its body.
   */
  static Context fromSqsMessage(SQSEvent.SQSMessage message) {
    if (message == null) {
      return null;
    }
    try {
      Map<String, String> system = message.getAttributes();
      return fromSqsParts(
          sqsAttributes(message.getMessageAttributes()),
          system == null ? null : system.get(AWS_TRACE_HEADER),
          message.getBody());
    } catch (Throwable failure) {
      Failures.report("extracting the trace context of an SQS message", failure);
      return null;
    }
  }

  /**
   * One SQS message's context from its parts, whichever type of message they come from (a Lambda
   * event's or an AWS SDK {@code Message}): the String message attributes in {@code attributes}
   * (filled with {@link #putSqsAttribute}), else the attributes of an SNS notification envelope in
   * {@code body}, else the {@code AWSTraceHeader} system attribute (null when absent) when it says
   * {@code Sampled=1}. On AWS every message sent from a Lambda function or through an SNS topic
   * carries an {@code AWSTraceHeader}, usually unsampled and from another trace than the W3C one:
   * it never wins over W3C context, and unsampled it is never used.
   */
  static Context fromSqsParts(
      TreeMap<String, List<String>> attributes, String awsTraceHeader, String body) {
    Context context = fromCarrier(attributes, "SQS message attributes");
    if (context == null) {
      context = fromCarrier(SnsEnvelope.messageAttributes(body), "an SNS envelope");
    }
    if (context == null) {
      context = fromSampledXrayHeader(awsTraceHeader, "an SQS AWSTraceHeader attribute");
    }
    return context;
  }

  /** The context in an X-Ray header that says {@code Sampled=1}; null for any other. */
  static Context fromSampledXrayHeader(String header, String source) {
    // An unsampled header would be discarded: not parsed at all (nor reported if bad).
    if (header == null || !header.contains(SAMPLED)) {
      return null;
    }
    Context xray = fromXrayHeader(header, source);
    return xray != null && spanContext(xray).isSampled() ? xray : null;
  }

  /** One SNS record's context, from its message attributes. */
  static Context fromSnsRecord(SNSEvent.SNSRecord record) {
    if (record == null || record.getSNS() == null) {
      return null;
    }
    try {
      return fromCarrier(snsAttributes(record.getSNS().getMessageAttributes()), "SNS message attributes");
    } catch (Throwable failure) {
      Failures.report("extracting the trace context of an SNS record", failure);
      return null;
    }
  }

  /**
   * The context that Lambda itself hands over: a client context's {@code custom} map (set by a
   * traced Lambda-to-Lambda invoke), else the Lambda X-Ray header when it is sampled. An
   * unsampled header is what Lambda sends when active tracing is off: used as a parent it would
   * make a parent-based sampler drop the whole invocation, so it is ignored.
   */
  static Context fromLambda(com.amazonaws.services.lambda.runtime.Context lambdaContext) {
    Context fromCaller = fromClientContext(lambdaContext);
    return fromCaller != null ? fromCaller : fromLambdaXrayHeader(lambdaContext);
  }

  /** The context in a client context's {@code custom} map (a traced Lambda invoke), or null. */
  static Context fromClientContext(com.amazonaws.services.lambda.runtime.Context lambdaContext) {
    try {
      ClientContext clientContext =
          lambdaContext == null ? null : lambdaContext.getClientContext();
      Map<String, String> custom = clientContext == null ? null : clientContext.getCustom();
      if (custom == null || custom.isEmpty()) {
        return null;
      }
      TreeMap<String, List<String>> carrier = Carriers.newCarrier();
      for (Map.Entry<String, String> entry : custom.entrySet()) {
        Carriers.put(carrier, entry.getKey(), entry.getValue());
      }
      return fromCarrier(carrier, "the client context");
    } catch (Throwable failure) {
      Failures.report("extracting the trace context Lambda passed", failure);
      return null;
    }
  }

  /** The invocation's Lambda X-Ray header when it says {@code Sampled=1}, or null. */
  static Context fromLambdaXrayHeader(com.amazonaws.services.lambda.runtime.Context lambdaContext) {
    try {
      return fromSampledXrayHeader(lambdaXrayHeader(lambdaContext), "the Lambda X-Ray header");
    } catch (Throwable failure) {
      Failures.report("extracting the trace context Lambda passed", failure);
      return null;
    }
  }

  /**
   * The invocation's own X-Ray header: {@link
   * com.amazonaws.services.lambda.runtime.Context#getXrayTraceId()}, else the runtime client's
   * per-thread value ({@code SdkInternalThreadLocal} key {@value #PER_THREAD_TRACE_ID_KEY}, set
   * in multi-concurrent mode). Only outside multi-concurrent mode ({@value #MAX_CONCURRENCY_ENV}
   * unset or below 1), where one invocation runs at a time, are the JVM-wide values read last:
   * system property {@value #XRAY_TRACE_HEADER_PROPERTY}, then env {@value
   * #XRAY_TRACE_HEADER_ENV}; with invocations running at once they may be another invocation's.
   * Where {@code getXrayTraceId()} does not exist (aws-lambda-java-core before 1.4.0) that is
   * reported once and it is not called again.
   */
  static String lambdaXrayHeader(com.amazonaws.services.lambda.runtime.Context lambdaContext) {
    return lambdaXrayHeader(lambdaContext, MULTI_CONCURRENT);
  }

  /** {@link #lambdaXrayHeader(com.amazonaws.services.lambda.runtime.Context)} in either mode. */
  static String lambdaXrayHeader(
      com.amazonaws.services.lambda.runtime.Context lambdaContext, boolean multiConcurrent) {
    String header = null;
    if (lambdaContext != null && !noXrayTraceIdMethod) {
      try {
        header = lambdaContext.getXrayTraceId();
      } catch (LinkageError olderCore) {
        // aws-lambda-java-core before 1.4.0 has no getXrayTraceId(): a NoSuchMethodError that
        // the JVM would throw anew (stack trace and all) on every invocation. Not tried again.
        noXrayTraceIdMethod = true;
        Failures.report(
            "calling Context.getXrayTraceId(), which aws-lambda-java-core before 1.4.0 does not"
                + " have (not called again: the runtime client's value is read instead; use"
                + " aws-lambda-java-core 1.4.0 or newer)",
            olderCore);
      }
    }
    if (isEmpty(header)) {
      header = perThreadHeader();
    }
    if (isEmpty(header) && !multiConcurrent) {
      header = System.getProperty(XRAY_TRACE_HEADER_PROPERTY);
      if (isEmpty(header)) {
        header = System.getenv(XRAY_TRACE_HEADER_ENV);
      }
    }
    return isEmpty(header) ? null : header;
  }

  /**
   * The runtime client's per-thread header, or null. {@code SdkInternalThreadLocal} comes with
   * the runtime client (and the AWS SDK's {@code utils-lite}); where neither is there, this is
   * learnt once from the missing class and not tried again.
   */
  private static String perThreadHeader() {
    if (noPerThreadHeader) {
      return null;
    }
    try {
      return SdkInternalThreadLocal.get(PER_THREAD_TRACE_ID_KEY);
    } catch (LinkageError missing) {
      noPerThreadHeader = true;
      return null;
    }
  }

  private static boolean multiConcurrent() {
    try {
      return multiConcurrent(System.getenv(MAX_CONCURRENCY_ENV));
    } catch (Throwable failure) {
      Failures.report("reading " + MAX_CONCURRENCY_ENV, failure);
      return false;
    }
  }

  /**
   * Whether {@value #MAX_CONCURRENCY_ENV} (null when unset) means invocations at once, as the
   * runtime client decides it ({@code ConcurrencyConfig}: {@code Integer.parseInt}, then {@code
   * >= 1}): unset, 0 or less is one invocation at a time. What it cannot parse (and the runtime
   * client refuses to start on) is reported and taken as one at a time.
   */
  static boolean multiConcurrent(String maxConcurrency) {
    if (maxConcurrency == null) {
      return false;
    }
    try {
      return Integer.parseInt(maxConcurrency) >= 1;
    } catch (NumberFormatException notANumber) {
      Failures.reportInput(
          "an " + MAX_CONCURRENCY_ENV + " that is not a whole number (invocations are taken to"
              + " run one at a time)",
          shorten(maxConcurrency));
      return false;
    }
  }

  private static boolean isEmpty(String value) {
    return value == null || value.isEmpty();
  }

  static TreeMap<String, List<String>> sqsAttributes(
      Map<String, SQSEvent.MessageAttribute> attributes) {
    TreeMap<String, List<String>> carrier = Carriers.newCarrier();
    if (attributes == null) {
      return carrier;
    }
    for (Map.Entry<String, SQSEvent.MessageAttribute> entry : attributes.entrySet()) {
      SQSEvent.MessageAttribute attribute = entry.getValue();
      if (attribute != null) {
        putSqsAttribute(
            carrier, entry.getKey(), attribute.getDataType(), attribute.getStringValue());
      }
    }
    return carrier;
  }

  /**
   * Adds one SQS message attribute to {@code carrier} when it is a String one ({@code String} or
   * {@code String.<custom type>}) with a value; a non-String {@code traceparent} is reported.
   */
  static void putSqsAttribute(
      TreeMap<String, List<String>> carrier, String name, String dataType, String stringValue) {
    if (dataType != null && dataType.startsWith("String") && stringValue != null) {
      Carriers.put(carrier, name, stringValue);
    } else {
      nonStringAttribute(name, dataType, "SQS");
    }
  }

  static TreeMap<String, List<String>> snsAttributes(
      Map<String, SNSEvent.MessageAttribute> attributes) {
    TreeMap<String, List<String>> carrier = Carriers.newCarrier();
    if (attributes == null) {
      return carrier;
    }
    for (Map.Entry<String, SNSEvent.MessageAttribute> entry : attributes.entrySet()) {
      SNSEvent.MessageAttribute attribute = entry.getValue();
      if (attribute == null) {
        continue;
      }
      if ("String".equals(attribute.getType()) && attribute.getValue() != null) {
        Carriers.put(carrier, entry.getKey(), attribute.getValue());
      } else {
        nonStringAttribute(entry.getKey(), attribute.getType(), "SNS");
      }
    }
    return carrier;
  }

  private static void nonStringAttribute(String name, String type, String service) {
    if (TRACEPARENT.equalsIgnoreCase(name)) {
      Failures.reportInput(
          "a non-String " + service + " message attribute named traceparent", "type " + type);
    }
  }

  /**
   * Reads a carrier built by {@link Carriers} without its {@code X-Amzn-Trace-Id}: what the
   * configured propagator is given when that header does not say {@code Sampled=1}.
   */
  private enum WithoutXrayHeader implements TextMapGetter<Map<String, List<String>>> {
    INSTANCE;

    @Override
    public Iterable<String> keys(Map<String, List<String>> carrier) {
      List<String> keys = new ArrayList<>(carrier.size());
      for (String key : carrier.keySet()) {
        if (!XRAY_HEADER.equalsIgnoreCase(key)) {
          keys.add(key);
        }
      }
      return keys;
    }

    @Override
    public String get(Map<String, List<String>> carrier, String key) {
      return XRAY_HEADER.equalsIgnoreCase(key) ? null : Carriers.Getter.INSTANCE.get(carrier, key);
    }

    @Override
    public Iterator<String> getAll(Map<String, List<String>> carrier, String key) {
      return XRAY_HEADER.equalsIgnoreCase(key)
          ? Collections.emptyIterator()
          : Carriers.Getter.INSTANCE.getAll(carrier, key);
    }
  }

  static String shorten(String value) {
    return value.length() <= MAX_REPORTED_CHARS
        ? value
        : value.substring(0, MAX_REPORTED_CHARS) + "... (" + value.length() + " chars)";
  }
}
