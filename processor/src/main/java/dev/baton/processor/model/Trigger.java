package dev.baton.processor.model;

/**
 * What invokes a {@code @TracedHandler} method, known from its event type at compile time: which
 * {@code LambdaInvocation} factory starts its span (and extracts the trigger's context), which
 * method ends it given the response, and the span's kind.
 */
public enum Trigger {
  API_GATEWAY_REST(
      "APIGatewayProxyRequestEvent", "APIGatewayProxyResponseEvent", "startApiGateway", "endApiGateway", false),
  HTTP_API("APIGatewayV2HTTPEvent", "APIGatewayV2HTTPResponse", "startHttpApi", "endHttpApi", false),
  ALB(
      "ApplicationLoadBalancerRequestEvent", "ApplicationLoadBalancerResponseEvent", "startAlb", "endAlb", false),
  SQS("SQSEvent", "SQSBatchResponse", "startSqs", "endSqs", true),
  SNS("SNSEvent", null, "startSns", null, true),
  /** Any other event: {@code startOther} with one of {@link #constant}'s trigger constants. */
  TIMER("ScheduledEvent", null, RuntimeNames.START_OTHER, null, false),
  DATASOURCE(null, null, RuntimeNames.START_OTHER, null, false),
  OTHER(null, null, RuntimeNames.START_OTHER, null, false);

  static final String EVENTS = "com.amazonaws.services.lambda.runtime.events.";

  private final String event;
  private final String response;
  private final String start;
  private final String endWithResponse;
  private final boolean messaging;

  Trigger(String event, String response, String start, String endWithResponse, boolean messaging) {
    this.event = event == null ? null : EVENTS + event;
    this.response = response == null ? null : EVENTS + response;
    this.start = start;
    this.endWithResponse = endWithResponse;
    this.messaging = messaging;
  }

  /** The trigger whose factory takes events of type {@code event} (qualified), if any. */
  static Trigger typed(String event) {
    for (Trigger trigger : values()) {
      if (trigger.takesEvent() && event.equals(trigger.event)) {
        return trigger;
      }
    }
    return null;
  }

  /** Whether its start takes the event ({@code startOther} takes a trigger constant instead). */
  public boolean takesEvent() {
    return constant() == null;
  }

  /** The {@code LambdaInvocation} factory that starts the invocation span. */
  public String startMethod() {
    return start;
  }

  /**
   * The {@code LambdaInvocation} method that ends a normal return: the trigger's own, given the
   * response, when the handler returns {@code responseType}; otherwise {@code end()}.
   */
  public String endMethod(String responseType) {
    return response != null && response.equals(responseType) ? endWithResponse : RuntimeNames.END;
  }

  /** The event type it is chosen for (qualified), or null (chosen otherwise). */
  String event() {
    return event;
  }

  /** For {@code startOther}, the {@code LambdaInvocation} constant naming the trigger; else null. */
  public String constant() {
    return switch (this) {
      case TIMER -> RuntimeNames.TRIGGER_TIMER;
      case DATASOURCE -> RuntimeNames.TRIGGER_DATASOURCE;
      case OTHER -> RuntimeNames.TRIGGER_OTHER;
      default -> null;
    };
  }

  /** The invocation span's kind: CONSUMER for a message batch, SERVER otherwise. */
  public String spanKind() {
    return messaging ? "CONSUMER" : "SERVER";
  }
}
