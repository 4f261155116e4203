package dev.baton.processor.validation;

import static dev.baton.processor.BatonProcessor.SPAN_ATTRIBUTE;
import static dev.baton.processor.BatonProcessor.TRACED;

import dev.baton.processor.Annotations;
import dev.baton.processor.ErrorMessages;
import dev.baton.processor.ErrorReporter;
import dev.baton.processor.model.AttributeTypes;
import dev.baton.processor.model.Signatures;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
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

    if (method.getModifiers().contains(Modifier.ABSTRACT)) {
      reporter.error(method, traced, ErrorMessages.ABSTRACT_METHOD, signature);
    }
    if (method.getModifiers().contains(Modifier.NATIVE)) {
      reporter.error(method, traced, ErrorMessages.NATIVE_METHOD, signature);
    }
    unnamedEnclosingType(method)
        .ifPresent(
            type ->
                reporter.error(
                    method, traced, ErrorMessages.UNNAMED_CLASS, signature, describe(type)));
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
      }
      Optional<AnnotationValue> explicitKey = Annotations.explicitValue(attribute, "value");
      String key = explicitKey.map(value -> (String) value.getValue()).orElse("");
      if (!key.isEmpty() && key.isBlank()) {
        reporter.error(
            parameter,
            attribute,
            explicitKey.get(),
            ErrorMessages.BLANK_ATTRIBUTE_KEY,
            parameterName,
            signature,
            parameterName);
        continue;
      }
      String effectiveKey = key.isEmpty() ? parameterName : key;
      VariableElement first = keys.putIfAbsent(effectiveKey, parameter);
      if (first != null) {
        reporter.error(
            parameter,
            attribute,
            ErrorMessages.DUPLICATE_ATTRIBUTE_KEY,
            effectiveKey,
            signature,
            first.getSimpleName(),
            parameterName);
      }
    }
  }

  /**
   * Validates a {@code @SpanAttribute} parameter whose method is not {@code @Traced}: always an
   * error, since the annotation would silently do nothing.
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
            : ErrorMessages.SPAN_ATTRIBUTE_WITHOUT_TRACED;
    reporter.error(
        parameter, attribute, message, parameter.getSimpleName(), signatures.of(executable));
  }

  private static Optional<TypeElement> unnamedEnclosingType(ExecutableElement method) {
    for (Element e = method.getEnclosingElement(); e != null; e = e.getEnclosingElement()) {
      if (e instanceof TypeElement) {
        NestingKind nesting = ((TypeElement) e).getNestingKind();
        if (nesting == NestingKind.ANONYMOUS || nesting == NestingKind.LOCAL) {
          return Optional.of((TypeElement) e);
        }
      }
    }
    return Optional.empty();
  }

  private static String describe(TypeElement type) {
    return type.getNestingKind() == NestingKind.ANONYMOUS
        ? "an anonymous class"
        : "local class '" + type.getSimpleName() + "'";
  }
}
