package dev.baton.runtime.internal.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watchdog against real connected sockets on loopback whose peer never writes. */
class ExportDeadlinesTest {

  private ServerSocket server;
  private Socket client;
  private Socket peer;

  @BeforeEach
  void connect() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    client = new Socket(server.getInetAddress(), server.getLocalPort());
    peer = server.accept();
  }

  @AfterEach
  void closeAll() throws IOException {
    client.close();
    peer.close();
    server.close();
  }

  private static long inMillis(long millis) {
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void aReadWithNoTimeoutEndsAtTheDeadline() {
    try (ExportDeadlines.Watch watch = ExportDeadlines.watch(inMillis(200))) {
      watch.cover(client);
      long start = System.nanoTime();

      assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketException.class);

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(150), Duration.ofSeconds(5));
      assertThat(watch.expired()).isTrue();
      assertThat(watch.uncover()).as("a socket it cut is not to be kept").isFalse();
    }
  }

  @Test
  void aSocketCoveredAfterTheDeadlineIsClosedAtOnce() {
    // As when the deadline passed while the export was still looking up the address.
    try (ExportDeadlines.Watch watch = ExportDeadlines.watch(System.nanoTime() - 1)) {
      watch.cover(client);

      assertThat(client.isClosed()).isTrue();
      assertThat(watch.expired()).isTrue();
    }
  }

  @Test
  void anExpiredWatchKeepsCuttingUntilClosed() throws Exception {
    try (Socket second = new Socket(server.getInetAddress(), server.getLocalPort());
        ExportDeadlines.Watch watch = ExportDeadlines.watch(inMillis(50))) {
      watch.cover(client);
      assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketException.class);

      watch.cover(second);

      assertThat(second.isClosed()).isTrue();
    }
  }

  @Test
  void aWatchClosedBeforeItsDeadlineLeavesTheSocketAlone() throws Exception {
    ExportDeadlines.Watch watch = ExportDeadlines.watch(inMillis(100));
    watch.cover(client);
    assertThat(watch.uncover()).isTrue();
    watch.close();
    // Another watch, so that the watchdog has run past the first one's deadline.
    try (ExportDeadlines.Watch later = ExportDeadlines.watch(inMillis(200))) {
      later.cover(peer);
      assertThatThrownBy(() -> peer.getInputStream().read()).isInstanceOf(SocketException.class);
    }

    assertThat(client.isClosed()).isFalse();
    assertThat(watch.expired()).isFalse();
  }
}
