package dev.baton.example.orders;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The function's AWS clients, configured the standard way: region and credentials from the
 * environment Lambda sets ({@code AWS_REGION}, the execution role's keys), endpoints from the
 * SDK's standard {@code AWS_ENDPOINT_URL_<SERVICE>} variables when set (the local run points them
 * at local servers), else AWS's. The HTTP client is named explicitly so the SDK does not scan for
 * one at cold start.
 */
final class AwsClients {

  private AwsClients() {}

  static DynamoDbClient dynamoDb() {
    return DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  static SqsClient sqs() {
    return SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  static SnsClient sns() {
    return SnsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  /** The value of environment variable {@code name}, which the function's configuration must set. */
  static String setting(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("environment variable " + name + " is not set (see template.yaml)");
    }
    return value;
  }
}
