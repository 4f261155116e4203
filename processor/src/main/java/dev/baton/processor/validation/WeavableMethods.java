package dev.baton.processor.validation;

import static dev.baton.processor.BatonProcessor.TRACED;

import dev.baton.processor.ErrorMessages;
import dev.baton.processor.ErrorReporter;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * The check {@code @Traced} and {@code @TracedHandler} methods share: AspectJ weaves only a method
 * with a body in Java, so an abstract or native one is an error on the annotation.
 */
final class WeavableMethods {

  private WeavableMethods() {}

  /** Reports {@code method} when it is abstract or native, in the words of {@code annotation}. */
  static void check(
      ErrorReporter reporter,
      ExecutableElement method,
      AnnotationMirror annotation,
      String signature) {
    boolean traced =
        ((TypeElement) annotation.getAnnotationType().asElement())
            .getQualifiedName()
            .contentEquals(TRACED);
    if (method.getModifiers().contains(Modifier.ABSTRACT)) {
      reporter.error(
          method,
          annotation,
          traced ? ErrorMessages.ABSTRACT_METHOD : ErrorMessages.ABSTRACT_HANDLER,
          signature);
    }
    if (method.getModifiers().contains(Modifier.NATIVE)) {
      reporter.error(
          method,
          annotation,
          traced ? ErrorMessages.NATIVE_METHOD : ErrorMessages.NATIVE_HANDLER,
          signature);
    }
  }
}
