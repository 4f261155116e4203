package dev.baton.runtime.internal.sdk;

import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.export.XrayUdpSpanExporter;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>{@code OTEL_TRACES_EXPORTER=xray} with autoconfigure: Baton's exporter to Lambda's X-Ray
 * daemon over UDP ({@link XrayUdpSpanExporter}), found by autoconfigure through its own extension
 * point ({@code META-INF/services}). The address is {@code AWS_XRAY_DAEMON_ADDRESS}, as with the
 * built-in setup; a malformed one is reported once and the default used.
 */
public final class XrayExporterProvider implements ConfigurableSpanExporterProvider {

  @Override
  public SpanExporter createExporter(ConfigProperties config) {
    String value = System.getenv(BuiltInSettings.DAEMON_ADDRESS);
    XrayUdpSpanExporter.DaemonAddress address;
    try {
      address = XrayUdpSpanExporter.DaemonAddress.parse(value);
    } catch (IllegalArgumentException malformed) {
      Failures.reportInput(
          "a bad " + BuiltInSettings.DAEMON_ADDRESS,
          malformed.getMessage() + "; using " + XrayUdpSpanExporter.DaemonAddress.DEFAULT);
      address = XrayUdpSpanExporter.DaemonAddress.parse(null);
    }
    return new XrayUdpSpanExporter(address);
  }

  @Override
  public String getName() {
    return BuiltInSettings.XRAY;
  }
}
