package dev.baton.benchmarks;

import dev.baton.testing.ElasticMqServer;
import dev.baton.testing.OtlpReceiver;
import dev.baton.testing.XrayDaemon;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What the function talks to during the benchmark, in this JVM: ElasticMQ with the order queue,
 * an OTLP/HTTP receiver standing in for a collector (it answers every export at once), and a
 * stand-in for the X-Ray daemon Lambda runs with active tracing (UDP on 127.0.0.1), where the
 * X-Ray variants ({@link Variant#xray()}) send their spans.
 */
final class LocalPeers implements AutoCloseable {

  /** How long a datagram may take from the function's send to the daemon stand-in's decoding. */
  private static final Duration DATAGRAM_WAIT = Duration.ofSeconds(5);

  final OtlpReceiver receiver = OtlpReceiver.start();
  final XrayDaemon daemon = XrayDaemon.start();
  final ElasticMqServer sqs = ElasticMqServer.start();
  final String queueUrl;

  LocalPeers() {
    try (SqsClient client = sqs.client()) {
      queueUrl = client.createQueue(b -> b.queueName("orders")).queueUrl();
    }
  }

  /**
   * System property with settings ({@code NAME=value,...}) added to every variant's environment
   * but untraced's, for quick looks that take a part of Baton away (say {@code
   * OTEL_PROPAGATORS=none}); {@code baton.benchmarks.env.<variant>} adds settings to that variant
   * alone (after the others, so they win). {@code run.sh} never sets them.
   */
  static final String EXTRA_ENVIRONMENT_PROPERTY = "baton.benchmarks.env";

  /** The function's environment for SQS: endpoint, queue, region and (unchecked) credentials. */
  Map<String, String> sqsEnvironment() {
    return Map.of(
        "ORDERS_SQS_ENDPOINT", sqs.endpoint().toString(),
        "ORDERS_QUEUE_URL", queueUrl,
        "AWS_REGION", ElasticMqServer.REGION.id(),
        "AWS_DEFAULT_REGION", ElasticMqServer.REGION.id(),
        "AWS_ACCESS_KEY_ID", "bench",
        "AWS_SECRET_ACCESS_KEY", "bench");
  }

  /** {@code variant}'s OTEL_* (and X-Ray daemon) settings, pointing at these peers. */
  Map<String, String> exportEnvironment(Variant variant) {
    Map<String, String> environment = variant.environment(receiver.endpoint(), daemon.address());
    if (variant != Variant.UNTRACED) {
      putSettings(environment, System.getProperty(EXTRA_ENVIRONMENT_PROPERTY, ""));
      putSettings(environment, System.getProperty(EXTRA_ENVIRONMENT_PROPERTY + "." + variant.key, ""));
    }
    return environment;
  }

  /** Puts each {@code NAME=value} of the comma-separated {@code settings} into {@code environment}. */
  static void putSettings(Map<String, String> environment, String settings) {
    for (String setting : settings.split(",")) {
      int equals = setting.indexOf('=');
      if (equals > 0) {
        environment.put(setting.substring(0, equals), setting.substring(equals + 1));
      }
    }
  }

  /** Every span received so far where {@code variant} exports: the daemon stand-in or the receiver. */
  List<SpanData> spans(Variant variant) {
    return variant.xray() ? daemon.spans() : receiver.spans();
  }

  /**
   * Waits until what {@code variant} exported up to its invocation of trace {@code traceId} has
   * arrived. The receiver has every span before the function's response (it answers the export
   * first); the daemon stand-in reads datagrams on a thread of its own, a moment after they were
   * sent, in the order they were sent: once a span of the trace is there, so is everything before.
   * Returns after 5 s at the latest, if nothing came.
   */
  void awaitExport(Variant variant, String traceId) throws InterruptedException {
    if (!variant.xray()) {
      return;
    }
    long deadline = System.nanoTime() + DATAGRAM_WAIT.toNanos();
    while (daemon.trace(traceId).isEmpty() && System.nanoTime() < deadline) {
      daemon.awaitSpans(daemon.spans().size() + 1, Duration.ofMillis(50));
    }
  }

  @Override
  public void close() {
    sqs.close();
    daemon.close();
    receiver.close();
  }
}
