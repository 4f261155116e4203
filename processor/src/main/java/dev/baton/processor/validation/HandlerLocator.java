package dev.baton.processor.validation;

import static dev.baton.processor.BatonProcessor.TRACED;
import static dev.baton.processor.BatonProcessor.TRACED_HANDLER;

import dev.baton.processor.Annotations;
import dev.baton.processor.ErrorMessages;
import dev.baton.processor.ErrorReporter;
import dev.baton.processor.model.HandlerTriggers;
import dev.baton.processor.model.Signatures;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Finds the handler method a {@code @TracedHandler} stands for, and checks it can be traced: the
 * class's own {@code handleRequest} for a {@code RequestHandler} or {@code RequestStreamHandler},
 * or the annotated method, which must take a {@code Context}, have a body, and not be {@code
 * @Traced} too.
 */
public final class HandlerLocator {

  private final ErrorReporter reporter;
  private final Signatures signatures;
  private final Types types;
  private final TypeMirror requestHandler;
  private final TypeMirror streamHandler;

  public HandlerLocator(
      ErrorReporter reporter, Signatures signatures, Types types, Elements elements) {
    this.reporter = reporter;
    this.signatures = signatures;
    this.types = types;
    this.requestHandler = erasure(elements, "com.amazonaws.services.lambda.runtime.RequestHandler");
    this.streamHandler = erasure(elements, "com.amazonaws.services.lambda.runtime.RequestStreamHandler");
  }

  /** The handler method of an annotated class or method, when it can be traced. */
  public Optional<ExecutableElement> locate(Element annotated) {
    AnnotationMirror annotation = Annotations.find(annotated, TRACED_HANDLER).orElseThrow();
    if (annotated instanceof ExecutableElement) {
      ExecutableElement method = (ExecutableElement) annotated;
      return validate(method, annotation) ? Optional.of(method) : Optional.empty();
    }
    TypeElement type = (TypeElement) annotated;
    boolean streams = isSubtype(type, streamHandler);
    if (!streams && !isSubtype(type, requestHandler)) {
      reporter.error(type, annotation, ErrorMessages.NOT_A_HANDLER, type.getQualifiedName());
      return Optional.empty();
    }
    int parameters = streams ? 3 : 2;
    for (Element member : type.getEnclosedElements()) {
      if (member.getKind() == ElementKind.METHOD
          && member.getSimpleName().contentEquals("handleRequest")
          && !member.getModifiers().contains(Modifier.ABSTRACT)) {
        ExecutableElement method = (ExecutableElement) member;
        if (method.getParameters().size() == parameters
            && HandlerTriggers.contextPosition(method).equals(Optional.of(parameters - 1))) {
          return validate(method, annotation) ? Optional.of(method) : Optional.empty();
        }
      }
    }
    reporter.error(
        type, annotation, ErrorMessages.HANDLER_METHOD_NOT_DECLARED, type.getQualifiedName());
    return Optional.empty();
  }

  private boolean validate(ExecutableElement method, AnnotationMirror annotation) {
    String signature = signatures.of(method);
    int before = reporter.errorCount();
    WeavableMethods.check(reporter, method, annotation, signature);
    if (HandlerTriggers.contextPosition(method).isEmpty()) {
      reporter.error(method, annotation, ErrorMessages.HANDLER_WITHOUT_CONTEXT, signature);
    }
    Annotations.find(method, TRACED)
        .ifPresent(
            traced ->
                reporter.error(method, traced, ErrorMessages.HANDLER_ALSO_TRACED, signature));
    return reporter.errorCount() == before;
  }

  private boolean isSubtype(TypeElement type, TypeMirror supertype) {
    return supertype != null && types.isAssignable(types.erasure(type.asType()), supertype);
  }

  /** The erased type named {@code name}, or null when it is not on the classpath. */
  private TypeMirror erasure(Elements elements, String name) {
    TypeElement type = elements.getTypeElement(name);
    return type == null ? null : types.erasure(type.asType());
  }
}
