package dev.baton.processor.validation;

import static dev.baton.processor.BatonProcessor.TRACED;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import dev.baton.processor.ErrorMessages;
import dev.baton.processor.ErrorReporter;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;

/**
 * Reports {@code @Traced} methods inside anonymous and local classes. javac does not hand those to
 * processors (they live in method bodies and have no elements yet), and a pointcut cannot name
 * them, so they would silently stay untraced: this scan reads the source trees instead. Where the
 * compiler offers no trees it does nothing, and {@code baton:weave}'s check that every {@code
 * @Traced} method was woven still catches them.
 */
public final class UnnamedClassScanner {

  private static final String TRACED_PACKAGE = TRACED.substring(0, TRACED.lastIndexOf('.'));
  private static final String TRACED_SIMPLE_NAME = TRACED.substring(TRACED.lastIndexOf('.') + 1);

  private final Trees trees;
  private final ErrorReporter reporter;
  private final Set<CompilationUnitTree> scanned = new HashSet<>();

  public UnnamedClassScanner(ProcessingEnvironment env, ErrorReporter reporter) {
    this.trees = treesOf(env);
    this.reporter = reporter;
  }

  /** Scans the file that declares {@code root}, once per file. */
  public void scan(Element root) {
    if (trees == null) {
      return;
    }
    TreePath path = trees.getPath(root);
    if (path == null || !scanned.add(path.getCompilationUnit())) {
      return;
    }
    CompilationUnitTree unit = path.getCompilationUnit();
    boolean importsTraced =
        unit.getImports().stream()
            .map(ImportTree::getQualifiedIdentifier)
            .map(Object::toString)
            .anyMatch(name -> name.equals(TRACED) || name.equals(TRACED_PACKAGE + ".*"));
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitMethod(MethodTree method, Void unused) {
        ClassTree unnamed =
            isTraced(method, importsTraced) ? unnamedEnclosingClass(getCurrentPath()) : null;
        if (unnamed != null) {
          String signature =
              method.getParameters().stream()
                  .map(VariableTree::getType)
                  .map(UnnamedClassScanner::erasedSource)
                  .collect(Collectors.joining(", ", method.getName() + "(", ")"));
          String where =
              unnamed.getSimpleName().length() == 0
                  ? "an anonymous class"
                  : "local class '" + unnamed.getSimpleName() + "'";
          reporter.error(
              trees, method, unit, String.format(ErrorMessages.UNNAMED_CLASS, signature, where));
        }
        return super.visitMethod(method, unused);
      }
    }.scan(unit, null);
  }

  /** The innermost anonymous or local class around the path's leaf, or null. */
  private static ClassTree unnamedEnclosingClass(TreePath path) {
    for (TreePath p = path.getParentPath(); p != null && p.getParentPath() != null;
        p = p.getParentPath()) {
      if (p.getLeaf() instanceof ClassTree) {
        Tree.Kind parent = p.getParentPath().getLeaf().getKind();
        boolean member =
            parent == Tree.Kind.COMPILATION_UNIT || p.getParentPath().getLeaf() instanceof ClassTree;
        if (!member) {
          return (ClassTree) p.getLeaf();
        }
      }
    }
    return null;
  }

  private static boolean isTraced(MethodTree method, boolean importsTraced) {
    for (AnnotationTree annotation : method.getModifiers().getAnnotations()) {
      String name = annotation.getAnnotationType().toString();
      if (name.equals(TRACED) || (importsTraced && name.equals(TRACED_SIMPLE_NAME))) {
        return true;
      }
    }
    return false;
  }

  private static String erasedSource(Tree type) {
    String source = type.toString();
    int generic = source.indexOf('<');
    String erased = generic < 0 ? source : source.substring(0, generic) + source.substring(source.lastIndexOf('>') + 1);
    return erased.substring(erased.lastIndexOf('.') + 1);
  }

  private static Trees treesOf(ProcessingEnvironment env) {
    try {
      return Trees.instance(env);
    } catch (IllegalArgumentException | LinkageError notJavac) {
      return null;
    }
  }
}
