package dev.baton.runtime.internal.sdk;

import dev.baton.runtime.internal.TelemetryFlush;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Flushes an {@link OpenTelemetrySdk}'s tracer, meter and logger providers together and waits
 * for them at most the given time. The only place besides {@link AutoConfiguredTelemetry} that
 * touches the SDK's classes, so that a function without the SDK never loads them.
 */
public final class SdkFlush implements TelemetryFlush {

  private final OpenTelemetrySdk sdk;

  private SdkFlush(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
  }

  /** A flush of {@code sdk}'s three providers. */
  public static TelemetryFlush of(OpenTelemetrySdk sdk) {
    return new SdkFlush(sdk);
  }

  @Override
  public void flush(long timeoutMillis) throws TimeoutException {
    CompletableResultCode all =
        CompletableResultCode.ofAll(
            Arrays.asList(
                sdk.getSdkTracerProvider().forceFlush(),
                sdk.getSdkMeterProvider().forceFlush(),
                sdk.getSdkLoggerProvider().forceFlush()));
    all.join(timeoutMillis, TimeUnit.MILLISECONDS);
    if (!all.isDone()) {
      throw new TimeoutException(
          "the exporter did not finish within " + timeoutMillis + " ms (BATON_FLUSH_TIMEOUT_MS)");
    }
    if (!all.isSuccess()) {
      Throwable cause = all.getFailureThrowable();
      throw new IllegalStateException("the exporter reported a failure", cause);
    }
  }

  @Override
  public String toString() {
    return "SdkFlush[" + sdk + "]";
  }
}
