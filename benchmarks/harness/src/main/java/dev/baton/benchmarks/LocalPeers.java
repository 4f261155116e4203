package dev.baton.benchmarks;

import dev.baton.testing.ElasticMqServer;
import dev.baton.testing.OtlpReceiver;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What the function talks to during the benchmark, in this JVM: ElasticMQ with the order queue,
 * and an OTLP/HTTP receiver standing in for a collector.
 */
final class LocalPeers implements AutoCloseable {

  final OtlpReceiver receiver = OtlpReceiver.start();
  final ElasticMqServer sqs = ElasticMqServer.start();
  final String queueUrl;

  LocalPeers() {
    try (SqsClient client = sqs.client()) {
      queueUrl = client.createQueue(b -> b.queueName("orders")).queueUrl();
    }
  }

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

  /** How many spans of trace {@code traceId} arrived. */
  int spans(String traceId) {
    return receiver.trace(traceId).size();
  }

  @Override
  public void close() {
    sqs.close();
    receiver.close();
  }
}
