package dev.baton.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ZipkinServerPortTest {

  @Test
  void zipkinsPortIsFreeAndBelowTheEphemeralRangeSoNoPortZeroBindTakesIt() throws Exception {
    int port = ZipkinServer.portAwayFromEphemeral();

    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertThat(socket.getLocalPort()).isEqualTo(port);
    }
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    if (Files.isReadable(range)) {
      int low = Integer.parseInt(Files.readString(range).trim().split("\\s+")[0]);
      if (low > 11_000) {
        assertThat(port).isBetween(10_000, low - 1);
      }
    }
  }
}
