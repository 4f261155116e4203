package dev.baton.processor;

import dev.baton.processor.model.AttributeTypes;
import dev.baton.processor.model.Bootstrap;
import dev.baton.processor.model.Signatures;
import dev.baton.processor.model.TracedType;
import dev.baton.processor.model.TracedTypeFactory;
import dev.baton.processor.model.TypeStrings;
import dev.baton.processor.model.HandlerTriggers;
import dev.baton.processor.validation.HandlerLocator;
import dev.baton.processor.validation.TracedValidator;
import dev.baton.processor.validation.UnnamedClassScanner;
import dev.baton.processor.writing.AspectWriter;
import dev.baton.processor.writing.MetadataWriter;
import dev.baton.processor.writing.SpansWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * One round of processing: per annotated type, validate every traced method, build the model,
 * write the span code, the aspect and the weave metadata. Types whose methods mention types not
 * generated yet (by another processor) wait for a later round.
 */
final class TracingStep {

  private final Elements elements;
  private final Filer filer;
  private final ErrorReporter reporter;
  private final TracedValidator validator;
  private final HandlerLocator handlers;
  private final UnnamedClassScanner unnamedClasses;
  private final TracedTypeFactory factory;
  private final SpansWriter spansWriter;
  private final AspectWriter aspectWriter;
  private final MetadataWriter metadataWriter;
  /** Types deferred from an earlier round, by qualified name. */
  private final Set<String> deferred = new LinkedHashSet<>();

  TracingStep(ProcessingEnvironment env, String generator) {
    this.elements = env.getElementUtils();
    this.filer = env.getFiler();
    this.reporter = new ErrorReporter(env.getMessager());
    TypeStrings typeStrings = new TypeStrings(env.getTypeUtils(), elements);
    Signatures signatures = new Signatures(typeStrings);
    AttributeTypes attributeTypes = new AttributeTypes(env.getTypeUtils(), elements);
    this.validator = new TracedValidator(reporter, attributeTypes, signatures);
    this.unnamedClasses = new UnnamedClassScanner(env, reporter);
    this.handlers = new HandlerLocator(reporter, signatures, env.getTypeUtils(), elements);
    // Decided once, at compile time: how handlers set up OpenTelemetry when the function did not
    // (zero-code setup from the OTEL_* settings), from the option or the compile classpath.
    Bootstrap bootstrap = bootstrap(env.getOptions().get(Bootstrap.OPTION));
    this.factory =
        new TracedTypeFactory(
            elements,
            env.getTypeUtils(),
            typeStrings,
            signatures,
            attributeTypes,
            new HandlerTriggers(typeStrings, bootstrap));
    this.spansWriter = new SpansWriter(generator);
    this.aspectWriter = new AspectWriter(generator);
    this.metadataWriter = new MetadataWriter(generator);
  }

  /**
   * The setup {@code option} asks for, else the default one for the compile classpath. A value
   * naming no setup, or a setup whose classes are missing, is a compile error (and no setup).
   */
  private Bootstrap bootstrap(String option) {
    if (option == null || option.isBlank() || option.trim().equalsIgnoreCase(Bootstrap.AUTO)) {
      return Bootstrap.chooseFrom(this::onClasspath);
    }
    Bootstrap chosen = Bootstrap.ofOption(option);
    if (chosen == null) {
      reporter.error(String.format(ErrorMessages.UNKNOWN_TELEMETRY_OPTION, option));
      return Bootstrap.NONE;
    }
    String missing = chosen.missingWith(this::onClasspath);
    if (missing != null) {
      reporter.error(
          String.format(
              ErrorMessages.TELEMETRY_UNAVAILABLE,
              chosen.optionValue(),
              missing,
              chosen == Bootstrap.AUTOCONFIGURE
                  ? "io.opentelemetry:opentelemetry-sdk-extension-autoconfigure and dev.baton:baton-aspects"
                  : "dev.baton:baton-aspects (with io.opentelemetry:opentelemetry-sdk-trace)"));
      return Bootstrap.NONE;
    }
    return chosen;
  }

  private boolean onClasspath(String qualifiedName) {
    return elements.getTypeElement(qualifiedName) != null;
  }

  void process(RoundEnvironment round) {
    Map<TypeElement, List<ExecutableElement>> byType = new LinkedHashMap<>();
    for (String name : deferred) {
      TypeElement type = elements.getTypeElement(name);
      if (type != null) {
        byType.put(type, tracedMethodsOf(type));
      }
    }
    deferred.clear();
    TypeElement traced = elements.getTypeElement(BatonProcessor.TRACED);
    if (traced != null) {
      for (Element element : round.getElementsAnnotatedWith(traced)) {
        if (element.getKind() == ElementKind.METHOD) {
          byType
              .computeIfAbsent((TypeElement) element.getEnclosingElement(), t -> new ArrayList<>())
              .add((ExecutableElement) element);
        }
      }
    }
    for (Element root : round.getRootElements()) {
      unnamedClasses.scan(root);
    }
    TypeElement tracedHandler = elements.getTypeElement(BatonProcessor.TRACED_HANDLER);
    if (tracedHandler != null) {
      for (Element element : round.getElementsAnnotatedWith(tracedHandler)) {
        handlers
            .locate(element)
            .ifPresent(
                method ->
                    byType
                        .computeIfAbsent(
                            (TypeElement) method.getEnclosingElement(), t -> new ArrayList<>())
                        .add(method));
      }
    }
    TypeElement spanAttribute = elements.getTypeElement(BatonProcessor.SPAN_ATTRIBUTE);
    if (spanAttribute != null) {
      for (Element element : round.getElementsAnnotatedWith(spanAttribute)) {
        if (element instanceof VariableElement) {
          validator.validateStraySpanAttribute((VariableElement) element);
        }
      }
    }

    for (Map.Entry<TypeElement, List<ExecutableElement>> entry : byType.entrySet()) {
      TypeElement type = entry.getKey();
      List<ExecutableElement> methods = dedupe(entry.getValue());
      if (!round.processingOver() && mentionsMissingTypes(methods)) {
        deferred.add(type.getQualifiedName().toString());
        continue;
      }
      boolean valid = true;
      for (ExecutableElement method : methods) {
        if (Annotations.find(method, BatonProcessor.TRACED).isPresent()) {
          valid &= validator.validateTraced(method);
        }
      }
      if (valid) {
        write(factory.create(type, methods));
      }
    }
  }

  /** A deferred type's traced methods and handler method, found again in a later round. */
  private List<ExecutableElement> tracedMethodsOf(TypeElement type) {
    List<ExecutableElement> methods = new ArrayList<>();
    if (Annotations.find(type, BatonProcessor.TRACED_HANDLER).isPresent()) {
      handlers.locate(type).ifPresent(methods::add);
    }
    for (Element member : type.getEnclosedElements()) {
      if (member.getKind() == ElementKind.METHOD
          && (Annotations.find(member, BatonProcessor.TRACED).isPresent()
              || Annotations.find(member, BatonProcessor.TRACED_HANDLER).isPresent())) {
        methods.add((ExecutableElement) member);
      }
    }
    return methods;
  }

  private static List<ExecutableElement> dedupe(List<ExecutableElement> methods) {
    return new ArrayList<>(new LinkedHashSet<>(methods));
  }

  private static boolean mentionsMissingTypes(List<ExecutableElement> methods) {
    for (ExecutableElement method : methods) {
      if (isMissing(method.getReturnType())) {
        return true;
      }
      for (VariableElement parameter : method.getParameters()) {
        if (isMissing(parameter.asType())) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isMissing(TypeMirror type) {
    return type.getKind() == TypeKind.ERROR;
  }

  private void write(TracedType type) {
    try {
      spansWriter.write(type).writeTo(filer);
      writeResource(type, type.aspectName() + ".aj", aspectWriter.write(type));
      writeResource(type, type.aspectName() + ".properties", metadataWriter.write(type));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not write the generated files of " + type.qualifiedName(), e);
    }
  }

  private void writeResource(TracedType type, String fileName, String content)
      throws IOException {
    FileObject file =
        filer.createResource(
            StandardLocation.SOURCE_OUTPUT, type.packageName(), fileName, type.element());
    try (Writer writer = file.openWriter()) {
      writer.write(content);
    }
  }
}
