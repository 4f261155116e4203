package dev.baton.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Real Lambda event JSON for each trigger, shaped exactly as AWS sends it, as classpath
 * resources. Load them typed with {@code aws-lambda-java-tests}:
 *
 * <pre>{@code
 * SQSEvent event = EventLoader.loadSQSEvent(LambdaEvents.SQS_W3C);
 * }</pre>
 *
 * or as text with {@link #json(String)}, to send to {@link LocalLambdaRuntime}. The trace
 * contexts inside are the constants below, so tests can assert the parents and links they give.
 */
public final class LambdaEvents {

  private static final String DIR = "dev/baton/testing/events/";

  /** W3C {@code traceparent} used by the HTTP, SQS-attribute and shared-batch events. */
  public static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  public static final String TRACEPARENT_TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  public static final String TRACEPARENT_SPAN_ID = "b7ad6b7169203331";

  /** The second W3C context: in the SNS events, the SNS envelope and the ALB request. */
  public static final String TRACEPARENT_2 = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  public static final String TRACEPARENT_2_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  public static final String TRACEPARENT_2_SPAN_ID = "00f067aa0ba902b7";

  /** The {@code AWSTraceHeader} of the X-Ray events, and the context it carries. */
  public static final String XRAY_HEADER =
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  public static final String XRAY_TRACE_ID = "5759e988bd862e3fe1be46a994272793";
  public static final String XRAY_SPAN_ID = "53995c3f42cd8ad8";

  /** API Gateway REST API proxy request {@code POST /orders/42}, route {@code /orders/{id}}. */
  public static final String API_GATEWAY_REST = DIR + "apigateway-rest.json";
  /** The same with a {@code traceparent} whose span id is not hex. */
  public static final String API_GATEWAY_REST_MALFORMED_TRACEPARENT =
      DIR + "apigateway-rest-malformed-traceparent.json";
  /** The same with {@code headers} and {@code multiValueHeaders} null. */
  public static final String API_GATEWAY_REST_NULL_HEADERS = DIR + "apigateway-rest-null-headers.json";
  /** HTTP API (payload 2.0) request, route key {@code POST /orders}. */
  public static final String HTTP_API = DIR + "http-api.json";
  /** ALB request with multi-value headers, {@link #TRACEPARENT_2} and two baggage headers. */
  public static final String ALB = DIR + "alb.json";
  /** One SQS message with W3C {@code traceparent}/{@code tracestate} message attributes. */
  public static final String SQS_W3C = DIR + "sqs-w3c.json";
  /** One SQS message with only the {@code AWSTraceHeader} system attribute. */
  public static final String SQS_AWS_TRACE_HEADER = DIR + "sqs-aws-trace-header.json";
  /** One SQS message whose body is an SNS notification envelope carrying {@link #TRACEPARENT_2}. */
  public static final String SQS_SNS_ENVELOPE = DIR + "sqs-sns-envelope.json";
  /** Two SQS messages with the same {@code traceparent}. */
  public static final String SQS_BATCH_SHARED_CONTEXT = DIR + "sqs-batch-shared-context.json";
  /** Three messages from two queues: W3C, X-Ray, none. */
  public static final String SQS_MULTI_SOURCE = DIR + "sqs-multi-source.json";
  /** One SQS message with a Binary message attribute named {@code traceparent}. */
  public static final String SQS_BINARY_TRACEPARENT = DIR + "sqs-binary-traceparent.json";
  /**
   * Four SQS messages: a malformed {@code traceparent}, a malformed {@code AWSTraceHeader}, a
   * truncated SNS envelope, and a JSON body that looks like an envelope but is not one.
   */
  public static final String SQS_MALFORMED = DIR + "sqs-malformed.json";
  /** An SQS event with no records. */
  public static final String SQS_EMPTY = DIR + "sqs-empty.json";
  /** One SQS message without {@code attributes} and {@code messageAttributes}. */
  public static final String SQS_NULL_ATTRIBUTES = DIR + "sqs-null-attributes.json";
  /** One SNS record with {@link #TRACEPARENT_2} and a Binary attribute. */
  public static final String SNS = DIR + "sns.json";
  /** An EventBridge scheduled event. */
  public static final String SCHEDULED = DIR + "scheduled.json";

  private LambdaEvents() {}

  /** The event's JSON text. */
  public static String json(String resource) {
    try (InputStream in = LambdaEvents.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no event resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
