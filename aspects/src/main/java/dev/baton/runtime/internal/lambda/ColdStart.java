package dev.baton.runtime.internal.lambda;

import dev.baton.runtime.internal.Failures;
import java.util.concurrent.atomic.AtomicBoolean;
import org.crac.Core;
import org.crac.Resource;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>{@code faas.coldstart}: true for the first invocation this JVM runs, and again for the first
 * invocation after a SnapStart restore. Under SnapStart, code often primes the function by
 * invoking the handler before the snapshot (in a static initialiser or a {@code beforeCheckpoint}
 * hook); that invocation takes the flag, and without more the first real invocation of every
 * restored copy would say false. So the class registers a CRaC resource ({@code org.crac}, which
 * Lambda's Java runtimes drive on SnapStart and which is a no-op elsewhere) whose {@code
 * afterRestore} sets the flag again. Priming invocations themselves report true: they are the
 * first in their JVM.
 */
final class ColdStart implements Resource {

  private static final AtomicBoolean FIRST = new AtomicBoolean(true);

  /** Held strongly: CRaC contexts keep only weak references to their resources. */
  private static final ColdStart RESTORE_HOOK = new ColdStart();

  static {
    try {
      Core.getGlobalContext().register(RESTORE_HOOK);
    } catch (Throwable failure) {
      Failures.report("registering the SnapStart restore hook for faas.coldstart", failure);
    }
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

  @Override
  public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {}

  @Override
  public void afterRestore(org.crac.Context<? extends Resource> context) {
    rearm();
  }
}
