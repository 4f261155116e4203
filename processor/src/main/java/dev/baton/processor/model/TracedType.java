package dev.baton.processor.model;

import java.util.List;
import javax.lang.model.element.TypeElement;

/**
 * A class, interface, enum or record with {@code @Traced} methods or a {@code @TracedHandler}
 * handler method: what one generated aspect covers.
 *
 * @param element the type
 * @param packageName its package ("" for the unnamed package)
 * @param qualifiedName its canonical name, e.g. {@code com.acme.Outer.Inner}
 * @param binaryName its binary name, e.g. {@code com.acme.Outer$Inner}
 * @param generatedPrefix the prefix of the generated types' names, e.g. {@code Outer_Inner}
 * @param methods its traced methods and handler method, in source order
 */
public record TracedType(
    TypeElement element,
    String packageName,
    String qualifiedName,
    String binaryName,
    String generatedPrefix,
    List<TracedMethod> methods) {

  public TracedType {
    methods = List.copyOf(methods);
  }

  /** The simple name of the generated class holding the span code. */
  public String spansClassName() {
    return generatedPrefix + "_BatonSpans";
  }

  /** The simple name of the generated aspect. */
  public String aspectName() {
    return generatedPrefix + "_BatonAspect";
  }

  /** Qualifies {@code simpleName} with this type's package. */
  public String qualify(String simpleName) {
    return packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
  }
}
