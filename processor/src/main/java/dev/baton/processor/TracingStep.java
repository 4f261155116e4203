package dev.baton.processor;

import dev.baton.processor.model.AttributeTypes;
import dev.baton.processor.model.Bootstrap;
import dev.baton.processor.model.Logs;
import dev.baton.processor.model.Signatures;
import dev.baton.processor.model.TracedType;
import dev.baton.processor.model.TracedTypeFactory;
import dev.baton.processor.model.TypeStrings;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
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
import javax.lang.model.util.ElementFilter;
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
            attributeTypes);
    // Also decided once: which logging library's thread context gets the span ids.
    Logs logs = logs(env.getOptions().get(Logs.OPTION));
    this.spansWriter = new SpansWriter(generator, bootstrap, logs);
    this.aspectWriter = new AspectWriter(generator, typeStrings, logs);
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
              chosen.dependencies()));
      return Bootstrap.NONE;
    }
    return chosen;
  }

  /**
   * The logging library {@code option} asks for, else the default for the compile classpath. A
   * value naming none, or a library whose classes are missing, is a compile error (and none).
   */
  private Logs logs(String option) {
    if (option == null || option.isBlank() || option.trim().equalsIgnoreCase(Bootstrap.AUTO)) {
      return Logs.chooseFrom(this::onClasspath);
    }
    Logs chosen = Logs.ofOption(option);
    if (chosen == null) {
      reporter.error(String.format(ErrorMessages.UNKNOWN_LOGS_OPTION, option));
      return Logs.NONE;
    }
    String missing = chosen.missingWith(this::onClasspath);
    if (missing != null) {
      reporter.error(
          String.format(ErrorMessages.LOGS_UNAVAILABLE, chosen.optionValue(), missing, chosen.dependency()));
      return Logs.NONE;
    }
    return chosen;
  }

  private boolean onClasspath(String qualifiedName) {
    return elements.getTypeElement(qualifiedName) != null;
  }

  void process(RoundEnvironment round) {
    Set<TypeElement> types = new LinkedHashSet<>();
    for (String name : deferred) {
      TypeElement type = elements.getTypeElement(name);
      if (type != null) {
        types.add(type);
      }
    }
    deferred.clear();
    for (String annotation : List.of(BatonProcessor.TRACED, BatonProcessor.TRACED_HANDLER)) {
      TypeElement annotationType = elements.getTypeElement(annotation);
      if (annotationType == null) {
        continue;
      }
      for (Element element : round.getElementsAnnotatedWith(annotationType)) {
        if (element instanceof TypeElement) {
          types.add((TypeElement) element);
        } else if (element.getKind() == ElementKind.METHOD) {
          types.add((TypeElement) element.getEnclosingElement());
        }
      }
    }
    for (Element root : round.getRootElements()) {
      unnamedClasses.scan(root);
    }
    TypeElement spanAttribute = elements.getTypeElement(BatonProcessor.SPAN_ATTRIBUTE);
    if (spanAttribute != null) {
      for (Element element : round.getElementsAnnotatedWith(spanAttribute)) {
        if (element instanceof VariableElement) {
          validator.validateStraySpanAttribute((VariableElement) element);
        }
      }
    }

    for (TypeElement type : types) {
      if (!round.processingOver() && mentionsMissingTypes(candidates(type))) {
        deferred.add(type.getQualifiedName().toString());
        continue;
      }
      Set<ExecutableElement> methods = new LinkedHashSet<>();
      boolean valid = true;
      if (isHandler(type)) {
        Optional<ExecutableElement> handler = handlers.locate(type);
        valid &= handler.isPresent();
        handler.ifPresent(methods::add);
      }
      for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
        if (isHandler(method)) {
          Optional<ExecutableElement> handler = handlers.locate(method);
          valid &= handler.isPresent();
          handler.ifPresent(methods::add);
        }
        if (isTraced(method)) {
          valid &= validator.validateTraced(method);
          methods.add(method);
        }
      }
      if (valid) {
        write(factory.create(type, inSourceOrder(type, methods)));
      }
    }
  }

  /**
   * The methods of {@code type} that tracing may concern, found before anything is validated, to
   * decide whether the type waits for a later round: its {@code @Traced} and {@code @TracedHandler}
   * methods and, for a {@code @TracedHandler} class, its {@code handleRequest} methods.
   */
  private static List<ExecutableElement> candidates(TypeElement type) {
    boolean handlerClass = isHandler(type);
    List<ExecutableElement> candidates = new ArrayList<>();
    for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
      if (isTraced(method)
          || isHandler(method)
          || (handlerClass && method.getSimpleName().contentEquals("handleRequest"))) {
        candidates.add(method);
      }
    }
    return candidates;
  }

  private static boolean isTraced(Element element) {
    return Annotations.find(element, BatonProcessor.TRACED).isPresent();
  }

  private static boolean isHandler(Element element) {
    return Annotations.find(element, BatonProcessor.TRACED_HANDLER).isPresent();
  }

  /** {@code methods}, ordered as {@code type} declares them. */
  private static List<ExecutableElement> inSourceOrder(
      TypeElement type, Set<ExecutableElement> methods) {
    List<ExecutableElement> ordered = new ArrayList<>();
    for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
      if (methods.contains(method)) {
        ordered.add(method);
      }
    }
    return ordered;
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
