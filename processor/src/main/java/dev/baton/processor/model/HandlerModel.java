package dev.baton.processor.model;

import com.palantir.javapoet.ClassName;

/**
 * How a {@code @TracedHandler} method's invocation span is started and ended, chosen at compile
 * time from its event and response types, so nothing is probed at run time.
 *
 * @param trigger what invokes it: the {@code LambdaInvocation} factory and the span's kind
 * @param endMethod the {@code LambdaInvocation} method ending a normal return, e.g. {@code endSqs}
 *     (given the response) or {@code end}
 * @param eventPosition the event parameter's index, or -1 when the start does not take the event
 * @param eventType the event's type (when bound); null otherwise
 * @param contextPosition the {@code Context} parameter's index
 */
public record HandlerModel(
    Trigger trigger, String endMethod, int eventPosition, ClassName eventType, int contextPosition) {

  /** The {@code LambdaInvocation} factory, e.g. {@code startSqs}. */
  public String startMethod() {
    return trigger.startMethod();
  }

  /** For {@code startOther}, the {@code LambdaInvocation} constant naming the trigger; else null. */
  public String triggerConstant() {
    return trigger.constant();
  }

  /** Whether the end method takes the handler's response. */
  public boolean endTakesResponse() {
    return !endMethod.equals(RuntimeNames.END);
  }
}
