package bench.orders;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;

/**
 * The OpenTelemetry SDK of the {@code handwritten} and {@code baton_sdk} variants, the same code
 * for both: a tracer provider with the Lambda resource, a batch processor that never exports on
 * its own (each invocation flushes it), and the OTLP/HTTP exporter on the JDK's HTTP client
 * ({@code opentelemetry-exporter-sender-jdk}, not OkHttp).
 */
public final class FunctionTelemetry {

  private FunctionTelemetry() {}

  public static OpenTelemetrySdk create() {
    String function = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
    Resource resource =
        Resource.getDefault()
            .merge(
                Resource.create(
                    Attributes.builder()
                        .put(AttributeKey.stringKey("service.name"), function)
                        .put(AttributeKey.stringKey("cloud.provider"), "aws")
                        .put(AttributeKey.stringKey("cloud.platform"), "aws_lambda")
                        .put(AttributeKey.stringKey("cloud.region"), System.getenv("AWS_REGION"))
                        .put(AttributeKey.stringKey("faas.name"), function)
                        .put(AttributeKey.stringKey("faas.version"), System.getenv("AWS_LAMBDA_FUNCTION_VERSION"))
                        .build()));
    OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT") + "/v1/traces")
            .build();
    SdkTracerProvider tracerProvider =
        SdkTracerProvider.builder()
            .setResource(resource)
            .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ofHours(1)).build())
            .build();
    return OpenTelemetrySdk.builder()
        .setTracerProvider(tracerProvider)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
  }
}
