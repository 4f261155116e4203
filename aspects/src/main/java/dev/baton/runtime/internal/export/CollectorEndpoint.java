package dev.baton.runtime.internal.export;

import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>What the exporter needs before it can connect to the collector, prepared off the export's
 * path: the address of the endpoint's host and, for https, the TLS socket factory. Neither a DNS
 * lookup (it takes no timeout and cannot be interrupted) nor the first use of the JDK's default
 * {@link SSLContext} (it reads the trust store) can be bounded, so both run on a short-lived
 * daemon thread ({@code baton-export-lookup}), started when the endpoint is made so that it
 * overlaps the function's first invocation. An export waits for them at most until its own
 * deadline; a lookup that outlives it goes on, and a later export uses its result.
 *
 * <p>The address is kept. It is looked up again in the background when it is older than {@value
 * #REFRESH_SECONDS} s (the JDK's own DNS cache time), the old one serving meanwhile, and again,
 * with the next export waiting for it, after a connection to it failed. An IP literal is never
 * looked up.
 *
 * <p>Thread-safe: concurrent exports share one lookup.
 */
final class CollectorEndpoint {

  static final long REFRESH_SECONDS = 30;
  private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(REFRESH_SECONDS);

  /** How a host name becomes an address ({@link #DNS}, or a slow one in tests). */
  interface Lookup {
    InetAddress lookUp(String host) throws IOException;
  }

  /** The JDK's resolver: {@link InetAddress#getByName}. */
  static final Lookup DNS = new JdkLookup();

  private final String host;
  private final Lookup lookup;
  private final boolean tls;

  // All guarded by this.
  private InetAddress address;
  private long lookedUpAt;
  private boolean usable;
  private SSLSocketFactory tlsFactory;
  private boolean preparing;
  private long prepared;
  private Exception failure;

  /**
   * The endpoint at {@code host} (an IP literal, IPv6 in brackets or not, or a name that {@code
   * lookup} resolves); with {@code tls}, connections use {@code tlsFactory}, or the JDK's default
   * when it is null.
   */
  CollectorEndpoint(String host, Lookup lookup, boolean tls, SSLSocketFactory tlsFactory) {
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    this.host = bare;
    this.lookup = lookup;
    this.tls = tls;
    synchronized (this) {
      this.tlsFactory = tlsFactory;
      if (isIpLiteral(bare)) {
        try {
          // A literal is parsed, never looked up.
          address = InetAddress.getByName(bare);
          usable = true;
        } catch (UnknownHostException notALiteral) {
          // isIpLiteral is strict enough that this cannot happen; look it up like a name then.
        }
      }
      if (!ready()) {
        prepare();
      }
    }
  }

  /** The host as the endpoint names it (IPv6 without brackets). */
  String host() {
    return host;
  }

  /** Whether the host is an IP literal, which is never looked up. */
  boolean literal() {
    return isIpLiteral(host);
  }

  /**
   * The collector's address, waiting for its lookup at most until {@code deadlineNanos}.
   *
   * @throws SocketTimeoutException when the lookup did not end in time (it goes on)
   * @throws UnknownHostException when the host has no address
   */
  synchronized InetAddress address(long deadlineNanos) throws IOException {
    awaitPrepared(deadlineNanos);
    if (!literal() && System.nanoTime() - lookedUpAt > REFRESH_NANOS && !preparing) {
      // Served by the address it has; the next connection may use a newer one.
      prepare();
    }
    return address;
  }

  /**
   * The TLS socket factory (null when the endpoint is not https), waiting for it at most until
   * {@code deadlineNanos}.
   */
  synchronized SSLSocketFactory tlsFactory(long deadlineNanos) throws IOException {
    if (!tls) {
      return null;
    }
    awaitPrepared(deadlineNanos);
    return tlsFactory;
  }

  /**
   * A connection to {@code tried} failed: the next export waits for a new lookup (started now)
   * instead of trying the same address again.
   */
  synchronized void connectFailed(InetAddress tried) {
    if (!literal() && tried.equals(address)) {
      usable = false;
      if (!preparing) {
        prepare();
      }
    }
  }

  /** Whether everything is there to connect. */
  private boolean ready() {
    return address != null && usable && (!tls || tlsFactory != null);
  }

  private void awaitPrepared(long deadlineNanos) throws IOException {
    if (ready()) {
      return;
    }
    if (!preparing) {
      prepare();
    }
    long waitingFor = prepared + 1;
    boolean interrupted = false;
    try {
      while (prepared < waitingFor) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          throw new SocketTimeoutException(
              (address == null || !usable ? "looking up " + host : "setting up TLS")
                  + " took longer than the export's time; it goes on for the next export");
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException interruption) {
          // Exports are not interruptible (a socket's I/O is not either); the wait is bounded.
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (ready()) {
      return;
    }
    Exception cause = failure;
    if (cause instanceof UnknownHostException) {
      UnknownHostException unknown = new UnknownHostException(cause.getMessage());
      unknown.initCause(cause);
      throw unknown;
    }
    throw new IOException("the OTLP endpoint " + host + " could not be prepared: " + cause, cause);
  }

  /** Starts the background work; the caller holds this. */
  private void prepare() {
    preparing = true;
    Thread thread = new Thread(new Preparation(this), "baton-export-lookup");
    thread.setDaemon(true);
    try {
      thread.start();
    } catch (Throwable noThread) {
      preparing = false;
      throw noThread;
    }
  }

  /** The background work; a class, not a lambda, to keep the cold path short. */
  private static final class Preparation implements Runnable {
    private final CollectorEndpoint endpoint;

    Preparation(CollectorEndpoint endpoint) {
      this.endpoint = endpoint;
    }

    @Override
    public void run() {
      InetAddress found = null;
      SSLSocketFactory factory = null;
      Exception failed = null;
      boolean lookUp = !endpoint.literal();
      boolean needTls;
      synchronized (endpoint) {
        needTls = endpoint.tls && endpoint.tlsFactory == null;
      }
      try {
        if (lookUp) {
          found = endpoint.lookup.lookUp(endpoint.host);
        }
        if (needTls) {
          factory = SSLContext.getDefault().getSocketFactory();
        }
      } catch (IOException | NoSuchAlgorithmException | RuntimeException failure) {
        failed = failure;
      } finally {
        synchronized (endpoint) {
          if (found != null) {
            endpoint.address = found;
            endpoint.lookedUpAt = System.nanoTime();
            endpoint.usable = true;
          }
          if (factory != null) {
            endpoint.tlsFactory = factory;
          }
          endpoint.failure = failed;
          endpoint.preparing = false;
          endpoint.prepared++;
          endpoint.notifyAll();
        }
      }
    }
  }

  /** {@link InetAddress#getByName}; a class, not a method reference. */
  private static final class JdkLookup implements Lookup {
    @Override
    public InetAddress lookUp(String host) throws UnknownHostException {
      return InetAddress.getByName(host);
    }
  }

  /** Whether {@code host} is an IPv4 literal (a.b.c.d, each 0-255) or an IPv6 one (has a ':'). */
  static boolean isIpLiteral(String host) {
    if (host.indexOf(':') >= 0) {
      return true;
    }
    int parts = 0;
    int value = -1;
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c == '.') {
        if (value < 0) {
          return false;
        }
        parts++;
        value = -1;
      } else if (c >= '0' && c <= '9') {
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        if (value > 255) {
          return false;
        }
      } else {
        return false;
      }
    }
    return value >= 0 && parts == 3;
  }
}
