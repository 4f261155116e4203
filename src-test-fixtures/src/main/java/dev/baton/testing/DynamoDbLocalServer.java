package dev.baton.testing;

import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import java.net.URI;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A real DynamoDB endpoint over HTTP for other processes (a function's JVM, say), listening on
 * 127.0.0.1 only: DynamoDB Local's own request handlers behind a Jetty connector bound to the
 * loopback address on a free port, in memory. DynamoDB Local's {@code DynamoDBProxyServer} (its
 * {@code -port} mode) cannot be told a host and listens on every interface; this uses the same
 * handlers with a connector of its own instead. One database serves every access key and region
 * ({@code -sharedDb}). For calls from the test's own JVM, {@link
 * DynamoDbLocal} needs no socket at all.
 *
 * <pre>{@code
 * try (DynamoDbLocalServer dynamoDb = DynamoDbLocalServer.start()) {
 *   environment.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDb.endpoint().toString());
 * }
 * }</pre>
 *
 * <p>Jetty is an optional dependency of DynamoDB Local: add {@code org.eclipse.jetty:jetty-server}
 * (the version DynamoDB Local names) to the test classpath. Set {@code DDB_LOCAL_TELEMETRY=0} in the test JVM's environment as well: nothing here turns
 * DynamoDB Local's telemetry on, and that keeps it off.
 */
public final class DynamoDbLocalServer implements AutoCloseable {

  private final Server server;
  private final LocalDynamoDBRequestHandler database;
  private final URI endpoint;

  private DynamoDbLocalServer(Server server, LocalDynamoDBRequestHandler database, URI endpoint) {
    this.server = server;
    this.database = database;
    this.endpoint = endpoint;
  }

  /** Starts an empty in-memory database and its HTTP endpoint on 127.0.0.1. */
  public static DynamoDbLocalServer start() {
    LocalDynamoDBRequestHandler database;
    Server server = new Server();
    try {
      // port (unused here), in memory, no db path, one database shared by every access key and
      // region (as -sharedDb: the test's client and the functions sign differently), tables
      // ACTIVE at once
      database = new LocalDynamoDBRequestHandler(0, true, null, true, false);
      ServerConnector connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);
      ContextHandler context = new ContextHandler();
      context.setHandler(new LocalDynamoDBServerHandler(database, null));
      server.setHandler(context);
      server.start();
      return new DynamoDbLocalServer(
          server, database, URI.create("http://127.0.0.1:" + connector.getLocalPort()));
    } catch (Exception e) {
      stopQuietly(server);
      throw new IllegalStateException("DynamoDB Local did not start on 127.0.0.1", e);
    }
  }

  /** {@code http://127.0.0.1:<port>}: the value for {@code AWS_ENDPOINT_URL_DYNAMODB}. */
  public URI endpoint() {
    return endpoint;
  }

  /** A new client of this endpoint, over HTTP (close it). */
  public DynamoDbClient client() {
    return DynamoDbClient.builder()
        .endpointOverride(endpoint)
        .region(ElasticMqServer.REGION)
        .credentialsProvider(ElasticMqServer.LocalCredentials.PROVIDER)
        .build();
  }

  @Override
  public void close() {
    stopQuietly(server);
    database.shutdown();
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception ignored) {
      // stopping a test server: nothing left to do
    }
  }
}
