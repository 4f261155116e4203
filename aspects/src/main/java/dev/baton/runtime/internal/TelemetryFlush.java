package dev.baton.runtime.internal;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Exports what the OpenTelemetry instance in use has buffered, waiting at most a given time. Kept
 * apart from the SDK's types so that the runtime core never loads them: it is implemented outside
 * the core, by {@code dev.baton.runtime.internal.sdk.SdkFlush} (an SDK's spans, metrics and logs)
 * and {@code dev.baton.runtime.internal.export.InvocationSpanBuffer} (the built-in setup's spans).
 */
@FunctionalInterface
public interface TelemetryFlush {

  /**
   * Exports what is buffered (spans; for {@code SdkFlush} also metrics and logs) and waits for
   * the export at most {@code timeoutMillis}. May throw: callers go through {@link
   * BatonTelemetry#flush(long)}, which does not.
   */
  void flush(long timeoutMillis) throws Exception;
}
