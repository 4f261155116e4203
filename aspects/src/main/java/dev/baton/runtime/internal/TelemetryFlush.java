package dev.baton.runtime.internal;

import io.opentelemetry.context.ContextKey;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Exports what the OpenTelemetry instance in use has kept, at the end of each invocation,
 * waiting at most a given time. Kept apart from the SDK's types so that the runtime core never
 * loads them: it is implemented outside the core, by {@code
 * dev.baton.runtime.internal.sdk.SdkFlush} (an SDK's spans, metrics and logs) and {@code
 * dev.baton.runtime.internal.export.InvocationSpanBuffer} (the built-in setup's spans, kept per
 * invocation).
 *
 * <p>Concurrent invocations (Lambda Managed Instances run many at once on threads of one JVM)
 * each begin and flush on their own: {@link #begin()} gives an invocation what it keeps, which
 * the invocation carries in its {@link io.opentelemetry.context.Context} under {@link
 * #INVOCATION}, so that every span started in that context belongs to it and to no other
 * invocation; {@link #flush} exports that invocation's spans and no one else's still running.
 */
public interface TelemetryFlush {

  /** Where an invocation's context carries what {@link #begin()} gave it. */
  ContextKey<Invocation> INVOCATION = ContextKey.named("dev.baton.invocation");

  /**
   * What one invocation keeps until its flush; opaque to the runtime core, which only carries it
   * in the invocation's context, and says when the invocation failed.
   */
  interface Invocation {

    /**
     * The invocation failed (the handler threw, an HTTP response of 5xx, SQS batch item
     * failures): its spans are exported even where the sampler did not sample them.
     */
    default void failed() {}
  }

  /**
   * An invocation starts now: what it keeps, or null when this flush keeps nothing per
   * invocation (an SDK's own span processors, which export what they hold).
   */
  default Invocation begin() {
    return null;
  }

  /**
   * Exports what {@code invocation} (from {@link #begin()}, or null) kept, with what waits from
   * before (spans that ended after their invocation's flush, spans of no invocation), and waits
   * for the export at most {@code timeoutMillis}. May throw: callers go through {@link
   * BatonTelemetry#flush}, which does not.
   */
  void flush(Invocation invocation, long timeoutMillis) throws Exception;

  /**
   * Whether {@link #prime} exercises the export of an invocation's spans without sending them, so
   * that a priming invocation (SnapStart, before the snapshot) may create spans: false for a flush
   * whose spans go out on their own (an SDK's span processors).
   */
  default boolean primesWithoutExport() {
    return false;
  }

  /**
   * Takes what {@code invocation} kept and goes through its export up to the collector's socket
   * (encoding, the request) without sending anything, then lets it go: loads and warms the export
   * path before a SnapStart snapshot. May throw.
   */
  default void prime(Invocation invocation) throws Exception {}
}
