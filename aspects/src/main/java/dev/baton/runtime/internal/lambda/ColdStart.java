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
 *
 * <p>The resource is not registered where no snapshot can be taken: in a Lambda environment that
 * says it started {@code on-demand} or as {@code provisioned-concurrency} ({@value
 * #INITIALIZATION_TYPE}). There {@code org.crac} is never loaded, which keeps its class loading
 * and probing of the JDK off the first invocation.
 */
final class ColdStart {

  /** How Lambda started this environment: {@code on-demand}, {@code provisioned-concurrency}, {@code snap-start}. */
  static final String INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";

  private static final AtomicBoolean FIRST = new AtomicBoolean(true);

  static {
    if (mayBeRestored(System.getenv(INITIALIZATION_TYPE))) {
      try {
        RestoreHook.register();
      } catch (Throwable failure) {
        Failures.report("registering the SnapStart restore hook for faas.coldstart", failure);
      }
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

  /**
   * Whether a JVM started this way may be checkpointed and restored: not in an on-demand or
   * provisioned-concurrency Lambda environment; under SnapStart, outside Lambda ({@code null}: a
   * CRaC JDK, say) or with an initialisation type Baton does not know, it may.
   */
  static boolean mayBeRestored(String initializationType) {
    return !"on-demand".equals(initializationType)
        && !"provisioned-concurrency".equals(initializationType);
  }

  /** The CRaC resource that re-arms the flag after a restore; loaded only when registered. */
  private static final class RestoreHook implements Resource {

    /** Held strongly: CRaC contexts keep only weak references to their resources. */
    private static final RestoreHook INSTANCE = new RestoreHook();

    static void register() {
      Core.getGlobalContext().register(INSTANCE);
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {}

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
      rearm();
    }
  }
}
