package dev.baton.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.baton.runtime.internal.BatonTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the processor generates: a few goldens for the shape, and the generated span code run
 * against the OpenTelemetry SDK for the behaviour (the weaving itself is tested in the plugin).
 */
class GeneratedCodeTest {

  private static final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private static OpenTelemetrySdk sdk;

  @BeforeAll
  static void useInMemorySdk() {
    sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .build();
    BatonTelemetry.use(sdk);
  }

  @AfterAll
  static void closeSdk() {
    sdk.close();
  }

  @BeforeEach
  void reset() {
    exporter.reset();
  }

  @Test
  void orderServiceGoldens() throws IOException {
    Compilation compilation = compile(JavaFileObjects.forResource("sources/com/acme/OrderService.java"));
    assertThat(compilation).succeeded();
    for (String file :
        List.of(
            "OrderService_BatonSpans.java",
            "OrderService_BatonAspect.aj",
            "OrderService_BatonAspect.properties")) {
      JavaFileObject generated =
          compilation
              .generatedFile(StandardLocation.SOURCE_OUTPUT, "com/acme/" + file)
              .orElseThrow(() -> new AssertionError(file + " was not generated"));
      assertThat(generated.getCharContent(true).toString())
          .as(file)
          .isEqualTo(golden("orderService/" + file));
    }
  }

  @Test
  void aHashedAttributeIsAKeyedHashNeverTheValue() throws Exception {
    Compilation compilation =
        compile(
            JavaFileObjects.forSourceLines(
                "test.Customers",
                "package test;",
                "import dev.baton.SpanAttribute;",
                "import dev.baton.Traced;",
                "public class Customers {",
                "  @Traced",
                "  public void greet(@SpanAttribute(value = \"customer.email\", hash = true) String email,",
                "      @SpanAttribute(\"customer.tier\") String tier) {}",
                "}"));
    assertThat(compilation).succeeded();
    Class<?> spans = new CompiledClasses(compilation).loadClass("test.Customers_BatonSpans");
    Method greet = Arrays.stream(spans.getMethods()).filter(m -> m.getName().equals("greet")).findFirst().orElseThrow();
    String huge = "x".repeat(1_000_000);
    for (String email : Arrays.asList("ada@example.com", "ada@example.com", "bob@example.com", "", huge, null)) {
      ((Span) greet.invoke(null, email, "gold")).end();
    }

    List<SpanData> finished = exporter.getFinishedSpanItems();
    AttributeKey<String> key = AttributeKey.stringKey("customer.email");
    List<String> hashes = finished.stream().map(span -> span.getAttributes().get(key)).toList();
    assertThat(hashes.get(0)).matches("[0-9a-f]{64}").isNotEqualTo("ada@example.com");
    assertThat(hashes.get(1)).as("equal for equal values").isEqualTo(hashes.get(0));
    assertThat(hashes.get(2)).as("different for different values").isNotEqualTo(hashes.get(0));
    assertThat(hashes.get(3)).matches("[0-9a-f]{64}");
    assertThat(hashes.get(4)).matches("[0-9a-f]{64}");
    assertThat(hashes.get(5)).as("null: no attribute").isNull();
    assertThat(finished).allSatisfy(span -> {
      assertThat(span.getAttributes().get(AttributeKey.stringKey("customer.tier"))).isEqualTo("gold");
      assertThat(span.getAttributes().asMap().values()).doesNotContain("ada@example.com", "bob@example.com");
    });
    String generated =
        compilation.generatedFile(StandardLocation.SOURCE_OUTPUT, "test/Customers_BatonSpans.java")
            .orElseThrow().getCharContent(true).toString();
    assertThat(generated).as("hashed only for a recording span").contains("if (span.isRecording())");
  }

  @Test
  void everySupportedAttributeTypeBecomesTypedAttribute() throws Exception {
    Compilation compilation =
        compile(
            JavaFileObjects.forSourceLines(
                "test.Shop",
                "package test;",
                "import dev.baton.SpanAttribute;",
                "import dev.baton.SpanKind;",
                "import dev.baton.Traced;",
                "import java.util.List;",
                "public class Shop {",
                "  public enum Tier { GOLD, SILVER }",
                "  @Traced(value = \"buy\", kind = SpanKind.SERVER)",
                "  public void buy(@SpanAttribute(\"s\") String s, @SpanAttribute(\"c\") char c,",
                "      @SpanAttribute(\"b\") byte b, @SpanAttribute(\"sh\") short sh,",
                "      @SpanAttribute(\"i\") int i, @SpanAttribute(\"l\") long l,",
                "      @SpanAttribute(\"f\") float f, @SpanAttribute(\"d\") double d,",
                "      @SpanAttribute(\"z\") boolean z, @SpanAttribute(\"bi\") Integer bi,",
                "      @SpanAttribute(\"bc\") Character bc, @SpanAttribute(\"bf\") Float bf,",
                "      @SpanAttribute(\"tier\") Tier tier, @SpanAttribute(\"ints\") int[] ints,",
                "      @SpanAttribute(\"chars\") char[] chars, @SpanAttribute(\"tiers\") List<Tier> tiers,",
                "      @SpanAttribute(\"nums\") List<Short> nums, @SpanAttribute(\"flags\") Boolean[] flags,",
                "      @SpanAttribute(\"names\") String... names) {}",
                "}"));
    assertThat(compilation).succeeded();
    Class<?> spans = new CompiledClasses(compilation).loadClass("test.Shop_BatonSpans");
    Class<?> tier = spans.getClassLoader().loadClass("test.Shop$Tier");
    Object gold = tier.getEnumConstants()[0];
    Method buy = Arrays.stream(spans.getMethods()).filter(m -> m.getName().equals("buy")).findFirst().orElseThrow();
    ((Span)
            buy.invoke(
                null,
                "x", 'y', (byte) 1, (short) 2, 3, 4L, 1.5f, 2.5d, true, 7, 'q', 0.5f, gold,
                new int[] {1, 2}, new char[] {'a', 'b'}, Arrays.asList(gold, null),
                List.of((short) 9), new Boolean[] {true, null, false}, new String[] {"n1", "n2"}))
        .end();

    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertThat(span)
        .hasName("buy")
        .hasKind(SpanKind.SERVER)
        .hasAttribute(AttributeKey.stringKey("s"), "x")
        .hasAttribute(AttributeKey.stringKey("c"), "y")
        .hasAttribute(AttributeKey.longKey("b"), 1L)
        .hasAttribute(AttributeKey.longKey("sh"), 2L)
        .hasAttribute(AttributeKey.longKey("i"), 3L)
        .hasAttribute(AttributeKey.longKey("l"), 4L)
        .hasAttribute(AttributeKey.doubleKey("f"), 1.5d)
        .hasAttribute(AttributeKey.doubleKey("d"), 2.5d)
        .hasAttribute(AttributeKey.booleanKey("z"), true)
        .hasAttribute(AttributeKey.longKey("bi"), 7L)
        .hasAttribute(AttributeKey.stringKey("bc"), "q")
        .hasAttribute(AttributeKey.doubleKey("bf"), 0.5d)
        .hasAttribute(AttributeKey.stringKey("tier"), "GOLD")
        .hasAttribute(AttributeKey.longArrayKey("ints"), List.of(1L, 2L))
        .hasAttribute(AttributeKey.stringArrayKey("chars"), List.of("a", "b"))
        .hasAttribute(AttributeKey.stringArrayKey("tiers"), List.of("GOLD"))
        .hasAttribute(AttributeKey.longArrayKey("nums"), List.of(9L))
        .hasAttribute(AttributeKey.booleanArrayKey("flags"), List.of(true, false))
        .hasAttribute(AttributeKey.stringArrayKey("names"), List.of("n1", "n2"));
  }

  @Test
  void nullArgumentsRecordNoAttribute() throws Exception {
    Compilation compilation =
        compile(
            JavaFileObjects.forSourceLines(
                "test.Repo",
                "package test;",
                "import dev.baton.SpanAttribute;",
                "import dev.baton.Traced;",
                "import java.util.List;",
                "public class Repo {",
                "  @Traced public String find(@SpanAttribute String id, @SpanAttribute Long version,",
                "      @SpanAttribute List<String> tags) { return id; }",
                "}"));
    Class<?> spans = new CompiledClasses(compilation).loadClass("test.Repo_BatonSpans");
    Method find = spans.getMethod("find", String.class, Long.class, List.class);
    ((Span) find.invoke(null, null, null, null)).end();
    assertThat(exporter.getFinishedSpanItems().get(0)).hasName("Repo.find").hasTotalAttributeCount(0);
  }

  @Test
  void overloadsAndClashingNamesGetDistinctConstants() {
    Compilation compilation =
        compile(
            JavaFileObjects.forSourceLines(
                "test.Prices",
                "package test;",
                "import dev.baton.SpanAttribute;",
                "import dev.baton.Traced;",
                "class Prices {",
                "  @Traced int price(@SpanAttribute int span) { return span; }",
                "  @Traced int price(@SpanAttribute String proceed) { return 0; }",
                "}"));
    assertThat(compilation).succeeded();
    for (String expected :
        List.of(
            "PRICE = \"Prices.price\"",
            "PRICE_2 = \"Prices.price\"",
            "Span price(int span2)",
            "Span price2(String proceed2)")) {
      assertThat(compilation)
          .generatedSourceFile("test.Prices_BatonSpans")
          .contentsAsUtf8String()
          .contains(expected);
    }
  }

  /**
   * The handler output of each trigger, and a message parameter of each kind, against goldens in
   * {@code goldens/GeneratedCodeTest/handlers/<Class>/}. After a deliberate change to the
   * generated code: {@code ./mvnw -pl processor test -Dtest=GeneratedCodeTest
   * -Dbaton.updateGoldens=true}, then read the diff.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "RestApiHandler",
        "HttpApiHandler",
        "AlbHandler",
        "SqsBatchHandler",
        "SnsHandler",
        "ScheduledHandler",
        "StreamHandler",
        "SdkMessageConsumer"
      })
  void handlerGoldens(String type) throws IOException {
    Compilation compilation =
        compile(JavaFileObjects.forResource("sources/com/acme/handlers/" + type + ".java"));
    assertThat(compilation).succeeded();
    for (String suffix : List.of("_BatonSpans.java", "_BatonAspect.aj", "_BatonAspect.properties")) {
      String file = type + suffix;
      String generated =
          compilation
              .generatedFile(StandardLocation.SOURCE_OUTPUT, "com/acme/handlers/" + file)
              .orElseThrow(() -> new AssertionError(file + " was not generated"))
              .getCharContent(true)
              .toString();
      String golden = "handlers/" + type + "/" + file;
      if (Boolean.getBoolean("baton.updateGoldens")) {
        Path path = Path.of("src/test/resources/goldens/GeneratedCodeTest").resolve(golden);
        Files.createDirectories(path.getParent());
        Files.writeString(path, generated);
        continue;
      }
      assertThat(generated).as(file).isEqualTo(golden(golden));
    }
  }

  /** Without log correlation (slf4j-api happens to be on this module's test classpath). */
  private static Compilation compile(JavaFileObject... sources) {
    return Compiler.javac()
        .withProcessors(new BatonProcessor())
        .withOptions("-Abaton.logs=none")
        .compile(sources);
  }

  private static String golden(String path) throws IOException {
    String resource = "goldens/GeneratedCodeTest/" + path;
    try (InputStream in = GeneratedCodeTest.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new AssertionError("missing golden " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
