package dev.baton.runtime.internal.aws;

import dev.baton.runtime.internal.SemanticConventions;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import java.util.function.Consumer;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>An SQS or SNS call that is also a messaging operation: its span is named {@code <operation
 * type> <destination>} ({@code send orders}) and carries {@code messaging.system}, {@code
 * messaging.destination.name}, {@code messaging.operation.type} and {@code
 * messaging.operation.name} next to the AWS call's attributes.
 */
abstract class MessagingCall extends AwsCall {

  private final String system;
  private final String operationType;
  private String destination;

  MessagingCall(Object client, Consumer<Object> mutation, String system, String operationType) {
    super(client, mutation);
    this.system = system;
    this.operationType = operationType;
  }

  /** Starts the span of this operation on {@code destination} (null when it is not known). */
  final void startMessaging(Object request, SpanKind kind, String destination) {
    this.destination = destination;
    AwsOperation operation = AwsOperation.of(request);
    String name = destination == null ? operationType : operationType + " " + destination;
    start(operation, kind, name);
  }

  @Override
  void addStartAttributes(SpanBuilder builder) {
    builder.setAttribute(SemanticConventions.MESSAGING_SYSTEM, system);
    builder.setAttribute(SemanticConventions.MESSAGING_OPERATION_TYPE, operationType);
    builder.setAttribute(SemanticConventions.MESSAGING_OPERATION_NAME, operationType);
    if (destination != null) {
      builder.setAttribute(SemanticConventions.MESSAGING_DESTINATION_NAME, destination);
    }
    addMessagingAttributes(builder);
  }

  /** The queue or topic name the span was started on, or null when it is not known. */
  final String destination() {
    return destination;
  }

  /** What a subclass adds at start: the queue URL, the topic ARN, the batch size. */
  void addMessagingAttributes(SpanBuilder builder) {}

  /** The queue name at the end of an SQS queue URL ({@code https://sqs.../123/orders}). */
  static String queueName(String queueUrl) {
    if (queueUrl == null) {
      return null;
    }
    String url = queueUrl.endsWith("/") ? queueUrl.substring(0, queueUrl.length() - 1) : queueUrl;
    String name = url.substring(url.lastIndexOf('/') + 1);
    return name.isEmpty() ? null : name;
  }
}
