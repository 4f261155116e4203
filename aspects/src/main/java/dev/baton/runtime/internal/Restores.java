package dev.baton.runtime.internal;

import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Core;
import org.crac.Resource;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>What Baton's runtime does after a SnapStart restore. Lambda snapshots an initialised JVM and
 * restores many copies of it, so state computed before the snapshot (a random salt, a "first
 * invocation" flag) is the same in every copy. Code that must differ per copy registers here
 * ({@link #afterRestore}); a CRaC resource ({@code org.crac}, which Lambda's Java runtimes drive
 * on SnapStart through the runtime client's own context, and which is a no-op elsewhere) runs
 * the actions after each restore, in the order they were registered.
 *
 * <p>Nothing is registered where no snapshot can be taken: in a Lambda environment that says it
 * started {@code on-demand} or as {@code provisioned-concurrency} ({@value #INITIALIZATION_TYPE}).
 * There {@code org.crac} is never loaded, which keeps its class loading and probing of the JDK
 * off the cold start. An action must be registered before the snapshot to run after it: register
 * in the same step that computes the state it renews.
 */
public final class Restores {

  /** How Lambda started this environment: {@code on-demand}, {@code provisioned-concurrency}, {@code snap-start}. */
  public static final String INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";

  private static final boolean MAY_BE_RESTORED = mayBeRestored(initializationType());
  private static final CopyOnWriteArrayList<Runnable> ACTIONS = new CopyOnWriteArrayList<>();
  private static final CopyOnWriteArrayList<Runnable> BEFORE_CHECKPOINT = new CopyOnWriteArrayList<>();

  private Restores() {}

  /**
   * Runs {@code action} after every restore of this JVM from a snapshot (it must not throw; a
   * failure is reported and the others still run). Does nothing where no snapshot can be taken.
   */
  public static void afterRestore(Runnable action) {
    if (!MAY_BE_RESTORED) {
      return;
    }
    ACTIONS.add(action);
    try {
      Hook.register();
    } catch (Throwable failure) {
      Failures.report("registering Baton's SnapStart restore hook", failure);
    }
  }

  /**
   * Runs {@code action} before the snapshot is taken (priming), in the CRaC hook's {@code
   * beforeCheckpoint}: a failure is reported and never reaches Lambda's runtime client, for which
   * a hook that throws fails the init. Does nothing where no snapshot can be taken; register during
   * init, before the snapshot.
   */
  public static void beforeCheckpoint(Runnable action) {
    if (!MAY_BE_RESTORED) {
      return;
    }
    BEFORE_CHECKPOINT.add(action);
    try {
      Hook.register();
    } catch (Throwable failure) {
      Failures.report("registering Baton's SnapStart hook", failure);
    }
  }

  /** Runs the actions registered for before the snapshot, as the CRaC hook does (and tests). */
  public static void checkpointing() {
    for (Runnable action : BEFORE_CHECKPOINT) {
      try {
        action.run();
      } catch (Throwable failure) {
        Failures.report("priming tracing before a SnapStart snapshot", failure);
      }
    }
  }

  /** Runs the registered actions, as a restore does (the CRaC hook, and tests). */
  public static void restored() {
    for (Runnable action : ACTIONS) {
      try {
        action.run();
      } catch (Throwable failure) {
        Failures.report("renewing state after a SnapStart restore", failure);
      }
    }
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

  private static String initializationType() {
    try {
      return System.getenv(INITIALIZATION_TYPE);
    } catch (Throwable failure) {
      Failures.report("reading " + INITIALIZATION_TYPE, failure);
      return null;
    }
  }

  /** The CRaC resource; loaded only when something registers. */
  private static final class Hook implements Resource {

    /** Held strongly: CRaC contexts keep only weak references to their resources. */
    private static final Hook INSTANCE = new Hook();

    private static boolean registered;

    static synchronized void register() {
      if (!registered) {
        Core.getGlobalContext().register(INSTANCE);
        registered = true;
      }
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
      try {
        checkpointing();
      } catch (Throwable failure) {
        // Never into the runtime client: a hook that throws fails the init.
        Failures.report("priming tracing before a SnapStart snapshot", failure);
      }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
      try {
        restored();
      } catch (Throwable failure) {
        Failures.report("renewing state after a SnapStart restore", failure);
      }
    }
  }
}
