package dev.baton.runtime.internal.sdk;

import dev.baton.runtime.internal.SemanticConventions;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.resources.Resource;
import java.util.Map;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>The resource of a Lambda function, from the environment Lambda sets: {@code cloud.provider},
 * {@code cloud.platform}, {@code cloud.region} ({@code AWS_REGION}), {@code faas.name} ({@code
 * AWS_LAMBDA_FUNCTION_NAME}), {@code faas.version}, {@code faas.instance} (the log stream) and
 * {@code faas.max_memory} (bytes). {@code service.name} is the function name unless the
 * configuration names the service ({@code OTEL_SERVICE_NAME} or {@code service.name} in {@code
 * OTEL_RESOURCE_ATTRIBUTES}); any attribute the configuration sets wins over the environment's.
 */
public final class LambdaResource {

  private static final String UNKNOWN_SERVICE = "unknown_service";

  private LambdaResource() {}

  /** {@code configured} completed with what {@code environment} says about the function. */
  public static Resource complete(Resource configured, Map<String, String> environment) {
    Resource lambda = fromEnvironment(environment);
    Resource merged = lambda.merge(configured);
    String service = configured.getAttribute(SemanticConventions.SERVICE_NAME);
    String function = environment.get("AWS_LAMBDA_FUNCTION_NAME");
    if ((service == null || service.startsWith(UNKNOWN_SERVICE)) && notEmpty(function)) {
      merged = merged.merge(Resource.create(Attributes.of(SemanticConventions.SERVICE_NAME, function)));
    }
    return merged;
  }

  /** The function's resource attributes from {@code environment}. */
  public static Resource fromEnvironment(Map<String, String> environment) {
    AttributesBuilder attributes =
        Attributes.builder()
            .put(SemanticConventions.CLOUD_PROVIDER, SemanticConventions.CLOUD_PROVIDER_AWS)
            .put(SemanticConventions.CLOUD_PLATFORM, SemanticConventions.CLOUD_PLATFORM_AWS_LAMBDA);
    putIfSet(attributes, SemanticConventions.CLOUD_REGION.getKey(), environment.get("AWS_REGION"));
    putIfSet(attributes, SemanticConventions.FAAS_NAME.getKey(), environment.get("AWS_LAMBDA_FUNCTION_NAME"));
    putIfSet(
        attributes, SemanticConventions.FAAS_VERSION.getKey(), environment.get("AWS_LAMBDA_FUNCTION_VERSION"));
    putIfSet(
        attributes, SemanticConventions.FAAS_INSTANCE.getKey(), environment.get("AWS_LAMBDA_LOG_STREAM_NAME"));
    String memory = environment.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE");
    if (notEmpty(memory)) {
      try {
        attributes.put(SemanticConventions.FAAS_MAX_MEMORY, Long.parseLong(memory.trim()) * 1024 * 1024);
      } catch (NumberFormatException ignored) {
        // not a number: left out
      }
    }
    return Resource.create(attributes.build());
  }

  private static void putIfSet(AttributesBuilder attributes, String key, String value) {
    if (notEmpty(value)) {
      attributes.put(key, value);
    }
  }

  private static boolean notEmpty(String value) {
    return value != null && !value.isEmpty();
  }
}
