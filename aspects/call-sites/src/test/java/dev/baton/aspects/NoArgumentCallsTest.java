package dev.baton.aspects;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.testing.DynamoDbLocal;
import dev.baton.testing.ElasticMqServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.incubating.CloudIncubatingAttributes;
import io.opentelemetry.semconv.incubating.RpcIncubatingAttributes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListQueuesResponse;

/**
 * The SDK's no-argument convenience methods ({@code sqs.listQueues()}, {@code
 * dynamoDb.listTables()}), which build their request inside the SDK: woven at the call site, each
 * is one CLIENT span {@code Service.Operation}, named from its response. Against ElasticMQ and
 * DynamoDB Local; woven by {@code baton:weave} with the library aspects.
 */
@SuppressWarnings("deprecation") // rpc.system and rpc.service: the attributes issue 4 asks for
class NoArgumentCallsTest {

  private static ElasticMqServer elasticMq;
  private static SqsClient sqs;
  private static SqsAsyncClient sqsAsync;
  private static DynamoDbLocal dynamoDbLocal;
  private static WovenSdkTracing tracing;

  @BeforeAll
  static void start() {
    elasticMq = ElasticMqServer.start();
    sqs = elasticMq.client();
    sqsAsync = elasticMq.asyncClient();
    dynamoDbLocal = DynamoDbLocal.start();
    tracing = WovenSdkTracing.w3c();
    sqs.createQueue(b -> b.queueName("no-argument-calls"));
  }

  @AfterAll
  static void stop() {
    tracing.close();
    sqsAsync.close();
    sqs.close();
    elasticMq.close();
    dynamoDbLocal.close();
  }

  @BeforeEach
  void reset() {
    tracing.reset();
  }

  @Test
  void listQueuesIsOneClientSpanNamedFromItsResponse() {
    Span parent = tracing.startParent("handler");
    ListQueuesResponse response;
    try (Scope scope = parent.makeCurrent()) {
      response = sqs.listQueues();
    } finally {
      parent.end();
    }

    assertThat(response.queueUrls()).anyMatch(url -> url.endsWith("/no-argument-calls"));
    assertThat(tracing.names()).containsExactlyInAnyOrder("Sqs.ListQueues", "handler");
    assertThat(tracing.span("Sqs.ListQueues"))
        .hasKind(SpanKind.CLIENT)
        .hasParentSpanId(parent.getSpanContext().getSpanId())
        .hasAttribute(RpcIncubatingAttributes.RPC_SYSTEM, "aws-api")
        .hasAttribute(RpcIncubatingAttributes.RPC_SERVICE, "Sqs")
        .hasAttribute(RpcIncubatingAttributes.RPC_METHOD, "ListQueues")
        .hasAttribute(CloudIncubatingAttributes.CLOUD_REGION, ElasticMqServer.REGION.id())
        .hasAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, 200L)
        .hasStatus(StatusData.unset());
  }

  @Test
  void anAsyncNoArgumentCallEndsItsSpanWhenTheFutureCompletes() {
    CompletableFuture<ListQueuesResponse> future = sqsAsync.listQueues();
    ListQueuesResponse response = future.join();

    assertThat(response.queueUrls()).isNotEmpty();
    assertThat(tracing.span("Sqs.ListQueues"))
        .hasKind(SpanKind.CLIENT)
        .hasAttribute(RpcIncubatingAttributes.RPC_METHOD, "ListQueues")
        .hasAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, 200L);
    assertThat(tracing.spans()).hasSize(1);
  }

  @Test
  void listTablesOnDynamoDbLocal() {
    DynamoDbClient dynamoDb = dynamoDbLocal.client();

    ListTablesResponse response = dynamoDb.listTables();

    assertThat(response.tableNames()).isNotNull();
    assertThat(tracing.span("DynamoDb.ListTables"))
        .hasKind(SpanKind.CLIENT)
        .hasAttribute(RpcIncubatingAttributes.RPC_SERVICE, "DynamoDb")
        .hasAttribute(RpcIncubatingAttributes.RPC_METHOD, "ListTables");
    assertThat(tracing.spans()).hasSize(1);
  }

  @Test
  void paginatorsAndClientHousekeepingAreNotTraced() {
    sqs.serviceName();
    sqs.serviceClientConfiguration();
    sqs.listQueuesPaginator().forEach(page -> { });
    sqsAsync.listQueuesPaginator().subscribe(page -> { }).join();
    SqsClient closed = elasticMq.client();
    closed.close();

    assertThat(tracing.spans()).isEmpty();
  }

  @Test
  void aFailedCallIsNamedAfterItsServiceAndRethrowsTheSameException() {
    try (SqsClient unreachable = clientOfNothing()) {
      // A lambda, not unreachable::listQueues: a method reference is no call join point for ajc.
      Throwable thrown = catchThrowable(() -> unreachable.listQueues());

      assertThat(thrown).isInstanceOf(SdkClientException.class);
      SpanData span = tracing.span("Sqs");
      assertThat(span)
          .hasKind(SpanKind.CLIENT)
          .hasStatus(StatusData.error())
          .hasAttribute(RpcIncubatingAttributes.RPC_SERVICE, "Sqs")
          .hasAttribute(ErrorAttributes.ERROR_TYPE, SdkClientException.class.getName())
          .hasException(thrown);
      assertThat(span.getAttributes().get(RpcIncubatingAttributes.RPC_METHOD)).isNull();
    }
  }

  @Test
  void aFailedAsyncCallFailsItsFutureUnchanged() {
    try (SqsAsyncClient unreachable = asyncClientOfNothing()) {
      CompletableFuture<ListQueuesResponse> future = unreachable.listQueues();
      Throwable thrown = catchThrowable(future::join);

      assertThat(thrown).isInstanceOf(CompletionException.class).hasCauseInstanceOf(SdkClientException.class);
      assertThat(tracing.span("Sqs")).hasStatus(StatusData.error()).hasException(thrown.getCause());
    }
  }

  /** A client of a port on 127.0.0.1 where nothing listens, without retries. */
  private static SqsClient clientOfNothing() {
    return SqsClient.builder()
        .endpointOverride(nothingListening())
        .region(ElasticMqServer.REGION)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("baton", "baton")))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  private static SqsAsyncClient asyncClientOfNothing() {
    return SqsAsyncClient.builder()
        .endpointOverride(nothingListening())
        .region(ElasticMqServer.REGION)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("baton", "baton")))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  private static URI nothingListening() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
