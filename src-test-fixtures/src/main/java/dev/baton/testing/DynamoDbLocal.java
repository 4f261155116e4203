package dev.baton.testing;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A real DynamoDB for tests: DynamoDB Local, in this JVM, with no socket at all (its HTTP server
 * mode cannot be bound to 127.0.0.1 only). The client it hands out implements {@code
 * DynamoDbClient} and runs every call in process.
 *
 * <pre>{@code
 * try (DynamoDbLocal dynamoDb = DynamoDbLocal.start()) {
 *   DynamoDbClient client = dynamoDb.client();
 * }
 * }</pre>
 */
public final class DynamoDbLocal implements AutoCloseable {

  private final AmazonDynamoDBLocal local;
  private final DynamoDbClient client;

  private DynamoDbLocal(AmazonDynamoDBLocal local) {
    this.local = local;
    this.client = local.dynamoDbClient();
  }

  /** Starts an empty in-memory database. */
  public static DynamoDbLocal start() {
    // true: telemetry off (DynamoDB Local would otherwise report to AWS over the network).
    return new DynamoDbLocal(DynamoDBEmbedded.create(Boolean.TRUE));
  }

  /** The client of this database (closed with it). */
  public DynamoDbClient client() {
    return client;
  }

  @Override
  public void close() {
    local.shutdownNow();
  }
}
