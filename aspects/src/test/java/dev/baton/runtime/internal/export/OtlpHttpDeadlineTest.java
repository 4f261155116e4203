package dev.baton.runtime.internal.export;

import static dev.baton.runtime.internal.export.OtlpHttpSpanExporterTest.spans;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every step of an export before the answer, held to the export's deadline: the address lookup,
 * the connect, the request's write and the TLS handshake, each against something real that does
 * not end by itself (a lookup that waits, a listen backlog that is full, a collector that does not
 * read, a server that does not speak TLS). The slack over the budget is for a loaded machine.
 */
class OtlpHttpDeadlineTest {

  private static final Duration SLACK = Duration.ofMillis(150);

  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable closeable : closing) {
      closeable.close();
    }
  }

  private record Timed(CompletableResultCode result, Duration took) {}

  private static Timed export(OtlpHttpSpanExporter exporter, List<SpanData> spans, long budgetMillis) {
    long start = System.nanoTime();
    CompletableResultCode result =
        exporter.export(spans, start + TimeUnit.MILLISECONDS.toNanos(budgetMillis));
    return new Timed(result, Duration.ofNanos(System.nanoTime() - start));
  }

  /** A lookup that waits until released, then gives the loopback address; counts its calls. */
  private static final class HeldLookup implements CollectorEndpoint.Lookup {
    final CountDownLatch release = new CountDownLatch(1);
    final List<String> hosts = new CopyOnWriteArrayList<>();

    @Override
    public InetAddress lookUp(String host) throws IOException {
      hosts.add(host);
      try {
        release.await();
      } catch (InterruptedException interrupted) {
        throw new IOException(interrupted);
      }
      return InetAddress.getLoopbackAddress();
    }
  }

  @Test
  void aLookupThatOutlivesTheBudgetCutsTheExportOffAndServesTheNextOne() throws Exception {
    ScriptedCollector collector = ScriptedCollector.start();
    closing.add(collector);
    HeldLookup lookup = new HeldLookup();
    closing.add(lookup.release::countDown);
    OtlpHttpSpanExporter exporter =
        new OtlpHttpSpanExporter(
            URI.create("http://collector.internal:" + collector.port() + "/v1/traces").toURL(),
            Map.of(), 10_000, false, lookup, null);

    Timed first = export(exporter, spans(1), 300);

    assertThat(first.took()).isLessThanOrEqualTo(Duration.ofMillis(300).plus(SLACK));
    assertThat(first.result().getFailureThrowable())
        .isInstanceOf(OtlpHttpSpanExporter.DeadlineException.class)
        .hasMessageContaining("cut off while looking up the collector's address");
    assertThat(collector.connections()).isZero();

    lookup.release.countDown();
    Timed second = export(exporter, spans(1), 5_000);

    assertThat(second.result().isSuccess()).as("%s", second.result().getFailureThrowable()).isTrue();
    assertThat(lookup.hosts).as("one lookup, started with the exporter").containsExactly("collector.internal");
  }

  @Test
  void aConnectFailureMakesTheNextExportLookTheAddressUpAgain() throws Exception {
    ScriptedCollector collector = ScriptedCollector.start();
    closing.add(collector);
    List<String> lookups = new CopyOnWriteArrayList<>();
    // First an address where nothing listens (as after the collector moved), then the right one.
    CollectorEndpoint.Lookup moved = host -> {
      lookups.add(host);
      return InetAddress.getByName(lookups.size() == 1 ? "127.0.0.2" : "127.0.0.1");
    };
    OtlpHttpSpanExporter exporter =
        new OtlpHttpSpanExporter(
            URI.create("http://collector.internal:" + collector.port() + "/v1/traces").toURL(),
            Map.of(), 5_000, false, moved, null);

    CompletableResultCode refused = exporter.export(spans(1));
    CompletableResultCode next = exporter.export(spans(1));

    assertThat(refused.isSuccess()).isFalse();
    assertThat(next.isSuccess()).as("%s", next.getFailureThrowable()).isTrue();
    assertThat(lookups).hasSize(2);
  }

  @Test
  void aConnectThatIsNeverAcceptedIsCutOffAtTheBudget() throws Exception {
    // A listening socket whose backlog is full: the kernel drops further SYNs, and a connect waits.
    ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    closing.add(full);
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort());
    boolean waiting = false;
    for (int i = 0; i < 16 && !waiting; i++) {
      Socket filler = new Socket();
      closing.add(filler);
      try {
        filler.connect(address, 200);
      } catch (SocketTimeoutException refusedToQueue) {
        waiting = true;
      }
    }
    assumeTrue(waiting, "this kernel refuses a connect to a full backlog (Linux leaves it waiting)");
    OtlpHttpSpanExporter exporter =
        new OtlpHttpSpanExporter(
            URI.create("http://127.0.0.1:" + full.getLocalPort() + "/v1/traces").toURL(), Map.of(), 10_000, false);

    Timed export = export(exporter, spans(1), 300);

    assertThat(export.took()).isLessThanOrEqualTo(Duration.ofMillis(300).plus(SLACK));
    assertThat(export.result().getFailureThrowable())
        .isInstanceOf(OtlpHttpSpanExporter.DeadlineException.class)
        .hasMessageContaining("cut off while connecting");
  }

  /**
   * A collector that accepts connections and never reads from them: once the socket buffers are
   * full, a write to it blocks, and no socket timeout applies to writes.
   */
  private OtlpHttpSpanExporter deafCollector() throws IOException {
    ServerSocket deaf = new ServerSocket();
    closing.add(deaf);
    deaf.setReceiveBufferSize(4096);
    deaf.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    Thread acceptor = new Thread(() -> {
      try {
        while (true) {
          accepted.add(deaf.accept());
        }
      } catch (IOException closed) {
        // the test is over
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
    closing.add(() -> accepted.forEach(ExportDeadlines::closeQuietly));
    return new OtlpHttpSpanExporter(
        URI.create("http://127.0.0.1:" + deaf.getLocalPort() + "/v1/traces").toURL(), Map.of(), 60_000, false);
  }

  @Test
  void aCollectorThatDoesNotReadTheRequestIsCutOffAtTheBudget() throws Exception {
    Timed export = export(deafCollector(), bigSpans(), 1_000);

    assertThat(export.took()).isLessThanOrEqualTo(Duration.ofMillis(1_000).plus(SLACK));
    assertThat(export.result().getFailureThrowable())
        .isInstanceOf(OtlpHttpSpanExporter.DeadlineException.class)
        .hasMessageContaining("cut off while sending the spans");
  }

  @Test
  void twoBlockedWritesAreEachCutOffAtTheirOwnDeadline() throws Exception {
    // Both wait on the watchdog alone (a write has no timeout); the first cut must not delay the
    // second.
    OtlpHttpSpanExporter first = deafCollector();
    OtlpHttpSpanExporter second = deafCollector();
    List<SpanData> spans = bigSpans();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    closing.add(pool::shutdownNow);

    Future<Timed> stuck = pool.submit(() -> export(first, spans, 700));
    Thread.sleep(100);
    Future<Timed> next = pool.submit(() -> export(second, spans, 700));

    for (Timed export : List.of(stuck.get(10, TimeUnit.SECONDS), next.get(10, TimeUnit.SECONDS))) {
      assertThat(export.took()).isLessThanOrEqualTo(Duration.ofMillis(700).plus(SLACK));
      assertThat(export.result().getFailureThrowable())
          .isInstanceOf(OtlpHttpSpanExporter.DeadlineException.class)
          .hasMessageContaining("cut off while sending the spans");
    }
  }

  @Test
  void aServerThatNeverNegotiatesTlsIsCutOffAtTheBudget() throws Exception {
    // Accepts, reads the ClientHello, never answers it.
    ScriptedCollector plain = ScriptedCollector.start();
    closing.add(plain);
    plain.silent();
    OtlpHttpSpanExporter exporter =
        new OtlpHttpSpanExporter(
            URI.create("https://127.0.0.1:" + plain.port() + "/v1/traces").toURL(),
            Map.of(), 60_000, false, CollectorEndpoint.DNS, ScriptedCollector.trustingFactory());

    Timed export = export(exporter, spans(1), 300);

    assertThat(export.took()).isLessThanOrEqualTo(Duration.ofMillis(300).plus(SLACK));
    assertThat(export.result().getFailureThrowable())
        .isInstanceOf(OtlpHttpSpanExporter.DeadlineException.class)
        .hasMessageContaining("cut off while negotiating TLS");
  }

  /** Some 16 MB of spans: more than a loopback socket's buffers hold. */
  private static List<SpanData> bigSpans() {
    String name = "x".repeat(64 * 1024);
    List<SpanData> spans = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      spans.add(
          TestSpanData.builder()
              .setSpanContext(SpanContext.create(
                  "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault()))
              .setResource(Resource.getDefault())
              .setInstrumentationScopeInfo(InstrumentationScopeInfo.create("dev.baton"))
              .setName(name)
              .setKind(SpanKind.INTERNAL)
              .setStartEpochNanos(1_000)
              .setEndEpochNanos(2_000)
              .setStatus(StatusData.unset())
              .setHasEnded(true)
              .build());
    }
    return spans;
  }
}
