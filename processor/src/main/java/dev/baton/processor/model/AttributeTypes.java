package dev.baton.processor.model;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.WildcardTypeName;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Decides at compile time which parameter types {@code @SpanAttribute} supports and how each is
 * recorded: {@code String}, primitives and their boxes, enums, and arrays or {@code List}s of
 * those. Everything else is rejected, so no {@code toString()} of an arbitrary object ever runs.
 */
public final class AttributeTypes {

  private static final TypeName ENUM = enumType();
  private static final ClassName LIST = ClassName.get(List.class);

  private final Types types;
  private final TypeMirror list;

  public AttributeTypes(Types types, Elements elements) {
    this.types = types;
    TypeElement listElement = elements.getTypeElement("java.util.List");
    this.list = types.erasure(listElement.asType());
  }

  /** Whether {@code type} is {@code java.lang.String}: what {@code hash = true} applies to. */
  public boolean isString(TypeMirror type) {
    return type.getKind() == TypeKind.DECLARED
        && ((TypeElement) ((DeclaredType) type).asElement())
            .getQualifiedName()
            .contentEquals("java.lang.String");
  }

  /** How {@code type} is recorded, or empty when it is not supported. */
  public Optional<AttributeBinding> bind(TypeMirror type) {
    if (type.getKind().isPrimitive()) {
      return Optional.of(primitive(type.getKind(), TypeName.get(type)));
    }
    if (type.getKind() == TypeKind.ARRAY) {
      return array(((ArrayType) type).getComponentType(), TypeName.get(type));
    }
    if (type.getKind() != TypeKind.DECLARED) {
      return Optional.empty();
    }
    TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
    if (element.getKind() == ElementKind.ENUM) {
      return Optional.of(new AttributeBinding(AttributeType.STRING, Conversion.NAME, ENUM));
    }
    switch (element.getQualifiedName().toString()) {
      case "java.lang.String":
        return Optional.of(binding(AttributeType.STRING, Conversion.DIRECT, type));
      case "java.lang.Character":
        return Optional.of(binding(AttributeType.STRING, Conversion.TO_STRING, type));
      case "java.lang.Boolean":
        return Optional.of(binding(AttributeType.BOOLEAN, Conversion.DIRECT, type));
      case "java.lang.Long":
      case "java.lang.Double":
        AttributeType number =
            element.getSimpleName().contentEquals("Long") ? AttributeType.LONG : AttributeType.DOUBLE;
        return Optional.of(binding(number, Conversion.DIRECT, type));
      case "java.lang.Byte":
      case "java.lang.Short":
      case "java.lang.Integer":
        return Optional.of(binding(AttributeType.LONG, Conversion.TO_LONG, type));
      case "java.lang.Float":
        return Optional.of(binding(AttributeType.DOUBLE, Conversion.TO_DOUBLE, type));
      default:
        return list((DeclaredType) type);
    }
  }

  private static AttributeBinding primitive(TypeKind kind, TypeName formal) {
    switch (kind) {
      case BOOLEAN:
        return new AttributeBinding(AttributeType.BOOLEAN, Conversion.DIRECT, formal);
      case BYTE:
      case SHORT:
        return new AttributeBinding(AttributeType.LONG, Conversion.WIDEN_TO_INT, formal);
      case INT:
      case LONG:
        return new AttributeBinding(AttributeType.LONG, Conversion.DIRECT, formal);
      case CHAR:
        return new AttributeBinding(AttributeType.STRING, Conversion.CHAR_TO_STRING, formal);
      case FLOAT:
        return new AttributeBinding(AttributeType.DOUBLE, Conversion.WIDEN_TO_DOUBLE, formal);
      default:
        return new AttributeBinding(AttributeType.DOUBLE, Conversion.DIRECT, formal);
    }
  }

  private Optional<AttributeBinding> array(TypeMirror component, TypeName formal) {
    if (component.getKind().isPrimitive()) {
      switch (component.getKind()) {
        case BOOLEAN:
          return Optional.of(
              new AttributeBinding(AttributeType.BOOLEAN_ARRAY, Conversion.BOOLEANS, formal));
        case CHAR:
          return Optional.of(
              new AttributeBinding(AttributeType.STRING_ARRAY, Conversion.STRINGS, formal));
        case FLOAT:
        case DOUBLE:
          return Optional.of(
              new AttributeBinding(AttributeType.DOUBLE_ARRAY, Conversion.DOUBLES, formal));
        default:
          return Optional.of(
              new AttributeBinding(AttributeType.LONG_ARRAY, Conversion.LONGS, formal));
      }
    }
    return element(component)
        .map(
            element ->
                new AttributeBinding(
                    element.type,
                    element.arrayConversion,
                    element == Element.ENUM ? ArrayTypeName.of(ENUM) : formal));
  }

  private Optional<AttributeBinding> list(DeclaredType type) {
    if (!types.isAssignable(types.erasure(type), list)) {
      return Optional.empty();
    }
    Optional<TypeMirror> elementType = listElementType(type);
    return elementType
        .flatMap(this::element)
        .map(
            element ->
                new AttributeBinding(
                    element.type,
                    element.listConversion,
                    ParameterizedTypeName.get(LIST, WildcardTypeName.subtypeOf(element.bound))));
  }

  /** The {@code E} of the {@code List<E>} that {@code type} is or extends. */
  private Optional<TypeMirror> listElementType(DeclaredType type) {
    if (types.isSameType(types.erasure(type), list)) {
      List<? extends TypeMirror> arguments = type.getTypeArguments();
      if (arguments.size() != 1) {
        return Optional.empty(); // a raw List: its elements could be anything
      }
      TypeMirror argument = arguments.get(0);
      if (argument.getKind() == TypeKind.WILDCARD) {
        argument = ((WildcardType) argument).getExtendsBound();
      }
      return Optional.ofNullable(argument);
    }
    for (TypeMirror supertype : types.directSupertypes(type)) {
      if (supertype.getKind() == TypeKind.DECLARED
          && types.isAssignable(types.erasure(supertype), list)) {
        Optional<TypeMirror> found = listElementType((DeclaredType) supertype);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  /** The element types arrays and lists may hold, and how a whole array or list converts. */
  private enum Element {
    STRING(AttributeType.STRING_ARRAY, Conversion.STRINGS, Conversion.STRINGS, String.class),
    CHARACTER(
        AttributeType.STRING_ARRAY, Conversion.CHARACTERS, Conversion.STRINGS, Character.class),
    BOOLEAN(AttributeType.BOOLEAN_ARRAY, Conversion.BOOLEANS, Conversion.BOOLEANS, Boolean.class),
    INTEGRAL(AttributeType.LONG_ARRAY, Conversion.LONGS, Conversion.LONGS, Number.class),
    FLOATING(AttributeType.DOUBLE_ARRAY, Conversion.DOUBLES, Conversion.DOUBLES, Number.class),
    ENUM(AttributeType.STRING_ARRAY, Conversion.NAMES, Conversion.NAMES, null);

    final AttributeType type;
    final Conversion listConversion;
    final Conversion arrayConversion;
    final TypeName bound;

    Element(
        AttributeType type,
        Conversion listConversion,
        Conversion arrayConversion,
        Class<?> bound) {
      this.type = type;
      this.listConversion = listConversion;
      this.arrayConversion = arrayConversion;
      this.bound = bound == null ? AttributeTypes.ENUM : ClassName.get(bound);
    }
  }

  private Optional<Element> element(TypeMirror type) {
    if (type.getKind() != TypeKind.DECLARED) {
      return Optional.empty();
    }
    TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
    if (element.getKind() == ElementKind.ENUM) {
      return Optional.of(Element.ENUM);
    }
    switch (element.getQualifiedName().toString()) {
      case "java.lang.String":
        return Optional.of(Element.STRING);
      case "java.lang.Character":
        return Optional.of(Element.CHARACTER);
      case "java.lang.Boolean":
        return Optional.of(Element.BOOLEAN);
      case "java.lang.Byte":
      case "java.lang.Short":
      case "java.lang.Integer":
      case "java.lang.Long":
        return Optional.of(Element.INTEGRAL);
      case "java.lang.Float":
      case "java.lang.Double":
        return Optional.of(Element.FLOATING);
      default:
        return Optional.empty();
    }
  }

  private static AttributeBinding binding(
      AttributeType type, Conversion conversion, TypeMirror formal) {
    return new AttributeBinding(type, conversion, TypeName.get(formal));
  }

  private static TypeName enumType() {
    return ParameterizedTypeName.get(ClassName.get(Enum.class), WildcardTypeName.subtypeOf(Object.class));
  }
}
