package dev.baton.testing;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the X-Ray daemon that Lambda runs in the sandbox of a function with active
 * tracing, as no local X-Ray exists: a UDP socket on 127.0.0.1 (a free port) that reads
 * datagrams as the daemon does (up to 64 KiB), checks that each is the line {@code
 * {"format":"json","version":1}} and a newline, then {@code T1S} (sampled) or {@code T1U}, then
 * the base64 of an OTLP {@code ExportTraceServiceRequest}, decodes the protobuf and keeps the
 * spans as {@link SpanData} ({@link OtlpSpans}), as {@link OtlpReceiver} does, each datagram
 * numbered in {@link EventOrder} as it arrived ({@link #order(SpanData)}). A datagram
 * that is not like that is counted in {@link #malformed()}, its start kept for the test's message.
 *
 * <p>Its reading thread only takes each datagram in, as the daemon does; the checking and decoding
 * happen when a test asks ({@link #spans()} and the rest), so that the stand-in takes no more CPU
 * from the function beside it than the daemon would (a benchmark measures the function's latency
 * on the same machine).
 *
 * <pre>{@code
 * try (XrayDaemon daemon = XrayDaemon.start()) {
 *   ... environment("OTEL_TRACES_EXPORTER", "xray")
 *       .environment("AWS_XRAY_DAEMON_ADDRESS", daemon.address()) ...
 *   assertThat(daemon.spans()).hasSize(5);
 * }
 * }</pre>
 */
public final class XrayDaemon implements AutoCloseable {

  /** What the daemon reads of one datagram; larger ones arrive cut. */
  public static final int RECEIVE_BUFFER = 64 * 1024;

  private static final byte[] HEADER =
      "{\"format\":\"json\",\"version\":1}\n".getBytes(StandardCharsets.US_ASCII);

  private final DatagramSocket socket;
  private final Thread reader;
  private final List<SpanData> spans = new CopyOnWriteArrayList<>();
  /** When the datagram that carried each span (this very object) arrived; guarded by {@link #spans}. */
  private final Map<SpanData, Long> arrived = new IdentityHashMap<>();

  /** Datagrams read and not yet decoded, with their arrival order; guarded by {@link #spans}. */
  private final List<byte[]> pending = new ArrayList<>();

  private final List<Long> pendingOrder = new ArrayList<>();
  private final List<Integer> datagramSizes = new CopyOnWriteArrayList<>();
  private final List<String> malformed = new CopyOnWriteArrayList<>();

  private XrayDaemon() throws SocketException {
    socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    socket.setReceiveBufferSize(8 * 1024 * 1024);
    reader = new Thread(this::read, "xray-daemon-stand-in");
    reader.setDaemon(true);
    reader.start();
  }

  /** A daemon on 127.0.0.1 and a free port. */
  public static XrayDaemon start() {
    try {
      return new XrayDaemon();
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code 127.0.0.1:<port>}: the value for {@code AWS_XRAY_DAEMON_ADDRESS}. */
  public String address() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  /** Every span received so far, in arrival order. */
  public List<SpanData> spans() {
    decodePending();
    return List.copyOf(spans);
  }

  /** The spans whose trace is {@code traceId} (lower-case hex). */
  public List<SpanData> trace(String traceId) {
    decodePending();
    return spans.stream().filter(span -> span.getTraceId().equals(traceId)).toList();
  }

  /**
   * When the datagram that carried {@code span} (one of {@link #spans()}) arrived, in {@link
   * EventOrder}.
   *
   * @throws IllegalArgumentException if {@code span} did not come from this daemon
   */
  public long order(SpanData span) {
    synchronized (spans) {
      Long order = arrived.get(span);
      if (order == null) {
        throw new IllegalArgumentException("not received by this daemon: " + span);
      }
      return order;
    }
  }

  /**
   * Waits until at least {@code count} spans have arrived (datagrams are read and decoded on a
   * thread of the daemon's own, a little after they were sent), at most {@code timeout}; returns
   * every span received by then.
   */
  public List<SpanData> awaitSpans(int count, java.time.Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (spans) {
      decodePending();
      while (spans.size() < count && System.nanoTime() < deadline) {
        spans.wait(Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        decodePending();
      }
    }
    return spans();
  }

  /** The size of every datagram received, in bytes, in arrival order. */
  public List<Integer> datagramSizes() {
    return List.copyOf(datagramSizes);
  }

  /** The start of every datagram that was not a valid OTLP datagram. */
  public List<String> malformed() {
    decodePending();
    return List.copyOf(malformed);
  }

  @Override
  public void close() {
    socket.close();
    reader.interrupt();
  }

  private void read() {
    byte[] buffer = new byte[RECEIVE_BUFFER];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
      } catch (IOException closed) {
        return;
      }
      byte[] datagram = Arrays.copyOf(packet.getData(), packet.getLength());
      long order = EventOrder.next();
      datagramSizes.add(datagram.length);
      synchronized (spans) {
        pending.add(datagram);
        pendingOrder.add(order);
        spans.notifyAll();
      }
    }
  }

  /** Checks and decodes the datagrams read since the last time, in arrival order. */
  private void decodePending() {
    synchronized (spans) {
      for (int i = 0; i < pending.size(); i++) {
        byte[] datagram = pending.get(i);
        try {
          List<SpanData> decoded = OtlpSpans.toSpanData(ExportTraceServiceRequest.parseFrom(payload(datagram)));
          long order = pendingOrder.get(i);
          decoded.forEach(span -> arrived.put(span, order));
          spans.addAll(decoded);
        } catch (IOException | RuntimeException notOtlp) {
          String start = new String(datagram, 0, Math.min(80, datagram.length), StandardCharsets.US_ASCII);
          malformed.add(start + " (" + notOtlp.getMessage() + ")");
        }
      }
      pending.clear();
      pendingOrder.clear();
    }
  }

  /** The protobuf in a datagram, after the header line and the prefix. */
  private static byte[] payload(byte[] datagram) throws IOException {
    if (datagram.length < HEADER.length + 3
        || !Arrays.equals(datagram, 0, HEADER.length, HEADER, 0, HEADER.length)) {
      throw new IOException("no {\"format\":\"json\",\"version\":1} header line");
    }
    String prefix = new String(datagram, HEADER.length, 3, StandardCharsets.US_ASCII);
    if (!prefix.equals("T1S") && !prefix.equals("T1U")) {
      throw new IOException("prefix " + prefix + " is neither T1S nor T1U");
    }
    return Base64.getDecoder()
        .decode(Arrays.copyOfRange(datagram, HEADER.length + 3, datagram.length));
  }
}
