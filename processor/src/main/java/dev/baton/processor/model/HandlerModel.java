package dev.baton.processor.model;

import com.palantir.javapoet.ClassName;

/**
 * How a {@code @TracedHandler} method's invocation span is started and ended, chosen at compile
 * time from its event and response types, so nothing is probed at run time.
 *
 * @param startMethod the {@code LambdaInvocation} factory, e.g. {@code startSqs}
 * @param trigger for {@code startOther}, the {@code LambdaInvocation} constant naming the trigger
 *     ({@code TIMER}, {@code DATASOURCE}, {@code OTHER}); null otherwise
 * @param endMethod the {@code LambdaInvocation} method ending a normal return, e.g. {@code endSqs}
 *     (given the response) or {@code end}
 * @param eventPosition the event parameter's index, or -1 when the start does not take the event
 * @param eventType the event's type (when bound); null otherwise
 * @param contextPosition the {@code Context} parameter's index
 */
public record HandlerModel(
    String startMethod,
    String trigger,
    String endMethod,
    int eventPosition,
    ClassName eventType,
    int contextPosition) {

  /** Whether the end method takes the handler's response. */
  public boolean endTakesResponse() {
    return !endMethod.equals("end");
  }
}
