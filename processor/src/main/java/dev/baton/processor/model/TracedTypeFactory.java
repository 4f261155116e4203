package dev.baton.processor.model;

import static dev.baton.processor.BatonProcessor.SPAN_ATTRIBUTE;
import static dev.baton.processor.BatonProcessor.TRACED;

import dev.baton.processor.Annotations;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/** Builds the immutable model of a type's validated {@code @Traced} methods. */
public final class TracedTypeFactory {

  /** Names the generated advice and span code use for themselves; parameters are renamed away. */
  private static final Set<String> RESERVED =
      Set.of(
          "span",
          "scope",
          "result",
          "failure",
          "proceed",
          "thisJoinPoint",
          "thisJoinPointStaticPart",
          "thisEnclosingJoinPointStaticPart",
          "aspect",
          "pointcut",
          "privileged",
          "before",
          "after",
          "around",
          "returning",
          "throwing");

  private final Elements elements;
  private final Types types;
  private final TypeStrings typeStrings;
  private final Signatures signatures;
  private final AttributeTypes attributeTypes;
  private final TypeMirror completionStage;

  public TracedTypeFactory(
      Elements elements,
      Types types,
      TypeStrings typeStrings,
      Signatures signatures,
      AttributeTypes attributeTypes) {
    this.elements = elements;
    this.types = types;
    this.typeStrings = typeStrings;
    this.signatures = signatures;
    this.attributeTypes = attributeTypes;
    this.completionStage =
        types.erasure(elements.getTypeElement("java.util.concurrent.CompletionStage").asType());
  }

  /** The model of {@code type} with its (already validated) {@code methods}, in source order. */
  public TracedType create(TypeElement type, List<ExecutableElement> methods) {
    PackageElement pkg = elements.getPackageOf(type);
    String packageName = pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString();
    Names constants = new Names();
    Names factories = new Names();
    List<TracedMethod> traced = new ArrayList<>();
    for (ExecutableElement method : methods) {
      traced.add(method(method, constants, factories));
    }
    return new TracedType(
        type,
        packageName,
        type.getQualifiedName().toString(),
        elements.getBinaryName(type).toString(),
        generatedPrefix(type, packageName),
        traced);
  }

  private TracedMethod method(ExecutableElement method, Names constants, Names factories) {
    Optional<AnnotationMirror> traced = Annotations.find(method, TRACED);
    HandlerModel handler = traced.isEmpty() ? HandlerTriggers.of(method) : null;
    Optional<Integer> messagePosition =
        traced.isPresent() ? MessageParameters.position(method) : Optional.empty();
    String explicitName =
        traced.map(annotation -> Annotations.explicitString(annotation, "value")).orElse("");
    String spanName =
        !explicitName.isEmpty()
            ? explicitName
            : handler != null || messagePosition.isPresent()
                ? null
                : Signatures.defaultSpanName(method);
    String kind =
        traced
            .flatMap(annotation -> Annotations.explicitValue(annotation, "kind"))
            .map(AnnotationValue::getValue)
            .map(value -> ((VariableElement) value).getSimpleName().toString())
            .orElse(defaultKind(handler, messagePosition.isPresent()));
    String methodName = method.getSimpleName().toString();
    String spanConstant = spanName == null ? null : constants.allocate(upperSnake(methodName));
    String attributePrefix = spanConstant != null ? spanConstant : upperSnake(methodName);

    Names formals = new Names(RESERVED);
    List<SpanAttributeModel> attributes = new ArrayList<>();
    List<? extends VariableElement> parameters = method.getParameters();
    MessageModel message =
        messagePosition
            .map(
                i ->
                    new MessageModel(
                        i,
                        formals.allocate(parameters.get(i).getSimpleName().toString()),
                        TypeStrings.className(parameters.get(i).asType()),
                        MessageParameters.factoryClass(parameters.get(i).asType()),
                        MessageParameters.factory(parameters.get(i).asType())))
            .orElse(null);
    // A handler's parameters are never recorded (its @SpanAttribute is an error).
    for (int i = 0; handler == null && i < parameters.size(); i++) {
      VariableElement parameter = parameters.get(i);
      Optional<AnnotationMirror> attribute = Annotations.find(parameter, SPAN_ATTRIBUTE);
      if (attribute.isEmpty()) {
        continue;
      }
      String key = Annotations.attributeKey(parameter, attribute.get());
      AttributeBinding binding = attributeTypes.bind(parameter.asType()).orElseThrow();
      boolean hashed = Annotations.hashed(attribute.get());
      attributes.add(
          new SpanAttributeModel(
              i,
              formals.allocate(parameter.getSimpleName().toString()),
              key,
              binding.type(),
              binding.formalType(),
              hashed ? Conversion.HASHED : binding.conversion(),
              constants.allocate(attributePrefix + "_" + upperSnake(key)),
              hashed));
    }

    TypeMirror returnType = method.getReturnType();
    // A completion stage's span ends when it completes, where the advice can declare the type
    // (TypeStrings.declarable); else it ends when the method returns.
    ResultKind result =
        returnType.getKind() == TypeKind.VOID
            ? ResultKind.VOID
            : isCompletionStage(returnType)
                    && !typeStrings.declarable(returnType).equals("java.lang.Object")
                ? ResultKind.COMPLETION_STAGE
                : ResultKind.VALUE;

    return new TracedMethod(
        method,
        methodName,
        signatures.of(method),
        descriptor(method),
        spanName,
        kind,
        spanConstant,
        factories.allocate(methodName),
        result,
        attributes,
        handler,
        message);
  }

  /** The kind of span the runtime starts for a handler or a message (for the weave report). */
  private static String defaultKind(HandlerModel handler, boolean message) {
    if (handler != null) {
      return handler.trigger().spanKind();
    }
    return message ? "CONSUMER" : "INTERNAL";
  }

  private boolean isCompletionStage(TypeMirror type) {
    return type.getKind() == TypeKind.DECLARED
        && types.isAssignable(types.erasure(type), completionStage);
  }

  private String descriptor(ExecutableElement method) {
    StringBuilder descriptor = new StringBuilder("(");
    for (VariableElement parameter : method.getParameters()) {
      descriptor.append(typeStrings.descriptor(parameter.asType()));
    }
    return descriptor.append(')').append(typeStrings.descriptor(method.getReturnType())).toString();
  }

  /** {@code Outer_Inner} for {@code com.acme.Outer.Inner}. */
  private static String generatedPrefix(TypeElement type, String packageName) {
    String qualified = type.getQualifiedName().toString();
    String relative = packageName.isEmpty() ? qualified : qualified.substring(packageName.length() + 1);
    return relative.replace('.', '_');
  }

  /** {@code orderQuantity} or {@code order.quantity} to {@code ORDER_QUANTITY}. */
  static String upperSnake(String name) {
    StringBuilder out = new StringBuilder();
    char previous = '_';
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c) && Character.isLowerCase(previous)) {
        out.append('_');
      }
      char mapped = Character.isLetterOrDigit(c) ? c : '_';
      if (mapped != '_' || (out.length() > 0 && out.charAt(out.length() - 1) != '_')) {
        out.append(mapped);
      }
      previous = c;
    }
    String result = out.toString().toUpperCase(Locale.ROOT);
    while (result.endsWith("_")) {
      result = result.substring(0, result.length() - 1);
    }
    if (result.isEmpty() || !Character.isJavaIdentifierStart(result.charAt(0))) {
      result = "_" + result;
    }
    return result;
  }

  /** Unique names in one scope: the first use of a name keeps it, later ones get 2, 3... */
  private static final class Names {
    private final Set<String> taken;

    Names() {
      this(Set.of());
    }

    Names(Set<String> reserved) {
      this.taken = new HashSet<>(reserved);
    }

    String allocate(String wanted) {
      String name = wanted;
      String separator = Character.isUpperCase(wanted.charAt(wanted.length() - 1)) ? "_" : "";
      for (int n = 2; !taken.add(name); n++) {
        name = wanted + separator + n;
      }
      return name;
    }
  }
}
