package dev.baton.maven;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>A method whose class file carries {@code @Traced} or {@code @TracedHandler} (the annotations
 * have CLASS retention, so they are in {@code RuntimeInvisibleAnnotations}), or the {@code
 * handleRequest} method of a class annotated {@code @TracedHandler}, and the test whether it was
 * woven.
 *
 * @param className binary name, {@code com.acme.Outer$Inner}
 * @param name method name
 * @param descriptor JVM descriptor
 * @param sourceFile the class's {@code SourceFile} with its package directory, {@code
 *     com/acme/Outer.java}, or {@code null}
 * @param line the first line of the method body, or 0 when unknown
 */
record TracedMethod(String className, String name, String descriptor, String sourceFile, int line) {

  static final String TRACED = "Ldev/baton/Traced;";
  static final String TRACED_HANDLER = "Ldev/baton/TracedHandler;";
  private static final String CONTEXT = "Lcom/amazonaws/services/lambda/runtime/Context;)";
  private static final int NOT_WOVEN =
      Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_BRIDGE | Opcodes.ACC_SYNTHETIC;

  /** Every {@code @Traced} method and traced handler method with a body in {@code classFile}. */
  static List<TracedMethod> declaredIn(byte[] classFile) {
    ClassNode type = read(classFile);
    boolean handlerClass = has(type.invisibleAnnotations, TRACED_HANDLER);
    List<TracedMethod> methods = new ArrayList<>();
    for (MethodNode method : type.methods) {
      boolean traced =
          has(method.invisibleAnnotations, TRACED)
              || has(method.invisibleAnnotations, TRACED_HANDLER)
              || (handlerClass
                  && method.name.equals("handleRequest")
                  && method.desc.contains(CONTEXT));
      if (traced && (method.access & NOT_WOVEN) == 0) {
        methods.add(
            new TracedMethod(
                type.name.replace('/', '.'),
                method.name,
                method.desc,
                sourceFile(type),
                firstLine(method)));
      }
    }
    return methods;
  }

  /**
   * Whether this method's body in {@code wovenClassFile} hands over to a generated aspect: ajc
   * moves the body of an advised execution join point into {@code name_aroundBody<n>} and replaces
   * it with a call of the inlined advice {@code name_aroundBody<n+1>$advice} (or, when it could not
   * inline, of the aspect's {@code ajc$around$...} advice). A call-site advice woven into the body
   * (an AWS SDK call) is named after the called method, which may have the same name ({@code
   * publish()} calling {@code sns.publish(..)}), and belongs to a library aspect: so only a call
   * that takes a generated aspect ({@code ..._BatonAspect}) counts. The inlined advice keeps the
   * aspect parameter in its descriptor even where the finished class passes {@code null} instead
   * of the {@code aspectOf()} instance.
   */
  boolean isWovenIn(byte[] wovenClassFile) {
    return isWovenIn(read(wovenClassFile));
  }

  /** As {@link #isWovenIn(byte[])}, for a class already read (once for all its methods). */
  boolean isWovenIn(ClassNode wovenClass) {
    String inlinedAdvice = name + "_aroundBody";
    for (MethodNode method : wovenClass.methods) {
      if (method.name.equals(name) && method.desc.equals(descriptor)) {
        for (AbstractInsnNode instruction : method.instructions) {
          if (instruction instanceof MethodInsnNode call
              && (call.name.startsWith(inlinedAdvice)
                      && call.name.endsWith("$advice")
                      && call.desc.contains(GeneratedAspect.NAME_SUFFIX + ";")
                  || call.name.startsWith("ajc$around$")
                      && call.owner.endsWith(GeneratedAspect.NAME_SUFFIX))) {
            return true;
          }
        }
        return false;
      }
    }
    return false;
  }

  /** {@code com.acme.Foo.bar(int, String)}, how a user finds the method in their source. */
  String displayName() {
    String parameters =
        Arrays.stream(Type.getArgumentTypes(descriptor))
            .map(TracedMethod::simpleName)
            .collect(Collectors.joining(", "));
    return className.replace('$', '.') + "." + name + "(" + parameters + ")";
  }

  /** {@code (com/acme/Foo.java:12)}, or empty when the class has no debug information. */
  String location() {
    if (sourceFile == null) {
      return "";
    }
    return " (" + sourceFile + (line > 0 ? ":" + line : "") + ")";
  }

  private static String simpleName(Type type) {
    String name = type.getClassName();
    return name.substring(name.lastIndexOf('.') + 1).replace('$', '.');
  }

  private static boolean has(List<AnnotationNode> annotations, String descriptor) {
    if (annotations == null) {
      return false;
    }
    for (AnnotationNode annotation : annotations) {
      if (annotation.desc.equals(descriptor)) {
        return true;
      }
    }
    return false;
  }

  private static String sourceFile(ClassNode type) {
    if (type.sourceFile == null) {
      return null;
    }
    int slash = type.name.lastIndexOf('/');
    return slash < 0 ? type.sourceFile : type.name.substring(0, slash + 1) + type.sourceFile;
  }

  private static int firstLine(MethodNode method) {
    for (AbstractInsnNode instruction : method.instructions) {
      if (instruction instanceof LineNumberNode line) {
        return line.line;
      }
    }
    return 0;
  }

  static ClassNode read(byte[] classFile) {
    ClassNode type = new ClassNode();
    new ClassReader(classFile).accept(type, ClassReader.SKIP_FRAMES);
    return type;
  }
}
