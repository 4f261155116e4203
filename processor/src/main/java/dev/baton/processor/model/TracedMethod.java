package dev.baton.processor.model;

import com.palantir.javapoet.ClassName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.lang.model.element.ExecutableElement;

/**
 * One {@code @Traced} method, with everything the writers need, decided at compile time.
 *
 * @param element the method itself: the writers derive the AspectJ source of its types from it
 * @param name the method's name
 * @param signature the method as users read it, e.g. {@code price(int, String)}
 * @param descriptor the JVM method descriptor, e.g. {@code (ILjava/lang/String;)I}
 * @param spanName the span name
 * @param spanKind the name of the OpenTelemetry {@code SpanKind} constant
 * @param spanConstant the name of the span name constant
 * @param factoryName the name of the span factory method
 * @param result what the method returns
 * @param attributes the {@code @SpanAttribute} parameters, in parameter order
 * @param handler for a {@code @TracedHandler} method, how its invocation span starts and ends;
 *     null for a {@code @Traced} method
 * @param message for a {@code @Traced} method taking an SQS message or SNS record, that
 *     parameter; null otherwise
 */
public record TracedMethod(
    ExecutableElement element,
    String name,
    String signature,
    String descriptor,
    String spanName,
    String spanKind,
    String spanConstant,
    String factoryName,
    ResultKind result,
    List<SpanAttributeModel> attributes,
    HandlerModel handler,
    MessageModel message) {

  private static final ClassName CONTEXT = ClassName.get(HandlerTriggers.CONTEXT_PACKAGE, "Context");

  public TracedMethod {
    attributes = List.copyOf(attributes);
  }

  /**
   * The parameters the advice binds and hands to the span factory, in parameter order: the
   * handler's event and {@code Context}, the message, the {@code @SpanAttribute} parameters.
   */
  public List<BoundParameter> boundParameters() {
    List<BoundParameter> bound = new ArrayList<>();
    if (handler != null) {
      if (handler.eventPosition() >= 0) {
        bound.add(
            new BoundParameter(
                handler.eventPosition(), "event", handler.eventType()));
      }
      bound.add(
          new BoundParameter(
              handler.contextPosition(), "context", CONTEXT));
    }
    if (message != null) {
      bound.add(
          new BoundParameter(
              message.position(), message.formalName(), message.formalType()));
    }
    for (SpanAttributeModel attribute : attributes) {
      bound.add(
          new BoundParameter(attribute.position(), attribute.formalName(), attribute.formalType()));
    }
    bound.sort(Comparator.comparingInt(BoundParameter::position));
    return bound;
  }
}
