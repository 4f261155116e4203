package dev.baton.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Weaves the classes directory in place: compiles the processor's aspects with ajc and weaves
 * them and the library aspects into the unwoven originals, finishes ajc's output, checks that
 * every {@code @Traced} method was woven and that weaving introduced no reflection and no
 * reference to the AspectJ runtime, then writes the classes, the weave state and the report.
 * Nothing is written into the classes directory unless every check passed. When nothing changed
 * since the last weave, nothing is done.
 */
final class Weaver {

  /** Bump when the weave changes, so that a new plugin version weaves again. */
  private static final String WEAVE_FORMAT = "baton-weave-2";

  private final WeaveLog log;
  private final ReflectionScanner scanner = new ReflectionScanner();

  Weaver(WeaveLog log) {
    this.log = log;
  }

  WeaveResult weave(WeaveRequest request) throws IOException, WeaveException {
    long start = System.nanoTime();
    Path classes = request.classesDirectory();
    Path unwoven = request.workDirectory().resolve("unwoven");
    Path stateFile = request.workDirectory().resolve(WeaveState.FILE_NAME);
    Path htmlReport = request.reportDirectory().resolve(WeaveReport.HTML_FILE);

    WeaveState previous = WeaveState.read(stateFile);
    Map<String, String> originals = UnwovenClasses.synchronize(classes, unwoven, previous);
    List<GeneratedAspect> aspects = aspectsOfTracedTypes(request, unwoven, originals);
    List<String> libraryAspects = LibraryAspects.enabled(request.aspectpath(), request.classpath());
    String inputs = inputsHash(request, originals, aspects, libraryAspects);
    if (inputs.equals(previous.inputs())
        && stillInPlace(classes, previous)
        && Files.isRegularFile(htmlReport)) {
      return new WeaveResult(true, previous.summary(), elapsed(start), htmlReport);
    }

    Path output = request.workDirectory().resolve("ajc-output");
    ClassFiles.deleteRecursively(output);
    List<String> woven = new ArrayList<>();
    aspects.forEach(aspect -> woven.add(aspect.aspect()));
    woven.addAll(libraryAspects);
    log.debug("[baton] library aspects for this classpath: " + libraryAspects);
    Path aopXml = LibraryAspects.writeAopXml(request.workDirectory(), woven);
    long ajcStart = System.nanoTime();
    Ajc.Outcome outcome =
        Ajc.run(
            unwoven,
            aspects.stream().map(GeneratedAspect::source).toList(),
            request.aspectpath(),
            request.classpath(),
            aopXml,
            javaVersion(unwoven, originals.keySet()),
            output);
    log.debug("[baton] ajc took " + elapsed(ajcStart).toMillis() + " ms");
    outcome.warnings().forEach(warning -> log.warn("[baton] " + warning));
    if (outcome.failure() != null && outcome.errors().isEmpty()) {
      throw new IOException("ajc failed: " + outcome.failure(), outcome.failure());
    }
    if (!outcome.errors().isEmpty()) {
      throw new WeaveException(
          "[baton] ajc could not weave " + classes + ":", outcome.errors());
    }

    Map<String, byte[]> wovenClasses = new TreeMap<>();
    Map<String, byte[]> generatedClasses = new TreeMap<>();
    finish(output, originals, internalNames(woven), wovenClasses, generatedClasses);
    checkTracedMethodsWoven(unwoven, originals.keySet(), wovenClasses);
    checkNoReflectionOrAspectJ(unwoven, wovenClasses, generatedClasses);

    WeaveReport report = WeaveReport.of(aspects, outcome.joinPoints());
    WeaveState state =
        new WeaveState(inputs, report.summary(), hashes(wovenClasses), hashes(generatedClasses));
    install(classes, unwoven, originals.keySet(), previous, wovenClasses, generatedClasses);
    state.write(stateFile);
    report.write(request.reportDirectory());
    ClassFiles.deleteRecursively(output);
    return new WeaveResult(false, report.summary(), elapsed(start), htmlReport);
  }

  /**
   * The processor's aspects whose type is still compiled and still has a {@code @Traced} method:
   * a stale aspect left in generated-sources by an earlier compilation is skipped.
   */
  private List<GeneratedAspect> aspectsOfTracedTypes(
      WeaveRequest request, Path unwoven, Map<String, String> originals) throws IOException {
    List<String> unusable = new ArrayList<>();
    List<GeneratedAspect> aspects = new ArrayList<>();
    for (GeneratedAspect aspect :
        GeneratedAspect.findAll(request.generatedSourcesDirectory(), unusable)) {
      String path = ClassFiles.relativePath(aspect.type());
      if (!originals.containsKey(path)) {
        log.debug("[baton] skipped " + aspect.source() + ": " + aspect.type() + " is not compiled");
      } else if (!TracedMethod.anyIn(Files.readAllBytes(unwoven.resolve(path)))) {
        log.debug("[baton] skipped " + aspect.source() + ": " + aspect.type() + " has no @Traced method");
      } else {
        aspects.add(aspect);
      }
    }
    unusable.forEach(reason -> log.warn("[baton] skipped " + reason));
    return aspects;
  }

  /**
   * Puts ajc's output, finished, into the two maps: rewritten classes and new classes. {@code
   * aspects} are the internal names of every aspect woven, generated or from a library.
   */
  private static void finish(
      Path output,
      Map<String, String> originals,
      Set<String> aspects,
      Map<String, byte[]> wovenClasses,
      Map<String, byte[]> generatedClasses)
      throws IOException {
    Map<String, byte[]> rewritten = new LinkedHashMap<>();
    Map<String, byte[]> added = new LinkedHashMap<>();
    Set<String> calls = new HashSet<>();
    for (String path : ClassFiles.list(output)) {
      byte[] bytes = Files.readAllBytes(output.resolve(path));
      if (!originals.containsKey(path)) {
        added.put(path, bytes);
      } else if (!ClassFiles.sha256(bytes).equals(originals.get(path))) {
        byte[] finished = WovenClassFinisher.finishWovenClass(bytes, aspects);
        rewritten.put(path, finished);
        WovenClassFinisher.collectCalls(finished, calls);
      }
    }
    wovenClasses.putAll(rewritten);
    added.forEach(
        (path, bytes) ->
            generatedClasses.put(
                path,
                path.endsWith("_BatonAspect.class")
                    ? WovenClassFinisher.finishAspect(bytes, calls)
                    : bytes));
  }

  private static Set<String> internalNames(List<String> binaryNames) {
    Set<String> names = new HashSet<>();
    binaryNames.forEach(name -> names.add(name.replace('.', '/')));
    return names;
  }

  private static void checkTracedMethodsWoven(
      Path unwoven, Set<String> originals, Map<String, byte[]> wovenClasses)
      throws IOException, WeaveException {
    List<String> notWoven = new ArrayList<>();
    for (String path : originals) {
      List<TracedMethod> traced = TracedMethod.declaredIn(Files.readAllBytes(unwoven.resolve(path)));
      byte[] woven = wovenClasses.get(path);
      for (TracedMethod method : traced) {
        if (woven == null || !method.isWovenIn(woven)) {
          notWoven.add(method.displayName() + method.location());
        }
      }
    }
    if (!notWoven.isEmpty()) {
      throw new WeaveException(
          "[baton] These @Traced methods were not woven, so they would create no spans. Most likely"
              + " baton-processor is missing from the maven-compiler-plugin's"
              + " <annotationProcessorPaths> (next to Lombok or any other processor), or"
              + " annotation processing is off (-proc:none): add dev.baton:baton-processor there"
              + " and rebuild with 'mvn clean verify'.",
          notWoven);
    }
  }

  /**
   * Fails the build when weaving added reflection or any reference to AspectJ: woven code must run
   * without the AspectJ runtime, and the classes written (woven classes and generated aspects)
   * must not refer to {@code org/aspectj/} anywhere in their constant pool, nor load an aspect.
   */
  private void checkNoReflectionOrAspectJ(
      Path unwoven, Map<String, byte[]> wovenClasses, Map<String, byte[]> generatedClasses)
      throws IOException, WeaveException {
    List<ReflectionScanner.Violation> violations = new ArrayList<>();
    for (Map.Entry<String, byte[]> woven : wovenClasses.entrySet()) {
      byte[] original = Files.readAllBytes(unwoven.resolve(woven.getKey()));
      violations.addAll(
          isBatonSpans(woven.getKey())
              ? scanner.scan(woven.getValue())
              : scanner.scanIntroduced(original, woven.getValue()));
    }
    for (String path : ClassFiles.list(unwoven)) {
      if (isBatonSpans(path) && !wovenClasses.containsKey(path)) {
        violations.addAll(scanner.scan(Files.readAllBytes(unwoven.resolve(path))));
      }
    }
    for (byte[] generated : generatedClasses.values()) {
      violations.addAll(scanner.scan(generated));
    }
    if (violations.isEmpty()) {
      return;
    }
    StringBuilder headline = new StringBuilder("[baton]");
    if (violations.stream().anyMatch(violation -> !violation.isAspectJ())) {
      headline.append(" Weaving introduced reflection, which Baton's woven code must never use.");
    }
    if (violations.stream().anyMatch(ReflectionScanner.Violation::isAspectJ)) {
      headline.append(
          " Woven code must run without the AspectJ runtime, but weaving left references to it."
              + " Baton's advice must only make static calls: an advice that uses its aspect"
              + " instance keeps the aspectOf() call, one that uses thisJoinPoint refers to"
              + " org.aspectj.lang, and an AjcClosure means ajc could not inline an advice.");
    }
    headline.append(" Please report it with the aspect:");
    throw new WeaveException(
        headline.toString(), violations.stream().map(Weaver::withLikelyCause).toList());
  }

  /** {@code com.acme.Foo: invokes com/acme/Foo_BatonAspect.aspectOf (an advice uses ...)}. */
  private static String withLikelyCause(ReflectionScanner.Violation violation) {
    String reference = violation.reference();
    String cause;
    if (reference.endsWith(".aspectOf")) {
      cause = "an advice of this aspect uses its aspect instance";
    } else if (reference.contains("AroundClosure") || reference.contains("$AjcClosure")) {
      cause = "ajc could not inline an advice";
    } else if (reference.contains("org/aspectj/runtime/reflect/")
        || reference.contains("org/aspectj/lang/")
            && !reference.contains("org/aspectj/lang/annotation/")
            && !reference.contains("org/aspectj/lang/NoAspectBoundException")) {
      cause = "an advice uses thisJoinPoint or thisJoinPointStaticPart";
    } else if (violation.isAspectJ()) {
      cause = "an advice or the aspect refers to AspectJ";
    } else {
      return violation.toString();
    }
    return violation + " (" + cause + ")";
  }

  private static boolean isBatonSpans(String path) {
    return path.endsWith("_BatonSpans.class");
  }

  /**
   * Writes what changed into the classes directory: woven classes, new classes, and originals
   * back where a class is no longer woven; deletes classes the last weave added that are gone.
   */
  private static void install(
      Path classes,
      Path unwoven,
      Set<String> originals,
      WeaveState previous,
      Map<String, byte[]> wovenClasses,
      Map<String, byte[]> generatedClasses)
      throws IOException {
    for (String path : originals) {
      byte[] wanted =
          wovenClasses.containsKey(path)
              ? wovenClasses.get(path)
              : Files.readAllBytes(unwoven.resolve(path));
      writeIfDifferent(classes.resolve(path), wanted);
    }
    for (Map.Entry<String, byte[]> generated : generatedClasses.entrySet()) {
      writeIfDifferent(classes.resolve(generated.getKey()), generated.getValue());
    }
    for (String path : previous.generated().keySet()) {
      if (!generatedClasses.containsKey(path) && !originals.contains(path)) {
        Files.deleteIfExists(classes.resolve(path));
      }
    }
  }

  private static void writeIfDifferent(Path file, byte[] bytes) throws IOException {
    if (!Files.isRegularFile(file) || !java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
      ClassFiles.write(file, bytes);
    }
  }

  /** Whether every class the last weave wrote is still there, unchanged. */
  private static boolean stillInPlace(Path classes, WeaveState previous) throws IOException {
    Map<String, String> written = new TreeMap<>(previous.woven());
    written.putAll(previous.generated());
    for (Map.Entry<String, String> entry : written.entrySet()) {
      Path file = classes.resolve(entry.getKey());
      if (!Files.isRegularFile(file) || !ClassFiles.sha256(file).equals(entry.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** A hash of everything the weave reads; the same inputs weave to the same classes. */
  private static String inputsHash(
      WeaveRequest request,
      Map<String, String> originals,
      List<GeneratedAspect> aspects,
      List<String> libraryAspects)
      throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    StringBuilder inputs = new StringBuilder(WEAVE_FORMAT).append('\n');
    originals.forEach((path, hash) -> inputs.append(path).append(' ').append(hash).append('\n'));
    for (GeneratedAspect aspect : aspects) {
      inputs.append(aspect.source()).append(' ').append(ClassFiles.sha256(aspect.source()));
      inputs.append(' ').append(ClassFiles.sha256(aspect.metadata())).append('\n');
    }
    for (Path library : request.aspectpath()) {
      inputs.append("aspectpath ").append(library).append(' ').append(fingerprint(library));
      inputs.append('\n');
    }
    for (Path entry : request.classpath()) {
      inputs.append("classpath ").append(entry).append('\n');
    }
    inputs.append("library aspects ").append(libraryAspects).append('\n');
    digest.update(inputs.toString().getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest.digest());
  }

  private static String fingerprint(Path library) throws IOException {
    if (Files.isRegularFile(library)) {
      return ClassFiles.sha256(library);
    }
    StringBuilder classes = new StringBuilder();
    for (String path : ClassFiles.list(library)) {
      classes.append(path).append(ClassFiles.sha256(library.resolve(path)));
    }
    return ClassFiles.sha256(classes.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The Java version of the newest class file, for ajc's {@code -source} and {@code -target}. */
  private static int javaVersion(Path unwoven, Set<String> originals) throws IOException {
    int major = 52;
    for (String path : originals) {
      byte[] header = new byte[8];
      try (var in = Files.newInputStream(unwoven.resolve(path))) {
        if (in.readNBytes(header, 0, 8) == 8) {
          major = Math.max(major, ((header[6] & 0xff) << 8) | (header[7] & 0xff));
        }
      }
    }
    return major - 44;
  }

  private static Map<String, String> hashes(Map<String, byte[]> classes) {
    Map<String, String> hashes = new TreeMap<>();
    classes.forEach((path, bytes) -> hashes.put(path, ClassFiles.sha256(bytes)));
    return hashes;
  }

  private static Duration elapsed(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
