package dev.baton.benchmarks;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the invoking thread's time goes: the CPU time the handler's thread spends per warm
 * invocation (the thread's own CPU clock: no ElasticMQ, no waiting, no other thread), untraced
 * and Baton side by side in one function-like JVM (Lambda's JVM settings, no Runtime API, so
 * Baton exports before the response on the invoking thread). The two are invoked alternately in
 * blocks, and their CPU time compared per invocation. For a quick look at Baton's own cost on the
 * caller's path, without the noise of the peers; not part of {@code run.sh}.
 *
 * <pre>
 * java [-Dbaton.probe.env=NAME=value,...] [-Dbaton.probe.baseline.aspects=other-baton-aspects.jar] dev.baton.benchmarks.CpuProbe [otlp|xray|none] [--blocks 40] [--per-block 250] [--cold MB] [jvm arguments of the probe JVM...]
 * </pre>
 */
public final class CpuProbe {

  private CpuProbe() {}

  public static void main(String[] args) throws Exception {
    System.setProperty(WarmLatency.NODELAY_PROPERTY, "true");
    Variant variant = args.length > 0 && args[0].equals("otlp") ? Variant.BATON_BEFORE_RESPONSE : Variant.BATON_XRAY;
    List<String> rest = new ArrayList<>(args.length > 1 ? List.of(args).subList(1, args.length) : List.of());
    List<String> childArguments = new ArrayList<>();
    List<String> jvmExtra = new ArrayList<>();
    for (int i = 0; i < rest.size(); i++) {
      if (rest.get(i).startsWith("--")) {
        childArguments.add(rest.get(i));
        childArguments.add(rest.get(++i));
      } else {
        jvmExtra.add(rest.get(i));
      }
    }
    Layout layout = Layout.fromSystemProperty();
    try (LocalPeers peers = new LocalPeers()) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(ColdStart.LAMBDA_JVM_ARGUMENTS);
      command.addAll(jvmExtra);
      command.add("-Dbaton.benchmarks.dir=" + layout.benchmarks());
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(Child.class.getName());
      command.addAll(childArguments);
      ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
      builder.environment().putAll(peers.sqsEnvironment());
      builder.environment().putAll(peers.exportEnvironment(variant));
      builder.environment().put("AWS_LAMBDA_FUNCTION_NAME", "place-order");
      builder.environment().remove("AWS_LAMBDA_RUNTIME_API");
      LocalPeers.putSettings(builder.environment(), System.getProperty("baton.probe.env", ""));
      if (args.length > 0 && args[0].equals("none")) {
        builder.environment().put("OTEL_TRACES_EXPORTER", "none");
      }
      int exit = builder.start().waitFor();
      System.out.println("[cpu probe] child exited " + exit + "; daemon/receiver spans: " + peers.spans(variant).size());
    }
  }

  /** The function-like JVM. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      int blocks = 40;
      int perBlock = 250;
      int coldBytes = 0;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--blocks" -> blocks = Integer.parseInt(args[++i]);
          case "--per-block" -> perBlock = Integer.parseInt(args[++i]);
          case "--cold" -> coldBytes = Integer.parseInt(args[++i]) * 1024 * 1024;
          default -> throw new IllegalArgumentException(args[i]);
        }
      }
      Layout layout = Layout.fromSystemProperty();
      // -Dbaton.probe.baseline.aspects=<a baton-aspects jar>: Baton against Baton built from
      // another commit instead of against untraced (an A/B of a runtime change, same JVM).
      String baselineAspects = System.getProperty("baton.probe.baseline.aspects");
      Loaded untraced = baselineAspects == null
          ? new Loaded(layout, "function-untraced", null)
          : new Loaded(layout, "function-baton", baselineAspects);
      Loaded baton = new Loaded(layout, "function-baton", null);
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      List<Double> differences = new ArrayList<>();
      List<Double> wallDifferences = new ArrayList<>();
      double untracedSum = 0;
      double batonSum = 0;
      int measured = 0;
      for (int block = 0; block < blocks * 2; block++) {
        long u = 0;
        long b = 0;
        long uWall = 0;
        long bWall = 0;
        for (Loaded loaded : block % 2 == 0 ? List.of(untraced, baton) : List.of(baton, untraced)) {
          long before = threads.getCurrentThreadCpuTime();
          long wallBefore = System.nanoTime();
          long spent = 0;
          long wall = 0;
          if (coldBytes == 0) {
            for (int i = 0; i < perBlock; i++) {
              loaded.invoke();
            }
            wall = System.nanoTime() - wallBefore;
            spent = threads.getCurrentThreadCpuTime() - before;
          } else {
            // As between a function's invocations: a pause, and the caches filled with other work.
            for (int i = 0; i < perBlock; i++) {
              Thread.sleep(2);
              sink += evict(coldBytes);
              long cpu = threads.getCurrentThreadCpuTime();
              long start = System.nanoTime();
              loaded.invoke();
              wall += System.nanoTime() - start;
              spent += threads.getCurrentThreadCpuTime() - cpu;
            }
          }
          if (loaded == untraced) {
            u = spent;
            uWall = wall;
          } else {
            b = spent;
            bWall = wall;
          }
        }
        if (block >= blocks) { // the first half warms up
          differences.add((b - u) / 1e3 / perBlock);
          wallDifferences.add((bWall - uWall) / 1e3 / perBlock);
          untracedSum += u / 1e3 / perBlock;
          batonSum += b / 1e3 / perBlock;
          measured++;
        }
      }
      double[] interval = Stats.medianConfidence95(differences);
      System.out.printf(Locale.ROOT,
          "[cpu probe] invoking thread's CPU per invocation: %s %.1f us, baton %.1f us; baton minus %1$s, median of %d blocks: %+.1f us (95%% CI %+.1f to %+.1f)%n",
          baselineAspects == null ? "untraced" : "baseline", untracedSum / measured, batonSum / measured, measured, Stats.of(differences).median(), interval[0], interval[1]);
      double[] wallInterval = Stats.medianConfidence95(wallDifferences);
      System.out.printf(Locale.ROOT,
          "[cpu probe] wall-clock per invocation in the handler's JVM (waiting on ElasticMQ included), baton minus untraced, median of %d blocks: %+.1f us (95%% CI %+.1f to %+.1f)%n",
          measured, Stats.of(wallDifferences).median(), wallInterval[0], wallInterval[1]);
    }
  }

  private static byte[] evictBuffer = new byte[0];
  static long sink;

  /** Writes {@code bytes} of memory, a cache line at a time: what the next invocation finds cold. */
  private static long evict(int bytes) {
    if (evictBuffer.length != bytes) {
      evictBuffer = new byte[bytes];
    }
    long sum = 0;
    for (int i = 0; i < bytes; i += 64) {
      evictBuffer[i]++;
      sum += evictBuffer[i];
    }
    return sum;
  }

  /** One function package in a class loader of its own, with its handler, event and context. */
  private static final class Loaded {
    private final Object handler;
    private final Method handleRequest;
    private final Object context;
    private final Object serializer;
    private final Path eventFile;
    private int invocation;
    private String requestId = "";

    Loaded(Layout layout, String module, String aspectsJar) throws Exception {
      List<URL> urls = new ArrayList<>();
      urls.add(layout.classes(module).toUri().toURL());
      String jars = Layout.withAspects(layout.functionClasspath(module), aspectsJar);
      for (String jar : (jars + File.pathSeparator + layout.runtimeClientClasspath()).split(File.pathSeparator)) {
        urls.add(Path.of(jar).toUri().toURL());
      }
      URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
      Class<?> eventType = loader.loadClass("com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent");
      Class<?> contextType = loader.loadClass("com.amazonaws.services.lambda.runtime.Context");
      serializer = loader.loadClass("com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers")
          .getMethod("serializerFor", Class.class, ClassLoader.class)
          .invoke(null, eventType, loader);
      eventFile = layout.event();
      fromJson = loader.loadClass("com.amazonaws.services.lambda.runtime.serialization.PojoSerializer")
          .getMethod("fromJson", String.class);
      context = Proxy.newProxyInstance(loader, new Class<?>[] {contextType}, (proxy, method, a) -> switch (method.getName()) {
        case "getAwsRequestId" -> requestId;
        case "getInvokedFunctionArn" -> "arn:aws:lambda:eu-west-1:123456789012:function:place-order";
        case "getFunctionName" -> "place-order";
        case "getFunctionVersion" -> "$LATEST";
        case "getRemainingTimeInMillis" -> 60_000;
        case "getMemoryLimitInMB" -> 512;
        case "hashCode" -> System.identityHashCode(proxy);
        case "equals" -> proxy == a[0];
        case "toString" -> "CpuProbe.Context";
        default -> null;
      });
      Thread.currentThread().setContextClassLoader(loader);
      handler = loader.loadClass(Variant.HANDLER).getConstructor().newInstance();
      handleRequest = handler.getClass().getMethod("handleRequest", eventType, contextType);
      template = Files.readString(eventFile);
    }

    private final String template;
    private final Method fromJson;

    void invoke() throws Exception {
      invocation++;
      requestId = "c6af9ac6-7b61-11e6-9a41-" + invocation;
      String traceId = String.format(Locale.ROOT, "%08x%024x", (int) (System.currentTimeMillis() / 1000), invocation);
      System.setProperty("com.amazonaws.xray.traceHeader",
          "Root=1-" + traceId.substring(0, 8) + "-" + traceId.substring(8) + ";Parent=00f067aa0ba902b7;Sampled=1");
      // Parsing the event is the runtime client's work, done for both alike: kept out of neither.
      Object event = fromJson.invoke(serializer,
          template.replace("TRACE_ID", traceId).replace("REQUEST_ID", "r-" + invocation));
      handleRequest.invoke(handler, event, context);
    }
  }
}
