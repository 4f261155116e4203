package dev.baton.runtime.internal.sdk;

import dev.baton.runtime.internal.Restores;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.sdk.trace.IdGenerator;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Trace and span ids that stay unique across the copies SnapStart restores from one snapshot.
 * The SDK's own generator draws from {@link ThreadLocalRandom}, whose seeds are part of the
 * snapshot: every restored copy would draw the same ids. This one draws from {@link
 * ThreadLocalRandom} as fast, and XORs each id with a salt read from {@code /dev/urandom} (which
 * Lambda makes unique per restored copy) when the generator is created and again after every
 * restore ({@link Restores}). XOR with a constant keeps ids as random and as distinct as they
 * were; two copies with equal draws get different ids because their salts differ.
 */
final class RestoreSafeIds implements IdGenerator {

  private static final String URANDOM = "/dev/urandom";

  private final LongSupplier random;
  private final boolean xray;
  private volatile Salt salt = Salt.fresh();

  private RestoreSafeIds(LongSupplier random, boolean xray) {
    this.random = random;
    this.xray = xray;
  }

  /** A new generator on {@link ThreadLocalRandom}, salted now and after every restore. */
  static RestoreSafeIds create() {
    return create(false);
  }

  /**
   * A new generator on {@link ThreadLocalRandom}; with {@code xray}, its trace ids are X-Ray's:
   * the first four bytes are the epoch seconds, as AWS's own id generator makes them.
   */
  static RestoreSafeIds create(boolean xray) {
    return create(ThreadLocalLongs.INSTANCE, xray);
  }

  /** A new generator drawing from {@code random} (tests: copies that draw alike). */
  static RestoreSafeIds create(LongSupplier random) {
    return create(random, false);
  }

  static RestoreSafeIds create(LongSupplier random, boolean xray) {
    RestoreSafeIds ids = new RestoreSafeIds(random, xray);
    Restores.afterRestore(new Resalt(ids));
    return ids;
  }

  @Override
  public String generateSpanId() {
    long mask = salt.span;
    long id;
    do {
      id = random.getAsLong() ^ mask;
    } while (id == 0);
    return SpanId.fromLong(id);
  }

  @Override
  public String generateTraceId() {
    Salt current = salt;
    long high;
    long low;
    do {
      high = random.getAsLong() ^ current.traceHigh;
      low = random.getAsLong() ^ current.traceLow;
    } while (high == 0 && low == 0);
    if (xray) {
      high = (System.currentTimeMillis() / 1000) << 32 | (high & 0xffffffffL);
    }
    return TraceId.fromLongs(high, low);
  }

  @Override
  public boolean generatesRandomTraceIds() {
    return true;
  }

  /** Draws a new salt, as a restore does. */
  void resalt() {
    salt = Salt.fresh();
  }

  @Override
  public String toString() {
    return "RestoreSafeIds";
  }

  /** Three random longs. */
  private static final class Salt {
    final long traceHigh;
    final long traceLow;
    final long span;

    private Salt(long traceHigh, long traceLow, long span) {
      this.traceHigh = traceHigh;
      this.traceLow = traceLow;
      this.span = span;
    }

    /**
     * From {@code /dev/urandom}; where there is none (not Linux), from the clocks and an identity
     * hash, mixed: unique enough, as only restored copies need the salt to differ.
     */
    static Salt fresh() {
      byte[] bytes = new byte[24];
      try (InputStream in = new FileInputStream(URANDOM)) {
        int read = 0;
        while (read < bytes.length) {
          int n = in.read(bytes, read, bytes.length - read);
          if (n < 0) {
            throw new IOException("end of " + URANDOM);
          }
          read += n;
        }
        return new Salt(longAt(bytes, 0), longAt(bytes, 8), longAt(bytes, 16));
      } catch (IOException | SecurityException noUrandom) {
        long seed =
            System.nanoTime() ^ System.currentTimeMillis() * 31 ^ System.identityHashCode(bytes);
        return new Salt(mix(seed), mix(seed + 1), mix(seed + 2));
      }
    }

    private static long longAt(byte[] bytes, int offset) {
      long value = 0;
      for (int i = 0; i < 8; i++) {
        value = value << 8 | (bytes[offset + i] & 0xff);
      }
      return value;
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
      z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
      z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
      return z ^ (z >>> 31);
    }
  }

  /** {@link ThreadLocalRandom#nextLong()}: a class, not a lambda, on the cold path. */
  private enum ThreadLocalLongs implements LongSupplier {
    INSTANCE;

    @Override
    public long getAsLong() {
      return ThreadLocalRandom.current().nextLong();
    }
  }

  /** Renews the salt after a restore (a class, not a lambda, on the cold path). */
  private static final class Resalt implements Runnable {
    private final RestoreSafeIds ids;

    Resalt(RestoreSafeIds ids) {
      this.ids = ids;
    }

    @Override
    public void run() {
      ids.resalt();
    }
  }
}
