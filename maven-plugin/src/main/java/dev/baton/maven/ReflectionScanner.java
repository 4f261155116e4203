package dev.baton.maven;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.objectweb.asm.AnnotationVisitor;
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
 * Finds run-time reflection and any use of AspectJ in class files: what Baton promises woven code
 * never uses.
 *
 * <p>A class fails the scan when its bytecode refers to any type in {@code java/lang/reflect/},
 * invokes {@code Class.forName}, {@code Class.getDeclared*}, {@code Class.getMethod*}, {@code
 * Class.get*Annotation*}, {@code Class.newInstance}, {@code ClassLoader.loadClass}, or {@code
 * MethodHandles.Lookup.find*} or {@code unreflect*}; or when it refers to AspectJ at all: a type in
 * {@code org/aspectj/} anywhere in its constant pool (closures, join points, {@code
 * NoAspectBoundException}, annotations), an {@code ...$AjcClosure} class, or a call of an aspect's
 * {@code aspectOf()}, which would load the aspect. Woven code runs without the AspectJ runtime.
 * References are read from class headers, field and method signatures, instructions, method
 * handles and exception handlers, and AspectJ's types also from every other constant.
 *
 * <pre>{@code
 * List<ReflectionScanner.Violation> violations = new ReflectionScanner().scanJar(jar);
 * }</pre>
 */
public final class ReflectionScanner {

  private static final String ASPECTJ = "org/aspectj/";
  private static final String ASPECT_ANNOTATION = "Lorg/aspectj/lang/annotation/Aspect;";
  private static final Pattern ASPECTJ_TYPE = Pattern.compile("org/aspectj/[\\w/$]*");
  private static final int CONSTANT_UTF8 = 1;

  /** What a forbidden reference is, decided where the scanner finds it. */
  public enum Kind {
    /** Reflection: {@code java/lang/reflect/}, {@code Class.forName} and the like. */
    REFLECTION,
    /** A call of an aspect's {@code aspectOf()}, which loads the aspect. */
    ASPECT_INSTANCE,
    /** AspectJ's {@code AroundClosure} or an {@code ...$AjcClosure} class: an advice not inlined. */
    CLOSURE,
    /** AspectJ's join point types ({@code org/aspectj/lang/}, {@code org/aspectj/runtime/reflect/}). */
    JOIN_POINT,
    /** Any other reference to AspectJ: annotations, {@code NoAspectBoundException}, ... */
    ASPECTJ
  }

  /**
   * A forbidden reference in one class, e.g. {@code com.acme.Foo: invokes java/lang/Class.forName}.
   *
   * @param kind what the reference is
   */
  public record Violation(String className, String reference, Kind kind) {

    /** Whether the reference is to AspectJ (or loads an aspect) rather than to reflection. */
    public boolean isAspectJ() {
      return kind != Kind.REFLECTION;
    }

    @Override
    public String toString() {
      return className + ": " + reference;
    }
  }

  /** The violations in one class file. */
  public List<Violation> scan(byte[] classFile) {
    References references = References.of(classFile);
    return violations(references.className, references.all, false);
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
    return violations(after.className, introduced, false);
  }

  /** The violations in every class file in {@code jar}. */
  public List<Violation> scanJar(Path jar) throws IOException {
    return scanJar(jar, false);
  }

  /**
   * The violations in a jar of library aspects, such as {@code baton-aspects}: as {@link
   * #scanJar}, except that an aspect class (annotated {@code @Aspect}, as ajc compiles every
   * aspect) may refer to AspectJ. Woven code never loads a library aspect: ajc inlines its advice
   * into the woven class, and {@code baton:weave} replaces the woven class's {@code aspectOf()}
   * call with {@code null}, so the aspect's {@code aspectOf()} with its {@code
   * NoAspectBoundException}, its annotations and the {@code AroundClosure} of its advice templates
   * ({@code ajc$around$...}) are never reached. Reflection is still reported in aspects, and every
   * other class, Baton's runtime, must not refer to AspectJ at all. The woven classes are scanned
   * again after inlining, where anything of AspectJ that was not finished away shows.
   */
  public List<Violation> scanLibraryJar(Path jar) throws IOException {
    return scanJar(jar, true);
  }

  private List<Violation> scanJar(Path jar, boolean aspectsMayUseAspectJ) throws IOException {
    List<Violation> violations = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (JarEntry entry : file.stream().toList()) {
        if (entry.getName().endsWith(".class") && !entry.getName().endsWith("module-info.class")) {
          try (InputStream in = file.getInputStream(entry)) {
            References references = References.of(in.readAllBytes());
            violations.addAll(
                violations(
                    references.className,
                    references.all,
                    aspectsMayUseAspectJ && references.isAspect));
          }
        }
      }
    }
    return violations;
  }

  private static List<Violation> violations(
      String className, Set<String> references, boolean aspectJAllowed) {
    List<Violation> violations = new ArrayList<>();
    for (String reference : references) {
      Kind kind = kind(reference);
      if (kind != null && !(aspectJAllowed && kind != Kind.REFLECTION)) {
        violations.add(new Violation(className, reference, kind));
      }
    }
    return violations;
  }

  /** What {@code reference} ({@code uses T}, {@code invokes T.m}) is, or {@code null} if allowed. */
  private static Kind kind(String reference) {
    String target = reference.substring(reference.indexOf(' ') + 1);
    if (reference.startsWith("invokes ")) {
      int dot = target.lastIndexOf('.');
      String owner = target.substring(0, dot);
      String name = target.substring(dot + 1);
      if (name.equals("aspectOf")) {
        return Kind.ASPECT_INSTANCE;
      }
      Kind kind = typeKind(owner);
      return kind == null && isForbiddenCall(owner, name) ? Kind.REFLECTION : kind;
    }
    return typeKind(target);
  }

  private static Kind typeKind(String internalName) {
    if (internalName.startsWith("java/lang/reflect/")) {
      return Kind.REFLECTION;
    } else if (internalName.contains("$AjcClosure")) {
      return Kind.CLOSURE;
    } else if (!internalName.startsWith(ASPECTJ)) {
      return null;
    } else if (internalName.contains("AroundClosure")) {
      return Kind.CLOSURE;
    } else if (internalName.startsWith("org/aspectj/runtime/reflect/")
        || internalName.startsWith("org/aspectj/lang/")
            && !internalName.startsWith("org/aspectj/lang/annotation/")
            && !internalName.equals("org/aspectj/lang/NoAspectBoundException")) {
      return Kind.JOIN_POINT;
    }
    return Kind.ASPECTJ;
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

  /**
   * The references of one class, as {@code uses T}, {@code extends T} and {@code invokes T.m}; and
   * {@code uses T} for every AspectJ type {@code T} named anywhere in the constant pool (in an
   * annotation or a generic signature, say), so that none is missed.
   */
  private static final class References extends ClassVisitor {
    private final Set<String> all = new LinkedHashSet<>();
    private String className;
    private boolean isAspect;

    private References() {
      super(Opcodes.ASM9);
    }

    static References of(byte[] classFile) {
      References references = new References();
      ClassReader reader = new ClassReader(classFile);
      reader.accept(references, 0);
      references.usesAspectJConstants(reader);
      return references;
    }

    private void usesAspectJConstants(ClassReader reader) {
      for (int item = 1; item < reader.getItemCount(); item++) {
        int offset = reader.getItem(item);
        if (offset > 0 && reader.readByte(offset - 1) == CONSTANT_UTF8) {
          int length = reader.readUnsignedShort(offset);
          byte[] utf8 = new byte[length];
          for (int i = 0; i < length; i++) {
            utf8[i] = (byte) reader.readByte(offset + 2 + i);
          }
          // Type names of AspectJ are ASCII, which modified UTF-8 keeps byte for byte.
          Matcher type = ASPECTJ_TYPE.matcher(new String(utf8, StandardCharsets.ISO_8859_1));
          while (type.find()) {
            if (!all.contains("extends " + type.group())) {
              all.add("uses " + type.group());
            }
          }
        }
      }
    }

    @Override
    public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
      if (descriptor.equals(ASPECT_ANNOTATION)) {
        isAspect = true;
      }
      return null;
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
