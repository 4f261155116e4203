package dev.baton.processor.validation;

import static dev.baton.processor.BatonProcessor.SPAN_ATTRIBUTE;
import static dev.baton.processor.BatonProcessor.TRACED;
import static dev.baton.processor.BatonProcessor.TRACED_HANDLER;

import dev.baton.processor.Annotations;
import dev.baton.processor.ErrorMessages;
import dev.baton.processor.ErrorReporter;
import dev.baton.processor.model.AttributeTypes;
import dev.baton.processor.model.MessageParameters;
import dev.baton.processor.model.Signatures;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;

/**
 * Checks that an annotated element can be woven, and reports every problem through the {@link
 * ErrorReporter}, anchored on the element, annotation and value at fault. It never throws.
 */
public final class TracedValidator {

  private final ErrorReporter reporter;
  private final AttributeTypes attributeTypes;
  private final Signatures signatures;

  public TracedValidator(
      ErrorReporter reporter, AttributeTypes attributeTypes, Signatures signatures) {
    this.reporter = reporter;
    this.attributeTypes = attributeTypes;
    this.signatures = signatures;
  }

  /** Validates a {@code @Traced} method; true when it can be woven. */
  public boolean validateTraced(ExecutableElement method) {
    AnnotationMirror traced = Annotations.find(method, TRACED).orElseThrow();
    String signature = signatures.of(method);
    int errorsBefore = reporter.errorCount();

    WeavableMethods.check(reporter, method, traced, signature);
    Optional<AnnotationValue> name = Annotations.explicitValue(traced, "value");
    if (name.isPresent() && ((String) name.get().getValue()).isBlank()) {
      reporter.error(
          method,
          traced,
          name.get(),
          ErrorMessages.BLANK_SPAN_NAME,
          signature,
          Signatures.defaultSpanName(method));
    }
    Optional<AnnotationValue> kind = Annotations.explicitValue(traced, "kind");
    Optional<Integer> message = MessageParameters.position(method);
    if (kind.isPresent() && message.isPresent()) {
      String given = ((VariableElement) kind.get().getValue()).getSimpleName().toString();
      if (!given.equals("CONSUMER")) {
        reporter.error(
            method,
            traced,
            kind.get(),
            ErrorMessages.MESSAGE_SPAN_KIND,
            signature,
            given,
            method.getParameters().get(message.get()).getSimpleName());
      }
    }
    validateAttributes(method, signature);
    return reporter.errorCount() == errorsBefore;
  }

  private void validateAttributes(ExecutableElement method, String signature) {
    Map<String, VariableElement> keys = new HashMap<>();
    for (VariableElement parameter : method.getParameters()) {
      Optional<AnnotationMirror> found = Annotations.find(parameter, SPAN_ATTRIBUTE);
      if (found.isEmpty()) {
        continue;
      }
      AnnotationMirror attribute = found.get();
      String parameterName = parameter.getSimpleName().toString();
      if (attributeTypes.bind(parameter.asType()).isEmpty()) {
        reporter.error(
            parameter,
            attribute,
            ErrorMessages.UNSUPPORTED_ATTRIBUTE_TYPE,
            signatures.type(parameter.asType()),
            parameterName,
            signature);
      } else if (Annotations.hashed(attribute) && !attributeTypes.isString(parameter.asType())) {
        reporter.error(
            parameter,
            attribute,
            Annotations.explicitValue(attribute, "hash").orElseThrow(),
            ErrorMessages.HASH_NOT_A_STRING,
            signatures.type(parameter.asType()),
            parameterName,
            signature);
      }
      String key = Annotations.attributeKey(parameter, attribute);
      if (key.isBlank()) {
        reporter.error(
            parameter,
            attribute,
            Annotations.explicitValue(attribute, "value").orElseThrow(),
            ErrorMessages.BLANK_ATTRIBUTE_KEY,
            parameterName,
            signature,
            parameterName);
        continue;
      }
      VariableElement first = keys.putIfAbsent(key, parameter);
      if (first != null) {
        reporter.error(
            parameter,
            attribute,
            ErrorMessages.DUPLICATE_ATTRIBUTE_KEY,
            key,
            signature,
            first.getSimpleName(),
            parameterName);
      }
    }
  }

  /**
   * Validates a {@code @SpanAttribute} parameter whose method is not {@code @Traced}: always an
   * error, since the annotation would silently do nothing (a handler's invocation span does not
   * record its parameters either).
   */
  public void validateStraySpanAttribute(VariableElement parameter) {
    Element enclosing = parameter.getEnclosingElement();
    AnnotationMirror attribute = Annotations.find(parameter, SPAN_ATTRIBUTE).orElseThrow();
    if (!(enclosing instanceof ExecutableElement)) {
      return; // a lambda or record component: javac already rejects most; nothing to weave
    }
    ExecutableElement executable = (ExecutableElement) enclosing;
    if (Annotations.find(executable, TRACED).isPresent()) {
      return;
    }
    String message =
        executable.getKind() == ElementKind.CONSTRUCTOR
            ? ErrorMessages.SPAN_ATTRIBUTE_ON_CONSTRUCTOR
            : isHandler(executable)
                ? ErrorMessages.SPAN_ATTRIBUTE_ON_HANDLER
                : ErrorMessages.SPAN_ATTRIBUTE_WITHOUT_TRACED;
    reporter.error(
        parameter, attribute, message, parameter.getSimpleName(), signatures.of(executable));
  }

  /**
   * Whether {@code method} is, or may be, a handler: annotated {@code @TracedHandler}, or the
   * {@code handleRequest} of a class annotated so.
   */
  private static boolean isHandler(ExecutableElement method) {
    return Annotations.find(method, TRACED_HANDLER).isPresent()
        || (method.getSimpleName().contentEquals("handleRequest")
            && Annotations.find(method.getEnclosingElement(), TRACED_HANDLER).isPresent());
  }
}
