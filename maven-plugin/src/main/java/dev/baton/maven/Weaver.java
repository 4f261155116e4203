package dev.baton.maven;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.objectweb.asm.tree.ClassNode;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Weaves the classes directory in place: compiles the processor's aspects with ajc and weaves
 * them and the library aspects into the unwoven originals, finishes ajc's output, checks that
 * every {@code @Traced} method was woven and that weaving introduced no reflection and no
 * reference to the AspectJ runtime, then writes the classes, the weave state and the report.
 * Nothing is written into the classes directory unless every check passed. When nothing changed
 * since the last weave, nothing is done; when some classes changed, only they and the classes
 * whose weave may depend on them ({@link WeaveUnits}) are woven again, and the others' woven bytes
 * are taken from the copy the last weave kept in {@code target/baton/woven}.
 */
final class Weaver {

  /**
   * The first line of what {@link #inputsHash} hashes. The plugin's own code is hashed too ({@link
   * #pluginFingerprint()}), so any change of the plugin weaves again; bump this when what is hashed
   * changes in a way that fingerprint does not show.
   */
  private static final String WEAVE_FORMAT = "baton-weave-4";

  /**
   * The fewest classes for which a second ajc runs alongside the first, in a JVM of its own, each
   * weaving half of the classes: below that, the second JVM's start costs more than it saves.
   */
  static final int SPLIT_AT = 200;

  private final WeaveLog log;
  private final ReflectionScanner scanner = new ReflectionScanner();
  private final int splitAt;

  Weaver(WeaveLog log) {
    this(log, Runtime.getRuntime().availableProcessors() > 1 ? SPLIT_AT : Integer.MAX_VALUE);
  }

  /** A weaver that splits the classes between two ajc runs when there are {@code splitAt}. */
  Weaver(WeaveLog log, int splitAt) {
    this.splitAt = splitAt;
    this.log = log;
  }

  WeaveResult weave(WeaveRequest request) throws IOException, WeaveException {
    long start = System.nanoTime();
    Path classes = request.classesDirectory();
    Path unwoven = request.workDirectory().resolve("unwoven");
    Path stateFile = request.workDirectory().resolve(WeaveState.FILE_NAME);
    Path htmlReport = request.reportDirectory().resolve(WeaveReport.HTML_FILE);

    WeaveState previous = WeaveState.read(stateFile);
    UnwovenClasses.Synchronized synced = UnwovenClasses.synchronize(classes, unwoven, previous);
    Map<String, String> originals = synced.originals();
    TracedClasses traced = new TracedClasses(unwoven);
    List<GeneratedAspect> aspects = aspectsOfTracedTypes(request, originals, traced);
    List<String> libraryAspects = LibraryAspects.enabled(request.aspectpath(), request.classpath());
    String inputs = inputsHash(request, originals, aspects, libraryAspects);
    if (inputs.equals(previous.inputs())
        && synced.stillInPlace(previous)
        && Files.isRegularFile(htmlReport)) {
      return new WeaveResult(true, previous.summary(), elapsed(start), htmlReport, 0);
    }

    int javaVersion = javaVersion(unwoven, originals.keySet());
    Map<String, String> units =
        WeaveUnits.keys(
            unwoven, originals, aspects, globalHash(request, libraryAspects, javaVersion));
    Path cache = request.workDirectory().resolve(WeaveState.CACHE_DIRECTORY);
    Map<String, byte[]> wovenClasses = new TreeMap<>();
    Map<String, byte[]> generatedClasses = new TreeMap<>();
    Map<String, List<JoinPoint>> joinPoints = new TreeMap<>();
    Set<String> reweave =
        reuseUnchanged(
            previous, units, aspects, cache, wovenClasses, generatedClasses, joinPoints);

    List<GeneratedAspect> reweaveAspects =
        aspects.stream()
            .filter(aspect -> reweave.contains(ClassFiles.relativePath(aspect.type())))
            .toList();
    if (!reweave.isEmpty()) {
      if (reweave.size() < originals.size()) {
        log.debug("[baton] weaving again the classes that changed, " + reweave.size() + " of "
            + originals.size() + ": " + reweave);
      }
      Path output = request.workDirectory().resolve("ajc-output");
      List<Path> outputs = new ArrayList<>();
      Ajc.Outcome outcome =
          runAjc(request, unwoven, originals.keySet(), reweave, reweaveAspects, libraryAspects,
              javaVersion, output, outputs);
      Set<String> aspectNames = new HashSet<>(libraryAspects);
      aspects.forEach(aspect -> aspectNames.add(aspect.aspect()));
      for (Path written : outputs) {
        finish(written, originals, internalNames(new ArrayList<>(aspectNames)), wovenClasses,
            generatedClasses);
      }
      ClassFiles.deleteRecursively(output);
      for (JoinPoint joinPoint : outcome.joinPoints()) {
        joinPoints
            .computeIfAbsent(ClassFiles.relativePath(joinPoint.type()), path -> new ArrayList<>())
            .add(joinPoint);
      }
    }
    checkTracedMethodsWoven(originals.keySet(), traced, wovenClasses);
    checkNoReflectionOrAspectJ(unwoven, originals.keySet(), wovenClasses, generatedClasses);

    List<JoinPoint> allJoinPoints = new ArrayList<>();
    joinPoints.values().forEach(allJoinPoints::addAll);
    WeaveReport report = WeaveReport.of(aspects, allJoinPoints);
    boolean attributed = originals.keySet().containsAll(joinPoints.keySet());
    WeaveState state =
        new WeaveState(
            inputs,
            report.summary(),
            hashes(wovenClasses),
            hashes(generatedClasses),
            attributed ? units : Map.of(),
            attributed ? joinPoints : Map.of());
    install(classes, unwoven, originals.keySet(), previous, wovenClasses, generatedClasses);
    updateCache(cache, wovenClasses, generatedClasses);
    state.write(stateFile);
    report.write(request.reportDirectory());
    return new WeaveResult(
        false, report.summary(), elapsed(start), htmlReport, originals.size() - reweave.size());
  }

  /**
   * Takes from the last weave, through {@code cache}, what it wrote for every class whose {@link
   * WeaveUnits} key is unchanged: its woven bytes (if it was woven), its aspect's compiled
   * classes and its join points. Returns the classes to weave again: all of them when the last
   * weave left nothing to take.
   */
  private Set<String> reuseUnchanged(
      WeaveState previous,
      Map<String, String> units,
      List<GeneratedAspect> aspects,
      Path cache,
      Map<String, byte[]> wovenClasses,
      Map<String, byte[]> generatedClasses,
      Map<String, List<JoinPoint>> joinPoints)
      throws IOException {
    Set<String> reweave = new TreeSet<>(units.keySet());
    if (previous.units().isEmpty()) {
      return reweave;
    }
    Map<String, String> typeOfAspect = new HashMap<>();
    aspects.forEach(
        aspect ->
            typeOfAspect.put(
                aspect.aspect().replace('.', '/'), ClassFiles.relativePath(aspect.type())));
    Map<String, List<String>> generatedOf = new HashMap<>();
    for (String generated : previous.generated().keySet()) {
      String owner = typeOfAspect.get(outermostClass(generated));
      if (owner == null) {
        return reweave; // a class the last weave added that no generated aspect accounts for
      }
      generatedOf.computeIfAbsent(owner, type -> new ArrayList<>()).add(generated);
    }
    Map<String, byte[]> reusedWoven = new TreeMap<>();
    Map<String, byte[]> reusedGenerated = new TreeMap<>();
    Map<String, List<JoinPoint>> reusedJoinPoints = new TreeMap<>();
    for (Map.Entry<String, String> unit : units.entrySet()) {
      String path = unit.getKey();
      if (!unit.getValue().equals(previous.units().get(path))) {
        continue;
      }
      Map<String, byte[]> woven = new TreeMap<>();
      Map<String, byte[]> generated = new TreeMap<>();
      boolean complete = readCached(cache, path, previous.woven().get(path), woven);
      for (String owned : generatedOf.getOrDefault(path, List.of())) {
        complete &= readCached(cache, owned, previous.generated().get(owned), generated);
      }
      if (complete) {
        reweave.remove(path);
        reusedWoven.putAll(woven);
        reusedGenerated.putAll(generated);
        reusedJoinPoints.put(path, previous.joinPoints().getOrDefault(path, List.of()));
      }
    }
    wovenClasses.putAll(reusedWoven);
    generatedClasses.putAll(reusedGenerated);
    reusedJoinPoints.forEach(
        (path, list) -> {
          if (!list.isEmpty()) {
            joinPoints.put(path, new ArrayList<>(list));
          }
        });
    return reweave;
  }

  /**
   * Puts the cached copy of {@code path} into {@code into} if it has the {@code hash} the last
   * weave wrote; true also when {@code hash} is {@code null} (the last weave left the class as it
   * was), false when the copy is missing or differs.
   */
  private static boolean readCached(Path cache, String path, String hash, Map<String, byte[]> into)
      throws IOException {
    if (hash == null) {
      return true;
    }
    Path file = cache.resolve(path);
    if (!Files.isRegularFile(file)) {
      return false;
    }
    byte[] bytes = Files.readAllBytes(file);
    if (!hash.equals(ClassFiles.sha256(bytes))) {
      return false;
    }
    into.put(path, bytes);
    return true;
  }

  /**
   * The internal name of the outermost class of a class file: {@code com/acme/Foo_BatonAspect}
   * for {@code com/acme/Foo_BatonAspect.class} and {@code com/acme/Foo_BatonAspect$1.class}.
   */
  private static String outermostClass(String path) {
    String internalName = path.substring(0, path.length() - ".class".length());
    int nested = internalName.indexOf('$', internalName.lastIndexOf('/') + 1);
    return nested < 0 ? internalName : internalName.substring(0, nested);
  }

  /**
   * Runs ajc on the classes {@code reweave} with their aspects and the library aspects, into
   * {@code output}. When only some classes are woven, they are copied to an input directory of
   * their own and the other originals to one that goes first on ajc's classpath, as the classes
   * directory does on javac's. From {@link #splitAt} classes on, two ajc runs each weave half of
   * them at the same time, the second in a JVM of its own: each generated aspect weaves only its
   * own class and the library aspects weave each class on its own, so the classes written are the
   * same, and ajc's matching of every advice against every class costs a quarter in each half.
   */
  private Ajc.Outcome runAjc(
      WeaveRequest request,
      Path unwoven,
      Set<String> originals,
      Set<String> reweave,
      List<GeneratedAspect> aspects,
      List<String> libraryAspects,
      int javaVersion,
      Path output,
      List<Path> outputs)
      throws IOException, WeaveException {
    ClassFiles.deleteRecursively(output);
    Path partial = request.workDirectory().resolve("partial");
    ClassFiles.deleteRecursively(partial);
    log.debug("[baton] library aspects for this classpath: " + libraryAspects);
    List<List<String>> runs = new ArrayList<>();
    if (reweave.size() == originals.size() && reweave.size() < splitAt) {
      runs.add(
          Ajc.arguments(
              unwoven,
              aspects.stream().map(GeneratedAspect::source).toList(),
              request.aspectpath(),
              request.classpath(),
              aopXml(request.workDirectory(), aspects, libraryAspects),
              javaVersion,
              output));
      outputs.add(output);
    } else {
      List<Set<String>> halves = split(reweave, aspects, reweave.size() >= splitAt ? 2 : 1);
      for (int i = 0; i < halves.size(); i++) {
        Set<String> half = halves.get(i);
        Path directory = halves.size() == 1 ? partial : partial.resolve(String.valueOf(i));
        Path inpath = directory.resolve("inpath");
        Path others = directory.resolve("classpath");
        for (String path : originals) {
          Path copy = (half.contains(path) ? inpath : others).resolve(path);
          Files.createDirectories(copy.getParent());
          Files.copy(unwoven.resolve(path), copy);
        }
        Files.createDirectories(inpath);
        List<Path> classpath = new ArrayList<>();
        classpath.add(others);
        classpath.addAll(request.classpath());
        List<GeneratedAspect> ownAspects =
            aspects.stream()
                .filter(aspect -> half.contains(ClassFiles.relativePath(aspect.type())))
                .toList();
        Path written = halves.size() == 1 ? output : output.resolve(String.valueOf(i));
        runs.add(
            Ajc.arguments(
                inpath,
                ownAspects.stream().map(GeneratedAspect::source).toList(),
                request.aspectpath(),
                classpath,
                aopXml(directory, ownAspects, libraryAspects),
                javaVersion,
                written));
        outputs.add(written);
      }
    }
    long ajcStart = System.nanoTime();
    Ajc.Outcome outcome;
    if (runs.size() == 1) {
      outcome = Ajc.run(runs.get(0));
    } else {
      Process second = Ajc.start(runs.get(1), partial.resolve("ajc-arguments.txt"));
      // Read the second's output while the first runs, so that it never waits on a full pipe.
      java.util.concurrent.FutureTask<Ajc.Outcome> secondOutcome =
          new java.util.concurrent.FutureTask<>(() -> Ajc.outcomeOf(second));
      Thread reader = new Thread(secondOutcome, "baton-ajc-output");
      reader.setDaemon(true);
      reader.start();
      Ajc.Outcome first = Ajc.run(runs.get(0));
      Ajc.Outcome other;
      try {
        other = secondOutcome.get();
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IOException("the second ajc failed: " + e.getCause(), e.getCause());
      } catch (InterruptedException e) {
        second.destroy();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while weaving", e);
      }
      outcome = merged(first, other);
    }
    log.debug("[baton] ajc took " + elapsed(ajcStart).toMillis() + " ms"
        + (runs.size() > 1 ? " (two runs at once, each weaving half of the classes)" : ""));
    ClassFiles.deleteRecursively(partial);
    outcome.warnings().forEach(warning -> log.warn("[baton] " + warning));
    if (outcome.failure() != null && outcome.errors().isEmpty()) {
      throw new IOException("ajc failed: " + outcome.failure(), outcome.failure());
    }
    if (!outcome.errors().isEmpty()) {
      throw new WeaveException(
          "[baton] ajc could not weave " + request.classesDirectory() + ":", outcome.errors());
    }
    return outcome;
  }

  private static Path aopXml(
      Path directory, List<GeneratedAspect> aspects, List<String> libraryAspects)
      throws IOException {
    List<String> woven = new ArrayList<>();
    aspects.forEach(aspect -> woven.add(aspect.aspect()));
    woven.addAll(libraryAspects);
    return LibraryAspects.writeAopXml(directory, woven);
  }

  /**
   * {@code classes} in {@code parts} sets of about the same size, classes with an aspect (the
   * costly ones) dealt out in turn, then the others.
   */
  private static List<Set<String>> split(
      Set<String> classes, List<GeneratedAspect> aspects, int parts) {
    Set<String> traced = new HashSet<>();
    aspects.forEach(aspect -> traced.add(ClassFiles.relativePath(aspect.type())));
    List<Set<String>> split = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      split.add(new TreeSet<>());
    }
    int next = 0;
    for (boolean withAspect : new boolean[] {true, false}) {
      for (String path : classes) {
        if (traced.contains(path) == withAspect) {
          split.get(next++ % parts).add(path);
        }
      }
    }
    return split;
  }

  private static Ajc.Outcome merged(Ajc.Outcome first, Ajc.Outcome second) {
    List<JoinPoint> joinPoints = new ArrayList<>(first.joinPoints());
    joinPoints.addAll(second.joinPoints());
    List<String> warnings = new ArrayList<>(first.warnings());
    warnings.addAll(second.warnings());
    List<String> errors = new ArrayList<>(first.errors());
    errors.addAll(second.errors());
    Throwable failure = first.failure() != null ? first.failure() : second.failure();
    return new Ajc.Outcome(joinPoints, warnings, errors, failure);
  }

  /** Makes {@code cache} hold exactly the classes this weave wrote. */
  private static void updateCache(
      Path cache, Map<String, byte[]> wovenClasses, Map<String, byte[]> generatedClasses)
      throws IOException {
    Map<String, byte[]> written = new TreeMap<>(wovenClasses);
    written.putAll(generatedClasses);
    for (String path : ClassFiles.list(cache)) {
      if (!written.containsKey(path)) {
        Files.delete(cache.resolve(path));
      }
    }
    for (Map.Entry<String, byte[]> entry : written.entrySet()) {
      writeIfDifferent(cache.resolve(entry.getKey()), entry.getValue());
    }
  }

  /**
   * The processor's aspects whose type is still compiled and still has a {@code @Traced} method:
   * a stale aspect left in generated-sources by an earlier compilation is skipped.
   */
  private List<GeneratedAspect> aspectsOfTracedTypes(
      WeaveRequest request, Map<String, String> originals, TracedClasses traced)
      throws IOException {
    List<String> unusable = new ArrayList<>();
    List<GeneratedAspect> aspects = new ArrayList<>();
    for (GeneratedAspect aspect :
        GeneratedAspect.findAll(request.generatedSourcesDirectory(), unusable)) {
      String path = ClassFiles.relativePath(aspect.type());
      if (!originals.containsKey(path)) {
        log.debug("[baton] skipped " + aspect.source() + ": " + aspect.type() + " is not compiled");
      } else if (traced.in(path).isEmpty()) {
        log.debug("[baton] skipped " + aspect.source() + ": " + aspect.type() + " has no @Traced method");
      } else {
        aspects.add(aspect);
      }
    }
    unusable.forEach(reason -> log.warn("[baton] skipped " + reason));
    return aspects;
  }

  /**
   * Puts ajc's output, finished, into the two maps: rewritten classes and new classes (generated
   * aspects finished, other new classes as ajc wrote them). {@code aspects} are the internal names
   * of every aspect woven, generated or from a library.
   */
  private static void finish(
      Path output,
      Map<String, String> originals,
      Set<String> aspects,
      Map<String, byte[]> wovenClasses,
      Map<String, byte[]> generatedClasses)
      throws IOException {
    for (String path : ClassFiles.list(output)) {
      byte[] bytes = Files.readAllBytes(output.resolve(path));
      if (!originals.containsKey(path)) {
        generatedClasses.put(
            path,
            path.endsWith(GeneratedAspect.NAME_SUFFIX + ".class")
                ? WovenClassFinisher.finishAspect(bytes)
                : bytes);
      } else if (!ClassFiles.sha256(bytes).equals(originals.get(path))) {
        wovenClasses.put(path, WovenClassFinisher.finishWovenClass(bytes, aspects));
      }
    }
  }

  private static Set<String> internalNames(List<String> binaryNames) {
    Set<String> names = new HashSet<>();
    binaryNames.forEach(name -> names.add(name.replace('.', '/')));
    return names;
  }

  private static void checkTracedMethodsWoven(
      Set<String> originals, TracedClasses traced, Map<String, byte[]> wovenClasses)
      throws IOException, WeaveException {
    List<String> notWoven = new ArrayList<>();
    for (String path : originals) {
      List<TracedMethod> methods = traced.in(path);
      if (methods.isEmpty()) {
        continue;
      }
      byte[] woven = wovenClasses.get(path);
      ClassNode wovenClass = woven == null ? null : TracedMethod.read(woven);
      for (TracedMethod method : methods) {
        if (wovenClass == null || !method.isWovenIn(wovenClass)) {
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
      Path unwoven,
      Set<String> originals,
      Map<String, byte[]> wovenClasses,
      Map<String, byte[]> generatedClasses)
      throws IOException, WeaveException {
    List<ReflectionScanner.Violation> violations = new ArrayList<>();
    for (Map.Entry<String, byte[]> woven : wovenClasses.entrySet()) {
      byte[] original = Files.readAllBytes(unwoven.resolve(woven.getKey()));
      violations.addAll(
          isBatonSpans(woven.getKey())
              ? scanner.scan(woven.getValue())
              : scanner.scanIntroduced(original, woven.getValue()));
    }
    for (String path : originals) {
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
    String cause =
        switch (violation.kind()) {
          case ASPECT_INSTANCE -> "an advice of this aspect uses its aspect instance";
          case CLOSURE -> "ajc could not inline an advice";
          case JOIN_POINT -> "an advice uses thisJoinPoint or thisJoinPointStaticPart";
          case ASPECTJ -> "an advice or the aspect refers to AspectJ";
          case REFLECTION -> null;
        };
    return cause == null ? violation.toString() : violation + " (" + cause + ")";
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

  /**
   * A hash of what the weave of every class shares (see {@link WeaveUnits}): the plugin, the
   * library aspects and their jars, the classpath and the Java version.
   */
  private static String globalHash(
      WeaveRequest request, List<String> libraryAspects, int javaVersion) throws IOException {
    StringBuilder inputs = new StringBuilder(WEAVE_FORMAT).append('\n');
    inputs.append("plugin ").append(pluginFingerprint()).append('\n');
    for (Path library : request.aspectpath()) {
      inputs.append("aspectpath ").append(library).append(' ').append(fingerprint(library));
      inputs.append('\n');
    }
    for (Path entry : request.classpath()) {
      inputs.append("classpath ").append(entry).append('\n');
    }
    inputs.append("library aspects ").append(libraryAspects).append('\n');
    inputs.append("java ").append(javaVersion).append('\n');
    return ClassFiles.sha256(inputs.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** A hash of everything the weave reads; the same inputs weave to the same classes. */
  private static String inputsHash(
      WeaveRequest request,
      Map<String, String> originals,
      List<GeneratedAspect> aspects,
      List<String> libraryAspects)
      throws IOException {
    StringBuilder inputs = new StringBuilder(WEAVE_FORMAT).append('\n');
    inputs.append("plugin ").append(pluginFingerprint()).append('\n');
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
    return ClassFiles.sha256(inputs.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A hash of the plugin's own code: its jar, or its classes directory when run from its build.
   * Whatever changes in the plugin changes how it weaves, so a changed plugin weaves again.
   */
  private static String pluginFingerprint() throws IOException {
    CodeSource source = Weaver.class.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return "unknown";
    }
    try {
      return fingerprint(Path.of(source.getLocation().toURI()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return "unknown " + source.getLocation();
    }
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

  /** The traced methods of each original class, each read once per weave and only when asked. */
  private static final class TracedClasses {
    private final Path unwoven;
    private final Map<String, List<TracedMethod>> methods = new HashMap<>();

    TracedClasses(Path unwoven) {
      this.unwoven = unwoven;
    }

    /** The traced methods declared in the original class {@code path} ({@code com/acme/Foo.class}). */
    List<TracedMethod> in(String path) throws IOException {
      List<TracedMethod> declared = methods.get(path);
      if (declared == null) {
        declared = TracedMethod.declaredIn(Files.readAllBytes(unwoven.resolve(path)));
        methods.put(path, declared);
      }
      return declared;
    }
  }
}
