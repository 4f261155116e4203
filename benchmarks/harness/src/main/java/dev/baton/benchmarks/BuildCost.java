package dev.baton.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What Baton costs at build time: a generated Maven module of {@value #CLASSES} classes with two
 * {@code @Traced} methods each ({@value #TRACED_METHODS} in all), built with {@code mvnw -o clean
 * process-classes}, once with javac alone ({@code -proc:none}) and once with Baton's processor and
 * {@code baton:weave} (profile {@code baton}). Both builds have the same dependencies; the runs
 * alternate. Maven's own start is measured too ({@code validate}), so that it can be subtracted.
 * After each build from scratch, one class ({@value #CHANGED_CLASS}) is changed (a constant in a
 * method, so its bytecode differs) and the module built again without {@code clean}: javac
 * compiles every class again either way, {@code baton:weave} weaves again only what changed.
 */
final class BuildCost {

  static final int CLASSES = 500;
  static final int TRACED_METHODS = 2 * CLASSES;

  /** The class changed before each rebuild. */
  static final String CHANGED_CLASS = "gen.module7.Service7";

  /**
   * Wall-clock seconds of each build kind: from scratch, and again after one class changed
   * (rebuild).
   */
  record Result(Stats javac, Stats baton, Stats mavenStart, Stats javacRebuild, Stats batonRebuild) {}

  private BuildCost() {}

  static Result run(Layout layout, JdkUnderTest jdk, int runs) throws IOException, InterruptedException {
    Path project = layout.work().resolve("build-cost");
    generate(project);
    build(layout, jdk, project, "clean", "process-classes", "-Pbaton"); // resolve and warm the file cache
    List<Double> javac = new ArrayList<>();
    List<Double> baton = new ArrayList<>();
    List<Double> start = new ArrayList<>();
    List<Double> javacRebuild = new ArrayList<>();
    List<Double> batonRebuild = new ArrayList<>();
    int changes = 0;
    try {
      for (int i = 0; i < runs; i++) {
        javac.add(build(layout, jdk, project, "clean", "process-classes"));
        change(project, ++changes);
        javacRebuild.add(build(layout, jdk, project, "process-classes"));
        baton.add(build(layout, jdk, project, "clean", "process-classes", "-Pbaton"));
        change(project, ++changes);
        batonRebuild.add(build(layout, jdk, project, "process-classes", "-Pbaton"));
        start.add(build(layout, jdk, project, "validate"));
        System.out.printf(
            "[build cost] JDK %s run %d: javac %.1f s, javac + Baton %.1f s, Maven start %.1f s; after one class changed: javac %.1f s, javac + Baton %.1f s%n",
            jdk.name(), i + 1, javac.get(i), baton.get(i), start.get(i), javacRebuild.get(i), batonRebuild.get(i));
      }
    } finally {
      change(project, 0);
    }
    return new Result(Stats.of(javac), Stats.of(baton), Stats.of(start), Stats.of(javacRebuild), Stats.of(batonRebuild));
  }

  /**
   * Rewrites {@link #CHANGED_CLASS} with its price's base {@code 100 + change} (0: as generated),
   * so that its bytecode differs from the last build's.
   */
  private static void change(Path project, int change) throws IOException {
    int i = 7;
    String pkg = "gen.module" + (i % 10);
    Files.writeString(
        project.resolve("src/main/java/" + pkg.replace('.', '/')).resolve("Service" + i + ".java"),
        source(pkg, i, 100 + change));
  }

  private static double build(Layout layout, JdkUnderTest jdk, Path project, String... arguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(layout.repository().resolve("mvnw").toString(), "-B", "-q", "-o", "-f",
        project.resolve("pom.xml").toString()));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().put("JAVA_HOME", jdk.home().toString());
    builder.environment().remove("MAVEN_OPTS");
    long started = System.nanoTime();
    int exit = builder.start().waitFor();
    double seconds = (System.nanoTime() - started) / 1e9;
    if (exit != 0) {
      throw new IllegalStateException("the build-cost build " + List.of(arguments) + " failed on JDK " + jdk.name());
    }
    return seconds;
  }

  /** Writes the module: {@code pom.xml} and {@value #CLASSES} classes in 10 packages. */
  static void generate(Path project) throws IOException {
    Properties versions = new Properties();
    try (InputStream in = BuildCost.class.getResourceAsStream("versions.properties")) {
      versions.load(in);
    }
    Map<String, String> values = new LinkedHashMap<>();
    versions.forEach((k, v) -> values.put("@" + k + "@", (String) v));
    String pom = POM;
    for (var entry : values.entrySet()) {
      pom = pom.replace(entry.getKey(), entry.getValue());
    }
    Files.createDirectories(project);
    Files.writeString(project.resolve("pom.xml"), pom);
    for (int i = 0; i < CLASSES; i++) {
      String pkg = "gen.module" + (i % 10);
      Path dir = project.resolve("src/main/java/" + pkg.replace('.', '/'));
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("Service" + i + ".java"), source(pkg, i, 100));
    }
  }

  private static String source(String pkg, int i, int base) {
    return """
        package %1$s;

        import dev.baton.SpanAttribute;
        import dev.baton.Traced;
        import java.util.ArrayList;
        import java.util.List;

        /** Generated for the build-cost benchmark. */
        public class Service%2$d {

          private final List<String> log = new ArrayList<>();

          @Traced
          public long price(@SpanAttribute("item.sku") String sku, @SpanAttribute("item.quantity") int quantity) {
            long unit = %3$d + Math.floorMod(sku.hashCode(), 900);
            log.add(sku);
            return discount(unit * quantity, quantity);
          }

          @Traced("service %2$d load")
          public List<String> load(String prefix, int count) {
            List<String> items = new ArrayList<>();
            for (int n = 0; n < count; n++) {
              items.add(format(prefix, n));
            }
            return items;
          }

          long discount(long total, int quantity) {
            return quantity >= 10 ? total - total / 10 : total;
          }

          String format(String prefix, int n) {
            return prefix + "-" + n + "-" + log.size();
          }
        }
        """.formatted(pkg, i, base);
  }

  private static final String POM = """
      <?xml version="1.0" encoding="UTF-8"?>
      <project xmlns="http://maven.apache.org/POM/4.0.0"
               xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
               xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
        <modelVersion>4.0.0</modelVersion>
        <groupId>bench.generated</groupId>
        <artifactId>build-cost</artifactId>
        <version>1.0-SNAPSHOT</version>
        <!-- Generated by Baton's benchmarks: 500 classes, 1,000 @Traced methods. -->
        <properties>
          <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
          <maven.compiler.release>17</maven.compiler.release>
        </properties>
        <dependencies>
          <dependency>
            <groupId>dev.baton</groupId>
            <artifactId>baton-aspects</artifactId>
            <version>@baton.version@</version>
          </dependency>
        </dependencies>
        <build>
          <plugins>
            <plugin>
              <groupId>org.apache.maven.plugins</groupId>
              <artifactId>maven-clean-plugin</artifactId>
              <version>@maven-clean-plugin.version@</version>
            </plugin>
            <plugin>
              <groupId>org.apache.maven.plugins</groupId>
              <artifactId>maven-resources-plugin</artifactId>
              <version>@maven-resources-plugin.version@</version>
            </plugin>
            <plugin>
              <groupId>org.apache.maven.plugins</groupId>
              <artifactId>maven-compiler-plugin</artifactId>
              <version>@maven-compiler-plugin.version@</version>
            </plugin>
          </plugins>
        </build>
        <profiles>
          <profile>
            <id>javac</id>
            <activation>
              <activeByDefault>true</activeByDefault>
            </activation>
            <build>
              <plugins>
                <plugin>
                  <groupId>org.apache.maven.plugins</groupId>
                  <artifactId>maven-compiler-plugin</artifactId>
                  <configuration>
                    <proc>none</proc>
                  </configuration>
                </plugin>
              </plugins>
            </build>
          </profile>
          <profile>
            <id>baton</id>
            <build>
              <plugins>
                <plugin>
                  <groupId>org.apache.maven.plugins</groupId>
                  <artifactId>maven-compiler-plugin</artifactId>
                  <configuration>
                    <annotationProcessorPaths>
                      <path>
                        <groupId>dev.baton</groupId>
                        <artifactId>baton-processor</artifactId>
                        <version>@baton.version@</version>
                      </path>
                    </annotationProcessorPaths>
                  </configuration>
                </plugin>
                <plugin>
                  <groupId>dev.baton</groupId>
                  <artifactId>baton-maven-plugin</artifactId>
                  <version>@baton.version@</version>
                  <executions>
                    <execution>
                      <goals>
                        <goal>weave</goal>
                      </goals>
                    </execution>
                  </executions>
                </plugin>
              </plugins>
            </build>
          </profile>
        </profiles>
      </project>
      """;
}
