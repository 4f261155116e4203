package dev.baton.processor.model;

import com.palantir.javapoet.ClassName;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;

/** Finds the SQS message or SNS record a {@code @Traced} method processes. */
public final class MessageParameters {

  static final String SQS_MESSAGE = "com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage";
  static final String SNS_RECORD = "com.amazonaws.services.lambda.runtime.events.SNSEvent.SNSRecord";
  /** A message an SQS poller received with the AWS SDK (outside Lambda). */
  static final String SDK_SQS_MESSAGE = "software.amazon.awssdk.services.sqs.model.Message";

  private MessageParameters() {}

  /** The index of the first parameter that is an SQS message or an SNS record. */
  public static Optional<Integer> position(ExecutableElement method) {
    List<? extends VariableElement> parameters = method.getParameters();
    for (int i = 0; i < parameters.size(); i++) {
      String name = TypeStrings.qualifiedName(parameters.get(i).asType());
      if (name.equals(SQS_MESSAGE) || name.equals(SNS_RECORD) || name.equals(SDK_SQS_MESSAGE)) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  /** The runtime class whose factory starts the span of a message of {@code type}. */
  static ClassName factoryClass(TypeMirror type) {
    return TypeStrings.qualifiedName(type).equals(SDK_SQS_MESSAGE)
        ? RuntimeNames.SDK_MESSAGE_SPANS
        : RuntimeNames.MESSAGE_SPANS;
  }

  /** That factory's name. */
  static String factory(TypeMirror type) {
    return TypeStrings.qualifiedName(type).equals(SNS_RECORD)
        ? RuntimeNames.SNS_RECORD
        : RuntimeNames.SQS_MESSAGE;
  }
}
