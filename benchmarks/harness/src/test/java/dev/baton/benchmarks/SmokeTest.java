package dev.baton.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The benchmarks' smoke run in {@code ./mvnw -B verify}: every variant the full run measures
 * builds, starts through the runtime client, answers, and (when traced) exports its spans, to the
 * OTLP receiver or, for X-Ray, to the daemon stand-in; a few warm invocations of each variant the
 * warm-latency run measures do the same, and those under a sampler that drops every invocation
 * export nothing; and a few invocations of each variant of the export-placement run with each
 * collector delay. Nothing here is timed: the figures come from {@code benchmarks/run.sh}.
 */
class SmokeTest {

  private static final Layout LAYOUT = Layout.fromSystemProperty();
  private static LocalPeers peers;

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(LAYOUT.work());
    peers = new LocalPeers();
  }

  @AfterAll
  static void stop() {
    peers.close();
  }

  static List<Variant> coldStarted() {
    return Variant.COLD_STARTED;
  }

  @ParameterizedTest
  @MethodSource("coldStarted")
  void oneColdStartAnswersAndExportsTheSameFiveSpans(Variant variant) throws Exception {
    JdkUnderTest jdk = new JdkUnderTest("current", Path.of(System.getProperty("java.home")));
    ColdStart.Target target = new ColdStart.Target(LAYOUT, jdk, peers);

    // ColdStart.run has checked for the 201 already: it throws on any other answer.
    int before = peers.spans(variant).size();
    ColdStart.Sample sample = ColdStart.run(target, variant, false);
    peers.awaitExport(variant, sample.traceId());
    var all = peers.spans(variant);
    var spans = all.subList(before, all.size());

    assertThat(sample.response()).contains("totalCents");
    assertThat(sample.peakRssMb()).isPositive();
    String names = spans.stream().map(s -> s.getName() + " (" + s.getKind() + ")").collect(Collectors.joining(", "));
    if (variant.traced()) {
      // the invocation, parse, price, enqueue and the SQS send; the agent adds one span of its own
      assertThat(spans).as(names).hasSize(variant == Variant.OTEL_AGENT ? 6 : 5);
      assertThat(names).contains("parse", "price", "enqueue", "PRODUCER", "SERVER");
    } else {
      assertThat(spans).as(names).isEmpty();
    }
    if (variant == Variant.BATON_XRAY) {
      assertThat(peers.daemon.malformed()).isEmpty();
      // Lambda's sampled X-Ray header parents the invocation: the spans are in the event's trace
      assertThat(spans).allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(sample.traceId()));
    }
  }

  @Test
  void aFewWarmInvocationsOfEachAnswerAndExportTheirSpans() throws Exception {
    JdkUnderTest jdk = new JdkUnderTest("current", Path.of(System.getProperty("java.home")));

    // WarmLatency.run checks every answer for the 201: it throws on any other.
    Map<Variant, WarmLatency.Result> results = WarmLatency.run(peers, LAYOUT, jdk, 1, 3);

    assertThat(results).containsOnlyKeys(WarmLatency.VARIANTS);
    assertThat(results.get(Variant.UNTRACED).spansPerInvocation()).isZero();
    assertThat(results.get(Variant.BATON).spansPerInvocation()).isEqualTo(5);
    assertThat(results.get(Variant.BATON_XRAY).spansPerInvocation()).isEqualTo(5);
    assertThat(results.get(Variant.BATON_BEFORE_RESPONSE).spansPerInvocation()).isEqualTo(5);
    // The sampler drops every invocation; recorded or not, a successful one's spans are let go.
    assertThat(results.get(Variant.BATON_DROPPED_RECORD_ONLY).spansPerInvocation()).isZero();
    assertThat(results.get(Variant.BATON_DROPPED_PLAIN).spansPerInvocation()).isZero();
    assertThat(results.values()).allSatisfy(result -> assertThat(result.millis().n()).isEqualTo(3));
  }

  @Test
  void aFewInvocationsWithEachCollectorDelayAnswerAndExportTheirSpans() throws Exception {
    JdkUnderTest jdk = new JdkUnderTest("current", Path.of(System.getProperty("java.home")));

    // ExportPlacement.run checks every answer for the 201, and waits for each invoke phase's end.
    Map<Integer, Map<Variant, ExportPlacement.Result>> results = ExportPlacement.run(peers, LAYOUT, jdk, 1, 2);

    assertThat(results).containsOnlyKeys(ExportPlacement.DELAYS_MILLIS);
    assertThat(results.values()).allSatisfy(byVariant -> {
      assertThat(byVariant).containsOnlyKeys(ExportPlacement.VARIANTS);
      assertThat(byVariant.get(Variant.UNTRACED).spansPerInvocation()).isZero();
      for (Variant traced : List.of(Variant.HANDWRITTEN, Variant.BATON_BEFORE_RESPONSE, Variant.BATON)) {
        assertThat(byVariant.get(traced).spansPerInvocation()).as(traced.key).isEqualTo(5);
      }
      assertThat(byVariant.values()).allSatisfy(result -> assertThat(result.billed().millis().n()).isEqualTo(2));
    });
  }

  @Test
  void batonsPackageHasTheTraceSdkOnlyAndNoAspectJ() {
    String classpath = LAYOUT.functionClasspath(Variant.BATON.module);

    assertThat(classpath)
        .contains("opentelemetry-api-", "opentelemetry-sdk-trace-", "baton-aspects-")
        .doesNotContain("aspectjrt", "opentelemetry-semconv", "opentelemetry-sdk-metrics", "opentelemetry-sdk-logs",
            "opentelemetry-exporter", "opentelemetry-sdk-extension-autoconfigure");
  }

  @Test
  void theDeploymentPackagesAreCounted() {
    PackageSize size = PackageSize.measure(LAYOUT);

    assertThat(size.addedBytes(Variant.BATON)).isPositive();
    assertThat(size.agentBytes()).isGreaterThan(1_000_000);
  }
}
