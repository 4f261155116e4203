package dev.baton.benchmarks.jmh;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A whole warm invocation of each function variant, in-process: the handler's {@code
 * handleRequest} with the event the cold-start runs send, including the SQS send to ElasticMQ and,
 * for the traced variants, the spans and the flush to the OTLP receiver at the end of the
 * invocation. Each variant is loaded from its own deployment package (its module's classes and
 * jars) in a class loader of its own. The harness starts ElasticMQ and the receiver and passes
 * their addresses in the environment, as for the cold starts ({@code ORDERS_SQS_ENDPOINT},
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT}, ...).
 *
 * <p>{@code baton_dropped_record_only} and {@code baton_dropped_plain} are the {@code baton}
 * package under a head sampler that drops every invocation ({@code otel.traces.sampler=traceidratio},
 * {@code otel.traces.sampler.arg=0}, set before the handler's first invocation sets Baton up): by
 * default its spans are recorded and let go at the end of each (successful) invocation; with {@code
 * baton.always.sample.errors=false} ({@code _plain}) the drop is final.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WarmInvocationBenchmark {

  @Param({"untraced", "handwritten", "baton", "baton_dropped_record_only", "baton_dropped_plain"})
  public String variant;

  private URLClassLoader loader;
  private Object handler;
  private Method handleRequest;
  private Object event;
  private Object context;

  @Setup
  public void setUp() throws Exception {
    Path benchmarks = Path.of(System.getProperty("baton.benchmarks.dir"));
    String module = "function-" + variant;
    if (variant.startsWith("baton_dropped_")) {
      module = "function-baton";
      System.setProperty("otel.traces.sampler", "traceidratio");
      System.setProperty("otel.traces.sampler.arg", "0");
      System.setProperty("baton.always.sample.errors", Boolean.toString(variant.equals("baton_dropped_record_only")));
    }
    List<URL> urls = new ArrayList<>();
    urls.add(benchmarks.resolve(module).resolve("target/classes").toUri().toURL());
    for (String jar : (read(benchmarks.resolve(module).resolve("target/function.classpath")) + File.pathSeparator
        + read(benchmarks.resolve("harness/target/runtime-client.classpath"))).split(File.pathSeparator)) {
      urls.add(Path.of(jar).toUri().toURL());
    }
    loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    Thread.currentThread().setContextClassLoader(loader);
    Class<?> eventType = loader.loadClass("com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent");
    Class<?> contextType = loader.loadClass("com.amazonaws.services.lambda.runtime.Context");
    Object serializer =
        loader.loadClass("com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers")
            .getMethod("serializerFor", Class.class, ClassLoader.class)
            .invoke(null, eventType, loader);
    event =
        loader.loadClass("com.amazonaws.services.lambda.runtime.serialization.PojoSerializer")
            .getMethod("fromJson", String.class)
            .invoke(serializer, event(benchmarks));
    context = Proxy.newProxyInstance(loader, new Class<?>[] {contextType}, (proxy, method, args) -> switch (method.getName()) {
      case "getAwsRequestId" -> "c6af9ac6-7b61-11e6-9a41-93e8deadbeef";
      case "getInvokedFunctionArn" -> "arn:aws:lambda:eu-west-1:123456789012:function:place-order";
      case "getFunctionName" -> "place-order";
      case "getFunctionVersion" -> "$LATEST";
      case "getRemainingTimeInMillis" -> 60_000;
      case "getMemoryLimitInMB" -> 512;
      case "hashCode" -> System.identityHashCode(proxy);
      case "equals" -> proxy == args[0];
      case "toString" -> "WarmInvocationBenchmark.Context";
      default -> null;
    });
    handler = loader.loadClass("bench.orders.PlaceOrder").getConstructor().newInstance();
    handleRequest = handler.getClass().getMethod("handleRequest", eventType, contextType);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    loader.close();
  }

  @Benchmark
  public Object invocation() throws Exception {
    return handleRequest.invoke(handler, event, context);
  }

  /** The event the cold starts send too ({@code function/place-order.json}), with fixed ids. */
  private static String event(Path benchmarks) throws IOException {
    return read(benchmarks.resolve("function/place-order.json"))
        .replace("TRACE_ID", "4bf92f3577b34da6a3ce929d0e0e4736")
        .replace("REQUEST_ID", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file).trim();
  }
}
