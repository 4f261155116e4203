package dev.baton.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** Which {@code @Traced} methods a finished class hands over to their aspect. */
class TracedMethodTest {

  @TempDir static Path project;
  static Fixture fixture;

  @BeforeAll
  static void weave() throws Exception {
    fixture = Fixture.compiled(project);
    new Weaver(new RecordingLog()).weave(fixture.request());
  }

  @Test
  void everyTracedMethodIsWovenInTheFinishedClassAndNoneInTheOriginal() throws Exception {
    byte[] original = Files.readAllBytes(fixture.target.resolve("baton/unwoven/" + Fixture.ORDER_SERVICE));
    byte[] woven = fixture.read(Fixture.ORDER_SERVICE);

    List<TracedMethod> traced = TracedMethod.declaredIn(original);

    assertThat(traced).extracting(TracedMethod::name).containsExactlyInAnyOrder("price", "load", "audit");
    assertThat(new String(woven, StandardCharsets.ISO_8859_1)).as("no aspectOf() left").doesNotContain("aspectOf");
    assertThat(traced).allMatch(method -> method.isWovenIn(woven));
    assertThat(traced).noneMatch(method -> method.isWovenIn(original));
  }

  @Test
  void aCallSiteAdviceInTheBodyDoesNotMakeTheMethodWoven() {
    TracedMethod send = new TracedMethod("com.acme.Queue", "send", "()V", null, 0);

    assertThat(send.isWovenIn(queueWhoseSendCalls("send_aroundBody1$advice"))).isTrue();
    assertThat(send.isWovenIn(queueWhoseSendCalls("sendMessage_aroundBody1$advice"))).isFalse();
  }

  /** {@code com.acme.Queue} whose {@code send()} passes {@code null} to the static {@code advice}. */
  private static byte[] queueWhoseSendCalls(String advice) {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "com/acme/Queue", null, "java/lang/Object", null);
    MethodVisitor code = writer.visitMethod(Opcodes.ACC_PUBLIC, "send", "()V", null, null);
    code.visitCode();
    code.visitInsn(Opcodes.ACONST_NULL);
    code.visitMethodInsn(Opcodes.INVOKESTATIC, "com/acme/Queue", advice, "(Ljava/lang/Object;)V", false);
    code.visitInsn(Opcodes.RETURN);
    code.visitMaxs(0, 0);
    writer.visitEnd();
    return writer.toByteArray();
  }
}
