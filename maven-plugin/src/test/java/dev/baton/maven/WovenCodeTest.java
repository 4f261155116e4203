package dev.baton.maven;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.runtime.Baton;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weaves the fixture, then runs the woven classes and checks the spans they create. */
class WovenCodeTest {

  @TempDir static Path project;
  static Fixture fixture;

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private OpenTelemetrySdk openTelemetry;
  private Fixture.WovenClassLoader loader;

  @BeforeAll
  static void weave() throws Exception {
    fixture = Fixture.compiled(project);
    new Weaver(new RecordingLog()).weave(fixture.request());
  }

  @BeforeEach
  void useInMemoryExporter() {
    openTelemetry =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .build();
    Baton.useOpenTelemetry(openTelemetry);
    loader = fixture.classLoader();
  }

  @AfterEach
  void close() throws IOException {
    loader.close();
    openTelemetry.close();
  }

  @Test
  void methodCreatesSpanWithNameKindAndAttributes() throws Throwable {
    Object orders = newInstance("com.acme.OrderService");

    assertThat(invoke(orders, "price", 3, "sku-1")).isEqualTo(6);

    assertThat(single())
        .hasName("OrderService.price")
        .hasKind(SpanKind.INTERNAL)
        .hasAttributesSatisfyingExactly(
            equalTo(AttributeKey.longKey("order.quantity"), 3L),
            equalTo(AttributeKey.stringKey("sku"), "sku-1"))
        .hasEnded();
  }

  @Test
  void methodsWithTwoSlotParametersTheAdviceDoesNotBindAreWovenIntoValidCode() throws Throwable {
    Object orders = newInstance("com.acme.OrderService");

    assertThat(invoke(orders, "reserve", 10L, 1.5d, 3)).isEqualTo(7L);
    invoke(orders, "release", 5L);

    assertThat(spans.getFinishedSpanItems())
        .extracting(SpanData::getName)
        .containsExactly("OrderService.reserve", "OrderService.release");
  }

  @Test
  void spanIsChildOfCurrentContextAndParentOfNestedTracedCalls() throws Throwable {
    Object courier = newInstance("com.acme.Shipping$Courier");
    Span test = openTelemetry.getTracer("test").spanBuilder("test").startSpan();
    try (Scope ignored = test.makeCurrent()) {
      assertThat(invoke(courier, "quote", 2)).isEqualTo("EUR 4");
    } finally {
      test.end();
    }

    List<SpanData> finished = spans.getFinishedSpanItems();
    SpanData price = byName(finished, "OrderService.price");
    SpanData quote = byName(finished, "Courier.quote");
    SpanData root = byName(finished, "test");
    assertThat(quote).hasParent(root);
    assertThat(price).hasParent(quote);
  }

  @Test
  void failureIsRecordedAndTheSameExceptionRethrown() throws Throwable {
    Object orders = newInstance("com.acme.OrderService");

    Throwable thrown = catchThrowable(() -> invoke(orders, "price", -1, "sku-1"));

    assertThat(thrown).isInstanceOf(IOException.class).hasMessage("negative");
    assertThat(single())
        .hasName("OrderService.price")
        .hasStatusSatisfying(status -> status.hasCode(StatusCode.ERROR))
        .hasException(thrown)
        .hasAttribute(AttributeKey.stringKey("error.type"), "java.io.IOException");
  }

  @Test
  void asynchronousResultEndsSpanWhenItCompletes() throws Throwable {
    Object courier = newInstance("com.acme.Shipping$Courier");
    CompletableFuture<String> delivered = new CompletableFuture<>();

    Object returned = invoke(courier, "ship", "parcel-7", delivered);

    assertThat(returned).isSameAs(delivered);
    assertThat(spans.getFinishedSpanItems()).isEmpty();
    delivered.complete("signed");
    assertThat(single())
        .hasName("courier.ship")
        .hasAttributesSatisfyingExactly(equalTo(AttributeKey.stringKey("parcel.id"), "parcel-7"));
  }

  @Test
  void staticAndPrivateMethodsAreWoven() throws Throwable {
    Class<?> orders = loader.loadClass("com.acme.OrderService");
    Method load = orders.getDeclaredMethod("load", String.class);
    load.setAccessible(true);
    Method audit = orders.getDeclaredMethod("audit", List.class);
    audit.setAccessible(true);

    assertThat(((CompletableFuture<?>) load.invoke(null, "order-1")).get()).isEqualTo("order-1");
    audit.invoke(orders.getConstructor().newInstance(), List.of("a", "b"));

    List<SpanData> finished = spans.getFinishedSpanItems();
    assertThat(byName(finished, "load order")).hasKind(SpanKind.CLIENT);
    assertThat(byName(finished, "OrderService.audit"))
        .hasAttributesSatisfyingExactly(
            equalTo(AttributeKey.stringArrayKey("tags"), List.of("a", "b")));
  }

  @Test
  void wovenCodeLoadsNeitherAspectJNorItsAspects() throws Throwable {
    Object orders = newInstance("com.acme.OrderService");
    Object courier = newInstance("com.acme.Shipping$Courier");

    // Not through getDeclaredMethods(), which would load every parameter type, aspects included.
    MethodType price = MethodType.methodType(int.class, int.class, String.class);
    handle(orders, "price", price).invoke(orders, 3, "sku-1");
    handle(courier, "quote", MethodType.methodType(String.class, int.class)).invoke(courier, 2);
    catchThrowable(() -> handle(orders, "price", price).invoke(orders, -1, "sku-1"));

    assertThat(spans.getFinishedSpanItems()).hasSize(4);
    assertThat(loader.hasLoaded("com.acme.OrderService")).isTrue();
    assertThat(loader.hasLoaded("com.acme.OrderService_BatonAspect")).isFalse();
    assertThat(loader.hasLoaded("com.acme.Shipping_Courier_BatonAspect")).isFalse();
    assertThatThrownBy(() -> loader.loadClass("org.aspectj.lang.NoAspectBoundException"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  private SpanData single() {
    assertThat(spans.getFinishedSpanItems()).hasSize(1);
    return spans.getFinishedSpanItems().get(0);
  }

  private static SpanData byName(List<SpanData> finished, String name) {
    return finished.stream()
        .filter(span -> span.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name + " in " + finished));
  }

  private Object newInstance(String className) throws ReflectiveOperationException {
    var constructor = loader.loadClass(className).getDeclaredConstructor();
    constructor.setAccessible(true);
    return constructor.newInstance();
  }

  private static MethodHandle handle(Object target, String name, MethodType type)
      throws ReflectiveOperationException {
    return MethodHandles.privateLookupIn(target.getClass(), MethodHandles.lookup())
        .findVirtual(target.getClass(), name, type);
  }

  /** Calls the one method named {@code name}, unwrapping what it threw. */
  private static Object invoke(Object target, String name, Object... arguments) throws Throwable {
    for (Method method : target.getClass().getDeclaredMethods()) {
      if (method.getName().equals(name)) {
        method.setAccessible(true);
        try {
          return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      }
    }
    throw new AssertionError("no method " + name);
  }
}
