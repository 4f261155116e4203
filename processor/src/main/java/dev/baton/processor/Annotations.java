package dev.baton.processor;

import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/** Reads annotations as mirrors, so errors can point at the annotation and value at fault. */
public final class Annotations {

  private Annotations() {}

  /** The annotation named {@code qualifiedName} on {@code element}, if present. */
  public static Optional<AnnotationMirror> find(Element element, String qualifiedName) {
    for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
      TypeElement type = (TypeElement) mirror.getAnnotationType().asElement();
      if (type.getQualifiedName().contentEquals(qualifiedName)) {
        return Optional.of(mirror);
      }
    }
    return Optional.empty();
  }

  /** The value the source gives explicitly for {@code name}; empty when it uses the default. */
  public static Optional<AnnotationValue> explicitValue(AnnotationMirror mirror, String name) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry :
        mirror.getElementValues().entrySet()) {
      if (entry.getKey().getSimpleName().contentEquals(name)) {
        return Optional.of(entry.getValue());
      }
    }
    return Optional.empty();
  }

  /**
   * The key of a {@code @SpanAttribute} on {@code parameter}: the explicit value, else the
   * parameter's name.
   */
  public static String attributeKey(VariableElement parameter, AnnotationMirror spanAttribute) {
    String key = explicitString(spanAttribute, "value");
    return key.isEmpty() ? parameter.getSimpleName().toString() : key;
  }

  /** The explicit string value for {@code name}, or {@code ""}. */
  public static String explicitString(AnnotationMirror mirror, String name) {
    return explicitValue(mirror, name).map(value -> (String) value.getValue()).orElse("");
  }

  /** Whether a {@code @SpanAttribute} says {@code hash = true}. */
  public static boolean hashed(AnnotationMirror spanAttribute) {
    return explicitValue(spanAttribute, "hash").map(value -> (Boolean) value.getValue()).orElse(false);
  }
}
