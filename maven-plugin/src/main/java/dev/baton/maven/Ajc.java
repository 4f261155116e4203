package dev.baton.maven;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.aspectj.bridge.IMessage;
import org.aspectj.bridge.ISourceLocation;
import org.aspectj.bridge.MessageHandler;
import org.aspectj.tools.ajc.Main;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>One in-process run of the AspectJ compiler: compiles the generated aspects and weaves them
 * and the library aspects into the unwoven classes. Arguments go straight to ajc, so no argument
 * file is ever written.
 */
final class Ajc {

  private Ajc() {}

  /**
   * What ajc said.
   *
   * @param joinPoints every join point woven
   * @param warnings Xlint and other warnings, each with its file and line
   * @param errors errors, each with its file and line; the weave failed if there are any
   * @param failure an exception ajc crashed with, or {@code null}
   */
  record Outcome(
      List<JoinPoint> joinPoints, List<String> warnings, List<String> errors, Throwable failure) {}

  /**
   * Runs ajc.
   *
   * @param aopXml the aspects to weave (see {@link LibraryAspects})
   * @param javaVersion the Java version of the classes, for {@code -source} and {@code -target}
   */
  static Outcome run(
      Path inpath,
      List<Path> aspectSources,
      List<Path> aspectpath,
      List<Path> classpath,
      Path aopXml,
      int javaVersion,
      Path outputDirectory) {
    return run(arguments(inpath, aspectSources, aspectpath, classpath, aopXml, javaVersion, outputDirectory));
  }

  /** ajc's arguments for {@link #run(Path, List, List, List, Path, int, Path)}. */
  static List<String> arguments(
      Path inpath,
      List<Path> aspectSources,
      List<Path> aspectpath,
      List<Path> classpath,
      Path aopXml,
      int javaVersion,
      Path outputDirectory) {
    List<String> arguments = new ArrayList<>();
    arguments.add("-source");
    arguments.add(String.valueOf(javaVersion));
    arguments.add("-target");
    arguments.add(String.valueOf(javaVersion));
    arguments.add("-encoding");
    arguments.add("UTF-8");
    // Annotation processors on the classpath (Lombok, ours) already ran in javac.
    arguments.add("-proc:none");
    arguments.add("-showWeaveInfo");
    // Every lint at warning level: shown to the user, never ignored.
    arguments.add("-Xlint:warning");
    // We keep the unwoven classes ourselves; ajc need not record reweaving state in each class.
    arguments.add("-XnotReweavable");
    arguments.add("-inpath");
    arguments.add(inpath.toString());
    if (!aspectpath.isEmpty()) {
      arguments.add("-aspectpath");
      arguments.add(joined(aspectpath));
    }
    // Only the aspects listed there are woven: the generated ones and the library aspects whose
    // SDK types are on the classpath.
    arguments.add("-xmlConfigured");
    arguments.add(aopXml.toString());
    arguments.add("-classpath");
    arguments.add(joined(classpath));
    arguments.add("-d");
    arguments.add(outputDirectory.toString());
    for (Path source : aspectSources) {
      arguments.add(source.toString());
    }
    return arguments;
  }

  /** Runs ajc in this JVM. */
  static Outcome run(List<String> arguments) {
    MessageHandler messages = new MessageHandler(true);
    messages.dontIgnore(IMessage.WEAVEINFO);
    Throwable failure = null;
    try {
      new Main().run(arguments.toArray(new String[0]), messages);
    } catch (RuntimeException | LinkageError e) {
      failure = e;
    }

    List<JoinPoint> joinPoints = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (IMessage message : messages.getUnmodifiableListView()) {
      if (message.getKind() == IMessage.WEAVEINFO) {
        JoinPoint joinPoint = JoinPoint.parse(message.getMessage());
        if (joinPoint != null) {
          joinPoints.add(joinPoint);
        }
      } else if (message.getKind() == IMessage.WARNING) {
        warnings.add(describe(message));
      } else if (message.isError() || message.isFailed() || message.isAbort()) {
        errors.add(describe(message));
        if (failure == null && message.getThrown() != null) {
          failure = message.getThrown();
        }
      }
    }
    return new Outcome(joinPoints, warnings, errors, failure);
  }

  /**
   * Starts ajc in a JVM of its own ({@link ForkedWeave#JVM_OPTIONS}), its arguments in {@code
   * argumentFile}; {@link #outcomeOf} waits for it.
   */
  static Process start(List<String> arguments, Path argumentFile) throws IOException {
    Files.write(
        argumentFile,
        arguments.stream().map(ForkedWeave::escape).toList(),
        StandardCharsets.UTF_8);
    return ForkedWeave.startJvm(Ajc.class.getName(), argumentFile);
  }

  /** What the ajc started by {@link #start} said, once it ended. */
  static Outcome outcomeOf(Process process) throws IOException {
    List<JoinPoint> joinPoints = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<String> output = new ArrayList<>();
    String failure = null;
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        String[] message = ForkedWeave.message(line);
        if (message == null) {
          output.add(line);
          continue;
        }
        switch (message[0]) {
          case "joinpoint" -> {
            String[] fields = message[1].split("\t", -1);
            joinPoints.add(
                new JoinPoint(
                    fields[0], fields[1], fields[2], fields[3], Integer.parseInt(fields[4]), fields[5]));
          }
          case "warning" -> warnings.add(message[1]);
          case "error" -> errors.add(message[1]);
          case "failure" -> failure = message[1];
          default -> output.add(line);
        }
      }
    }
    int exit = ForkedWeave.waitFor(process);
    if (exit != 0 && failure == null) {
      failure = "ajc's JVM exited with " + exit + ": " + String.join("\n", output);
    }
    return new Outcome(
        joinPoints, warnings, errors, failure == null ? null : new IOException(failure));
  }

  /** The child started by {@link #start}: runs ajc with the arguments in {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    PrintStream protocol = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    List<String> arguments =
        Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8).stream()
            .map(ForkedWeave::unescape)
            .toList();
    Outcome outcome = run(arguments);
    for (JoinPoint joinPoint : outcome.joinPoints()) {
      ForkedWeave.send(
          protocol,
          "joinpoint",
          String.join(
              "\t",
              joinPoint.kind(),
              joinPoint.signature(),
              joinPoint.type(),
              joinPoint.sourceFile(),
              String.valueOf(joinPoint.line()),
              joinPoint.aspect()));
    }
    outcome.warnings().forEach(warning -> ForkedWeave.send(protocol, "warning", warning));
    outcome.errors().forEach(error -> ForkedWeave.send(protocol, "error", error));
    if (outcome.failure() != null) {
      outcome.failure().printStackTrace();
      ForkedWeave.send(protocol, "failure", String.valueOf(outcome.failure()));
    }
    protocol.flush();
    System.exit(0);
  }

  /** {@code /path/Foo.aj:12: message}, or just the message when it has no location. */
  private static String describe(IMessage message) {
    ISourceLocation location = message.getSourceLocation();
    String text = message.getMessage();
    if (location == null || location.getSourceFile() == null) {
      return text;
    }
    String file = location.getSourceFile().getPath();
    return (location.getLine() > 0 ? file + ":" + location.getLine() : file) + ": " + text;
  }

  private static String joined(List<Path> paths) {
    return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }
}
