package dev.baton.aspects;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.testing.DynamoDbLocal;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.incubating.RpcIncubatingAttributes;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Generic AWS SDK client spans and errors, against DynamoDB Local in process. Woven by {@code
 * baton:weave} with the library aspects, so the calls below are woven as in a function.
 */
@SuppressWarnings("deprecation") // rpc.system and rpc.service: the attributes issue 4 asks for
class DynamoDbCallsTest {

  private static DynamoDbLocal dynamoDb;
  private static DynamoDbClient client;
  private static WovenSdkTracing tracing;

  @BeforeAll
  static void start() {
    dynamoDb = DynamoDbLocal.start();
    client = dynamoDb.client();
    tracing = WovenSdkTracing.w3c();
    client.createTable(b -> b.tableName("orders")
        .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
        .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
        .provisionedThroughput(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L)));
  }

  @AfterAll
  static void stop() {
    tracing.close();
    dynamoDb.close();
  }

  @BeforeEach
  void reset() {
    tracing.reset();
  }

  @Test
  void everyCallIsAClientSpanNamedServiceDotOperation() {
    client.putItem(PutItemRequest.builder().tableName("orders").item(Map.of("id", AttributeValue.fromS("o-1"))).build());
    client.getItem(b -> b.tableName("orders").key(Map.of("id", AttributeValue.fromS("o-1"))));

    assertThat(tracing.span("DynamoDb.PutItem"))
        .hasKind(SpanKind.CLIENT)
        .hasAttribute(RpcIncubatingAttributes.RPC_SYSTEM, "aws-api")
        .hasAttribute(RpcIncubatingAttributes.RPC_SERVICE, "DynamoDb")
        .hasAttribute(RpcIncubatingAttributes.RPC_METHOD, "PutItem")
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.unset());
    assertThat(tracing.span("DynamoDb.GetItem")).hasKind(SpanKind.CLIENT)
        .hasAttribute(RpcIncubatingAttributes.RPC_METHOD, "GetItem");
  }

  @Test
  void aServiceErrorIsRecordedWithItsCodeAndRethrownUnchanged() {
    GetItemRequest missingTable =
        GetItemRequest.builder().tableName("missing").key(Map.of("id", AttributeValue.fromS("x"))).build();

    Throwable thrown = catchThrowable(() -> client.getItem(missingTable));

    assertThat(thrown).isExactlyInstanceOf(ResourceNotFoundException.class);
    SpanData span = tracing.span("DynamoDb.GetItem");
    assertThat(span)
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.error())
        .hasAttribute(ErrorAttributes.ERROR_TYPE, "ResourceNotFoundException")
        .hasException(thrown);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }
}
