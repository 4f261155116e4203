package dev.baton.processor.model;

import java.util.stream.Collectors;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.TypeMirror;

/** How methods and types are named in messages and reports: short, erased and unambiguous. */
public final class Signatures {

  private final TypeStrings typeStrings;

  public Signatures(TypeStrings typeStrings) {
    this.typeStrings = typeStrings;
  }

  /** {@code price(int, String)}; a constructor by its class name. */
  public String of(ExecutableElement method) {
    String name =
        method.getKind() == ElementKind.CONSTRUCTOR
            ? method.getEnclosingElement().getSimpleName().toString()
            : method.getSimpleName().toString();
    return method.getParameters().stream()
        .map(parameter -> typeStrings.simple(parameter.asType()))
        .collect(Collectors.joining(", ", name + "(", ")"));
  }

  /** A type as the user wrote it, with type arguments, e.g. {@code java.util.Map<String, Long>}. */
  public String type(TypeMirror type) {
    return typeStrings.full(type);
  }

  /** The default span name, {@code SimpleClassName.methodName}. */
  public static String defaultSpanName(ExecutableElement method) {
    return method.getEnclosingElement().getSimpleName() + "." + method.getSimpleName();
  }
}
