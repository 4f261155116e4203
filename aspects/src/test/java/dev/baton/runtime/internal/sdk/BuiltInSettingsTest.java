package dev.baton.runtime.internal.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.runtime.internal.Failures;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.propagation.ContextPropagators;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Each standard setting, from a property or the environment, and bad values tolerated. */
class BuiltInSettingsTest {

  private final Properties properties = new Properties();
  private final Map<String, String> environment = new HashMap<>();

  private BuiltInSettings read() {
    return BuiltInSettings.read(properties, environment);
  }

  private BuiltInSettings readReporting() {
    long before = Failures.count();
    BuiltInSettings settings = read();
    assertThat(Failures.count()).as("failures reported").isGreaterThan(before);
    return settings;
  }

  private static String serviceName(BuiltInSettings settings) {
    return settings.resource.getAttribute(AttributeKey.stringKey("service.name"));
  }

  private static String propagated(ContextPropagators propagators) {
    return String.join(",", propagators.getTextMapPropagator().fields());
  }

  @Test
  void defaults() {
    BuiltInSettings settings = read();

    assertThat(settings.disabled).isFalse();
    assertThat(settings.exportOtlp).isTrue();
    assertThat(settings.endpoint).hasToString("http://localhost:4318/v1/traces");
    assertThat(settings.headers).isEmpty();
    assertThat(settings.timeoutMillis).isEqualTo(10_000);
    assertThat(settings.gzip).isFalse();
    assertThat(settings.sampler.getDescription()).startsWith("ParentBased{root:AlwaysOnSampler");
    assertThat(propagated(settings.propagators)).isEqualTo("traceparent,tracestate,baggage");
    assertThat(settings.maxQueueSize).isEqualTo(2048);
    assertThat(settings.maxExportBatchSize).isEqualTo(512);
    assertThat(serviceName(settings)).isEqualTo("unknown_service:java");
    assertThat(settings.resource.getAttribute(AttributeKey.stringKey("telemetry.sdk.language")))
        .isEqualTo("java");
  }

  @Test
  void aPropertyWinsOverTheEnvironmentAndBlankIsUnset() {
    environment.put("OTEL_SERVICE_NAME", "from-environment");
    properties.setProperty("otel.service.name", "from-property");
    assertThat(serviceName(read())).isEqualTo("from-property");

    properties.setProperty("otel.service.name", "  ");
    assertThat(serviceName(read())).isEqualTo("from-environment");

    environment.put("OTEL_SERVICE_NAME", " ");
    assertThat(serviceName(read())).isEqualTo("unknown_service:java");
  }

  @Test
  void disabledReadsNothingElse() {
    environment.put("OTEL_SDK_DISABLED", "TRUE");
    environment.put("OTEL_TRACES_EXPORTER", "zipkin");

    BuiltInSettings settings = read();

    assertThat(settings.disabled).isTrue();
    assertThat(settings.exportOtlp).isFalse();
    environment.put("OTEL_SDK_DISABLED", "false");
    assertThatThrownBy(this::read).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void resourceAttributesAreDecodedAndTheServiceNameWins() {
    environment.put(
        "OTEL_RESOURCE_ATTRIBUTES",
        " deployment.environment = prod ,, team=a%2Cb%3Dc+d%C3%A9, service.name=from-attributes");
    assertThat(read().resource.getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("deployment.environment"), "prod")
        .containsEntry(AttributeKey.stringKey("team"), "a,b=c+d\u00e9")
        .containsEntry(AttributeKey.stringKey("service.name"), "from-attributes");

    environment.put("OTEL_SERVICE_NAME", "orders");
    assertThat(serviceName(read())).isEqualTo("orders");
  }

  @Test
  void badResourceEntriesAreReportedAndSkipped() {
    environment.put("OTEL_RESOURCE_ATTRIBUTES", "novalue,=nokey,good=yes");

    BuiltInSettings settings = readReporting();

    assertThat(settings.resource.getAttribute(AttributeKey.stringKey("good"))).isEqualTo("yes");
    assertThat(settings.resource.getAttribute(AttributeKey.stringKey("novalue"))).isNull();
  }

  @Test
  void percentDecodingKeepsPlusAndInvalidSequences() {
    assertThat(BuiltInSettings.percentDecoded("a+b%20c")).isEqualTo("a+b c");
    assertThat(BuiltInSettings.percentDecoded("100%")).isEqualTo("100%");
    assertThat(BuiltInSettings.percentDecoded("%zz%4")).isEqualTo("%zz%4");
    assertThat(BuiltInSettings.percentDecoded("%E6%9D%B1")).isEqualTo("\u6771");
    assertThat(BuiltInSettings.percentDecoded("\u00e9%21")).isEqualTo("\u00e9!");
  }

  @Test
  void exporterNoneCreatesSpansWithoutExporting() {
    environment.put("OTEL_TRACES_EXPORTER", "none");

    BuiltInSettings settings = read();

    assertThat(settings.exportOtlp).isFalse();
    assertThat(settings.endpoint).isNull();
    assertThat(settings.sampler).isNotNull();
  }

  @Test
  void anotherExporterIsRefusedWithTheFix() {
    environment.put("OTEL_TRACES_EXPORTER", "otlp,zipkin");

    assertThatThrownBy(this::read)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OTEL_TRACES_EXPORTER=otlp,zipkin")
        .hasMessageContaining("add opentelemetry-sdk-extension-autoconfigure and the exporter");
    environment.put("OTEL_TRACES_EXPORTER", " OTLP ");
    assertThat(read().exportOtlp).isTrue();
  }

  @Test
  void onlyHttpProtobufIsBuiltIn() {
    environment.put("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
    assertThatThrownBy(this::read)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OTEL_EXPORTER_OTLP_PROTOCOL=grpc")
        .hasMessageContaining("opentelemetry-exporter-otlp");

    environment.put("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf");
    assertThat(read().exportOtlp).isTrue();

    environment.put("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/json");
    assertThatThrownBy(this::read)
        .hasMessageContaining("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/json");
  }

  @Test
  void theTracesEndpointIsUsedAsItIs() {
    environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://ignored:4318");
    environment.put("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://collector:4318/custom/path?x=1");
    assertThat(read().endpoint).hasToString("https://collector:4318/custom/path?x=1");

    environment.put("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318");
    assertThat(read().endpoint).hasToString("http://collector:4318/");
  }

  @Test
  void theGeneralEndpointGetsTheSignalPath() {
    environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318");
    assertThat(read().endpoint).hasToString("http://collector:4318/v1/traces");

    environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/");
    assertThat(read().endpoint).hasToString("http://collector:4318/v1/traces");

    environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", "https://gateway.example.com/otlp/");
    assertThat(read().endpoint).hasToString("https://gateway.example.com/otlp/v1/traces");

    properties.setProperty("otel.exporter.otlp.endpoint", "http://127.0.0.1:9999/base");
    assertThat(read().endpoint).hasToString("http://127.0.0.1:9999/base/v1/traces");
  }

  @Test
  void anInvalidEndpointIsRefused() {
    for (String invalid :
        new String[] {"localhost:4318", "ftp://collector/", "not a url", "http://"}) {
      environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", invalid);
      assertThatThrownBy(this::read)
          .as(invalid)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("OTEL_EXPORTER_OTLP_ENDPOINT=" + invalid);
    }
  }

  @Test
  void headersAreDecodedAndTheTracesOnesWinPerKey() {
    environment.put("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Basic%20abc%3D, X-Tenant = acme ");
    environment.put("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "X-Tenant=traces-tenant,X-Extra=1");

    assertThat(read().headers)
        .containsExactly(
            Map.entry("Authorization", "Basic abc="),
            Map.entry("X-Tenant", "traces-tenant"),
            Map.entry("X-Extra", "1"));
  }

  @Test
  void badHeaderEntriesAreReportedAndSkipped() {
    environment.put("OTEL_EXPORTER_OTLP_HEADERS", "Bearer-token-without-key,X-Good=1");

    assertThat(readReporting().headers).containsExactly(Map.entry("X-Good", "1"));
  }

  @Test
  void timeoutsInMillisecondsOrWithAUnit() {
    environment.put("OTEL_EXPORTER_OTLP_TIMEOUT", "3000");
    assertThat(read().timeoutMillis).isEqualTo(3_000);

    environment.put("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "5s");
    assertThat(read().timeoutMillis).isEqualTo(5_000);

    assertThat(BuiltInSettings.durationMillis("250ms")).isEqualTo(250);
    assertThat(BuiltInSettings.durationMillis("2m")).isEqualTo(120_000);
    assertThat(BuiltInSettings.durationMillis("1h")).isEqualTo(3_600_000);
    assertThat(BuiltInSettings.durationMillis("1d")).isEqualTo(86_400_000);
    assertThat(BuiltInSettings.durationMillis("1w")).isEqualTo(-1);
    assertThat(BuiltInSettings.durationMillis("ms")).isEqualTo(-1);
    assertThat(BuiltInSettings.durationMillis("99999999999")).isEqualTo(-1);
  }

  @Test
  void badTimeoutsAreReportedAndTheDefaultUsed() {
    for (String bad : new String[] {"soon", "0", "-5", "1.5s"}) {
      environment.put("OTEL_EXPORTER_OTLP_TIMEOUT", bad);
      assertThat(readReporting().timeoutMillis).as(bad).isEqualTo(10_000);
    }
  }

  @Test
  void compression() {
    environment.put("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip");
    assertThat(read().gzip).isTrue();

    environment.put("OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "none");
    assertThat(read().gzip).isFalse();

    environment.put("OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "zstd");
    assertThat(readReporting().gzip).isFalse();
  }

  @Test
  void samplers() {
    Map<String, String> expected =
        Map.of(
            "always_on", "AlwaysOnSampler",
            "always_off", "AlwaysOffSampler",
            "traceidratio", "TraceIdRatioBased{0.250000}",
            "parentbased_always_on", "ParentBased{root:AlwaysOnSampler",
            "parentbased_always_off", "ParentBased{root:AlwaysOffSampler",
            "parentbased_traceidratio", "ParentBased{root:TraceIdRatioBased{0.250000}");
    environment.put("OTEL_TRACES_SAMPLER_ARG", "0.25");
    expected.forEach(
        (name, description) -> {
          environment.put("OTEL_TRACES_SAMPLER", name);
          assertThat(read().sampler.getDescription()).as(name).startsWith(description);
        });
  }

  @Test
  void aBadRatioIsReportedAndOneUsed() {
    environment.put("OTEL_TRACES_SAMPLER", "traceidratio");
    for (String bad : new String[] {"half", "1.5", "-0.1", "NaN"}) {
      environment.put("OTEL_TRACES_SAMPLER_ARG", bad);
      assertThat(readReporting().sampler.getDescription())
          .as(bad)
          .isEqualTo("TraceIdRatioBased{1.000000}");
    }
    environment.remove("OTEL_TRACES_SAMPLER_ARG");
    assertThat(read().sampler.getDescription()).isEqualTo("TraceIdRatioBased{1.000000}");
  }

  @Test
  void anUnknownSamplerIsReportedAndTheDefaultUsed() {
    environment.put("OTEL_TRACES_SAMPLER", "jaeger_remote");

    assertThat(readReporting().sampler.getDescription())
        .startsWith("ParentBased{root:AlwaysOnSampler");
  }

  @Test
  void propagators() {
    environment.put("OTEL_PROPAGATORS", "xray");
    assertThat(propagated(read().propagators)).isEqualTo("X-Amzn-Trace-Id");

    environment.put("OTEL_PROPAGATORS", "tracecontext, xray-lambda ,tracecontext");
    assertThat(propagated(read().propagators)).isEqualTo("traceparent,tracestate,X-Amzn-Trace-Id");

    environment.put("OTEL_PROPAGATORS", "none");
    assertThat(read().propagators).isSameAs(ContextPropagators.noop());
  }

  @Test
  void unknownPropagatorsAreReportedAndSkipped() {
    environment.put("OTEL_PROPAGATORS", "b3,baggage,jaeger");

    assertThat(propagated(readReporting().propagators)).isEqualTo("baggage");
  }

  @Test
  void bufferSizes() {
    environment.put("OTEL_BSP_MAX_QUEUE_SIZE", "100");
    environment.put("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "30");
    assertThat(read().maxQueueSize).isEqualTo(100);
    assertThat(read().maxExportBatchSize).isEqualTo(30);

    environment.put("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "500");
    assertThat(read().maxExportBatchSize).isEqualTo(100);

    environment.put("OTEL_BSP_MAX_QUEUE_SIZE", "many");
    environment.put("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "0");
    BuiltInSettings settings = readReporting();
    assertThat(settings.maxQueueSize).isEqualTo(2048);
    assertThat(settings.maxExportBatchSize).isEqualTo(512);
  }

  @Test
  void environmentNames() {
    assertThat(BuiltInSettings.environmentName("otel.exporter.otlp.traces.endpoint"))
        .isEqualTo("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    assertThat(BuiltInSettings.environmentName("otel.bsp.max.queue.size"))
        .isEqualTo("OTEL_BSP_MAX_QUEUE_SIZE");
  }

  @Test
  void lists() {
    assertThat(BuiltInSettings.list(" a, ,b,,c ")).containsExactly("a", "b", "c");
    assertThat(BuiltInSettings.list(",")).isEmpty();
  }

  @Test
  void xrayExportsToLambdasDaemonAtItsAddress() {
    environment.put("OTEL_TRACES_EXPORTER", "xray");
    environment.put("AWS_XRAY_DAEMON_ADDRESS", "169.254.79.129:2000");

    BuiltInSettings settings = read();

    assertThat(settings.exportXray).isTrue();
    assertThat(settings.exportOtlp).isFalse();
    assertThat(settings.daemonAddress).hasToString("169.254.79.129:2000");
    assertThat(settings.maxQueueSize).isEqualTo(BuiltInSettings.DEFAULT_MAX_QUEUE_SIZE);
  }

  @Test
  void xrayWithoutAnAddressGoesToTheDefaultAndAMalformedOneIsReported() {
    environment.put("OTEL_TRACES_EXPORTER", "xray");
    assertThat(read().daemonAddress).hasToString("127.0.0.1:2000");

    environment.put("AWS_XRAY_DAEMON_ADDRESS", "not an address");
    long before = dev.baton.runtime.internal.Failures.count();
    assertThat(read().daemonAddress).hasToString("127.0.0.1:2000");
    assertThat(dev.baton.runtime.internal.Failures.count()).isEqualTo(before + 1);
  }

  @Test
  void theBuiltInSetupExportsToOnePlace() {
    environment.put("OTEL_TRACES_EXPORTER", "otlp,xray");
    assertThatThrownBy(this::read)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OTEL_TRACES_EXPORTER=otlp,xray")
        .hasMessageContaining("one place");
    environment.put("OTEL_TRACES_EXPORTER", "xray,none");
    assertThat(read().exportXray).isTrue();
  }
}
