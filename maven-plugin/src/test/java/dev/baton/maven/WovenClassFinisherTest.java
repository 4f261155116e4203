package dev.baton.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;

/** What ajc leaves in its output, before and after finishing. */
class WovenClassFinisherTest {

  private static final Set<String> ASPECTS = Set.of("com/acme/OrderService_BatonAspect");
  private static final String ASPECT_OF =
      "com/acme/OrderService_BatonAspect.aspectOf()Lcom/acme/OrderService_BatonAspect;";

  private static final Map<Integer, String> OPCODES = Map.of(
      Opcodes.ACONST_NULL, "ACONST_NULL", Opcodes.ILOAD, "ILOAD", Opcodes.ALOAD, "ALOAD",
      Opcodes.NEW, "NEW", Opcodes.INVOKESTATIC, "INVOKESTATIC", Opcodes.INVOKESPECIAL, "INVOKESPECIAL",
      Opcodes.RETURN, "RETURN");

  @TempDir static Path project;
  static byte[] ajcOrderService;
  static byte[] ajcAspect;

  @BeforeAll
  static void weaveWithAjcOnly() throws Exception {
    Fixture fixture = Fixture.compiled(project);
    Path output = project.resolve("ajc");
    Ajc.Outcome outcome =
        Ajc.run(
            fixture.classes,
            List.of(fixture.generatedSources.resolve("com/acme/OrderService_BatonAspect.aj")),
            List.of(),
            Fixture.classpath(),
            LibraryAspects.writeAopXml(output.resolveSibling("aop"), List.of("com.acme.OrderService_BatonAspect")),
            17,
            output);
    assertThat(outcome.errors()).isEmpty();
    assertThat(outcome.joinPoints()).hasSize(5);
    ajcOrderService = Files.readAllBytes(output.resolve(Fixture.ORDER_SERVICE));
    ajcAspect = Files.readAllBytes(output.resolve("com/acme/OrderService_BatonAspect.class"));
  }

  @Test
  void ajcOutputStillMentionsTheClosureAndLoadsTheAspect() {
    assertThat(constants(ajcOrderService)).contains("org/aspectj/runtime/internal/AroundClosure");
    assertThat(calls(ajcOrderService)).contains(ASPECT_OF);
    assertThat(constants(ajcAspect)).contains("org/aspectj/lang/NoAspectBoundException");
    assertThat(methods(ajcOrderService))
        .contains("price_aroundBody1$advice(Lcom/acme/OrderService;ILjava/lang/String;"
            + "Lcom/acme/OrderService_BatonAspect;ILjava/lang/String;"
            + "Lorg/aspectj/runtime/internal/AroundClosure;)I");
  }

  @Test
  void closureParameterAndItsConstantsAreRemoved() {
    byte[] finished = WovenClassFinisher.finishWovenClass(ajcOrderService, ASPECTS);

    assertThat(constants(finished)).doesNotContain("AroundClosure", "ajc$around$");
    assertThat(methods(finished))
        .contains("price_aroundBody1$advice(Lcom/acme/OrderService;ILjava/lang/String;"
            + "Lcom/acme/OrderService_BatonAspect;ILjava/lang/String;)I")
        .contains("load_aroundBody3$advice(Ljava/lang/String;Lcom/acme/OrderService_BatonAspect;)"
            + "Ljava/util/concurrent/CompletableFuture;");
    assertThat(new ReflectionScanner().scan(finished)).isEmpty();
  }

  @Test
  void aspectInstancesNoAdviceUsesAreNull() {
    byte[] finished = WovenClassFinisher.finishWovenClass(ajcOrderService, ASPECTS);

    assertThat(calls(finished))
        .doesNotContain(ASPECT_OF)
        .contains("com/acme/OrderService.price_aroundBody1$advice(Lcom/acme/OrderService;ILjava/lang/String;"
            + "Lcom/acme/OrderService_BatonAspect;ILjava/lang/String;)I");
    assertThat(constants(finished)).doesNotContain("org/aspectj/", "aspectOf");
    assertThat(instructions(finished, "price"))
        .containsSubsequence("ACONST_NULL", "INVOKESTATIC com/acme/OrderService.price_aroundBody1$advice");
  }

  @Test
  void aspectOfCallsOfAspectsBatonDidNotWeaveStay() {
    byte[] finished = WovenClassFinisher.finishWovenClass(ajcOrderService, Set.of());

    assertThat(calls(finished)).contains(ASPECT_OF);
  }

  @Test
  void anAspectInstanceTheAdviceUsesIsKept() {
    byte[] woven = adviceUsingItsAspect();

    byte[] finished = WovenClassFinisher.finishWovenClass(woven, Set.of("com/acme/Counted_BatonAspect"));

    assertThat(instructions(finished, "count")).containsExactly(
        "INVOKESTATIC com/acme/Counted_BatonAspect.aspectOf",
        "INVOKESTATIC com/acme/Counted.count_aroundBody1$advice", "RETURN");
    assertThat(instructions(finished, "idle")).containsExactly(
        "ILOAD", "ACONST_NULL", "ILOAD", "INVOKESTATIC com/acme/Counted.idle_aroundBody3$advice", "RETURN");
    assertThat(new ReflectionScanner().scan(finished))
        .extracting(ReflectionScanner.Violation::toString)
        .containsExactly("com.acme.Counted: invokes com/acme/Counted_BatonAspect.aspectOf");
  }

  @Test
  void finishingTwiceChangesNothing() {
    byte[] finished = WovenClassFinisher.finishWovenClass(ajcOrderService, ASPECTS);

    assertThat(WovenClassFinisher.finishWovenClass(finished, ASPECTS)).isEqualTo(finished);
  }

  @Test
  void aspectLosesItsClosureMethods() {
    byte[] finished = WovenClassFinisher.finishAspect(ajcAspect);

    assertThat(methods(ajcAspect)).anyMatch(method -> method.startsWith("ajc$around$"));
    assertThat(methods(finished))
        .noneMatch(method -> method.startsWith("ajc$around$"))
        .anyMatch(method -> method.startsWith("aspectOf()"));
    assertThat(constants(finished)).doesNotContain("AroundClosure", "org.aspectj.weaver");
  }

  @Test
  void aspectThrowsIllegalStateAndRefersToNoAspectJ() throws Exception {
    byte[] finished = WovenClassFinisher.finishAspect(ajcAspect);

    assertThat(constants(ajcAspect)).contains("Lorg/aspectj/lang/annotation/Aspect;");
    assertThat(constants(finished)).doesNotContain("org/aspectj/", "org.aspectj.");
    assertThat(instructions(finished, "aspectOf"))
        .contains("NEW java/lang/IllegalStateException",
            "INVOKESPECIAL java/lang/IllegalStateException.<init>");
    assertThat(new ReflectionScanner().scan(finished)).isEmpty();
    // Loadable with nothing but the JDK; aspectOf() fails as before, with the JDK's exception.
    Class<?> aspect = new ClassLoader(null) {
      Class<?> define(byte[] classFile) {
        return defineClass(null, classFile, 0, classFile.length);
      }
    }.define(finished);
    Method aspectOf = aspect.getMethod("aspectOf");
    assertThat(aspectOf.invoke(null)).isInstanceOf(aspect);
    aspect.getField("ajc$perSingletonInstance").set(null, null);
    assertThatThrownBy(() -> aspectOf.invoke(null))
        .cause()
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage("com_acme_OrderService_BatonAspect");
  }

  /**
   * {@code com.acme.Counted} as ajc weaves it with an aspect whose advice on {@code count()} uses
   * its aspect instance ({@code aload_0} of it), and whose advice on {@code idle(int)} does not.
   */
  private static byte[] adviceUsingItsAspect() {
    String aspect = "com/acme/Counted_BatonAspect";
    String aspectType = "L" + aspect + ";";
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "com/acme/Counted", null, "java/lang/Object", null);
    MethodVisitor count = writer.visitMethod(Opcodes.ACC_STATIC, "count", "()V", null, null);
    count.visitCode();
    count.visitMethodInsn(Opcodes.INVOKESTATIC, aspect, "aspectOf", "()" + aspectType, false);
    count.visitMethodInsn(Opcodes.INVOKESTATIC, "com/acme/Counted", "count_aroundBody1$advice",
        "(" + aspectType + ")V", false);
    count.visitInsn(Opcodes.RETURN);
    count.visitMaxs(0, 0);
    MethodVisitor countAdvice = writer.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC,
        "count_aroundBody1$advice", "(" + aspectType + ")V", null, null);
    countAdvice.visitCode();
    countAdvice.visitVarInsn(Opcodes.ALOAD, 0);
    countAdvice.visitMethodInsn(Opcodes.INVOKEVIRTUAL, aspect, "increment", "()V", false);
    countAdvice.visitInsn(Opcodes.RETURN);
    countAdvice.visitMaxs(0, 0);
    MethodVisitor idle = writer.visitMethod(Opcodes.ACC_STATIC, "idle", "(I)V", null, null);
    idle.visitCode();
    idle.visitVarInsn(Opcodes.ILOAD, 0);
    idle.visitMethodInsn(Opcodes.INVOKESTATIC, aspect, "aspectOf", "()" + aspectType, false);
    idle.visitVarInsn(Opcodes.ILOAD, 0);
    idle.visitMethodInsn(Opcodes.INVOKESTATIC, "com/acme/Counted", "idle_aroundBody3$advice",
        "(I" + aspectType + "I)V", false);
    idle.visitInsn(Opcodes.RETURN);
    idle.visitMaxs(0, 0);
    MethodVisitor idleAdvice = writer.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC,
        "idle_aroundBody3$advice", "(I" + aspectType + "I)V", null, null);
    idleAdvice.visitCode();
    idleAdvice.visitVarInsn(Opcodes.ILOAD, 2);
    idleAdvice.visitInsn(Opcodes.POP);
    idleAdvice.visitInsn(Opcodes.RETURN);
    idleAdvice.visitMaxs(0, 0);
    writer.visitEnd();
    return writer.toByteArray();
  }

  /** Every {@code owner.name+descriptor} that {@code classFile} invokes. */
  private static Set<String> calls(byte[] classFile) {
    Set<String> calls = new HashSet<>();
    ClassNode type = new ClassNode();
    new ClassReader(classFile).accept(type, 0);
    for (MethodNode method : type.methods) {
      for (AbstractInsnNode instruction : method.instructions) {
        if (instruction instanceof MethodInsnNode call) {
          calls.add(call.owner + "." + call.name + call.desc);
        }
      }
    }
    return calls;
  }

  /** The instructions of the method {@code name}: opcode, and owner.name of a call or type. */
  private static List<String> instructions(byte[] classFile, String name) {
    ClassNode type = new ClassNode();
    new ClassReader(classFile).accept(type, 0);
    List<String> instructions = new ArrayList<>();
    for (MethodNode method : type.methods) {
      if (method.name.equals(name)) {
        for (AbstractInsnNode instruction : method.instructions) {
          if (instruction.getOpcode() >= 0) {
            String opcode = OPCODES.getOrDefault(instruction.getOpcode(), "#" + instruction.getOpcode());
            if (instruction instanceof MethodInsnNode call) {
              instructions.add(opcode + " " + call.owner + "." + call.name);
            } else if (instruction instanceof TypeInsnNode typed) {
              instructions.add(opcode + " " + typed.desc);
            } else {
              instructions.add(opcode);
            }
          }
        }
      }
    }
    return instructions;
  }

  private static String constants(byte[] classFile) {
    return new String(classFile, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static List<String> methods(byte[] classFile) {
    ClassNode type = new ClassNode();
    new ClassReader(classFile).accept(type, 0);
    return type.methods.stream().map((MethodNode m) -> m.name + m.desc).toList();
  }
}
