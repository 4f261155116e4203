package dev.baton.processor;

import com.google.auto.service.AutoService;
import dev.baton.processor.model.Bootstrap;
import dev.baton.processor.model.Logs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * Baton's annotation processor: validates {@code @Traced}, {@code @SpanAttribute} and {@code
 * @TracedHandler}, and generates for each class with traced methods or a traced handler a readable
 * aspect, its span code and its weave metadata, which {@code baton:weave} weaves in after javac. It never claims the annotations, so other processors (Lombok,
 * say) see them too.
 */
@AutoService(Processor.class)
public final class BatonProcessor extends AbstractProcessor {

  public static final String TRACED = "dev.baton.Traced";
  public static final String SPAN_ATTRIBUTE = "dev.baton.SpanAttribute";
  public static final String TRACED_HANDLER = "dev.baton.TracedHandler";

  private TracingStep step;

  @Override
  public synchronized void init(ProcessingEnvironment processingEnv) {
    super.init(processingEnv);
    step = new TracingStep(processingEnv, BatonProcessor.class.getName());
  }

  /**
   * All annotations, not just Baton's: javac only offers a round to processors whose annotations
   * it sees on members, and a {@code @Traced} method inside an anonymous class would otherwise go
   * unseen and unreported. Nothing is claimed.
   */
  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of("*");
  }

  /**
   * {@value Bootstrap#OPTION}: how handlers set up OpenTelemetry (see {@link Bootstrap}); {@value
   * Logs#OPTION}: which logging library gets the span ids (see {@link Logs}).
   */
  @Override
  public Set<String> getSupportedOptions() {
    return Set.of(Bootstrap.OPTION, Logs.OPTION);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    try {
      step.process(round);
    } catch (RuntimeException | LinkageError e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      processingEnv
          .getMessager()
          .printMessage(
              Diagnostic.Kind.ERROR,
              String.format(ErrorMessages.INTERNAL_ERROR, e, trace));
    }
    return false;
  }
}
