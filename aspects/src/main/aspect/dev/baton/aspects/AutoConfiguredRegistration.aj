package dev.baton.aspects;

import dev.baton.runtime.internal.sdk.AutoConfiguredTelemetry;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import org.aspectj.lang.annotation.SuppressAjWarnings;

/**
 * The function's own {@code AutoConfiguredOpenTelemetrySdk.builder()...setResultAsGlobal().build()}
 * works with Baton as without it (see {@link GlobalRegistration}): {@code setResultAsGlobal()} only
 * marks the builder, and its {@code build()} registers the SDK through Baton's runtime; Baton then
 * creates its spans with that SDK and flushes it at the end of each invocation. A {@code build()}
 * without {@code setResultAsGlobal()} registers nothing and leaves Baton as it was. Both calls
 * must be in woven code, as they are in the usual builder chain. Woven wherever {@code
 * opentelemetry-sdk-extension-autoconfigure} is on the classpath.
 */
public aspect AutoConfiguredRegistration {

  @SuppressAjWarnings("adviceDidNotMatch")
  AutoConfiguredOpenTelemetrySdkBuilder around(AutoConfiguredOpenTelemetrySdkBuilder builder):
      call(AutoConfiguredOpenTelemetrySdkBuilder AutoConfiguredOpenTelemetrySdkBuilder.setResultAsGlobal())
          && target(builder) && !within(dev.baton.runtime..*) {
    return AutoConfiguredTelemetry.setResultAsGlobal(builder);
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  AutoConfiguredOpenTelemetrySdk around(AutoConfiguredOpenTelemetrySdkBuilder builder):
      call(AutoConfiguredOpenTelemetrySdk AutoConfiguredOpenTelemetrySdkBuilder.build())
          && target(builder) && !within(dev.baton.runtime..*) {
    return AutoConfiguredTelemetry.build(builder);
  }
}
