package dev.baton.example.orders.local;

import dev.baton.testing.DynamoDbLocalServer;
import dev.baton.testing.ElasticMqServer;
import dev.baton.testing.FauxqsServer;
import dev.baton.testing.LambdaEvents;
import dev.baton.testing.LocalLambdaRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The order pipeline on this machine, as deployed by {@code template.yaml} but with local
 * servers: ElasticMQ for the orders queue, DynamoDB Local (over HTTP on 127.0.0.1, {@link
 * DynamoDbLocalServer}) for the table, fauxqs for the order-events topic and the notifications
 * queue subscribed to it (fauxqs delivers only into its own SQS), and {@link
 * PaymentProviderStandIn} for the payment provider's HTTP API. Each handler runs in its own JVM
 * from the deployment jar, through the real runtime interface client, configured with {@code
 * otel.*} settings only; {@link SqsEventSource} plays the two event source mappings.
 *
 * <p>The functions reach the servers through the SDK's standard {@code AWS_ENDPOINT_URL_<SERVICE>}
 * variables: the function's code has nothing local in it.
 *
 * <p>The X-Ray headers are AWS's: each invocation gets one from the Runtime API ({@code Sampled=0},
 * as with active tracing off), the AWS SDK in each function sends it with every request, ElasticMQ
 * keeps it as the message's {@code AWSTraceHeader}, and fauxqs, behind {@link
 * dev.baton.testing.FauxqsServer}'s AWS-like layer, hands it on from the topic to the
 * notifications queue, as SNS does in its default PassThrough mode.
 */
final class LocalPipeline implements AutoCloseable {

  static final String TABLE = "orders";
  static final String ORDERS_QUEUE = "orders";
  static final String TOPIC = "order-events";
  static final String NOTIFICATIONS_QUEUE = "order-notifications";
  static final String REGION = "us-east-1";
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

  /**
   * How to run.
   *
   * @param functionJar the deployment jar ({@code target/orders-function.jar})
   * @param runtimeClasspath what Lambda's Java runtime adds: the runtime interface client (and,
   *     locally, the Zipkin exporter)
   * @param otlpEndpoint where the functions export over OTLP/HTTP, or null
   * @param zipkinSpansEndpoint where the functions export in Zipkin's format, or null
   */
  record Options(Path functionJar, String runtimeClasspath, String otlpEndpoint, String zipkinSpansEndpoint) {}

  /** One order's way through the pipeline. */
  record Run(
      String orderId,
      LocalLambdaRuntime.Result placed,
      SqsEventSource.Delivery processed,
      SqsEventSource.Delivery notified) {}

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final LocalLambdaRuntime placeOrder;
  private final LocalLambdaRuntime processOrder;
  private final LocalLambdaRuntime notifyCustomer;
  private final SqsEventSource orders;
  private final SqsEventSource notifications;

  private LocalPipeline(Options options) throws Exception {
    try {
      CompletableFuture<ElasticMqServer> elasticMq = CompletableFuture.supplyAsync(ElasticMqServer::start);
      CompletableFuture<DynamoDbLocalServer> dynamoDbServer = CompletableFuture.supplyAsync(DynamoDbLocalServer::start);
      FauxqsServer fauxqs = keep(FauxqsServer.start());
      PaymentProviderStandIn payments =
          keep(new PaymentProviderStandIn(options.otlpEndpoint(), options.zipkinSpansEndpoint()));
      ElasticMqServer sqsServer = keep(elasticMq.join());
      DynamoDbLocalServer dynamoDb = keep(dynamoDbServer.join());

      // The deployment's resources, as template.yaml declares them.
      DynamoDbClient tables = keep(dynamoDb.client());
      tables.createTable(create -> create
          .tableName(TABLE)
          .keySchema(KeySchemaElement.builder().attributeName("orderId").keyType(KeyType.HASH).build())
          .attributeDefinitions(
              AttributeDefinition.builder().attributeName("orderId").attributeType(ScalarAttributeType.S).build())
          .billingMode(BillingMode.PAY_PER_REQUEST));
      SqsClient elasticMqSqs = keep(sqsServer.client());
      String ordersUrl = elasticMqSqs.createQueue(create -> create.queueName(ORDERS_QUEUE)).queueUrl();
      SnsClient sns = keep(fauxqs.snsClient());
      SqsClient fauxqsSqs = keep(fauxqs.sqsClient());
      String topicArn = sns.createTopic(create -> create.name(TOPIC)).topicArn();
      String notificationsUrl = fauxqsSqs.createQueue(create -> create.queueName(NOTIFICATIONS_QUEUE)).queueUrl();
      String notificationsArn = queueArn(fauxqsSqs, notificationsUrl);
      sns.subscribe(subscribe -> subscribe.topicArn(topicArn).protocol("sqs").endpoint(notificationsArn));

      String classpath = options.functionJar() + java.io.File.pathSeparator + options.runtimeClasspath();
      placeOrder = keep(function(options, classpath, "dev.baton.example.orders.PlaceOrderHandler", "place-order")
          .environment("AWS_ENDPOINT_URL_DYNAMODB", dynamoDb.endpoint().toString())
          .environment("AWS_ENDPOINT_URL_SQS", sqsServer.endpoint().toString())
          .environment("ORDERS_TABLE", TABLE)
          .environment("ORDERS_QUEUE_URL", ordersUrl)
          .start());
      processOrder = keep(function(options, classpath, "dev.baton.example.orders.ProcessOrderHandler", "process-order")
          .environment("AWS_ENDPOINT_URL_DYNAMODB", dynamoDb.endpoint().toString())
          .environment("AWS_ENDPOINT_URL_SNS", fauxqs.endpoint().toString())
          .environment("ORDERS_TABLE", TABLE)
          .environment("ORDER_EVENTS_TOPIC_ARN", topicArn)
          .environment("PAYMENT_PROVIDER_URL", payments.url())
          .start());
      notifyCustomer = keep(function(options, classpath, "dev.baton.example.orders.NotifyCustomerHandler", "notify-customer")
          .start());
      orders = new SqsEventSource(elasticMqSqs, ordersUrl, queueArn(elasticMqSqs, ordersUrl), REGION);
      notifications = new SqsEventSource(fauxqsSqs, notificationsUrl, notificationsArn, REGION);
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  /** Starts the servers, creates the table, queues, topic and subscription, starts the functions. */
  static LocalPipeline start(Options options) throws Exception {
    return new LocalPipeline(options);
  }

  /** Places {@code orderJson} with {@code POST /orders} and moves it through queue and topic. */
  Run placeOrder(String orderJson) throws Exception {
    LocalLambdaRuntime.Result placed = post(orderJson);
    if (placed.error() || !placed.body().contains("\"statusCode\":201")) {
      throw new IllegalStateException("POST /orders failed: " + placed + "\n" + placeOrder.output());
    }
    String orderId = JsonNode.parser().parse(placed.body()).field("body")
        .map(body -> JsonNode.parser().parse(body.asString()).field("orderId").map(JsonNode::asString).orElse(null))
        .orElse(null);
    SqsEventSource.Delivery processed = processOrders(1);
    check("process-order", processed, processOrder);
    SqsEventSource.Delivery notified = notifyCustomers(1);
    check("notify-customer", notified, notifyCustomer);
    return new Run(orderId, placed, processed, notified);
  }

  /** The lines {@code notify-customer} wrote (its log), so far. */
  String notifyCustomerOutput() {
    return notifyCustomer.output();
  }

  /** Invokes {@code place-order} with an HTTP API {@code POST /orders} event carrying {@code orderJson}. */
  LocalLambdaRuntime.Result post(String orderJson) throws Exception {
    String event = LambdaEvents.json("events/post-orders.json")
        .replace("${requestId}", UUID.randomUUID().toString())
        .replace("${body}", orderJson.strip().replace("\\", "\\\\").replace("\"", "\\\""));
    LocalLambdaRuntime.Result result = placeOrder.invoke(LocalLambdaRuntime.invocation(event));
    // Baton exports after the response, before the function asks for its next event.
    placeOrder.awaitExtensionsDone(result, DELIVERY_TIMEOUT);
    return result;
  }

  /** Delivers the next {@code count} messages of the orders queue to {@code process-order}, as one batch. */
  SqsEventSource.Delivery processOrders(int count) throws Exception {
    return orders.deliverNext(processOrder, count, DELIVERY_TIMEOUT);
  }

  /** Delivers the next {@code count} messages of the notifications queue to {@code notify-customer}, as one batch. */
  SqsEventSource.Delivery notifyCustomers(int count) throws Exception {
    return notifications.deliverNext(notifyCustomer, count, DELIVERY_TIMEOUT);
  }

  private static void check(String function, SqsEventSource.Delivery delivery, LocalLambdaRuntime runtime) {
    if (delivery.result().error() || !delivery.failedMessageIds().isEmpty()) {
      throw new IllegalStateException(function + " failed: " + delivery.result() + "\n" + runtime.output());
    }
  }

  private static LocalLambdaRuntime.Builder function(Options options, String classpath, String handler, String name) {
    List<String> exporters = new ArrayList<>();
    LocalLambdaRuntime.Builder builder = LocalLambdaRuntime.builder(handler)
        .classpath(classpath)
        .functionName(name)
        .region(REGION)
        .environment("AWS_ACCESS_KEY_ID", "local")
        .environment("AWS_SECRET_ACCESS_KEY", "local")
        .jvmArgument("-Dotel.metrics.exporter=none")
        .jvmArgument("-Dotel.logs.exporter=none")
        .jvmArgument("-Dotel.propagators=tracecontext,baggage");
    if (options.otlpEndpoint() != null) {
      exporters.add("otlp");
      builder.jvmArgument("-Dotel.exporter.otlp.protocol=http/protobuf")
          .jvmArgument("-Dotel.exporter.otlp.endpoint=" + options.otlpEndpoint());
    }
    if (options.zipkinSpansEndpoint() != null) {
      exporters.add("zipkin");
      builder.jvmArgument("-Dotel.exporter.zipkin.endpoint=" + options.zipkinSpansEndpoint());
    }
    return builder.jvmArgument("-Dotel.traces.exporter=" + (exporters.isEmpty() ? "none" : String.join(",", exporters)));
  }

  private static String queueArn(SqsClient sqs, String url) {
    return sqs.getQueueAttributes(get -> get.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes()
        .get(QueueAttributeName.QUEUE_ARN);
  }

  private <T extends AutoCloseable> T keep(T resource) {
    resources.add(resource);
    return resource;
  }

  /** Stops the functions and the servers, newest first. */
  @Override
  public void close() {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception ignored) {
        // stopping local servers: go on with the rest
      }
    }
    resources.clear();
  }
}
