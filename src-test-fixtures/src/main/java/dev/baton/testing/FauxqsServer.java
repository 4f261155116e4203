package dev.baton.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A real SNS (and its own SQS) for tests: fauxqs, an SNS/SQS emulator on Node 22, started as a
 * child process bound to 127.0.0.1 on a free port. The build installs it with {@code npm ci} into
 * {@code src-test-fixtures/fauxqs/node_modules} (system property {@code baton.fauxqs.dir} names
 * that directory). SNS delivers only into fauxqs' own SQS, so subscribe queues made with {@link
 * #sqsClient()}. Starts in about a second; start one per test class.
 *
 * <p>{@link #endpoint()} and the clients go through a layer that does with X-Ray trace headers
 * what AWS does and fauxqs does not ({@link AwsTraceHeaderLayer}): a send or publish made with an
 * {@code X-Amzn-Trace-Id} header (as the AWS SDK adds inside Lambda) is received with that header
 * as its {@code AWSTraceHeader} system attribute, also after SNS delivered it to a queue. {@link
 * #directEndpoint()} is fauxqs itself.
 */
public final class FauxqsServer implements AutoCloseable {

  /** The region the server's ARNs and clients use. */
  public static final Region REGION = Region.US_EAST_1;

  private static final String READY = "fauxqs listening on ";
  private static final Duration STARTUP = Duration.ofSeconds(60);

  private final Process process;
  private final URI direct;
  private final AwsTraceHeaderLayer layer;

  private FauxqsServer(Process process, URI direct) {
    this.process = process;
    this.direct = direct;
    this.layer = AwsTraceHeaderLayer.start(direct);
  }

  /**
   * Starts fauxqs and waits for its ready line (usually about a second; after 60 s it fails). If
   * it does not become ready, the process is killed.
   */
  public static FauxqsServer start() throws IOException {
    Path directory = Paths.get(System.getProperty("baton.fauxqs.dir", "fauxqs")).toAbsolutePath();
    Path node = directory.resolve("node_modules/.bin/node");
    if (!Files.isExecutable(node)) {
      throw new IllegalStateException(
          "fauxqs is not installed in " + directory + ": run " + directory.resolve("install.sh"));
    }
    Process process =
        new ProcessBuilder(node.toString(), "--no-warnings", "start.mjs")
            .directory(directory.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      return new FauxqsServer(process, URI.create("http://127.0.0.1:" + readyPort(process)));
    } catch (IOException | RuntimeException | Error e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /**
   * The port of fauxqs' ready line. Its output is read on a thread of its own, so that the wait
   * has a deadline; the thread ends with the ready line, or when the process ends (killed by
   * {@link #start()} when the deadline passes).
   */
  private static int readyPort(Process process) throws IOException {
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      // Not closed: fauxqs keeps its stdout, and the pipe stays open while it runs.
      BufferedReader output =
          new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      try {
        String line;
        while ((line = output.readLine()) != null) {
          if (line.startsWith(READY)) {
            port.complete(Integer.parseInt(line.substring(READY.length()).trim()));
            return;
          }
        }
        port.completeExceptionally(
            new IllegalStateException("fauxqs exited before it was ready: exit " + waitFor(process)));
      } catch (IOException | RuntimeException e) {
        port.completeExceptionally(e);
      }
    }, "fauxqs-start");
    reader.setDaemon(true);
    reader.start();
    try {
      return port.get(STARTUP.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("fauxqs was not ready within " + STARTUP);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fauxqs started", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof NumberFormatException) {
        throw new IllegalStateException("fauxqs' ready line has no port: " + cause.getMessage(), cause);
      }
      throw (RuntimeException) cause;
    }
  }

  /** {@code http://127.0.0.1:<port>}: fauxqs behind the AWS-like trace header layer. */
  public URI endpoint() {
    return layer.endpoint();
  }

  /** {@code http://127.0.0.1:<port>}: fauxqs itself, which drops {@code AWSTraceHeader}. */
  public URI directEndpoint() {
    return direct;
  }

  /** A new SNS client of this server (close it). */
  public SnsClient snsClient() {
    return SnsClient.builder()
        .endpointOverride(endpoint())
        .region(REGION)
        .credentialsProvider(ElasticMqServer.LocalCredentials.PROVIDER)
        .build();
  }

  /** A new SQS client of this server's own queues (close it). */
  public SqsClient sqsClient() {
    return SqsClient.builder()
        .endpointOverride(endpoint())
        .region(REGION)
        .credentialsProvider(ElasticMqServer.LocalCredentials.PROVIDER)
        .build();
  }

  /** Stops fauxqs: closing its stdin makes it exit; it is killed if it does not. */
  @Override
  public void close() {
    layer.close();
    try {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int waitFor(Process process) {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
