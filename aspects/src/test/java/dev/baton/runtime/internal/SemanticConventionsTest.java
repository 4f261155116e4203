package dev.baton.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.HttpAttributes.HttpRequestMethodValues;
import io.opentelemetry.semconv.NetworkAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import io.opentelemetry.semconv.ServiceAttributes;
import io.opentelemetry.semconv.UrlAttributes;
import io.opentelemetry.semconv.UserAgentAttributes;
import io.opentelemetry.semconv.incubating.AwsIncubatingAttributes;
import io.opentelemetry.semconv.incubating.CloudIncubatingAttributes;
import io.opentelemetry.semconv.incubating.CloudIncubatingAttributes.CloudPlatformIncubatingValues;
import io.opentelemetry.semconv.incubating.CloudIncubatingAttributes.CloudProviderIncubatingValues;
import io.opentelemetry.semconv.incubating.FaasIncubatingAttributes;
import io.opentelemetry.semconv.incubating.FaasIncubatingAttributes.FaasInvokedProviderIncubatingValues;
import io.opentelemetry.semconv.incubating.FaasIncubatingAttributes.FaasTriggerIncubatingValues;
import io.opentelemetry.semconv.incubating.MessagingIncubatingAttributes;
import io.opentelemetry.semconv.incubating.MessagingIncubatingAttributes.MessagingOperationTypeIncubatingValues;
import io.opentelemetry.semconv.incubating.MessagingIncubatingAttributes.MessagingSystemIncubatingValues;
import io.opentelemetry.semconv.incubating.RpcIncubatingAttributes;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every key and value copied into {@link SemanticConventions} equals the constant of the
 * semantic-conventions artifacts it was copied from (the versions the root pom manages), so a
 * semconv upgrade that renames or retypes one of them fails here.
 */
class SemanticConventionsTest {

  /** The copies checked so far, by identity: each key is an object of its own. */
  private final Set<Object> checked = Collections.newSetFromMap(new IdentityHashMap<>());

  private int checks;

  @Test
  void everyCopyEqualsTheArtifactsConstant() {
    checkEveryCopy();
  }

  @Test
  void noCopyGoesUnchecked() throws IllegalAccessException {
    checkEveryCopy();
    int copies = 0;
    for (Field field : SemanticConventions.class.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers()) && !field.isSynthetic()) {
        copies++;
        assertThat(checked.contains(field.get(null)))
            .as("SemanticConventions.%s is checked in checkEveryCopy()", field.getName())
            .isTrue();
      }
    }
    assertThat(checks).as("checks in checkEveryCopy()").isEqualTo(copies);
  }

  @SuppressWarnings("deprecation") // rpc.system and rpc.service: see SemanticConventions
  private void checkEveryCopy() {
    // aws.*
    key(SemanticConventions.AWS_LAMBDA_INVOKED_ARN, AwsIncubatingAttributes.AWS_LAMBDA_INVOKED_ARN);
    key(SemanticConventions.AWS_REQUEST_ID, AwsIncubatingAttributes.AWS_REQUEST_ID);
    key(SemanticConventions.AWS_SNS_TOPIC_ARN, AwsIncubatingAttributes.AWS_SNS_TOPIC_ARN);
    key(SemanticConventions.AWS_SQS_QUEUE_URL, AwsIncubatingAttributes.AWS_SQS_QUEUE_URL);

    // cloud.*
    key(SemanticConventions.CLOUD_ACCOUNT_ID, CloudIncubatingAttributes.CLOUD_ACCOUNT_ID);
    key(SemanticConventions.CLOUD_PLATFORM, CloudIncubatingAttributes.CLOUD_PLATFORM);
    value(SemanticConventions.CLOUD_PLATFORM_AWS_LAMBDA, CloudPlatformIncubatingValues.AWS_LAMBDA);
    key(SemanticConventions.CLOUD_PROVIDER, CloudIncubatingAttributes.CLOUD_PROVIDER);
    value(SemanticConventions.CLOUD_PROVIDER_AWS, CloudProviderIncubatingValues.AWS);
    key(SemanticConventions.CLOUD_REGION, CloudIncubatingAttributes.CLOUD_REGION);
    key(SemanticConventions.CLOUD_RESOURCE_ID, CloudIncubatingAttributes.CLOUD_RESOURCE_ID);

    // error.*
    key(SemanticConventions.ERROR_TYPE, ErrorAttributes.ERROR_TYPE);

    // faas.*
    key(SemanticConventions.FAAS_COLDSTART, FaasIncubatingAttributes.FAAS_COLDSTART);
    key(SemanticConventions.FAAS_INSTANCE, FaasIncubatingAttributes.FAAS_INSTANCE);
    key(SemanticConventions.FAAS_INVOCATION_ID, FaasIncubatingAttributes.FAAS_INVOCATION_ID);
    key(SemanticConventions.FAAS_INVOKED_NAME, FaasIncubatingAttributes.FAAS_INVOKED_NAME);
    key(SemanticConventions.FAAS_INVOKED_PROVIDER, FaasIncubatingAttributes.FAAS_INVOKED_PROVIDER);
    key(SemanticConventions.FAAS_INVOKED_REGION, FaasIncubatingAttributes.FAAS_INVOKED_REGION);
    value(SemanticConventions.FAAS_INVOKED_PROVIDER_AWS, FaasInvokedProviderIncubatingValues.AWS);
    key(SemanticConventions.FAAS_MAX_MEMORY, FaasIncubatingAttributes.FAAS_MAX_MEMORY);
    key(SemanticConventions.FAAS_NAME, FaasIncubatingAttributes.FAAS_NAME);
    key(SemanticConventions.FAAS_TRIGGER, FaasIncubatingAttributes.FAAS_TRIGGER);
    value(SemanticConventions.FAAS_TRIGGER_DATASOURCE, FaasTriggerIncubatingValues.DATASOURCE);
    value(SemanticConventions.FAAS_TRIGGER_HTTP, FaasTriggerIncubatingValues.HTTP);
    value(SemanticConventions.FAAS_TRIGGER_OTHER, FaasTriggerIncubatingValues.OTHER);
    value(SemanticConventions.FAAS_TRIGGER_PUBSUB, FaasTriggerIncubatingValues.PUBSUB);
    value(SemanticConventions.FAAS_TRIGGER_TIMER, FaasTriggerIncubatingValues.TIMER);
    key(SemanticConventions.FAAS_VERSION, FaasIncubatingAttributes.FAAS_VERSION);

    // http.*
    key(SemanticConventions.HTTP_REQUEST_METHOD, HttpAttributes.HTTP_REQUEST_METHOD);
    value(SemanticConventions.HTTP_REQUEST_METHOD_OTHER, HttpRequestMethodValues.OTHER);
    key(SemanticConventions.HTTP_REQUEST_METHOD_ORIGINAL, HttpAttributes.HTTP_REQUEST_METHOD_ORIGINAL);
    key(SemanticConventions.HTTP_RESPONSE_STATUS_CODE, HttpAttributes.HTTP_RESPONSE_STATUS_CODE);
    key(SemanticConventions.HTTP_ROUTE, HttpAttributes.HTTP_ROUTE);

    // network.*
    key(SemanticConventions.NETWORK_PROTOCOL_VERSION, NetworkAttributes.NETWORK_PROTOCOL_VERSION);

    // messaging.*
    key(SemanticConventions.MESSAGING_BATCH_MESSAGE_COUNT, MessagingIncubatingAttributes.MESSAGING_BATCH_MESSAGE_COUNT);
    key(SemanticConventions.MESSAGING_DESTINATION_NAME, MessagingIncubatingAttributes.MESSAGING_DESTINATION_NAME);
    key(SemanticConventions.MESSAGING_MESSAGE_ID, MessagingIncubatingAttributes.MESSAGING_MESSAGE_ID);
    key(SemanticConventions.MESSAGING_OPERATION_NAME, MessagingIncubatingAttributes.MESSAGING_OPERATION_NAME);
    key(SemanticConventions.MESSAGING_OPERATION_TYPE, MessagingIncubatingAttributes.MESSAGING_OPERATION_TYPE);
    value(SemanticConventions.MESSAGING_OPERATION_TYPE_PROCESS, MessagingOperationTypeIncubatingValues.PROCESS);
    value(SemanticConventions.MESSAGING_OPERATION_TYPE_RECEIVE, MessagingOperationTypeIncubatingValues.RECEIVE);
    value(SemanticConventions.MESSAGING_OPERATION_TYPE_SEND, MessagingOperationTypeIncubatingValues.SEND);
    key(SemanticConventions.MESSAGING_SYSTEM, MessagingIncubatingAttributes.MESSAGING_SYSTEM);
    value(SemanticConventions.MESSAGING_SYSTEM_AWS_SNS, MessagingSystemIncubatingValues.AWS_SNS);
    value(SemanticConventions.MESSAGING_SYSTEM_AWS_SQS, MessagingSystemIncubatingValues.AWS_SQS);

    // rpc.*
    key(SemanticConventions.RPC_METHOD, RpcIncubatingAttributes.RPC_METHOD);
    key(SemanticConventions.RPC_SERVICE, RpcIncubatingAttributes.RPC_SERVICE);
    key(SemanticConventions.RPC_SYSTEM, RpcIncubatingAttributes.RPC_SYSTEM);

    // server.*
    key(SemanticConventions.SERVER_ADDRESS, ServerAttributes.SERVER_ADDRESS);
    key(SemanticConventions.SERVER_PORT, ServerAttributes.SERVER_PORT);

    // service.*
    key(SemanticConventions.SERVICE_NAME, ServiceAttributes.SERVICE_NAME);

    // url.*
    key(SemanticConventions.URL_FULL, UrlAttributes.URL_FULL);
    key(SemanticConventions.URL_PATH, UrlAttributes.URL_PATH);
    key(SemanticConventions.URL_SCHEME, UrlAttributes.URL_SCHEME);

    // user_agent.*
    key(SemanticConventions.USER_AGENT_ORIGINAL, UserAgentAttributes.USER_AGENT_ORIGINAL);
  }

  @Test
  void requestHeaderKeysFollowTheTemplate() {
    assertThat(SemanticConventions.httpRequestHeader("Traceparent"))
        .isEqualTo(HttpAttributes.HTTP_REQUEST_HEADER.getAttributeKey("traceparent"));
    assertThat(SemanticConventions.httpRequestHeader("X-Amzn-Trace-Id"))
        .isEqualTo(HttpAttributes.HTTP_REQUEST_HEADER.getAttributeKey("x-amzn-trace-id"));
  }

  private <T> void key(AttributeKey<T> copy, AttributeKey<T> reference) {
    assertThat(copy.getKey()).isEqualTo(reference.getKey());
    assertThat(copy.getType()).as(reference.getKey()).isEqualTo(reference.getType());
    assertThat(copy).isEqualTo(reference);
    checked.add(copy);
    checks++;
  }

  private void value(String copy, String reference) {
    assertThat(copy).isEqualTo(reference);
    checked.add(copy);
    checks++;
  }
}
