package dev.baton.processor.model;

import java.util.List;
import java.util.Map;
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

  /** Event type to {start method, response type, end method}. */
  private static final Map<String, List<String>> TYPED =
      Map.of(
          EVENTS + "APIGatewayProxyRequestEvent",
              List.of("startApiGateway", EVENTS + "APIGatewayProxyResponseEvent", "endApiGateway"),
          EVENTS + "APIGatewayV2HTTPEvent",
              List.of("startHttpApi", EVENTS + "APIGatewayV2HTTPResponse", "endHttpApi"),
          EVENTS + "ApplicationLoadBalancerRequestEvent",
              List.of("startAlb", EVENTS + "ApplicationLoadBalancerResponseEvent", "endAlb"),
          EVENTS + "SQSEvent", List.of("startSqs", EVENTS + "SQSBatchResponse", "endSqs"),
          EVENTS + "SNSEvent", List.of("startSns", "", "end"));

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
    List<String> typed = TYPED.get(event);
    if (typed != null) {
      String end = response.equals(typed.get(1)) ? typed.get(2) : "end";
      return new HandlerModel(
          typed.get(0), null, end, 0, TypeStrings.className(eventType), context);
    }
    String trigger =
        event.equals(EVENTS + "ScheduledEvent")
            ? "TIMER"
            : DATASOURCES.contains(event) ? "DATASOURCE" : "OTHER";
    return new HandlerModel("startOther", trigger, "end", -1, null, context);
  }
}
