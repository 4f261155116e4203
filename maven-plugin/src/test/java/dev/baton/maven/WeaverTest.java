package dev.baton.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/** The weave itself: in place, once, checked, reported. */
class WeaverTest {

  @TempDir Path project;

  private final RecordingLog log = new RecordingLog();

  @Test
  void wovenClassesReferenceNoClosureMachineryAndNoAspectJAttributes() throws Exception {
    Fixture fixture = Fixture.compiled(project);

    WeaveResult result = new Weaver(log).weave(fixture.request());

    assertThat(result.upToDate()).isFalse();
    assertThat(result.summary()).isEqualTo(new WeaveState.Summary(7, 2, 0));
    for (String file : List.of(Fixture.ORDER_SERVICE, "com/acme/Shipping$Courier.class",
        "com/acme/OrderService_BatonAspect.class", "com/acme/Shipping_Courier_BatonAspect.class")) {
      String constants = new String(fixture.read(file), StandardCharsets.ISO_8859_1);
      assertThat(constants).as(file).doesNotContain("AroundClosure", "org.aspectj.weaver", "org/aspectj/");
      assertThat(new ReflectionScanner().scan(fixture.read(file))).as(file).isEmpty();
    }
    for (String file : List.of(Fixture.ORDER_SERVICE, "com/acme/Shipping$Courier.class")) {
      assertThat(new String(fixture.read(file), StandardCharsets.ISO_8859_1)).as(file).doesNotContain("aspectOf");
    }
    assertThat(log.warnings).isEmpty();
  }

  @Test
  void anAdviceUsingItsAspectInstanceFailsTheBuild() throws Exception {
    Fixture fixture = Fixture.compiled(project);
    Path aspect = fixture.generatedSources.resolve("com/acme/OrderService_BatonAspect.aj");
    Files.writeString(aspect, Files.readString(aspect)
        .replace("aspect OrderService_BatonAspect {", "aspect OrderService_BatonAspect {\n  public int calls;")
        .replace("Span span = OrderService_BatonSpans.price(", "calls++;\n    Span span = OrderService_BatonSpans.price("));

    WeaveException failure =
        catchThrowableOfType(WeaveException.class, () -> new Weaver(log).weave(fixture.request()));

    assertThat(failure.getMessage()).contains("without the AspectJ runtime", "uses its aspect instance");
    assertThat(failure.problems())
        .containsExactly("com.acme.OrderService: invokes com/acme/OrderService_BatonAspect.aspectOf"
            + " (an advice of this aspect uses its aspect instance)");
    assertThat(fixture.read(Fixture.ORDER_SERVICE))
        .isEqualTo(Files.readAllBytes(fixture.target.resolve("baton/unwoven/" + Fixture.ORDER_SERVICE)));
  }

  @Test
  void anAdviceUsingThisJoinPointFailsTheBuild() throws Exception {
    Fixture fixture = Fixture.compiled(project);
    Path aspect = fixture.generatedSources.resolve("com/acme/OrderService_BatonAspect.aj");
    Files.writeString(aspect, Files.readString(aspect)
        .replace("Span span = OrderService_BatonSpans.load();",
            "Span span = OrderService_BatonSpans.load();\n"
                + "    span.setAttribute(\"method\", thisJoinPointStaticPart.getSignature().getName());"));

    WeaveException failure =
        catchThrowableOfType(WeaveException.class, () -> new Weaver(log).weave(fixture.request()));

    assertThat(failure.getMessage()).contains("without the AspectJ runtime", "thisJoinPoint");
    assertThat(failure.problems())
        .anySatisfy(problem -> assertThat(problem).startsWith("com.acme.OrderService: ")
            .contains("org/aspectj/lang/JoinPoint$StaticPart", "(an advice uses thisJoinPoint"));
  }

  /**
   * An advice ajc cannot inline (its {@code proceed} is in an inner class) leaves the woven class
   * calling the aspect's closure method with an {@code AroundClosure}: the finished aspect no
   * longer has that method, and the build fails on the closure before anything is written.
   */
  @Test
  void anAdviceAjcCouldNotInlineFailsTheBuild() throws Exception {
    Fixture fixture = Fixture.compiled(project);
    Path aspect = fixture.generatedSources.resolve("com/acme/OrderService_BatonAspect.aj");
    String source = Files.readString(aspect);
    assertThat(source).contains("      proceed(tags);\n");
    Files.writeString(aspect, source.replace("      proceed(tags);\n",
        "      Runnable body = new Runnable() {\n"
            + "        public void run() {\n"
            + "          proceed(tags);\n"
            + "        }\n"
            + "      };\n"
            + "      body.run();\n"));

    WeaveException failure =
        catchThrowableOfType(WeaveException.class, () -> new Weaver(log).weave(fixture.request()));

    assertThat(failure.getMessage()).contains("without the AspectJ runtime", "AjcClosure");
    assertThat(failure.problems())
        .anySatisfy(problem -> assertThat(problem).startsWith("com.acme.OrderService")
            .containsAnyOf("AroundClosure", "$AjcClosure")
            .endsWith("(ajc could not inline an advice)"));
    assertThat(fixture.read(Fixture.ORDER_SERVICE))
        .isEqualTo(Files.readAllBytes(fixture.target.resolve("baton/unwoven/" + Fixture.ORDER_SERVICE)));
    assertThat(fixture.classes.resolve("com/acme/OrderService_BatonAspect.class")).doesNotExist();
  }

  @Test
  void leavesOnlyClassFilesInTheClassesDirectory() throws Exception {
    Fixture fixture = Fixture.compiled(project);
    List<String> before = ClassFiles.list(fixture.classes);

    new Weaver(log).weave(fixture.request());

    try (Stream<Path> files = Files.walk(fixture.classes)) {
      List<String> all =
          files.filter(Files::isRegularFile).map(f -> ClassFiles.relative(fixture.classes, f)).sorted().toList();
      assertThat(all)
          .containsAll(before)
          .contains("com/acme/OrderService_BatonAspect.class")
          .allMatch(file -> file.endsWith(".class"))
          .hasSize(before.size() + 2);
    }
  }

  @Test
  void weavingAgainWithoutChangesDoesNothing() throws Exception {
    Fixture fixture = Fixture.compiled(project);
    new Weaver(log).weave(fixture.request());
    byte[] woven = fixture.read(Fixture.ORDER_SERVICE);

    WeaveResult again = new Weaver(log).weave(fixture.request());

    assertThat(again.upToDate()).isTrue();
    assertThat(again.summary().tracedMethods()).isEqualTo(7);
    assertThat(again.describe(project)).startsWith("[baton] nothing changed since the last weave: 7 @Traced methods in 2 classes");
    assertThat(fixture.read(Fixture.ORDER_SERVICE)).isEqualTo(woven);
  }

  @Test
  void recompiledClassesAreWovenFromTheirOriginalOnce() throws Exception {
    Fixture fixture = Fixture.compiled(project);
    new Weaver(log).weave(fixture.request());
    byte[] wovenOnce = fixture.read(Fixture.ORDER_SERVICE);
    // Touching a woven class makes it look like fresh output to a naive weaver.
    Files.setLastModifiedTime(fixture.classes.resolve(Fixture.ORDER_SERVICE), Files.getLastModifiedTime(fixture.classes));
    fixture.compile();

    WeaveResult result = new Weaver(log).weave(fixture.request());

    assertThat(result.upToDate()).isFalse();
    assertThat(fixture.read(Fixture.ORDER_SERVICE)).isEqualTo(wovenOnce);
    assertThat(adviceMethods(fixture.read(Fixture.ORDER_SERVICE))).hasSize(5);
  }

  @Test
  void wovenOutputIsNeverFedBackToAjc() throws Exception {
    Fixture fixture = Fixture.compiled(project);
    new Weaver(log).weave(fixture.request());
    // Only the aspect's source changes: the woven classes stay in place.
    Path aspect = fixture.generatedSources.resolve("com/acme/OrderService_BatonAspect.aj");
    Files.writeString(aspect, Files.readString(aspect) + "\n// edited\n");

    WeaveResult result = new Weaver(log).weave(fixture.request());

    assertThat(result.upToDate()).isFalse();
    assertThat(adviceMethods(fixture.read(Fixture.ORDER_SERVICE))).hasSize(5);
    assertThat(fixture.target.resolve("baton/unwoven/com/acme/OrderService_BatonAspect.class")).doesNotExist();
  }

  @Test
  void staleAspectsOfTypesThatAreGoneAreSkipped() throws Exception {
    Fixture fixture = Fixture.compiled(project);
    Path stale = fixture.generatedSources.resolve("com/acme/Gone_BatonAspect.aj");
    Files.writeString(stale, "package com.acme; aspect Gone_BatonAspect { this does not compile }");
    Files.writeString(
        fixture.generatedSources.resolve("com/acme/Gone_BatonAspect.properties"),
        "type=com.acme.Gone\naspect=com.acme.Gone_BatonAspect\n");

    WeaveResult result = new Weaver(log).weave(fixture.request());

    assertThat(result.summary().tracedMethods()).isEqualTo(7);
    assertThat(log.debugs).anySatisfy(line -> assertThat(line).contains("Gone_BatonAspect.aj", "com.acme.Gone is not compiled"));
  }

  @Test
  void tracedMethodsWithoutAspectsFailTheBuildNamingEachMethod() throws Exception {
    Fixture fixture = Fixture.compiled(project);
    deleteRecursively(fixture.generatedSources);

    WeaveException failure =
        catchThrowableOfType(WeaveException.class, () -> new Weaver(log).weave(fixture.request()));

    assertThat(failure.getMessage()).contains("baton-processor", "<annotationProcessorPaths>");
    assertThat(failure.problems())
        .contains(
            "com.acme.OrderService.price(int, String) (com/acme/OrderService.java:13)",
            "com.acme.OrderService.load(String) (com/acme/OrderService.java:19)",
            "com.acme.Shipping.Courier.ship(String, CompletableFuture) (com/acme/Shipping.java:13)")
        .hasSize(7);
    assertThat(fixture.read(Fixture.ORDER_SERVICE))
        .isEqualTo(Files.readAllBytes(fixture.target.resolve("baton/unwoven/" + Fixture.ORDER_SERVICE)));
  }

  @Test
  void ajcErrorsFailTheBuildWithFileAndLine() throws Exception {
    Fixture fixture = Fixture.compiled(project);
    Path aspect = fixture.generatedSources.resolve("com/acme/OrderService_BatonAspect.aj");
    Files.writeString(aspect, Files.readString(aspect).replace("TracedMethods.makeCurrent(span)", "TracedMethods.noSuchMethod(span)"));

    WeaveException failure =
        catchThrowableOfType(WeaveException.class, () -> new Weaver(log).weave(fixture.request()));

    assertThat(failure.problems())
        .anySatisfy(problem -> assertThat(problem).contains("OrderService_BatonAspect.aj:", "noSuchMethod"));
  }

  @Test
  void reportListsEveryWovenMethodWithItsSpan() throws Exception {
    Fixture fixture = Fixture.compiled(project);

    WeaveResult result = new Weaver(log).weave(fixture.request());

    Path reports = fixture.target.resolve("baton");
    assertThat(result.htmlReport()).isEqualTo(reports.resolve("weave-report.html"));
    String json = Files.readString(reports.resolve("weave-report.json"));
    assertThat(json)
        .contains("\"tracedMethods\": 7")
        .contains(
            "{\"class\": \"com.acme.OrderService\", \"method\": \"price(int, String)\","
                + " \"file\": \"com/acme/OrderService.java\", \"line\": 13, \"span\":"
                + " \"OrderService.price\", \"kind\": \"INTERNAL\", \"attributes\": [{\"key\":"
                + " \"order.quantity\", \"type\": \"long\"}, {\"key\": \"sku\", \"type\":"
                + " \"string\"}], \"aspect\": \"com.acme.OrderService_BatonAspect\"}")
        .contains("\"class\": \"com.acme.Shipping$Courier\", \"method\": \"ship(String, CompletableFuture)\"")
        .contains("\"callSites\": []");
    assertThat(Files.readString(reports.resolve("weave-report.html")))
        .contains("<td>load order</td><td>CLIENT</td>", "<td>tags (string[])</td>");
    assertThat(result.describe(project))
        .matches("\\[baton\\] wove 7 @Traced methods in 2 classes \\(0 call sites\\) in \\d+\\.\\d s;"
            + " report: target/baton/weave-report.html");
  }

  @Test
  void aRebuildWeavesAgainOnlyTheClassThatChangedAndItsUsersAndWritesWhatACleanWeaveWrites(
      @TempDir Path other)
      throws Exception {
    Fixture fixture = Fixture.compiled(project);
    new Weaver(log).weave(fixture.request());
    // As maven-compiler-plugin does when one source changed: every class compiled again.
    fixture.compile();
    changeClass(fixture.classes.resolve(Fixture.ORDER_SERVICE));

    WeaveResult rebuilt = new Weaver(log).weave(fixture.request());

    // Shipping.Courier calls OrderService: its call sites are matched against OrderService.
    assertThat(log.debugs)
        .contains("[baton] weaving again the classes that changed, 2 of "
            + ClassFiles.list(fixture.target.resolve("baton/unwoven")).size() + ": ["
            + Fixture.ORDER_SERVICE + ", com/acme/Shipping$Courier.class]");
    assertThat(rebuilt.describe(project)).contains("unchanged classes taken from the last weave");
    Fixture clean = Fixture.compiled(other);
    changeClass(clean.classes.resolve(Fixture.ORDER_SERVICE));
    WeaveResult cleanBuild = new Weaver(new RecordingLog()).weave(clean.request());
    assertThat(cleanBuild.unchangedClasses()).isZero();
    assertThat(rebuilt.summary()).isEqualTo(cleanBuild.summary());
    assertThat(classFileHashes(fixture.classes)).isEqualTo(classFileHashes(clean.classes));
    assertThat(fixture.target.resolve("baton/weave-report.json"))
        .hasSameTextualContentAs(clean.target.resolve("baton/weave-report.json"));
    assertThat(adviceMethods(fixture.read(Fixture.ORDER_SERVICE))).hasSize(5);
  }

  @Test
  void aChangedClassWeavesAgainTheClassesThatNameIt() throws Exception {
    Fixture fixture = Fixture.compiled(project);
    new Weaver(log).weave(fixture.request());
    fixture.compile();
    changeClass(fixture.classes.resolve("com/acme/Shipping.class"));

    new Weaver(log).weave(fixture.request());

    assertThat(log.debugs)
        .anySatisfy(line -> assertThat(line)
            .startsWith("[baton] weaving again the classes that changed")
            .contains("com/acme/Shipping.class", "com/acme/Shipping$Courier.class")
            .doesNotContain(Fixture.ORDER_SERVICE));
  }

  @Test
  void aWovenClassMissingFromTheCacheIsWovenAgain() throws Exception {
    Fixture fixture = Fixture.compiled(project);
    new Weaver(log).weave(fixture.request());
    byte[] woven = fixture.read(Fixture.ORDER_SERVICE);
    fixture.compile();
    Files.delete(fixture.target.resolve("baton/woven/" + Fixture.ORDER_SERVICE));

    new Weaver(log).weave(fixture.request());

    assertThat(log.debugs)
        .anySatisfy(line -> assertThat(line)
            .startsWith("[baton] weaving again the classes that changed, 1 of")
            .endsWith("[" + Fixture.ORDER_SERVICE + "]"));
    assertThat(fixture.read(Fixture.ORDER_SERVICE)).isEqualTo(woven);
  }

  @Test
  void aForkedWeaveWritesWhatAWeaveInMavensJvmWrites(@TempDir Path other) throws Exception {
    Fixture fixture = Fixture.compiled(project);
    Fixture inProcess = Fixture.compiled(other);

    WeaveResult forked = ForkedWeave.weave(fixture.request(), log);
    WeaveResult direct = new Weaver(new RecordingLog()).weave(inProcess.request());

    assertThat(forked.summary()).isEqualTo(direct.summary());
    assertThat(forked.htmlReport()).isEqualTo(fixture.target.resolve("baton/weave-report.html"));
    assertThat(classFileHashes(fixture.classes)).isEqualTo(classFileHashes(inProcess.classes));
    assertThat(log.warnings).isEmpty();
    assertThat(log.debugs).anySatisfy(line -> assertThat(line).startsWith("[baton] ajc took"));
    assertThat(fixture.target.resolve("baton/" + ForkedWeave.REQUEST_FILE)).doesNotExist();
  }

  @Test
  void aForkedWeaveFailsTheBuildAsOneInMavensJvmDoes() throws Exception {
    Fixture fixture = Fixture.compiled(project);
    Path aspect = fixture.generatedSources.resolve("com/acme/OrderService_BatonAspect.aj");
    Files.writeString(aspect, Files.readString(aspect).replace("TracedMethods.makeCurrent(span)", "TracedMethods.noSuchMethod(span)"));

    WeaveException failure =
        catchThrowableOfType(WeaveException.class, () -> ForkedWeave.weave(fixture.request(), log));

    assertThat(failure.headline()).startsWith("[baton] ajc could not weave");
    assertThat(failure.problems())
        .anySatisfy(problem -> assertThat(problem).contains("OrderService_BatonAspect.aj:", "noSuchMethod"));
  }

  @Test
  void twoAjcRunsEachWeavingHalfOfTheClassesWriteWhatOneWrites(@TempDir Path other) throws Exception {
    Fixture fixture = Fixture.compiled(project);
    Fixture single = Fixture.compiled(other);

    WeaveResult split = new Weaver(log, 1).weave(fixture.request());
    WeaveResult whole = new Weaver(new RecordingLog(), Integer.MAX_VALUE).weave(single.request());

    assertThat(log.debugs).anySatisfy(line -> assertThat(line).startsWith("[baton] ajc took").endsWith("(two runs at once, each weaving half of the classes)"));
    assertThat(split.summary()).isEqualTo(whole.summary());
    assertThat(classFileHashes(fixture.classes)).isEqualTo(classFileHashes(single.classes));
    assertThat(fixture.target.resolve("baton/weave-report.json"))
        .hasSameTextualContentAs(single.target.resolve("baton/weave-report.json"));
    assertThat(fixture.target.resolve("baton/partial")).doesNotExist();
  }

  @Test
  void anAjcErrorInTheSecondRunFailsTheBuildWithFileAndLine() throws Exception {
    Fixture fixture = Fixture.compiled(project);
    // Split, Shipping.Courier goes to the second run, in a JVM of its own.
    Path aspect = fixture.generatedSources.resolve("com/acme/Shipping_Courier_BatonAspect.aj");
    Files.writeString(aspect, Files.readString(aspect).replace("TracedMethods.makeCurrent(span)", "TracedMethods.noSuchMethod(span)"));

    WeaveException failure =
        catchThrowableOfType(WeaveException.class, () -> new Weaver(log, 1).weave(fixture.request()));

    assertThat(failure.problems())
        .anySatisfy(problem -> assertThat(problem).contains("Shipping_Courier_BatonAspect.aj:", "noSuchMethod"));
  }

  /** Adds a field to a compiled class, as an edit of its source would change it. */
  private static void changeClass(Path classFile) throws IOException {
    ClassReader reader = new ClassReader(Files.readAllBytes(classFile));
    ClassWriter writer = new ClassWriter(reader, 0);
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public void visitEnd() {
            visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC, "edited", "I", null, null).visitEnd();
            super.visitEnd();
          }
        },
        0);
    Files.write(classFile, writer.toByteArray());
  }

  private static Map<String, String> classFileHashes(Path directory) throws IOException {
    Map<String, String> hashes = new TreeMap<>();
    for (String path : ClassFiles.list(directory)) {
      hashes.put(path, ClassFiles.sha256(directory.resolve(path)));
    }
    return hashes;
  }

  private static List<String> adviceMethods(byte[] classFile) {
    ClassNode type = new ClassNode();
    new ClassReader(classFile).accept(type, 0);
    return type.methods.stream().map((MethodNode m) -> m.name).filter(n -> n.endsWith("$advice")).toList();
  }

  private static void deleteRecursively(Path directory) throws IOException {
    ClassFiles.deleteRecursively(directory);
  }
}
