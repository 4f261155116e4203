package dev.baton.processor.model;

import com.palantir.javapoet.ClassName;
import java.util.List;
import java.util.stream.Collectors;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Types written out for the generated aspect and the weave metadata: AspectJ source (canonical
 * names, no type annotations), JVM descriptors, the short form error messages use, and the
 * classes the generated Java names.
 */
public final class TypeStrings {

  private final Types types;
  private final Elements elements;

  public TypeStrings(Types types, Elements elements) {
    this.types = types;
    this.elements = elements;
  }

  /** The qualified name of a declared type, e.g. {@code java.util.List}; "" for any other type. */
  public static String qualifiedName(TypeMirror type) {
    return type.getKind() == TypeKind.DECLARED ? element(type).getQualifiedName().toString() : "";
  }

  /** A declared type's raw class, for generated Java, e.g. {@code SQSEvent.SQSMessage}. */
  static ClassName className(TypeMirror declared) {
    return ClassName.get(element(declared));
  }

  private static TypeElement element(TypeMirror declared) {
    return (TypeElement) ((DeclaredType) declared).asElement();
  }

  /** The erasure of {@code type} in source form, e.g. {@code java.util.List}, {@code int[]}. */
  public String erased(TypeMirror type) {
    TypeMirror erasure = types.erasure(type);
    switch (erasure.getKind()) {
      case ARRAY:
        return erased(((ArrayType) erasure).getComponentType()) + "[]";
      case DECLARED:
        return qualifiedName(erasure);
      default:
        return erasure.getKind().isPrimitive() || erasure.getKind() == TypeKind.VOID
            ? erasure.getKind().name().toLowerCase(java.util.Locale.ROOT)
            : "java.lang.Object";
    }
  }

  /**
   * {@code type} as an around advice can declare its return type: in full with its type arguments
   * when every part can be named from outside its class, else its erasure (ajc then warns of an
   * unchecked conversion), else {@code java.lang.Object}. A type variable is always {@code
   * java.lang.Object}: ajc rejects its erasure as an incompatible return type.
   */
  public String declarable(TypeMirror type) {
    if (type.getKind() == TypeKind.TYPEVAR) {
      return "java.lang.Object";
    }
    if (isNameable(type, true)) {
      return full(type);
    }
    TypeMirror erasure = types.erasure(type);
    return isNameable(erasure, false) ? erased(erasure) : "java.lang.Object";
  }

  /** Whether {@code type} is nameable from another class of its package. */
  private boolean isNameable(TypeMirror type, boolean withArguments) {
    switch (type.getKind()) {
      case ARRAY:
        return isNameable(((ArrayType) type).getComponentType(), withArguments);
      case DECLARED:
        DeclaredType declared = (DeclaredType) type;
        if (!isAccessible(declared.asElement())) {
          return false;
        }
        if (!withArguments) {
          return true;
        }
        for (TypeMirror argument : declared.getTypeArguments()) {
          if (!isNameable(argument, true)) {
            return false;
          }
        }
        return true;
      case WILDCARD:
        WildcardType wildcard = (WildcardType) type;
        TypeMirror bound =
            wildcard.getExtendsBound() != null
                ? wildcard.getExtendsBound()
                : wildcard.getSuperBound();
        return bound == null || isNameable(bound, true);
      default:
        return type.getKind().isPrimitive() || type.getKind() == TypeKind.VOID;
    }
  }

  private static boolean isAccessible(Element element) {
    for (Element e = element; e != null && e.getKind() != ElementKind.PACKAGE;
        e = e.getEnclosingElement()) {
      if (e.getModifiers().contains(Modifier.PRIVATE)) {
        return false;
      }
    }
    return true;
  }

  /** {@code type} in source form with its type arguments, without type annotations. */
  public String full(TypeMirror type) {
    switch (type.getKind()) {
      case ARRAY:
        return full(((ArrayType) type).getComponentType()) + "[]";
      case DECLARED:
        DeclaredType declared = (DeclaredType) type;
        String name = ((TypeElement) declared.asElement()).getQualifiedName().toString();
        List<? extends TypeMirror> arguments = declared.getTypeArguments();
        return arguments.isEmpty()
            ? name
            : arguments.stream().map(this::full).collect(Collectors.joining(", ", name + "<", ">"));
      case WILDCARD:
        WildcardType wildcard = (WildcardType) type;
        if (wildcard.getExtendsBound() != null) {
          return "? extends " + full(wildcard.getExtendsBound());
        }
        return wildcard.getSuperBound() != null ? "? super " + full(wildcard.getSuperBound()) : "?";
      case TYPEVAR:
        return type.toString();
      default:
        return erased(type);
    }
  }

  /** The JVM descriptor of the erasure of {@code type}, e.g. {@code Ljava/lang/String;}. */
  public String descriptor(TypeMirror type) {
    TypeMirror erasure = types.erasure(type);
    switch (erasure.getKind()) {
      case BOOLEAN:
        return "Z";
      case BYTE:
        return "B";
      case SHORT:
        return "S";
      case CHAR:
        return "C";
      case INT:
        return "I";
      case LONG:
        return "J";
      case FLOAT:
        return "F";
      case DOUBLE:
        return "D";
      case VOID:
        return "V";
      case ARRAY:
        return "[" + descriptor(((ArrayType) erasure).getComponentType());
      case DECLARED:
        TypeElement element = (TypeElement) ((DeclaredType) erasure).asElement();
        return "L" + elements.getBinaryName(element).toString().replace('.', '/') + ";";
      default:
        return "Ljava/lang/Object;";
    }
  }

  /** The short, erased form of {@code type} for messages, e.g. {@code List}, {@code int[]}. */
  public String simple(TypeMirror type) {
    TypeMirror erasure = types.erasure(type);
    switch (erasure.getKind()) {
      case ARRAY:
        return simple(((ArrayType) erasure).getComponentType()) + "[]";
      case DECLARED:
        return ((DeclaredType) erasure).asElement().getSimpleName().toString();
      default:
        return erased(erasure);
    }
  }
}
