package dev.baton.processor;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.Trees;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * The one way the processor reports problems: an error anchored on the exact element, and, where
 * known, on the annotation and value at fault, so the compiler points at the right line. Every
 * problem in a compilation is reported, not just the first.
 */
public final class ErrorReporter {

  private final Messager messager;
  private int errors;

  public ErrorReporter(Messager messager) {
    this.messager = messager;
  }

  public void error(
      Element element, AnnotationMirror annotation, String format, Object... arguments) {
    error(element, annotation, null, format, arguments);
  }

  public void error(
      Element element,
      AnnotationMirror annotation,
      AnnotationValue value,
      String format,
      Object... arguments) {
    errors++;
    messager.printMessage(
        Diagnostic.Kind.ERROR, String.format(format, arguments), element, annotation, value);
  }

  /** An error anchored on a source tree, for code that has no element yet (anonymous classes). */
  public void error(Trees trees, Tree tree, CompilationUnitTree unit, String message) {
    errors++;
    trees.printMessage(Diagnostic.Kind.ERROR, message, tree, unit);
  }

  /** An error about the compilation as a whole (a processor option), not about an element. */
  public void error(String message) {
    errors++;
    messager.printMessage(Diagnostic.Kind.ERROR, message);
  }

  /** How many errors were reported so far. */
  public int errorCount() {
    return errors;
  }
}
