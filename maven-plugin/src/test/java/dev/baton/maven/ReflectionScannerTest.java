package dev.baton.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

class ReflectionScannerTest {

  private final ReflectionScanner scanner = new ReflectionScanner();

  @Test
  void plainCodePasses() {
    byte[] plain =
        classCalling(
            code -> {
              code.visitLdcInsn(Type.getType("Ljava/lang/String;"));
              code.visitMethodInsn(
                  Opcodes.INVOKEVIRTUAL, "java/lang/Class", "getName", "()Ljava/lang/String;", false);
              code.visitInsn(Opcodes.POP);
            });

    assertThat(scanner.scan(plain)).isEmpty();
  }

  @Test
  void classForNameIsNamedWithTheClass() {
    byte[] reflective = classCalling(ReflectionScannerTest::forName);

    assertThat(scanner.scan(reflective))
        .extracting(ReflectionScanner.Violation::toString)
        .containsExactly("com.acme.Generated: invokes java/lang/Class.forName");
  }

  @Test
  void everyForbiddenReferenceIsFound() {
    byte[] reflective =
        classCalling(
            code -> {
              invoke(code, "java/lang/Class", "getDeclaredMethod",
                  "(Ljava/lang/String;[Ljava/lang/Class;)Ljava/lang/reflect/Method;");
              invoke(code, "java/lang/reflect/Method", "invoke",
                  "(Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;");
              invoke(code, "java/lang/Class", "getAnnotation",
                  "(Ljava/lang/Class;)Ljava/lang/annotation/Annotation;");
              invoke(code, "java/lang/Class", "newInstance", "()Ljava/lang/Object;");
              invoke(code, "java/lang/ClassLoader", "loadClass", "(Ljava/lang/String;)Ljava/lang/Class;");
              invoke(code, "java/lang/invoke/MethodHandles$Lookup", "findVirtual",
                  "(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/MethodHandle;");
              invoke(code, "java/lang/invoke/MethodHandles$Lookup", "unreflect",
                  "(Ljava/lang/reflect/Method;)Ljava/lang/invoke/MethodHandle;");
              invoke(code, "org/aspectj/runtime/reflect/Factory", "makeJP", "()V");
              code.visitLdcInsn(new Handle(Opcodes.H_INVOKESTATIC, "java/lang/Class", "forName",
                  "(Ljava/lang/String;)Ljava/lang/Class;", false));
            });

    assertThat(scanner.scan(reflective))
        .extracting(ReflectionScanner.Violation::reference)
        .containsExactlyInAnyOrder(
            "invokes java/lang/Class.getDeclaredMethod",
            "uses java/lang/reflect/Method",
            "invokes java/lang/reflect/Method.invoke",
            "invokes java/lang/Class.getAnnotation",
            "invokes java/lang/Class.newInstance",
            "invokes java/lang/ClassLoader.loadClass",
            "invokes java/lang/invoke/MethodHandles$Lookup.findVirtual",
            "invokes java/lang/invoke/MethodHandles$Lookup.unreflect",
            "invokes org/aspectj/runtime/reflect/Factory.makeJP",
            "uses org/aspectj/runtime/reflect/Factory",
            "invokes java/lang/Class.forName");
  }

  @Test
  void ajcClosureClassesFail() {
    ClassWriter writer = new ClassWriter(0);
    writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "com/acme/Foo$AjcClosure1",
        null, WovenClassFinisher.AROUND_CLOSURE, null);
    writer.visitEnd();

    assertThat(scanner.scan(writer.toByteArray()))
        .extracting(ReflectionScanner.Violation::toString)
        .containsExactly("com.acme.Foo$AjcClosure1: extends org/aspectj/runtime/internal/AroundClosure");
  }

  @Test
  void onlyWhatWeavingIntroducedCounts() {
    byte[] original = classCalling(ReflectionScannerTest::forName);
    byte[] woven =
        classCalling(
            code -> {
              forName(code);
              invoke(code, "java/lang/Class", "getMethods", "()[Ljava/lang/reflect/Method;");
            });

    assertThat(scanner.scanIntroduced(original, woven))
        .extracting(ReflectionScanner.Violation::toString)
        .containsExactly(
            "com.acme.Generated: invokes java/lang/Class.getMethods",
            "com.acme.Generated: uses java/lang/reflect/Method");
    assertThat(scanner.scanIntroduced(original, original)).isEmpty();
  }

  @Test
  void eachClassIsScannedOnItsOwnAndNamed() {
    ClassWriter plain = new ClassWriter(0);
    plain.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "com/acme/Plain", null, "java/lang/Object", null);
    plain.visitEnd();

    assertThat(scanner.scan(plain.toByteArray())).isEmpty();
    assertThat(scanner.scan(classCalling(ReflectionScannerTest::forName)))
        .extracting(ReflectionScanner.Violation::className)
        .containsExactly("com.acme.Generated");
    assertThat(scanner.scanIntroduced(plain.toByteArray(), classCalling(ReflectionScannerTest::forName)))
        .hasSize(1);
  }

  @Test
  void eachViolationIsClassifiedWhereItIsFound() {
    byte[] classFile =
        classCalling(
            code -> {
              forName(code);
              invoke(code, "com/acme/Generated_BatonAspect", "aspectOf", "()Lcom/acme/Generated_BatonAspect;");
              invoke(code, "com/acme/Generated$AjcClosure1", "run", "()V");
              invoke(code, "org/aspectj/runtime/internal/AroundClosure", "run", "()V");
              invoke(code, "org/aspectj/runtime/reflect/Factory", "makeJP", "()V");
              code.visitTypeInsn(Opcodes.NEW, "org/aspectj/lang/JoinPoint$StaticPart");
              code.visitTypeInsn(Opcodes.NEW, "org/aspectj/lang/NoAspectBoundException");
              code.visitTypeInsn(Opcodes.NEW, "org/aspectj/lang/annotation/Aspect");
            });

    assertThat(scanner.scan(classFile))
        .extracting(violation -> violation.reference() + " " + violation.kind())
        .containsExactlyInAnyOrder(
            "invokes java/lang/Class.forName REFLECTION",
            "invokes com/acme/Generated_BatonAspect.aspectOf ASPECT_INSTANCE",
            "invokes com/acme/Generated$AjcClosure1.run CLOSURE",
            "uses com/acme/Generated$AjcClosure1 CLOSURE",
            "invokes org/aspectj/runtime/internal/AroundClosure.run CLOSURE",
            "uses org/aspectj/runtime/internal/AroundClosure CLOSURE",
            "invokes org/aspectj/runtime/reflect/Factory.makeJP JOIN_POINT",
            "uses org/aspectj/runtime/reflect/Factory JOIN_POINT",
            "uses org/aspectj/lang/JoinPoint$StaticPart JOIN_POINT",
            "uses org/aspectj/lang/NoAspectBoundException ASPECTJ",
            "uses org/aspectj/lang/annotation/Aspect ASPECTJ");
  }

  @Test
  void anyReferenceToAspectJFailsWhereverItIs() {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "com/acme/Generated", null, "java/lang/Object", null);
    writer.visitAnnotation("Lorg/aspectj/lang/annotation/Aspect;", true).visitEnd();
    writer.visitField(Opcodes.ACC_STATIC, "points", "Ljava/util/List;",
        "Ljava/util/List<Lorg/aspectj/lang/JoinPoint;>;", null).visitEnd();
    MethodVisitor code = writer.visitMethod(Opcodes.ACC_STATIC, "run", "()V", null, null);
    code.visitCode();
    code.visitTypeInsn(Opcodes.NEW, "org/aspectj/lang/NoAspectBoundException");
    code.visitInsn(Opcodes.POP);
    invoke(code, "com/acme/Generated_BatonAspect", "aspectOf", "()Lcom/acme/Generated_BatonAspect;");
    code.visitInsn(Opcodes.POP);
    code.visitInsn(Opcodes.RETURN);
    code.visitMaxs(0, 0);
    writer.visitEnd();

    List<ReflectionScanner.Violation> violations = scanner.scan(writer.toByteArray());

    assertThat(violations)
        .extracting(ReflectionScanner.Violation::reference)
        .containsExactlyInAnyOrder(
            "uses org/aspectj/lang/NoAspectBoundException",
            "invokes com/acme/Generated_BatonAspect.aspectOf",
            "uses org/aspectj/lang/annotation/Aspect",
            "uses org/aspectj/lang/JoinPoint");
    assertThat(violations).allMatch(ReflectionScanner.Violation::isAspectJ);
  }

  @Test
  void reflectionIsNotAspectJ() {
    assertThat(scanner.scan(classCalling(ReflectionScannerTest::forName)))
        .noneMatch(ReflectionScanner.Violation::isAspectJ);
  }

  /** "Our own runtime classes pass the same scan in our build." */
  @Test
  void batonRuntimePassesTheScan() throws Exception {
    Path aspects = Fixture.aspectsJar();

    List<ReflectionScanner.Violation> violations = scanner.scanLibraryJar(aspects);

    assertThat(aspects.getFileName().toString()).endsWith(".jar");
    assertThat(violations).isEmpty();
  }

  /** The library aspects refer to AspectJ, which woven code never reaches; nothing else does. */
  @Test
  void onlyTheLibraryAspectsReferToAspectJ() throws Exception {
    List<ReflectionScanner.Violation> violations = scanner.scanJar(Fixture.aspectsJar());

    assertThat(violations)
        .isNotEmpty()
        .allMatch(ReflectionScanner.Violation::isAspectJ)
        .allMatch(violation -> violation.className().startsWith("dev.baton.aspects."))
        .extracting(ReflectionScanner.Violation::reference)
        .contains("uses org/aspectj/lang/NoAspectBoundException");
  }

  @Test
  void aLibraryJarMayReferToAspectJInItsAspectsOnly(@TempDir Path directory) throws Exception {
    ClassWriter aspect = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    aspect.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "com/acme/Calls", null, "java/lang/Object", null);
    aspect.visitAnnotation("Lorg/aspectj/lang/annotation/Aspect;", true).visitEnd();
    MethodVisitor code = aspect.visitMethod(Opcodes.ACC_STATIC, "ajc$around$com_acme_Calls$1$0",
        "(Lorg/aspectj/runtime/internal/AroundClosure;)V", null, null);
    code.visitCode();
    forName(code);
    code.visitInsn(Opcodes.POP);
    code.visitInsn(Opcodes.RETURN);
    code.visitMaxs(0, 0);
    aspect.visitEnd();
    Path jar = directory.resolve("library.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("com/acme/Calls.class"));
      out.write(aspect.toByteArray());
      out.putNextEntry(new JarEntry("com/acme/Runtime.class"));
      out.write(classCalling(run -> invoke(run, "org/aspectj/lang/Aspects", "aspectOf",
          "(Ljava/lang/Class;)Ljava/lang/Object;")));
    }

    assertThat(scanner.scanLibraryJar(jar))
        .extracting(ReflectionScanner.Violation::toString)
        .containsExactlyInAnyOrder(
            "com.acme.Calls: invokes java/lang/Class.forName",
            "com.acme.Generated: invokes org/aspectj/lang/Aspects.aspectOf",
            "com.acme.Generated: uses org/aspectj/lang/Aspects");
  }

  private static void forName(MethodVisitor code) {
    code.visitLdcInsn("com.acme.Target");
    invoke(code, "java/lang/Class", "forName", "(Ljava/lang/String;)Ljava/lang/Class;");
  }

  private static void invoke(MethodVisitor code, String owner, String name, String descriptor) {
    code.visitMethodInsn(Opcodes.INVOKESTATIC, owner, name, descriptor, false);
  }

  /** A class {@code com.acme.Generated} whose method {@code run()} has {@code body}. */
  private static byte[] classCalling(Consumer<MethodVisitor> body) {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "com/acme/Generated", null, "java/lang/Object", null);
    MethodVisitor code = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "run", "()V", null, null);
    code.visitCode();
    body.accept(code);
    code.visitInsn(Opcodes.RETURN);
    code.visitMaxs(0, 0);
    code.visitEnd();
    writer.visitEnd();
    return writer.toByteArray();
  }
}
