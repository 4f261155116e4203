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

    assertThat(traced).extracting(TracedMethod::name).containsExactlyInAnyOrder("price", "load", "audit", "reserve", "release");
    assertThat(new String(woven, StandardCharsets.ISO_8859_1)).as("no aspectOf() left").doesNotContain("aspectOf");
    assertThat(traced).allMatch(method -> method.isWovenIn(woven));
    assertThat(traced).noneMatch(method -> method.isWovenIn(original));
  }

  @Test
  void aCallSiteAdviceInTheBodyDoesNotMakeTheMethodWoven() {
    TracedMethod send = new TracedMethod("com.acme.Queue", "send", "()V", null, 0);

    assertThat(send.isWovenIn(queueWhoseMethodCalls("send", "send_aroundBody1$advice", QUEUE_ASPECT))).isTrue();
    assertThat(send.isWovenIn(queueWhoseMethodCalls("send", "sendMessage_aroundBody1$advice", SQS_CALLS)))
        .isFalse();
  }

  /** ajc names a call-site advice after the called method: {@code sns.publish(..)} in {@code publish()}. */
  @Test
  void aCallSiteAdviceNamedLikeTheTracedMethodDoesNotMakeItWoven() {
    TracedMethod publish = new TracedMethod("com.acme.Queue", "publish", "()V", null, 0);

    assertThat(publish.isWovenIn(queueWhoseMethodCalls("publish", "publish_aroundBody1$advice", SNS_CALLS)))
        .isFalse();
    assertThat(publish.isWovenIn(queueWhoseMethodCalls("publish", "publish_aroundBody3$advice", QUEUE_ASPECT)))
        .isTrue();
  }

  @Test
  void onlyTheAroundAdviceOfAGeneratedAspectMakesTheMethodWoven() {
    TracedMethod publish = new TracedMethod("com.acme.Queue", "publish", "()V", null, 0);
    String around = "ajc$around$com_acme_Queue_BatonAspect$1$5e0c3d2a";

    assertThat(publish.isWovenIn(queueWhoseMethodCalls("publish", around, "com/acme/Queue_BatonAspect", "")))
        .isTrue();
    assertThat(publish.isWovenIn(queueWhoseMethodCalls("publish", around, "dev/baton/aspects/SnsCalls", "")))
        .isFalse();
  }

  private static final String QUEUE_ASPECT = "Lcom/acme/Queue_BatonAspect;";
  private static final String SQS_CALLS = "Ldev/baton/aspects/SqsCalls;";
  private static final String SNS_CALLS = "Ldev/baton/aspects/SnsCalls;";

  /**
   * {@code com.acme.Queue} whose {@code method()} passes {@code null} to the static inlined {@code
   * advice} that takes the aspect {@code aspectType} (as the finished class does).
   */
  private static byte[] queueWhoseMethodCalls(String method, String advice, String aspectType) {
    return queueWhoseMethodCalls(method, advice, "com/acme/Queue", aspectType);
  }

  private static byte[] queueWhoseMethodCalls(
      String method, String advice, String adviceOwner, String aspectType) {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "com/acme/Queue", null, "java/lang/Object", null);
    MethodVisitor code = writer.visitMethod(Opcodes.ACC_PUBLIC, method, "()V", null, null);
    code.visitCode();
    code.visitInsn(Opcodes.ACONST_NULL);
    if (!aspectType.isEmpty()) {
      code.visitInsn(Opcodes.ACONST_NULL);
    }
    code.visitMethodInsn(
        Opcodes.INVOKESTATIC, adviceOwner, advice, "(Ljava/lang/Object;" + aspectType + ")V", false);
    code.visitInsn(Opcodes.RETURN);
    code.visitMaxs(0, 0);
    writer.visitEnd();
    return writer.toByteArray();
  }
}
