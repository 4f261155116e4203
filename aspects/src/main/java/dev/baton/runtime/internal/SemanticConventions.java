package dev.baton.runtime.internal;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;
import java.util.Locale;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>The OpenTelemetry semantic-convention attribute keys and values that the runtime writes,
 * copied from {@code opentelemetry-semconv} and {@code opentelemetry-semconv-incubating}. Of the
 * incubating artifact its README says that library instrumentation "SHOULD NOT depend on this",
 * and that "Libraries can use this for testing, but should make copies of the attributes to
 * avoid possible runtime errors from version conflicts": a function may well have another
 * version on its class path. The copies also spare the cold start loading those constant
 * classes. Both artifacts are test dependencies only: {@code SemanticConventionsTest} checks
 * every copy here against them.
 *
 * <p>Keys keep the artifacts' constant names; a value is named after its key, e.g. {@code
 * FaasTriggerIncubatingValues.HTTP} is {@link #FAAS_TRIGGER_HTTP}. Only what the runtime uses is
 * copied.
 */
public final class SemanticConventions {

  // aws.* (incubating)
  public static final AttributeKey<String> AWS_LAMBDA_INVOKED_ARN =
      AttributeKey.stringKey("aws.lambda.invoked_arn");
  public static final AttributeKey<String> AWS_REQUEST_ID =
      AttributeKey.stringKey("aws.request_id");
  public static final AttributeKey<String> AWS_SNS_TOPIC_ARN =
      AttributeKey.stringKey("aws.sns.topic.arn");
  public static final AttributeKey<String> AWS_SQS_QUEUE_URL =
      AttributeKey.stringKey("aws.sqs.queue.url");

  // cloud.* (incubating)
  public static final AttributeKey<String> CLOUD_ACCOUNT_ID =
      AttributeKey.stringKey("cloud.account.id");
  public static final AttributeKey<String> CLOUD_PLATFORM =
      AttributeKey.stringKey("cloud.platform");
  public static final String CLOUD_PLATFORM_AWS_LAMBDA = "aws_lambda";
  public static final AttributeKey<String> CLOUD_PROVIDER =
      AttributeKey.stringKey("cloud.provider");
  public static final String CLOUD_PROVIDER_AWS = "aws";
  public static final AttributeKey<String> CLOUD_REGION = AttributeKey.stringKey("cloud.region");
  public static final AttributeKey<String> CLOUD_RESOURCE_ID =
      AttributeKey.stringKey("cloud.resource_id");

  // error.* (stable)
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  // faas.* (incubating)
  public static final AttributeKey<Boolean> FAAS_COLDSTART =
      AttributeKey.booleanKey("faas.coldstart");
  public static final AttributeKey<String> FAAS_INSTANCE = AttributeKey.stringKey("faas.instance");
  public static final AttributeKey<String> FAAS_INVOCATION_ID =
      AttributeKey.stringKey("faas.invocation_id");
  public static final AttributeKey<String> FAAS_INVOKED_NAME =
      AttributeKey.stringKey("faas.invoked_name");
  public static final AttributeKey<String> FAAS_INVOKED_REGION =
      AttributeKey.stringKey("faas.invoked_region");
  public static final AttributeKey<String> FAAS_INVOKED_PROVIDER =
      AttributeKey.stringKey("faas.invoked_provider");
  public static final String FAAS_INVOKED_PROVIDER_AWS = "aws";
  public static final AttributeKey<Long> FAAS_MAX_MEMORY = AttributeKey.longKey("faas.max_memory");
  public static final AttributeKey<String> FAAS_NAME = AttributeKey.stringKey("faas.name");
  public static final AttributeKey<String> FAAS_TRIGGER = AttributeKey.stringKey("faas.trigger");
  public static final String FAAS_TRIGGER_DATASOURCE = "datasource";
  public static final String FAAS_TRIGGER_HTTP = "http";
  public static final String FAAS_TRIGGER_OTHER = "other";
  public static final String FAAS_TRIGGER_PUBSUB = "pubsub";
  public static final String FAAS_TRIGGER_TIMER = "timer";
  public static final AttributeKey<String> FAAS_VERSION = AttributeKey.stringKey("faas.version");

  // http.* (stable)
  public static final AttributeKey<String> HTTP_REQUEST_METHOD =
      AttributeKey.stringKey("http.request.method");
  public static final String HTTP_REQUEST_METHOD_OTHER = "_OTHER";
  public static final AttributeKey<String> HTTP_REQUEST_METHOD_ORIGINAL =
      AttributeKey.stringKey("http.request.method_original");
  public static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE =
      AttributeKey.longKey("http.response.status_code");
  public static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");

  /**
   * {@code http.request.header.<name>}, the template key for a request header's values, with
   * {@code name} lower-cased as the conventions ask.
   */
  public static AttributeKey<List<String>> httpRequestHeader(String name) {
    return AttributeKey.stringArrayKey("http.request.header." + name.toLowerCase(Locale.ROOT));
  }

  // messaging.* (incubating)
  public static final AttributeKey<Long> MESSAGING_BATCH_MESSAGE_COUNT =
      AttributeKey.longKey("messaging.batch.message_count");
  public static final AttributeKey<String> MESSAGING_DESTINATION_NAME =
      AttributeKey.stringKey("messaging.destination.name");
  public static final AttributeKey<String> MESSAGING_MESSAGE_ID =
      AttributeKey.stringKey("messaging.message.id");
  public static final AttributeKey<String> MESSAGING_OPERATION_NAME =
      AttributeKey.stringKey("messaging.operation.name");
  public static final AttributeKey<String> MESSAGING_OPERATION_TYPE =
      AttributeKey.stringKey("messaging.operation.type");
  public static final String MESSAGING_OPERATION_TYPE_PROCESS = "process";
  public static final String MESSAGING_OPERATION_TYPE_RECEIVE = "receive";
  public static final String MESSAGING_OPERATION_TYPE_SEND = "send";
  public static final AttributeKey<String> MESSAGING_SYSTEM =
      AttributeKey.stringKey("messaging.system");
  public static final String MESSAGING_SYSTEM_AWS_SNS = "aws.sns";
  public static final String MESSAGING_SYSTEM_AWS_SQS = "aws_sqs";

  // network.* (stable)
  public static final AttributeKey<String> NETWORK_PROTOCOL_VERSION =
      AttributeKey.stringKey("network.protocol.version");

  // rpc.* (incubating): rpc.system and rpc.service are deprecated in semconv 1.43 but are what
  // AWS SDK instrumentation and backends read today (see AwsCall#start).
  public static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
  public static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  public static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");

  // server.* (stable)
  public static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  public static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");

  // service.* (stable)
  public static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  // url.* (stable)
  public static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  public static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  public static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");

  // user_agent.* (stable)
  public static final AttributeKey<String> USER_AGENT_ORIGINAL =
      AttributeKey.stringKey("user_agent.original");

  private SemanticConventions() {}
}
