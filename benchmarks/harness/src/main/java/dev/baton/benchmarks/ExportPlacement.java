package dev.baton.benchmarks;

import dev.baton.testing.LocalLambdaRuntime;
import dev.baton.testing.OtlpReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * What the caller waits for, and what Lambda bills, per warm invocation, when the collector takes
 * its time (issue 16): untraced, hand-written OpenTelemetry (its batch processor flushed before the
 * response), Baton exporting before the response ({@code BATON_EXPORT=before-response}) and Baton
 * as it comes (after the response, on its internal extension's thread). Each runs as one function
 * JVM through the real runtime client on the fixtures' {@link LocalLambdaRuntime}, which implements
 * Lambda's Runtime and Extensions APIs: the response goes back to the caller as soon as the runtime
 * posts it, the invoke phase ends (and the JVM is frozen, {@code SIGSTOP}) only once the runtime and
 * every extension have asked for their next event. Per collector delay in {@link #DELAYS_MILLIS},
 * each traced variant exports to an OTLP receiver of its own that answers every export after that
 * delay (a stand-in for a collector that far away: {@link OtlpReceiver#slow}).
 *
 * <p>Caller: from handing the runtime its event to receiving its response ({@link
 * LocalLambdaRuntime.Result#runtimeDuration()}). Billed: from handing the event to the end of the
 * invoke phase, what Lambda's billed duration counts (the caller's part plus {@link
 * LocalLambdaRuntime.Result#extensionsDoneAfterResponse()}). Rounds invoke every variant once, in
 * an order rotated from round to round, after a pause of {@value #PAUSE_MILLIS} ms; what a variant
 * adds over untraced is the median of the paired differences within a round.
 */
final class ExportPlacement {

  static final List<Variant> VARIANTS =
      List.of(Variant.UNTRACED, Variant.HANDWRITTEN, Variant.BATON_BEFORE_RESPONSE, Variant.BATON);
  static final List<Integer> DELAYS_MILLIS = List.of(1, 50);
  static final long PAUSE_MILLIS = 10;

  /**
   * What one variant measured with one collector delay: the caller's wait and the billed duration,
   * each with its added median over untraced (paired by round), and the spans per invocation that
   * reached its receiver.
   */
  record Result(Series caller, Series billed, double spansPerInvocation) {}

  /** A series of milliseconds: its statistics, p90, and the median of the paired differences to untraced. */
  record Series(Stats millis, double p90, double addedMillis, List<Double> values) {}

  private ExportPlacement() {}

  /** Per collector delay, every variant's result. */
  static Map<Integer, Map<Variant, Result>> run(
      LocalPeers peers, Layout layout, JdkUnderTest jdk, int warmUp, int rounds) throws Exception {
    Map<Integer, Map<Variant, Result>> results = new LinkedHashMap<>();
    for (int delay : DELAYS_MILLIS) {
      results.put(delay, runWithDelay(peers, layout, jdk, delay, warmUp, rounds));
    }
    return results;
  }

  private static Map<Variant, Result> runWithDelay(
      LocalPeers peers, Layout layout, JdkUnderTest jdk, int delayMillis, int warmUp, int rounds) throws Exception {
    Map<Variant, List<Double>> caller = new LinkedHashMap<>();
    Map<Variant, List<Double>> billed = new LinkedHashMap<>();
    Map<Variant, OtlpReceiver> receivers = new LinkedHashMap<>();
    Map<Variant, LocalLambdaRuntime> functions = new LinkedHashMap<>();
    try {
      for (Variant variant : VARIANTS) {
        caller.put(variant, new ArrayList<>());
        billed.put(variant, new ArrayList<>());
        OtlpReceiver receiver = OtlpReceiver.slow(Duration.ofMillis(delayMillis));
        receivers.put(variant, receiver);
        functions.put(variant, start(peers, layout, jdk, variant, receiver));
      }
      for (int round = 0; round < warmUp + rounds; round++) {
        for (int i = 0; i < VARIANTS.size(); i++) {
          Variant variant = VARIANTS.get((round + i) % VARIANTS.size());
          Thread.sleep(PAUSE_MILLIS);
          double[] timing = invoke(functions.get(variant), layout, variant);
          if (round >= warmUp) {
            caller.get(variant).add(timing[0]);
            billed.get(variant).add(timing[1]);
          }
        }
      }
      Map<Variant, Result> results = new LinkedHashMap<>();
      for (Variant variant : VARIANTS) {
        double spans = variant.traced()
            ? awaitSpans(receivers.get(variant), 5L * (warmUp + rounds)) / (double) (warmUp + rounds)
            : 0;
        Result result = new Result(
            series(caller.get(variant), caller.get(Variant.UNTRACED)),
            series(billed.get(variant), billed.get(Variant.UNTRACED)),
            spans);
        results.put(variant, result);
        System.out.printf(Locale.ROOT,
            "[export placement] JDK %s collector %2d ms %-22s caller median %7.3f ms (added %+7.3f)  billed median %7.3f ms (added %+7.3f)  spans/invocation %.1f%n",
            jdk.name(), delayMillis, variant.key, result.caller().millis().median(), result.caller().addedMillis(),
            result.billed().millis().median(), result.billed().addedMillis(), spans);
      }
      return results;
    } finally {
      functions.values().forEach(LocalLambdaRuntime::close);
      receivers.values().forEach(OtlpReceiver::close);
    }
  }

  private static LocalLambdaRuntime start(
      LocalPeers peers, Layout layout, JdkUnderTest jdk, Variant variant, OtlpReceiver receiver) throws Exception {
    LocalLambdaRuntime.Builder builder = LocalLambdaRuntime.builder(Variant.HANDLER)
        .javaHome(jdk.home())
        .classpath(variant.classpath(layout))
        .functionName("place-order")
        .region("eu-west-1")
        .freezeBetweenInvocations(true)
        .jvmArgument("-XX:MaxHeapSize=445645k");
    variant.jvmArguments(layout).forEach(builder::jvmArgument);
    peers.sqsEnvironment().forEach(builder::environment);
    variant.environment(receiver.endpoint(), peers.daemon.address()).forEach(builder::environment);
    return builder.start();
  }

  /** One invocation, in a trace of its own: {caller ms, billed ms}. */
  private static double[] invoke(LocalLambdaRuntime function, Layout layout, Variant variant) throws Exception {
    String traceId = UUID.randomUUID().toString().replace("-", "");
    String event = ColdStart.event(layout, traceId, UUID.randomUUID().toString());
    LocalLambdaRuntime.Result result = function.invoke(LocalLambdaRuntime.invocation(event));
    if (result.error() || !result.body().contains("\"statusCode\":201")) {
      throw new IllegalStateException(variant.key + " (export placement) answered " + result.body());
    }
    function.awaitExtensionsDone(result, Duration.ofSeconds(30));
    double callerMillis = result.runtimeDuration().toNanos() / 1e6;
    double afterResponse = result.extensionsDoneAfterResponse().orElseThrow().toNanos() / 1e6;
    return new double[] {callerMillis, callerMillis + afterResponse};
  }

  private static Series series(List<Double> own, List<Double> untraced) {
    List<Double> added = new ArrayList<>();
    for (int round = 0; round < own.size(); round++) {
      added.add(own.get(round) - untraced.get(round));
    }
    return new Series(Stats.of(own), Stats.percentile(own, 90), Stats.of(added).median(), List.copyOf(own));
  }

  /** Waits (up to 10 s) until {@code receiver} has {@code expected} spans; returns how many it has. */
  private static int awaitSpans(OtlpReceiver receiver, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (receiver.spans().size() < expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return receiver.spans().size();
  }
}
