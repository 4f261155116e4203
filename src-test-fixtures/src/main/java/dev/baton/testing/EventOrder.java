package dev.baton.testing;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One counter shared by {@link LocalLambdaRuntime} and {@link OtlpReceiver}: each numbers what it
 * receives with {@link #next()}, so a test can tell that spans arrived before the handler's
 * response did, without looking at clocks.
 */
public final class EventOrder {

  private static final AtomicLong COUNTER = new AtomicLong();

  private EventOrder() {}

  /** A number larger than every number handed out before. */
  public static long next() {
    return COUNTER.incrementAndGet();
  }
}
