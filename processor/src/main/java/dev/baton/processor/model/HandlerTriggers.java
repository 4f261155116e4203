package dev.baton.processor.model;

import java.util.List;
import java.util.Optional;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;

/**
 * Chooses, from a handler method's parameter and return types, how Baton starts and ends its
 * invocation span: which trigger's context extraction runs, and whether the response is read.
 */
public final class HandlerTriggers {

  static final String CONTEXT_PACKAGE = "com.amazonaws.services.lambda.runtime";
  public static final String CONTEXT = CONTEXT_PACKAGE + ".Context";
  private static final String EVENTS = "com.amazonaws.services.lambda.runtime.events.";

  /** Events whose trigger is {@code datasource}. */
  private static final List<String> DATASOURCES =
      List.of(
          EVENTS + "DynamodbEvent",
          EVENTS + "DynamodbTimeWindowEvent",
          EVENTS + "KinesisEvent",
          EVENTS + "KinesisTimeWindowEvent",
          EVENTS + "KinesisFirehoseEvent",
          EVENTS + "S3Event",
          EVENTS + "S3BatchEvent",
          EVENTS + "S3EventNotification",
          "com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification");

  private HandlerTriggers() {}

  /** The index of {@code method}'s {@code Context} parameter, if it has one. */
  public static Optional<Integer> contextPosition(ExecutableElement method) {
    List<? extends VariableElement> parameters = method.getParameters();
    for (int i = 0; i < parameters.size(); i++) {
      if (TypeStrings.qualifiedName(parameters.get(i).asType()).equals(CONTEXT)) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  /** The model of a handler method that takes a {@code Context} (validated before). */
  public static HandlerModel of(ExecutableElement method) {
    int context = contextPosition(method).orElseThrow();
    List<? extends VariableElement> parameters = method.getParameters();
    TypeMirror eventType = context > 0 ? parameters.get(0).asType() : null;
    String event = eventType == null ? "" : TypeStrings.qualifiedName(eventType);
    String response = TypeStrings.qualifiedName(method.getReturnType());
    Trigger typed = Trigger.typed(event);
    if (typed != null) {
      return new HandlerModel(
          typed, typed.endMethod(response), 0, TypeStrings.className(eventType), context);
    }
    Trigger trigger =
        event.equals(Trigger.TIMER.event())
            ? Trigger.TIMER
            : DATASOURCES.contains(event) ? Trigger.DATASOURCE : Trigger.OTHER;
    return new HandlerModel(trigger, RuntimeNames.END, -1, null, context);
  }
}
