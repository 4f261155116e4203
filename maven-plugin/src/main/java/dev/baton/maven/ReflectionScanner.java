package dev.baton.maven;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Finds run-time reflection and AspectJ closure machinery in class files: what Baton promises
 * woven code never uses.
 *
 * <p>A class fails the scan when its bytecode refers to any type in {@code java/lang/reflect/} or
 * {@code org/aspectj/runtime/reflect/}, to AspectJ's {@code AroundClosure} (or extends it, as
 * ajc's {@code AjcClosure} classes do), or invokes {@code Class.forName}, {@code
 * Class.getDeclared*}, {@code Class.getMethod*}, {@code Class.get*Annotation*}, {@code
 * Class.newInstance}, {@code ClassLoader.loadClass}, or {@code MethodHandles.Lookup.find*} or
 * {@code unreflect*}. References are read from class headers, field and method signatures,
 * instructions, method handles and exception handlers.
 *
 * <pre>{@code
 * List<ReflectionScanner.Violation> violations = new ReflectionScanner().scanJar(jar);
 * }</pre>
 */
public final class ReflectionScanner {

  private static final String AROUND_CLOSURE = "org/aspectj/runtime/internal/AroundClosure";

  /** A forbidden reference in one class, e.g. {@code com.acme.Foo: invokes java/lang/Class.forName}. */
  public record Violation(String className, String reference) {
    @Override
    public String toString() {
      return className + ": " + reference;
    }
  }

  /** The violations in one class file. */
  public List<Violation> scan(byte[] classFile) {
    References references = References.of(classFile);
    return violations(references.className, references.all);
  }

  /**
   * The violations in {@code woven} that {@code original} did not have: what weaving introduced.
   * A user's own reflection in the original class is not reported.
   */
  public List<Violation> scanIntroduced(byte[] original, byte[] woven) {
    References before = References.of(original);
    References after = References.of(woven);
    Set<String> introduced = new LinkedHashSet<>(after.all);
    introduced.removeAll(before.all);
    return violations(after.className, introduced);
  }

  /** The violations in every class file under {@code directory}. */
  public List<Violation> scanDirectory(Path directory) throws IOException {
    List<Violation> violations = new ArrayList<>();
    for (String file : ClassFiles.list(directory)) {
      violations.addAll(scan(Files.readAllBytes(directory.resolve(file))));
    }
    return violations;
  }

  /** The violations in every class file in {@code jar}. */
  public List<Violation> scanJar(Path jar) throws IOException {
    return scanJar(jar, false);
  }

  /**
   * The violations in a jar of library aspects, such as {@code baton-aspects}: as {@link
   * #scanJar}, except the around advice bodies of compiled aspects (methods {@code
   * ajc$around$...}). ajc keeps those, with their {@code AroundClosure} parameter, as the
   * templates it inlines into woven code; the woven classes are scanned after inlining, where a
   * closure that was not inlined away would show.
   */
  public List<Violation> scanLibraryJar(Path jar) throws IOException {
    return scanJar(jar, true);
  }

  private List<Violation> scanJar(Path jar, boolean skipAdviceTemplates) throws IOException {
    List<Violation> violations = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (JarEntry entry : file.stream().toList()) {
        if (entry.getName().endsWith(".class") && !entry.getName().endsWith("module-info.class")) {
          try (InputStream in = file.getInputStream(entry)) {
            References references = References.of(in.readAllBytes(), skipAdviceTemplates);
            violations.addAll(violations(references.className, references.all));
          }
        }
      }
    }
    return violations;
  }

  private static List<Violation> violations(String className, Set<String> references) {
    List<Violation> violations = new ArrayList<>();
    for (String reference : references) {
      if (isForbidden(reference)) {
        violations.add(new Violation(className, reference));
      }
    }
    return violations;
  }

  private static boolean isForbidden(String reference) {
    String target = reference.substring(reference.indexOf(' ') + 1);
    if (reference.startsWith("invokes ")) {
      int dot = target.lastIndexOf('.');
      return isForbiddenType(target.substring(0, dot))
          || isForbiddenCall(target.substring(0, dot), target.substring(dot + 1));
    }
    return isForbiddenType(target);
  }

  private static boolean isForbiddenType(String internalName) {
    return internalName.startsWith("java/lang/reflect/")
        || internalName.startsWith("org/aspectj/runtime/reflect/")
        || internalName.equals(AROUND_CLOSURE)
        || internalName.contains("$AjcClosure");
  }

  private static boolean isForbiddenCall(String owner, String name) {
    return switch (owner) {
      case "java/lang/Class" ->
          name.equals("forName")
              || name.startsWith("getDeclared")
              || name.startsWith("getMethod")
              || name.startsWith("getConstructor")
              || name.startsWith("getField")
              || (name.startsWith("get") && name.contains("Annotation"))
              || name.equals("isAnnotationPresent")
              || name.equals("newInstance");
      case "java/lang/invoke/MethodHandles$Lookup" ->
          name.startsWith("find") || name.startsWith("unreflect");
      default -> owner.endsWith("ClassLoader") && name.equals("loadClass");
    };
  }

  /** The references of one class, as {@code uses T}, {@code extends T} and {@code invokes T.m}. */
  private static final class References extends ClassVisitor {
    private final Set<String> all = new LinkedHashSet<>();
    private final boolean skipAdviceTemplates;
    private String className;

    private References(boolean skipAdviceTemplates) {
      super(Opcodes.ASM9);
      this.skipAdviceTemplates = skipAdviceTemplates;
    }

    static References of(byte[] classFile) {
      return of(classFile, false);
    }

    static References of(byte[] classFile, boolean skipAdviceTemplates) {
      References references = new References(skipAdviceTemplates);
      new ClassReader(classFile).accept(references, 0);
      return references;
    }

    @Override
    public void visit(
        int version, int access, String name, String signature, String superName, String[] interfaces) {
      className = name.replace('/', '.');
      if (superName != null) {
        all.add("extends " + superName);
      }
      if (interfaces != null) {
        for (String type : interfaces) {
          all.add("extends " + type);
        }
      }
    }

    @Override
    public FieldVisitor visitField(
        int access, String name, String descriptor, String signature, Object value) {
      usesDescriptor(descriptor);
      return null;
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      if (skipAdviceTemplates && name.startsWith("ajc$around$")) {
        return null;
      }
      usesDescriptor(descriptor);
      if (exceptions != null) {
        for (String type : exceptions) {
          uses(type);
        }
      }
      return new MethodVisitor(Opcodes.ASM9) {
        @Override
        public void visitTypeInsn(int opcode, String type) {
          uses(type);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
          uses(owner);
          usesDescriptor(descriptor);
        }

        @Override
        public void visitMethodInsn(
            int opcode, String owner, String name, String descriptor, boolean isInterface) {
          invokes(owner, name, descriptor);
        }

        @Override
        public void visitInvokeDynamicInsn(
            String name, String descriptor, Handle bootstrap, Object... arguments) {
          usesDescriptor(descriptor);
          usesConstant(bootstrap);
          for (Object argument : arguments) {
            usesConstant(argument);
          }
        }

        @Override
        public void visitLdcInsn(Object value) {
          usesConstant(value);
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int dimensions) {
          usesDescriptor(descriptor);
        }

        @Override
        public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
          if (type != null) {
            uses(type);
          }
        }

        @Override
        public void visitLocalVariable(
            String name, String descriptor, String signature, Label start, Label end, int index) {
          usesDescriptor(descriptor);
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
          for (int i = 0; local != null && i < numLocal; i++) {
            if (local[i] instanceof String frameType) {
              uses(frameType);
            }
          }
          for (int i = 0; stack != null && i < numStack; i++) {
            if (stack[i] instanceof String frameType) {
              uses(frameType);
            }
          }
        }
      };
    }

    private void invokes(String owner, String name, String descriptor) {
      if (!owner.startsWith("[")) {
        all.add("invokes " + owner + "." + name);
      }
      uses(owner);
      usesDescriptor(descriptor);
    }

    private void usesConstant(Object constant) {
      if (constant instanceof Type type) {
        usesType(type);
      } else if (constant instanceof Handle handle) {
        invokes(handle.getOwner(), handle.getName(), handle.getDesc());
      } else if (constant instanceof ConstantDynamic dynamic) {
        usesDescriptor(dynamic.getDescriptor());
        usesConstant(dynamic.getBootstrapMethod());
        for (int i = 0; i < dynamic.getBootstrapMethodArgumentCount(); i++) {
          usesConstant(dynamic.getBootstrapMethodArgument(i));
        }
      }
    }

    private void usesDescriptor(String descriptor) {
      usesType(Type.getType(descriptor));
    }

    private void usesType(Type type) {
      switch (type.getSort()) {
        case Type.METHOD -> {
          for (Type argument : type.getArgumentTypes()) {
            usesType(argument);
          }
          usesType(type.getReturnType());
        }
        case Type.ARRAY -> usesType(type.getElementType());
        case Type.OBJECT -> all.add("uses " + type.getInternalName());
        default -> {}
      }
    }

    private void uses(String internalName) {
      usesType(Type.getObjectType(internalName));
    }
  }
}
