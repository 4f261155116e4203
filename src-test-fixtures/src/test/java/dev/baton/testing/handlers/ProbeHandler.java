package dev.baton.testing.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain (not woven) handler that reports, as {@code key=value} lines, what the runtime client
 * gave its invocation: the thread, the request id, {@code Context.getXrayTraceId()}, the {@code
 * com.amazonaws.xray.traceHeader} system property, the JVM's pid, and how many invocations were
 * running at once. The event is a JSON object of numbers: {@code sleepMillis} to sleep, and {@code
 * rendezvous} to wait until that many invocations have arrived (at most 30 s; {@code met} says
 * whether they did), which only invocations running at the same time can do, and {@code exit} to
 * end the JVM with that code.
 */
public final class ProbeHandler implements RequestStreamHandler {

  private static final Pattern FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*(\\d+)");
  private static final AtomicInteger RUNNING = new AtomicInteger();
  private static final Map<Long, CountDownLatch> RENDEZVOUS = new ConcurrentHashMap<>();

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    Map<String, Long> event = new HashMap<>();
    Matcher field = FIELD.matcher(new String(input.readAllBytes(), StandardCharsets.UTF_8));
    while (field.find()) {
      event.put(field.group(1), Long.parseLong(field.group(2)));
    }
    if (event.containsKey("exit")) {
      System.out.println("exiting on purpose");
      System.out.flush();
      System.exit(event.get("exit").intValue());
    }
    int running = RUNNING.incrementAndGet();
    boolean met = true;
    try {
      long rendezvous = event.getOrDefault("rendezvous", 0L);
      if (rendezvous > 0) {
        CountDownLatch arrivals =
            RENDEZVOUS.computeIfAbsent(rendezvous, n -> new CountDownLatch(n.intValue()));
        arrivals.countDown();
        met = arrivals.await(30, TimeUnit.SECONDS);
      }
      Thread.sleep(event.getOrDefault("sleepMillis", 0L));
      running = Math.max(running, RUNNING.get());
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IOException(interrupted);
    } finally {
      RUNNING.decrementAndGet();
    }
    String report =
        "thread=" + Thread.currentThread().getName()
            + "\nrequestId=" + context.getAwsRequestId()
            + "\ncontextTraceId=" + context.getXrayTraceId()
            + "\ntraceProperty=" + System.getProperty("com.amazonaws.xray.traceHeader")
            + "\npid=" + ProcessHandle.current().pid()
            + "\nrunning=" + running
            + "\nmet=" + met
            + "\n";
    output.write(report.getBytes(StandardCharsets.UTF_8));
  }
}
