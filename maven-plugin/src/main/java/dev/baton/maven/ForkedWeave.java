package dev.baton.maven;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Runs {@link Weaver} in a JVM of its own, started with options that suit one short run of the
 * AspectJ compiler: C1 only ({@code -XX:TieredStopAtLevel=1}) and the serial collector. In
 * Maven's JVM, the JIT's C2 compiles ajc's and JDT's large methods for longer than the weave
 * itself runs; on the benchmark's 500-class module the forked weave needs about half the CPU time.
 * The weave is the same code with the same arguments, so it writes the same classes either way.
 *
 * <p>The request goes to the child in a file in the work directory; the child reports on its
 * standard output, one line per message, each starting with {@value #TAG}.
 */
final class ForkedWeave {

  /** Options of the child JVM. */
  static final List<String> JVM_OPTIONS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xss4m");

  /** System property with more options for the weave JVM, space-separated. */
  static final String MORE_JVM_OPTIONS = "baton.fork.jvmOptions";

  static final String REQUEST_FILE = "weave-request.txt";

  private static final String TAG = "@baton ";

  private ForkedWeave() {}

  /** Weaves {@code request} in a child JVM, relaying its log to {@code log}. */
  static WeaveResult weave(WeaveRequest request, WeaveLog log) throws IOException, WeaveException {
    Path requestFile = request.workDirectory().resolve(REQUEST_FILE);
    writeRequest(request, requestFile);
    Process process = startJvm(ForkedWeave.class.getName(), requestFile);

    WeaveResult result = null;
    String headline = null;
    List<String> problems = new ArrayList<>();
    String error = null;
    List<String> output = new ArrayList<>();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        String[] fields = message(line);
        if (fields == null) {
          output.add(line);
          continue;
        }
        String value = fields[1];
        switch (fields[0]) {
          case "warn" -> log.warn(value);
          case "debug" -> log.debug(value);
          case "failure" -> headline = value;
          case "problem" -> problems.add(value);
          case "error" -> error = value;
          case "result" -> result = parseResult(value);
          default -> output.add(line);
        }
      }
    }
    int exit = waitFor(process);
    Files.deleteIfExists(requestFile);
    output.forEach(line -> log.warn("[baton] weave JVM: " + line));
    if (headline != null) {
      throw new WeaveException(headline, problems);
    }
    if (error != null) {
      throw new IOException(error);
    }
    if (exit != 0 || result == null) {
      throw new IOException(
          "the weave JVM exited with " + exit + (output.isEmpty() ? "" : ": " + String.join("\n", output)));
    }
    return result;
  }

  /**
   * Starts {@code mainClass} of this plugin in a JVM with {@link #JVM_OPTIONS}, its one argument
   * {@code argumentFile}; its standard error goes to its standard output.
   */
  static Process startJvm(String mainClass, Path argumentFile) throws IOException {
    Process process = new ProcessBuilder(command(mainClass, argumentFile)).redirectErrorStream(true).start();
    process.getOutputStream().close();
    return process;
  }

  /** The command line of {@link #startJvm}. */
  static List<String> command(String mainClass, Path argumentFile) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    // -Dbaton.fork.jvmOptions="..." on Maven's command line: more options for the weave JVM (a
    // larger heap for a very large module, a profiler), after Baton's own.
    String more = System.getProperty(MORE_JVM_OPTIONS, "").trim();
    if (!more.isEmpty()) {
      command.addAll(List.of(more.split("\\s+")));
    }
    command.add("-cp");
    command.add(String.join(File.pathSeparator, classpath()));
    command.add(mainClass);
    command.add(argumentFile.toString());
    return command;
  }

  static int waitFor(Process process) throws IOException {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while weaving", e);
    }
  }

  /** The kind and value of a line a child sent with {@link #send}, or {@code null}. */
  static String[] message(String line) {
    if (!line.startsWith(TAG)) {
      return null;
    }
    String[] fields = line.substring(TAG.length()).split(" ", 2);
    return new String[] {fields[0], fields.length > 1 ? unescape(fields[1]) : ""};
  }

  /** The child: weaves the request in the file named by {@code args[0]}. */
  public static void main(String[] args) {
    PrintStream protocol = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    // Anything else printed goes to standard error, which the parent shows as it is.
    System.setOut(System.err);
    WeaveLog log =
        new WeaveLog() {
          @Override
          public void warn(String message) {
            send(protocol, "warn", message);
          }

          @Override
          public void debug(String message) {
            send(protocol, "debug", message);
          }
        };
    int exit = 0;
    try {
      WeaveResult result = new Weaver(log).weave(readRequest(Path.of(args[0])));
      WeaveState.Summary summary = result.summary();
      send(
          protocol,
          "result",
          result.upToDate()
              + " "
              + summary.tracedMethods()
              + " "
              + summary.classes()
              + " "
              + summary.callSites()
              + " "
              + result.duration().toNanos()
              + " "
              + result.unchangedClasses()
              + " "
              + result.htmlReport());
    } catch (WeaveException e) {
      send(protocol, "failure", e.headline());
      e.problems().forEach(problem -> send(protocol, "problem", problem));
    } catch (IOException | RuntimeException | Error e) {
      e.printStackTrace();
      send(protocol, "error", String.valueOf(e.getMessage()));
      exit = 1;
    }
    protocol.flush();
    System.exit(exit);
  }

  static void send(PrintStream protocol, String kind, String value) {
    synchronized (protocol) {
      protocol.println(TAG + kind + " " + escape(value));
    }
  }

  private static WeaveResult parseResult(String value) {
    String[] fields = value.split(" ", 7);
    return new WeaveResult(
        Boolean.parseBoolean(fields[0]),
        new WeaveState.Summary(
            Integer.parseInt(fields[1]), Integer.parseInt(fields[2]), Integer.parseInt(fields[3])),
        Duration.ofNanos(Long.parseLong(fields[4])),
        Path.of(fields[6]),
        Integer.parseInt(fields[5]));
  }

  private static void writeRequest(WeaveRequest request, Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("classes " + escape(request.classesDirectory().toString()));
    lines.add("generated " + escape(request.generatedSourcesDirectory().toString()));
    lines.add("report " + escape(request.reportDirectory().toString()));
    lines.add("work " + escape(request.workDirectory().toString()));
    request.classpath().forEach(entry -> lines.add("classpath " + escape(entry.toString())));
    request.aspectpath().forEach(entry -> lines.add("aspectpath " + escape(entry.toString())));
    Files.createDirectories(file.getParent());
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  private static WeaveRequest readRequest(Path file) throws IOException {
    Path classes = null;
    Path generated = null;
    Path report = null;
    Path work = null;
    List<Path> classpath = new ArrayList<>();
    List<Path> aspectpath = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] fields = line.split(" ", 2);
      Path path = Path.of(unescape(fields[1]));
      switch (fields[0]) {
        case "classes" -> classes = path;
        case "generated" -> generated = path;
        case "report" -> report = path;
        case "work" -> work = path;
        case "classpath" -> classpath.add(path);
        case "aspectpath" -> aspectpath.add(path);
        default -> throw new IOException(file + ": unknown line " + line);
      }
    }
    return new WeaveRequest(classes, generated, report, work, classpath, aspectpath);
  }

  /** The plugin's own code and what it weaves with: AspectJ's compiler and ASM. */
  private static Set<String> classpath() throws IOException {
    Set<String> entries = new LinkedHashSet<>();
    for (Class<?> type :
        List.of(
            ForkedWeave.class,
            org.aspectj.tools.ajc.Main.class,
            org.objectweb.asm.ClassReader.class,
            org.objectweb.asm.tree.ClassNode.class)) {
      CodeSource source = type.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        throw new IOException("cannot tell where " + type.getName() + " was loaded from");
      }
      try {
        entries.add(Path.of(source.getLocation().toURI()).toString());
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw new IOException("cannot fork the weave: " + source.getLocation(), e);
      }
    }
    return entries;
  }

  static String escape(String text) {
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
  }

  static String unescape(String text) {
    StringBuilder plain = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        char next = text.charAt(++i);
        plain.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next);
      } else {
        plain.append(c);
      }
    }
    return plain.toString();
  }
}
