package dev.baton.runtime.internal;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Baton's version as a constant, so that nothing is read from a resource on a cold start. A
 * test checks it against the build's project version.
 */
public final class BatonVersion {

  /** The version of this build of Baton. */
  public static final String VERSION = "0.1.0-SNAPSHOT";

  private BatonVersion() {}
}
