package dev.baton.runtime.internal.lambda;

import dev.baton.runtime.internal.Restores;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>{@code faas.coldstart}: true for the first invocation this JVM runs, and again for the first
 * invocation after a SnapStart restore. Under SnapStart, code often primes the function by
 * invoking the handler before the snapshot (in a static initialiser or a {@code beforeCheckpoint}
 * hook); that invocation takes the flag, and without more the first real invocation of every
 * restored copy would say false. So the flag is set again after every restore ({@link Restores},
 * registered with this class, before any invocation can take the flag). Priming invocations
 * themselves report true: they are the first in their JVM. With invocations running at once
 * (Managed Instances), exactly one of the first ones takes it.
 */
final class ColdStart {

  private static final AtomicBoolean FIRST = new AtomicBoolean(true);

  static {
    Restores.afterRestore(new Rearm());
  }

  private ColdStart() {}

  /** True exactly once per JVM start or restore: for the invocation that calls it first. */
  static boolean take() {
    return FIRST.getAndSet(false);
  }

  /** Makes the next invocation a cold start again, as a restore does. */
  static void rearm() {
    FIRST.set(true);
  }

  /** A class rather than a method reference, which would spin a lambda on the cold path. */
  private static final class Rearm implements Runnable {
    @Override
    public void run() {
      rearm();
    }
  }
}
