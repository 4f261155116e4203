package dev.baton.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A real SQS endpoint for tests: ElasticMQ, embedded in this JVM, listening on 127.0.0.1 on a free
 * port. Starts in a few seconds; start one per test class.
 *
 * <pre>{@code
 * try (ElasticMqServer sqs = ElasticMqServer.start(); SqsClient client = sqs.client()) {
 *   String queueUrl = client.createQueue(b -> b.queueName("orders")).queueUrl();
 * }
 * }</pre>
 *
 * <p>Differences from SQS that tests meet: no request ids ({@code UNKNOWN}).
 */
public final class ElasticMqServer implements AutoCloseable {

  /** The region the server and its clients use. */
  public static final Region REGION = Region.EU_WEST_1;

  /** The account id in the server's queue URLs and ARNs. */
  public static final String ACCOUNT_ID = "000000000000";

  private final SQSRestServer server;
  private final URI endpoint;

  private ElasticMqServer(SQSRestServer server, URI endpoint) {
    this.server = server;
    this.endpoint = endpoint;
  }

  /** Starts a server and waits until it answers. */
  public static ElasticMqServer start() {
    int port = freePort();
    SQSRestServer server =
        SQSRestServerBuilder.withInterface("127.0.0.1")
            .withPort(port)
            .withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
            .withAWSRegion(REGION.id())
            .withAWSAccountId(ACCOUNT_ID)
            .start();
    server.waitUntilStarted();
    return new ElasticMqServer(server, URI.create("http://127.0.0.1:" + port));
  }

  /** {@code http://127.0.0.1:<port>} */
  public URI endpoint() {
    return endpoint;
  }

  /** A new synchronous client of this server (close it). */
  public SqsClient client() {
    return SqsClient.builder()
        .endpointOverride(endpoint)
        .region(REGION)
        .credentialsProvider(LocalCredentials.PROVIDER)
        .build();
  }

  /** A new asynchronous client of this server (close it). */
  public SqsAsyncClient asyncClient() {
    return SqsAsyncClient.builder()
        .endpointOverride(endpoint)
        .region(REGION)
        .credentialsProvider(LocalCredentials.PROVIDER)
        .build();
  }

  @Override
  public void close() {
    server.stopAndWait();
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port on 127.0.0.1", e);
    }
  }

  /** Credentials local servers accept (they check none). */
  static final class LocalCredentials {
    static final StaticCredentialsProvider PROVIDER =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("baton", "baton"));

    private LocalCredentials() {}
  }
}
