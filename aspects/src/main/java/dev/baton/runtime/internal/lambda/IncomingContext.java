package dev.baton.runtime.internal.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.Failures;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayPropagator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Where an invocation's incoming trace context comes from. Every method returns a context or
 * {@code null} (nothing usable came in) and never throws; bad input is reported once per kind to
 * {@link Failures} and otherwise ignored.
 *
 * <p>Carriers (HTTP headers, message attributes, a client context's custom map, an SNS envelope's
 * attributes) are read with the configured propagator first and, when it finds nothing, with the
 * W3C trace-context propagator: {@code traceparent} is always understood, like {@code
 * AWSTraceHeader} and the Lambda X-Ray header, which are always read in the X-Ray format.
 */
final class IncomingContext {

  static final String TRACEPARENT = "traceparent";
  static final String XRAY_HEADER = "X-Amzn-Trace-Id";
  static final String AWS_TRACE_HEADER = "AWSTraceHeader";
  static final String XRAY_TRACE_HEADER_PROPERTY = "com.amazonaws.xray.traceHeader";
  static final String XRAY_TRACE_HEADER_ENV = "_X_AMZN_TRACE_ID";

  /** What a sampled X-Ray trace header contains; the only ones {@link #fromLambda} reads. */
  private static final String SAMPLED = "Sampled=1";

  private static final int MAX_REPORTED_CHARS = 80;

  private IncomingContext() {}

  static boolean isValid(Context context) {
    return context != null && Span.fromContext(context).getSpanContext().isValid();
  }

  static SpanContext spanContext(Context context) {
    return Span.fromContext(context).getSpanContext();
  }

  /** The context in {@code carrier}, or null; {@code source} names it in reports. */
  static Context fromCarrier(Map<String, List<String>> carrier, String source) {
    if (carrier == null || carrier.isEmpty()) {
      return null;
    }
    Context extracted = Context.root();
    try {
      TextMapPropagator configured =
          BatonTelemetry.openTelemetry().getPropagators().getTextMapPropagator();
      extracted = configured.extract(Context.root(), carrier, Carriers.Getter.INSTANCE);
    } catch (Throwable failure) {
      Failures.report("extracting the trace context from " + source, failure);
    }
    if (isValid(extracted)) {
      return extracted;
    }
    // Keeps what the configured propagator found (baggage, say) and adds the W3C span context.
    Context w3c =
        W3CTraceContextPropagator.getInstance()
            .extract(extracted, carrier, Carriers.Getter.INSTANCE);
    if (isValid(w3c)) {
      return w3c;
    }
    String traceparent = Carriers.first(carrier, TRACEPARENT);
    if (traceparent != null) {
      Failures.reportInput("a malformed traceparent in " + source, shorten(traceparent));
    }
    return null;
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
   * (filled with {@link #putSqsAttribute}), else the {@code AWSTraceHeader} system attribute
   * (null when absent), else the attributes of an SNS notification envelope in {@code body}.
   */
  static Context fromSqsParts(
      TreeMap<String, List<String>> attributes, String awsTraceHeader, String body) {
    Context context = fromCarrier(attributes, "SQS message attributes");
    if (context == null) {
      context = fromXrayHeader(awsTraceHeader, "an SQS AWSTraceHeader attribute");
    }
    if (context == null) {
      context = fromCarrier(SnsEnvelope.messageAttributes(body), "an SNS envelope");
    }
    return context;
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
    try {
      if (lambdaContext != null) {
        ClientContext clientContext = lambdaContext.getClientContext();
        Map<String, String> custom = clientContext == null ? null : clientContext.getCustom();
        if (custom != null && !custom.isEmpty()) {
          TreeMap<String, List<String>> carrier = Carriers.newCarrier();
          for (Map.Entry<String, String> entry : custom.entrySet()) {
            Carriers.put(carrier, entry.getKey(), entry.getValue());
          }
          Context fromCaller = fromCarrier(carrier, "the client context");
          if (fromCaller != null) {
            return fromCaller;
          }
        }
      }
      // An unsampled header would be discarded below: not parsed at all (nor reported if bad).
      String header = lambdaXrayHeader(lambdaContext);
      if (header != null && header.contains(SAMPLED)) {
        Context xray = fromXrayHeader(header, "the Lambda X-Ray header");
        if (xray != null && spanContext(xray).isSampled()) {
          return xray;
        }
      }
    } catch (Throwable failure) {
      Failures.report("extracting the trace context Lambda passed", failure);
    }
    return null;
  }

  /** System property {@code com.amazonaws.xray.traceHeader}, then env {@code _X_AMZN_TRACE_ID}. */
  static String lambdaXrayHeader(com.amazonaws.services.lambda.runtime.Context lambdaContext) {
    String header = System.getProperty(XRAY_TRACE_HEADER_PROPERTY);
    if (header == null || header.isEmpty()) {
      header = System.getenv(XRAY_TRACE_HEADER_ENV);
    }
    if ((header == null || header.isEmpty()) && lambdaContext != null) {
      header = lambdaContext.getXrayTraceId();
    }
    return header;
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

  static String shorten(String value) {
    return value.length() <= MAX_REPORTED_CHARS
        ? value
        : value.substring(0, MAX_REPORTED_CHARS) + "... (" + value.length() + " chars)";
  }
}
