package dev.baton.runtime.internal.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListQueuesResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/** Operation names read from the SDK's class names: requests, their builders, responses, clients. */
class AwsOperationTest {

  @Test
  void aRequestIsNamedServiceDotOperation() {
    AwsOperation operation = AwsOperation.of(SendMessageRequest.builder().queueUrl("q").build());

    assertThat(operation.service()).isEqualTo("Sqs");
    assertThat(operation.operation()).isEqualTo("SendMessage");
    assertThat(operation.spanName()).isEqualTo("Sqs.SendMessage");
    assertThat(operation.isKnown()).isTrue();
  }

  @Test
  void aRequestBuilderIsNamedAsItsRequest() {
    assertThat(AwsOperation.of(SendMessageRequest.builder()).spanName()).isEqualTo("Sqs.SendMessage");
    assertThat(AwsOperation.of(PublishBatchRequest.builder()).spanName()).isEqualTo("Sns.PublishBatch");
    assertThat(AwsOperation.of(InvokeRequest.builder()).spanName()).isEqualTo("Lambda.Invoke");
  }

  @Test
  void theServiceKeepsTheSdksCapitalisation() {
    assertThat(
            AwsOperation.fromNames(
                    "software.amazon.awssdk.services.dynamodb.model.PutItemRequest",
                    "software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest")
                .spanName())
        .isEqualTo("DynamoDb.PutItem");
    assertThat(
            AwsOperation.fromNames(
                    "software.amazon.awssdk.services.dynamodb.model.PutItemRequest$BuilderImpl",
                    "software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest$BuilderImpl")
                .spanName())
        .isEqualTo("DynamoDb.PutItem");
  }

  @Test
  void aSuperclassThatIsNoServiceRequestFallsBackToTheModuleName() {
    AwsOperation operation =
        AwsOperation.fromNames("software.amazon.awssdk.services.foo.model.BarRequest", "java.lang.Object");

    assertThat(operation.spanName()).isEqualTo("foo.Bar");
  }

  @Test
  void classesOutsideTheSdksNamingAreUnknownNotAFailure() {
    assertThat(AwsOperation.of(null).spanName()).isEqualTo("Unknown.Unknown");
    assertThat(AwsOperation.of(null).isKnown()).isFalse();
    assertThat(AwsOperation.fromNames("com.acme.Thing", null).spanName()).isEqualTo("Unknown.Unknown");
    assertThat(AwsOperation.fromNames("Request", "Request").spanName()).isEqualTo("Unknown.Unknown");
    assertThat(AwsOperation.of("a string").isKnown()).isFalse();
  }

  @Test
  void aResponseNamesTheOperationThatAnsweredIt() {
    AwsOperation operation = AwsOperation.ofResponse(ListQueuesResponse.builder().build());

    assertThat(operation.spanName()).isEqualTo("Sqs.ListQueues");
    assertThat(operation.operation()).isEqualTo("ListQueues");
    assertThat(AwsOperation.ofResponse(null).isKnown()).isFalse();
    assertThat(AwsOperation.ofResponse(new Object()).isKnown()).isFalse();
    assertThat(
            AwsOperation.fromNames(
                    "software.amazon.awssdk.services.dynamodb.model.ListTablesResponse",
                    "software.amazon.awssdk.services.dynamodb.model.DynamoDbResponse",
                    "Response")
                .spanName())
        .isEqualTo("DynamoDb.ListTables");
  }

  @Test
  void aClientNamesItsServiceAloneWithNoOperation() {
    try (SqsClient sqs = SqsClient.builder().region(Region.EU_WEST_1)
            .credentialsProvider(AnonymousCredentialsProvider.create()).build();
        LambdaAsyncClient lambda = LambdaAsyncClient.builder().region(Region.EU_WEST_1)
            .credentialsProvider(AnonymousCredentialsProvider.create()).build()) {
      AwsOperation sqsService = AwsOperation.ofClient(sqs);
      assertThat(sqsService.service()).isEqualTo("Sqs");
      assertThat(sqsService.operation()).isNull();
      assertThat(sqsService.spanName()).isEqualTo("Sqs");
      assertThat(sqsService.isKnown()).isFalse();
      assertThat(AwsOperation.ofClient(lambda).spanName()).isEqualTo("Lambda");
    }
  }

  @Test
  void clientClassNames() {
    assertThat(AwsOperation.fromClientName("software.amazon.awssdk.services.dynamodb.DefaultDynamoDbAsyncClient").spanName())
        .isEqualTo("DynamoDb");
    assertThat(AwsOperation.fromClientName("software.amazon.awssdk.services.sqs.SqsClient$MockitoMock$42").spanName())
        .isEqualTo("Sqs");
    assertThat(AwsOperation.fromClientName("software.amazon.awssdk.services.sqs.Odd").spanName())
        .isEqualTo("sqs");
    assertThat(AwsOperation.fromClientName("com.acme.MySqsClient").spanName()).isEqualTo("Unknown");
    assertThat(AwsOperation.ofClient(null).spanName()).isEqualTo("Unknown");
  }
}
