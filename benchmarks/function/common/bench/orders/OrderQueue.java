package bench.orders;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The order queue's client, built once per execution environment the way Lambda's guidance
 * says: the JDK's URL connection HTTP client, credentials and region from the environment. The
 * benchmark points {@code ORDERS_SQS_ENDPOINT} at a local ElasticMQ.
 */
public final class OrderQueue {

  private OrderQueue() {}

  public static SqsClient client() {
    return SqsClient.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .region(Region.of(System.getenv("AWS_REGION")))
        .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
        .endpointOverride(URI.create(System.getenv("ORDERS_SQS_ENDPOINT")))
        .build();
  }

  public static String url() {
    return System.getenv("ORDERS_QUEUE_URL");
  }
}
