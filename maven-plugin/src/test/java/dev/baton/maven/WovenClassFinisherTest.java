package dev.baton.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/** What ajc leaves in its output, before and after finishing. */
class WovenClassFinisherTest {

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
    assertThat(outcome.joinPoints()).hasSize(3);
    ajcOrderService = Files.readAllBytes(output.resolve(Fixture.ORDER_SERVICE));
    ajcAspect = Files.readAllBytes(output.resolve("com/acme/OrderService_BatonAspect.class"));
  }

  @Test
  void ajcOutputStillMentionsTheClosure() {
    assertThat(constants(ajcOrderService)).contains("org/aspectj/runtime/internal/AroundClosure");
    assertThat(methods(ajcOrderService))
        .contains("price_aroundBody1$advice(Lcom/acme/OrderService;ILjava/lang/String;"
            + "Lcom/acme/OrderService_BatonAspect;ILjava/lang/String;"
            + "Lorg/aspectj/runtime/internal/AroundClosure;)I");
  }

  @Test
  void closureParameterAndItsConstantsAreRemoved() {
    byte[] finished = WovenClassFinisher.finishWovenClass(ajcOrderService);

    assertThat(constants(finished)).doesNotContain("AroundClosure", "ajc$around$");
    assertThat(methods(finished))
        .contains("price_aroundBody1$advice(Lcom/acme/OrderService;ILjava/lang/String;"
            + "Lcom/acme/OrderService_BatonAspect;ILjava/lang/String;)I")
        .contains("load_aroundBody3$advice(Ljava/lang/String;Lcom/acme/OrderService_BatonAspect;)"
            + "Ljava/util/concurrent/CompletableFuture;");
    assertThat(new ReflectionScanner().scan(finished)).isEmpty();
  }

  @Test
  void finishingTwiceChangesNothing() {
    byte[] finished = WovenClassFinisher.finishWovenClass(ajcOrderService);

    assertThat(WovenClassFinisher.finishWovenClass(finished)).isEqualTo(finished);
  }

  @Test
  void aspectLosesItsUnusedClosureMethodsOnly() {
    Set<String> calls = new HashSet<>();
    WovenClassFinisher.collectCalls(WovenClassFinisher.finishWovenClass(ajcOrderService), calls);

    byte[] finished = WovenClassFinisher.finishAspect(ajcAspect, calls);

    assertThat(methods(ajcAspect)).anyMatch(method -> method.startsWith("ajc$around$"));
    assertThat(methods(finished))
        .noneMatch(method -> method.startsWith("ajc$around$"))
        .anyMatch(method -> method.startsWith("aspectOf()"));
    assertThat(constants(finished)).doesNotContain("AroundClosure", "org.aspectj.weaver");
  }

  @Test
  void closureMethodsAWovenClassStillCallsAreKept() {
    Set<String> calls = new HashSet<>();
    WovenClassFinisher.collectCalls(ajcOrderService, calls);
    String aspect = "com/acme/OrderService_BatonAspect.";
    Set<String> callsIntoClosures = new HashSet<>();
    for (String method : methods(ajcAspect)) {
      if (method.startsWith("ajc$around$")) {
        callsIntoClosures.add(aspect + method);
      }
    }

    byte[] finished = WovenClassFinisher.finishAspect(ajcAspect, callsIntoClosures);

    assertThat(methods(finished)).filteredOn(m -> m.startsWith("ajc$around$")).hasSize(callsIntoClosures.size());
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
