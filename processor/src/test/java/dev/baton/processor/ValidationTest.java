package dev.baton.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Every misuse is a compile error on the exact element, with the fix. */
class ValidationTest {

  private static Compilation compile(JavaFileObject... sources) {
    return Compiler.javac().withProcessors(new BatonProcessor()).compile(sources);
  }

  private static JavaFileObject source(String name, String... lines) {
    return JavaFileObjects.forSourceLines(name, lines);
  }

  @Test
  void abstractMethod() {
    JavaFileObject source =
        source(
            "test.Pricing",
            "package test;",
            "import dev.baton.Traced;",
            "abstract class Pricing {",
            "  @Traced abstract int price(int items);",
            "}");
    Compilation compilation = compile(source);
    assertThat(compilation).failed();
    assertThat(compilation)
        .hadErrorContaining(String.format(ErrorMessages.ABSTRACT_METHOD, "price(int)"))
        .inFile(source)
        .onLineContaining("abstract int price");
  }

  @Test
  void interfaceMethodWithoutBody() {
    JavaFileObject source =
        source(
            "test.Api",
            "package test;",
            "import dev.baton.Traced;",
            "interface Api {",
            "  @Traced String ping();",
            "  @Traced default String pong() { return \"pong\"; }",
            "}");
    Compilation compilation = compile(source);
    assertThat(compilation)
        .hadErrorContaining(String.format(ErrorMessages.ABSTRACT_METHOD, "ping()"))
        .inFile(source)
        .onLineContaining("String ping()");
    assertThat(compilation).hadErrorCount(1);
  }

  @Test
  void nativeMethod() {
    JavaFileObject source =
        source(
            "test.Native",
            "package test;",
            "import dev.baton.Traced;",
            "class Native {",
            "  @Traced native long checksum(byte[] data);",
            "}");
    assertThat(compile(source))
        .hadErrorContaining(String.format(ErrorMessages.NATIVE_METHOD, "checksum(byte[])"))
        .inFile(source)
        .onLineContaining("native long checksum");
  }

  @Test
  void anonymousAndLocalClasses() {
    JavaFileObject source =
        source(
            "test.Jobs",
            "package test;",
            "import dev.baton.Traced;",
            "class Jobs {",
            "  Runnable job = new Runnable() {",
            "    @Traced public void run() {}",
            "  };",
            "  void schedule() {",
            "    class Retry {",
            "      @Traced void again() {}",
            "    }",
            "  }",
            "}");
    Compilation compilation = compile(source);
    assertThat(compilation)
        .hadErrorContaining(
            String.format(ErrorMessages.UNNAMED_CLASS, "run()", "an anonymous class"))
        .inFile(source)
        .onLineContaining("public void run()");
    assertThat(compilation)
        .hadErrorContaining(
            String.format(ErrorMessages.UNNAMED_CLASS, "again()", "local class 'Retry'"))
        .inFile(source)
        .onLineContaining("void again()");
  }

  @Test
  void hashOnlyAppliesToStrings() {
    JavaFileObject source =
        source(
            "test.Orders",
            "package test;",
            "import dev.baton.SpanAttribute;",
            "import dev.baton.Traced;",
            "class Orders {",
            "  @Traced",
            "  void place(@SpanAttribute(value = \"customer.email\", hash = true) String email,",
            "      @SpanAttribute(value = \"order.lines\", hash = true) int lines) {}",
            "}");
    assertThat(compile(source))
        .hadErrorContaining(
            String.format(ErrorMessages.HASH_NOT_A_STRING, "int", "lines", "place(String, int)"))
        .inFile(source)
        .onLineContaining("order.lines");
    assertThat(compile(source)).hadErrorCount(1);
  }

  @Test
  void blankSpanName() {
    JavaFileObject source =
        source(
            "test.Orders",
            "package test;",
            "import dev.baton.Traced;",
            "class Orders {",
            "  @Traced(\"  \")",
            "  void place() {}",
            "}");
    assertThat(compile(source))
        .hadErrorContaining(
            String.format(ErrorMessages.BLANK_SPAN_NAME, "place()", "Orders.place"))
        .inFile(source)
        .onLineContaining("@Traced(\"  \")");
  }

  @Test
  void spanAttributeWithoutTraced() {
    JavaFileObject source =
        source(
            "test.Orders",
            "package test;",
            "import dev.baton.SpanAttribute;",
            "class Orders {",
            "  void place(@SpanAttribute String orderId) {}",
            "}");
    assertThat(compile(source))
        .hadErrorContaining(
            String.format(
                ErrorMessages.SPAN_ATTRIBUTE_WITHOUT_TRACED, "orderId", "place(String)"))
        .inFile(source)
        .onLineContaining("void place");
  }

  @Test
  void spanAttributeOnConstructor() {
    JavaFileObject source =
        source(
            "test.Orders",
            "package test;",
            "import dev.baton.SpanAttribute;",
            "class Orders {",
            "  Orders(@SpanAttribute String region) {}",
            "}");
    assertThat(compile(source))
        .hadErrorContaining(
            String.format(ErrorMessages.SPAN_ATTRIBUTE_ON_CONSTRUCTOR, "region", "Orders(String)"))
        .inFile(source)
        .onLineContaining("Orders(@SpanAttribute");
  }

  @Test
  void unsupportedAttributeTypesListTheSupportedOnes() {
    JavaFileObject source =
        source(
            "test.Orders",
            "package test;",
            "import dev.baton.SpanAttribute;",
            "import dev.baton.Traced;",
            "import java.util.List;",
            "import java.util.Map;",
            "class Orders {",
            "  record Order(String id) {}",
            "  @Traced void place(",
            "      @SpanAttribute Order order,",
            "      @SpanAttribute Map<String, Long> totals,",
            "      @SpanAttribute List rawItems,",
            "      @SpanAttribute List<Object> objects,",
            "      @SpanAttribute int[][] grid) {}",
            "}");
    Compilation compilation = compile(source);
    String method = "place(Order, Map, List, List, int[][])";
    assertThat(compilation)
        .hadErrorContaining(
            String.format(
                ErrorMessages.UNSUPPORTED_ATTRIBUTE_TYPE, "test.Orders.Order", "order", method))
        .inFile(source)
        .onLineContaining("Order order");
    assertThat(compilation)
        .hadErrorContaining(
            String.format(
                ErrorMessages.UNSUPPORTED_ATTRIBUTE_TYPE,
                "java.util.Map<java.lang.String, java.lang.Long>",
                "totals",
                method))
        .inFile(source)
        .onLineContaining("totals");
    assertThat(compilation)
        .hadErrorContaining(
            String.format(
                ErrorMessages.UNSUPPORTED_ATTRIBUTE_TYPE, "java.util.List", "rawItems", method))
        .inFile(source)
        .onLineContaining("rawItems");
    assertThat(compilation)
        .hadErrorContaining("'objects'")
        .inFile(source)
        .onLineContaining("objects");
    assertThat(compilation).hadErrorContaining("'grid'").inFile(source).onLineContaining("grid");
    assertThat(compilation).hadErrorContaining("supported are String, the primitives");
    assertThat(compilation).hadErrorCount(5);
  }

  @Test
  void duplicateAndBlankAttributeKeys() {
    JavaFileObject source =
        source(
            "test.Orders",
            "package test;",
            "import dev.baton.SpanAttribute;",
            "import dev.baton.Traced;",
            "class Orders {",
            "  @Traced void place(",
            "      @SpanAttribute(\"order.id\") String id,",
            "      @SpanAttribute(\"order.id\") String legacyId,",
            "      @SpanAttribute(\" \") String region) {}",
            "}");
    Compilation compilation = compile(source);
    assertThat(compilation)
        .hadErrorContaining(
            String.format(
                ErrorMessages.DUPLICATE_ATTRIBUTE_KEY,
                "order.id",
                "place(String, String, String)",
                "id",
                "legacyId"))
        .inFile(source)
        .onLineContaining("legacyId");
    assertThat(compilation)
        .hadErrorContaining(
            String.format(
                ErrorMessages.BLANK_ATTRIBUTE_KEY,
                "region",
                "place(String, String, String)",
                "region"))
        .inFile(source)
        .onLineContaining("region");
  }

  @Test
  void defaultKeyClashesWithExplicitKey() {
    JavaFileObject source =
        source(
            "test.Orders",
            "package test;",
            "import dev.baton.SpanAttribute;",
            "import dev.baton.Traced;",
            "class Orders {",
            "  @Traced void place(@SpanAttribute String sku, @SpanAttribute(\"sku\") String code) {}",
            "}");
    assertThat(compile(source))
        .hadErrorContaining(
            String.format(
                ErrorMessages.DUPLICATE_ATTRIBUTE_KEY, "sku", "place(String, String)", "sku", "code"));
  }

  @Test
  void everyErrorInACompilationIsReported() {
    JavaFileObject pricing =
        source(
            "test.Pricing",
            "package test;",
            "import dev.baton.Traced;",
            "abstract class Pricing {",
            "  @Traced abstract int price(int items);",
            "  @Traced(\"\\t\") void discount() {}",
            "}");
    JavaFileObject orders =
        source(
            "test.Orders",
            "package test;",
            "import dev.baton.SpanAttribute;",
            "import dev.baton.Traced;",
            "class Orders {",
            "  @Traced void place(@SpanAttribute Object order) {}",
            "  void cancel(@SpanAttribute String id) {}",
            "}");
    Compilation compilation = compile(pricing, orders);
    assertThat(compilation).hadErrorCount(4);
    assertThat(compilation).hadErrorContaining("[BatonAbstractMethod]").inFile(pricing);
    assertThat(compilation).hadErrorContaining("[BatonBlankSpanName]").inFile(pricing);
    assertThat(compilation).hadErrorContaining("[BatonUnsupportedAttributeType]").inFile(orders);
    assertThat(compilation)
        .hadErrorContaining("[BatonSpanAttributeWithoutTraced]")
        .inFile(orders);
  }

  @Test
  void spanAttributeOnAHandlerParameter() {
    JavaFileObject source =
        source(
            "test.Functions",
            "package test;",
            "import com.amazonaws.services.lambda.runtime.Context;",
            "import com.amazonaws.services.lambda.runtime.RequestHandler;",
            "import dev.baton.SpanAttribute;",
            "import dev.baton.TracedHandler;",
            "class Functions {",
            "  @TracedHandler public void run(@SpanAttribute String tenant, Context context) {}",
            "  @TracedHandler static class Typed implements RequestHandler<String, String> {",
            "    @Override public String handleRequest(@SpanAttribute String input, Context c) {",
            "      return input;",
            "    }",
            "  }",
            "}");
    Compilation compilation = compile(source);
    assertThat(compilation)
        .hadErrorContaining(
            String.format(ErrorMessages.SPAN_ATTRIBUTE_ON_HANDLER, "tenant", "run(String, Context)"))
        .inFile(source)
        .onLineContaining("String tenant");
    assertThat(compilation)
        .hadErrorContaining(
            String.format(
                ErrorMessages.SPAN_ATTRIBUTE_ON_HANDLER, "input", "handleRequest(String, Context)"))
        .inFile(source)
        .onLineContaining("String input");
    assertThat(compilation).hadErrorCount(2);
  }

  @Test
  void explicitKindOnAMessageSpan() {
    JavaFileObject source =
        source(
            "test.Consumer",
            "package test;",
            "import com.amazonaws.services.lambda.runtime.events.SQSEvent;",
            "import dev.baton.SpanKind;",
            "import dev.baton.Traced;",
            "class Consumer {",
            "  @Traced(kind = SpanKind.SERVER) void process(SQSEvent.SQSMessage message) {}",
            "  @Traced(kind = SpanKind.CONSUMER) void consume(SQSEvent.SQSMessage message) {}",
            "}");
    Compilation compilation = compile(source);
    assertThat(compilation)
        .hadErrorContaining(
            String.format(
                ErrorMessages.MESSAGE_SPAN_KIND, "process(SQSMessage)", "SERVER", "message"))
        .inFile(source)
        .onLineContaining("void process");
    assertThat(compilation).hadErrorCount(1);
  }

  @Test
  void nativeHandlerMethod() {
    JavaFileObject source =
        source(
            "test.Native",
            "package test;",
            "import com.amazonaws.services.lambda.runtime.Context;",
            "import dev.baton.TracedHandler;",
            "class Native {",
            "  @TracedHandler native void run(String event, Context context);",
            "}");
    Compilation compilation = compile(source);
    assertThat(compilation)
        .hadErrorContaining(String.format(ErrorMessages.NATIVE_HANDLER, "run(String, Context)"))
        .inFile(source)
        .onLineContaining("native void run");
    assertThat(compilation).hadErrorCount(1);
  }

  @Test
  void validCodeCompilesWithoutWarnings() {
    JavaFileObject source =
        source(
            "test.Orders",
            "package test;",
            "import dev.baton.SpanAttribute;",
            "import dev.baton.SpanKind;",
            "import dev.baton.Traced;",
            "import java.util.List;",
            "import java.util.concurrent.CompletionStage;",
            "class Orders {",
            "  enum Tier { GOLD, SILVER }",
            "  @Traced(kind = SpanKind.SERVER) static int place(",
            "      @SpanAttribute String id, @SpanAttribute long count, @SpanAttribute Integer boxed,",
            "      @SpanAttribute Tier tier, @SpanAttribute List<Tier> tiers, @SpanAttribute char c,",
            "      @SpanAttribute double[] weights, @SpanAttribute List<? extends Integer> numbers,",
            "      @SpanAttribute Boolean[] flags, @SpanAttribute String... tags) { return 1; }",
            "  @Traced CompletionStage<String> async() { return null; }",
            "  @Traced <T extends Comparable<T>> T generic(T value) { return value; }",
            "  @Traced private void secret(Tier tier) {}",
            "}");
    Compilation compilation =
        Compiler.javac()
            .withProcessors(new BatonProcessor())
            .withOptions("-Xlint:all", "-Xlint:-processing")
            .compile(source);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation).generatedSourceFile("test.Orders_BatonSpans");
  }
}
