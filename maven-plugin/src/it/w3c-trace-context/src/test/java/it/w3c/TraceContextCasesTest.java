package it.w3c;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cases of the W3C Trace Context test suite ({@code test/test.py} of w3c/trace-context, Level
 * 1 and 2, strict), ported to Java so that the build runs them without Python: this class plays
 * the harness, sends each case's headers byte for byte to the service (the Baton-traced {@link
 * CallTheHarness} behind {@link ApiGatewayBridge}, and {@link OpenTelemetryOnlyService}, the same
 * service done with OpenTelemetry's W3C propagator alone), and checks the {@code traceparent} and
 * {@code tracestate} of the service's call back as the suite does. Baton must pass every case the
 * reference passes. The real suite: see {@link RealW3cSuiteTest}.
 */
class TraceContextCasesTest {

  private static final String ID = "12345678901234567890123456789012";
  private static final String PARENT = "00-12345678901234567890123456789012-1234567890123456-00";

  private static HttpServer harness;
  private static final Map<String, List<String[]>> callbacks = new ConcurrentHashMap<>();
  private static final AtomicInteger scopes = new AtomicInteger();
  private static ApiGatewayBridge baton;
  private static ApiGatewayBridge reference;

  @BeforeAll
  static void start() throws IOException {
    harness = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    harness.createContext("/", exchange -> {
      try (exchange) {
        List<String[]> headers = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> values.forEach(v -> headers.add(new String[] {name, v})));
        exchange.getRequestBody().readAllBytes();
        callbacks.put(exchange.getRequestURI().getPath().substring(1), headers);
        exchange.sendResponseHeaders(200, -1);
      }
    });
    harness.start();
    baton = new ApiGatewayBridge(0, (event, context) -> new CallTheHarness().handleRequest(event, context));
    reference = new ApiGatewayBridge(0, (event, context) -> OpenTelemetryOnlyService.handle(event));
  }

  @AfterAll
  static void stop() {
    baton.close();
    reference.close();
    harness.stop(0);
  }

  @Test
  void batonPassesEveryCaseOpenTelemetrysPropagatorPasses() {
    Set<String> batonPassed = new TreeSet<>();
    Set<String> referencePassed = new TreeSet<>();
    List<Case> cases = cases();
    for (Case c : cases) {
      if (c.passes(baton)) {
        batonPassed.add(c.name);
      }
      if (c.passes(reference)) {
        referencePassed.add(c.name);
      }
    }
    System.out.printf("[w3c] ported cases: Baton %d of %d, OpenTelemetry's W3CTraceContextPropagator %d of %d%n",
        batonPassed.size(), cases.size(), referencePassed.size(), cases.size());
    for (Case c : cases) {
      System.out.printf("[w3c]   %-55s baton %-4s opentelemetry %s%n", c.name,
          batonPassed.contains(c.name) ? "ok" : "FAIL", referencePassed.contains(c.name) ? "ok" : "FAIL");
    }
    assertThat(batonPassed).containsAll(referencePassed);
    // The cases every propagator that follows the spec passes.
    assertThat(batonPassed).contains(
        "test_both_traceparent_and_tracestate_missing", "test_traceparent_included_tracestate_missing",
        "test_traceparent_header_name_valid_casing", "test_tracestate_included_traceparent_included",
        "test_multiple_requests_with_valid_traceparent", "test_propagates_random_flag");
    // Repeated header lines, combined as HTTP combines them (where OpenTelemetry's propagator
    // alone reads the first line only).
    assertThat(batonPassed).contains(
        "test_traceparent_duplicated", "test_tracestate_empty_header",
        "test_tracestate_multiple_headers_different_keys", "test_tracestate_member_count_limit");
  }

  // ---- the cases of test.py, in its order ----

  private static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("test_both_traceparent_and_tracestate_missing").step(r -> true));
    cases.add(new Case("test_traceparent_included_tracestate_missing")
        .step(r -> r.traceId().equals(ID) && !r.parentId().equals("1234567890123456"), "traceparent", "00-12345678901234567890123456789012-1234567890123456-01"));
    cases.add(new Case("test_traceparent_duplicated")
        .step(r -> !r.traceId().equals("12345678901234567890123456789011") && !r.traceId().equals(ID),
            "traceparent", "00-12345678901234567890123456789011-1234567890123456-01",
            "traceparent", "00-12345678901234567890123456789012-1234567890123456-01"));
    cases.add(new Case("test_traceparent_header_name")
        .step(Result::newTrace, "trace-parent", "00-12345678901234567890123456789012-1234567890123456-01")
        .step(Result::newTrace, "trace.parent", "00-12345678901234567890123456789012-1234567890123456-01"));
    cases.add(new Case("test_traceparent_header_name_valid_casing")
        .step(Result::sameTrace, "TraceParent", "00-12345678901234567890123456789012-1234567890123456-01")
        .step(Result::sameTrace, "TrAcEpArEnT", "00-12345678901234567890123456789012-1234567890123456-01")
        .step(Result::sameTrace, "TRACEPARENT", "00-12345678901234567890123456789012-1234567890123456-01"));
    cases.add(new Case("test_traceparent_version_0x00")
        .step(Result::newTrace, "traceparent", "00-12345678901234567890123456789012-1234567890123456-01.")
        .step(Result::newTrace, "traceparent", "00-12345678901234567890123456789012-1234567890123456-01-what-the-future-will-be-like"));
    cases.add(new Case("test_traceparent_version_0xcc")
        .step(Result::sameTrace, "traceparent", "cc-12345678901234567890123456789012-1234567890123456-01")
        .step(Result::sameTrace, "traceparent", "cc-12345678901234567890123456789012-1234567890123456-01-what-the-future-will-be-like")
        .step(Result::newTrace, "traceparent", "cc-12345678901234567890123456789012-1234567890123456-01.what-the-future-will-be-like"));
    cases.add(new Case("test_traceparent_version_0xff").step(Result::newTrace, "traceparent", "ff-12345678901234567890123456789012-1234567890123456-01"));
    cases.add(new Case("test_traceparent_version_illegal_characters")
        .step(Result::newTrace, "traceparent", ".0-12345678901234567890123456789012-1234567890123456-01")
        .step(Result::newTrace, "traceparent", "0.-12345678901234567890123456789012-1234567890123456-01"));
    cases.add(new Case("test_traceparent_version_too_long")
        .step(Result::newTrace, "traceparent", "000-12345678901234567890123456789012-1234567890123456-01")
        .step(Result::newTrace, "traceparent", "0000-12345678901234567890123456789012-1234567890123456-01"));
    cases.add(new Case("test_traceparent_version_too_short").step(Result::newTrace, "traceparent", "0-12345678901234567890123456789012-1234567890123456-01"));
    cases.add(new Case("test_traceparent_trace_id_all_zero")
        .step(r -> !r.traceId().equals("00000000000000000000000000000000"), "traceparent", "00-00000000000000000000000000000000-1234567890123456-01"));
    cases.add(new Case("test_traceparent_trace_id_illegal_characters")
        .step(r -> !r.traceId().equals(".2345678901234567890123456789012"), "traceparent", "00-.2345678901234567890123456789012-1234567890123456-01")
        .step(r -> !r.traceId().equals("1234567890123456789012345678901."), "traceparent", "00-1234567890123456789012345678901.-1234567890123456-01"));
    cases.add(new Case("test_traceparent_trace_id_too_long")
        .step(r -> !r.traceId().equals(ID) && !r.traceId().equals("23456789012345678901234567890123"),
            "traceparent", "00-123456789012345678901234567890123-1234567890123456-01"));
    cases.add(new Case("test_traceparent_trace_id_too_short")
        .step(r -> !r.traceId().equals("1234567890123456789012345678901"), "traceparent", "00-1234567890123456789012345678901-1234567890123456-01"));
    cases.add(new Case("test_traceparent_parent_id_all_zero").step(Result::newTrace, "traceparent", "00-12345678901234567890123456789012-0000000000000000-01"));
    cases.add(new Case("test_traceparent_parent_id_illegal_characters")
        .step(Result::newTrace, "traceparent", "00-12345678901234567890123456789012-.234567890123456-01")
        .step(Result::newTrace, "traceparent", "00-12345678901234567890123456789012-123456789012345.-01"));
    cases.add(new Case("test_traceparent_parent_id_too_long").step(Result::newTrace, "traceparent", "00-12345678901234567890123456789012-12345678901234567-01"));
    cases.add(new Case("test_traceparent_parent_id_too_short").step(Result::newTrace, "traceparent", "00-12345678901234567890123456789012-123456789012345-01"));
    cases.add(new Case("test_traceparent_trace_flags_illegal_characters")
        .step(Result::newTrace, "traceparent", "00-12345678901234567890123456789012-1234567890123456-.0")
        .step(Result::newTrace, "traceparent", "00-12345678901234567890123456789012-1234567890123456-0."));
    cases.add(new Case("test_traceparent_trace_flags_too_long").step(Result::newTrace, "traceparent", "00-12345678901234567890123456789012-1234567890123456-001"));
    cases.add(new Case("test_traceparent_trace_flags_too_short").step(Result::newTrace, "traceparent", "00-12345678901234567890123456789012-1234567890123456-1"));
    cases.add(new Case("test_traceparent_ows_handling")
        .step(Result::sameTrace, "traceparent", " 00-12345678901234567890123456789012-1234567890123456-01")
        .step(Result::sameTrace, "traceparent", "\t00-12345678901234567890123456789012-1234567890123456-01")
        .step(Result::sameTrace, "traceparent", "00-12345678901234567890123456789012-1234567890123456-01 ")
        .step(Result::sameTrace, "traceparent", "00-12345678901234567890123456789012-1234567890123456-01\t")
        .step(Result::sameTrace, "traceparent", "\t 00-12345678901234567890123456789012-1234567890123456-01 \t"));
    cases.add(new Case("test_tracestate_included_traceparent_missing")
        .pair((a, b) -> a.tracestate().size() == b.tracestate().size(), new String[] {"tracestate", "foo=1"}, new String[] {"tracestate", "foo=1,bar=2"}));
    cases.add(new Case("test_tracestate_included_traceparent_included")
        .step(r -> r.sameTrace() && "1".equals(r.state("foo")) && "2".equals(r.state("bar")), "traceparent", PARENT, "tracestate", "foo=1,bar=2"));
    cases.add(new Case("test_tracestate_header_name")
        .step(r -> r.state("foo") == null, "traceparent", PARENT, "trace-state", "foo=1")
        .step(r -> r.state("foo") == null, "traceparent", PARENT, "trace.state", "foo=1"));
    cases.add(new Case("test_tracestate_header_name_valid_casing")
        .step(r -> "1".equals(r.state("foo")), "traceparent", PARENT, "TraceState", "foo=1")
        .step(r -> "1".equals(r.state("foo")), "traceparent", PARENT, "TrAcEsTaTe", "foo=1")
        .step(r -> "1".equals(r.state("foo")), "traceparent", PARENT, "TRACESTATE", "foo=1"));
    cases.add(new Case("test_tracestate_empty_header")
        .step(Result::sameTrace, "traceparent", PARENT, "tracestate", "")
        .step(r -> r.sameTrace() && "1".equals(r.state("foo")), "traceparent", PARENT, "tracestate", "foo=1", "tracestate", "")
        .step(r -> r.sameTrace() && "1".equals(r.state("foo")), "traceparent", PARENT, "tracestate", "", "tracestate", "foo=1"));
    cases.add(new Case("test_tracestate_multiple_headers_different_keys")
        .step(r -> r.sameTrace() && inOrder(r.tracestateString(), "foo=1", "bar=2", "rojo=1", "congo=2", "baz=3"),
            "traceparent", PARENT, "tracestate", "foo=1,bar=2", "tracestate", "rojo=1,congo=2", "tracestate", "baz=3"));
    cases.add(new Case("test_tracestate_duplicated_keys")
        .step(r -> r.sameTrace() && r.tracestateString().contains("foo=1"), "traceparent", PARENT, "tracestate", "foo=1,foo=1")
        .step(r -> r.sameTrace() && (r.tracestateString().contains("foo=1") || r.tracestateString().contains("foo=2")), "traceparent", PARENT, "tracestate", "foo=1,foo=2")
        .step(r -> r.sameTrace() && r.tracestateString().contains("foo=1"), "traceparent", PARENT, "tracestate", "foo=1", "tracestate", "foo=1")
        .step(r -> r.sameTrace() && (r.tracestateString().contains("foo=1") || r.tracestateString().contains("foo=2")), "traceparent", PARENT, "tracestate", "foo=1", "tracestate", "foo=2"));
    String keyWithoutVendor = "abcdefghijklmnopqrstuvwxyz0123456789_-*/";
    String keyWithVendor = keyWithoutVendor + "@a-z0-9_-*/";
    StringBuilder value = new StringBuilder();
    for (char c = 0x20; c <= 0x7e; c++) {
      if (c != 0x2c && c != 0x3d) {
        value.append(c);
      }
    }
    cases.add(new Case("test_tracestate_all_allowed_characters")
        .step(r -> value.toString().equals(r.state(keyWithoutVendor)), "traceparent", PARENT, "tracestate", keyWithoutVendor + "=" + value)
        .step(r -> value.toString().equals(r.state(keyWithVendor)), "traceparent", PARENT, "tracestate", keyWithVendor + "=" + value));
    Predicate<Result> fooBarBaz = r -> "1".equals(r.state("foo")) && "2".equals(r.state("bar")) && "3".equals(r.state("baz"));
    Predicate<Result> foo = r -> r.sameTrace() && "1".equals(r.state("foo"));
    cases.add(new Case("test_tracestate_ows_handling")
        .step(fooBarBaz, "traceparent", PARENT, "tracestate", "foo=1 \t , \t bar=2, \t baz=3")
        .step(fooBarBaz, "traceparent", PARENT, "tracestate", "foo=1\t \t,\t \tbar=2,\t \tbaz=3")
        .step(foo, "traceparent", PARENT, "tracestate", " foo=1")
        .step(foo, "traceparent", PARENT, "tracestate", "\tfoo=1")
        .step(foo, "traceparent", PARENT, "tracestate", "foo=1 ")
        .step(foo, "traceparent", PARENT, "tracestate", "foo=1\t")
        .step(foo, "traceparent", PARENT, "tracestate", "\t foo=1 \t"));
    cases.add(new Case("test_tracestate_key_illegal_characters")
        .step(r -> r.state("foo ") == null, "traceparent", PARENT, "tracestate", "foo =1")
        .step(r -> r.state("FOO") == null, "traceparent", PARENT, "tracestate", "FOO=1")
        .step(r -> r.state("foo.bar") == null, "traceparent", PARENT, "tracestate", "foo.bar=1"));
    cases.add(new Case("test_tracestate_key_illegal_vendor_format")
        .step(r -> "1".equals(r.state("foo@")) && "2".equals(r.state("bar")), "traceparent", PARENT, "tracestate", "foo@=1,bar=2")
        .step(r -> r.state("bar") == null, "traceparent", PARENT, "tracestate", "@foo=1,bar=2")
        .step(r -> "1".equals(r.state("foo@@bar")) && "2".equals(r.state("bar")), "traceparent", PARENT, "tracestate", "foo@@bar=1,bar=2")
        .step(r -> "1".equals(r.state("foo@bar@baz")) && "2".equals(r.state("bar")), "traceparent", PARENT, "tracestate", "foo@bar@baz=1,bar=2"));
    String[] members = new String[4];
    StringBuilder[] parts = {new StringBuilder(), new StringBuilder(), new StringBuilder(), new StringBuilder()};
    for (int i = 1; i <= 32; i++) {
      StringBuilder part = parts[(i - 1) / 10];
      part.append(part.length() == 0 ? "" : ",").append(String.format("bar%02d=%02d", i, i));
    }
    for (int i = 0; i < 4; i++) {
      members[i] = parts[i].toString();
    }
    cases.add(new Case("test_tracestate_member_count_limit")
        .step(r -> "01".equals(r.state("bar01")) && r.tracestate().size() == 32,
            "traceparent", PARENT, "tracestate", members[0], "tracestate", members[1], "tracestate", members[2], "tracestate", members[3])
        .step(r -> r.state("bar01") == null,
            "traceparent", PARENT, "tracestate", members[0], "tracestate", members[1], "tracestate", members[2], "tracestate", members[3] + ",bar33=33"));
    String z256 = "z".repeat(256);
    String vendor1 = "t".repeat(241) + "@" + "v".repeat(14);
    String vendor2 = "t".repeat(242) + "@v";
    String vendor3 = "t@" + "v".repeat(15);
    cases.add(new Case("test_tracestate_key_length_limit")
        .step(r -> "1".equals(r.state("foo")) && "1".equals(r.state(z256)), "traceparent", PARENT, "tracestate", "foo=1", "tracestate", z256 + "=1")
        .step(r -> r.state("foo") == null, "traceparent", PARENT, "tracestate", "foo=1", "tracestate", "z".repeat(257) + "=1")
        .step(r -> "1".equals(r.state("foo")) && "1".equals(r.state(vendor1)), "traceparent", PARENT, "tracestate", "foo=1", "tracestate", vendor1 + "=1")
        .step(r -> "1".equals(r.state("foo")) && "1".equals(r.state(vendor2)), "traceparent", PARENT, "tracestate", "foo=1", "tracestate", vendor2 + "=1")
        .step(r -> "1".equals(r.state("foo")) && "1".equals(r.state(vendor3)), "traceparent", PARENT, "tracestate", "foo=1", "tracestate", vendor3 + "=1"));
    cases.add(new Case("test_tracestate_value_illegal_characters")
        .step(r -> r.state("foo") == null, "traceparent", PARENT, "tracestate", "foo=bar=baz")
        .step(r -> r.state("foo") == null && r.state("bar") == null, "traceparent", PARENT, "tracestate", "foo=,bar=3"));
    cases.add(new Case("test_multiple_requests_with_valid_traceparent")
        .multiple(rs -> rs.stream().allMatch(Result::sameTrace) && rs.stream().map(Result::parentId).distinct().count() == 3,
            "traceparent", "00-12345678901234567890123456789012-1234567890123456-01"));
    cases.add(new Case("test_multiple_requests_without_traceparent")
        .multiple(rs -> rs.stream().map(Result::parentId).distinct().count() == 3));
    cases.add(new Case("test_multiple_requests_with_illegal_traceparent")
        .multiple(rs -> rs.stream().noneMatch(r -> r.traceId().equals("00000000000000000000000000000000"))
                && rs.stream().map(Result::parentId).distinct().count() == 3,
            "traceparent", "00-00000000000000000000000000000000-1234567890123456-01"));
    cases.add(new Case("test_propagates_random_flag")
        .step(r -> r.sameTrace() && !r.parentId().equals("1234567890123456") && (Integer.parseInt(r.flags(), 16) & 2) == 2,
            "traceparent", "00-12345678901234567890123456789012-1234567890123456-02"));
    return cases;
  }

  private static boolean inOrder(String text, String... parts) {
    int at = -1;
    for (String part : parts) {
      int next = text.indexOf(part);
      if (next <= at) {
        return false;
      }
      at = next;
    }
    return true;
  }

  // ---- the harness ----

  /** One case: its steps, each a request with headers and what the call back must show. */
  private static final class Case {
    final String name;
    final List<Predicate<ApiGatewayBridge>> steps = new ArrayList<>();

    Case(String name) {
      this.name = name;
    }

    Case step(Predicate<Result> check, String... headers) {
      steps.add(service -> {
        List<Result> results = send(service, 1, headers);
        return results != null && check.test(results.get(0));
      });
      return this;
    }

    Case pair(java.util.function.BiPredicate<Result, Result> check, String[] first, String[] second) {
      steps.add(service -> {
        List<Result> a = send(service, 1, first);
        List<Result> b = send(service, 1, second);
        return a != null && b != null && check.test(a.get(0), b.get(0));
      });
      return this;
    }

    Case multiple(Predicate<List<Result>> check, String... headers) {
      steps.add(service -> {
        List<Result> results = send(service, 3, headers);
        return results != null && check.test(results);
      });
      return this;
    }

    boolean passes(ApiGatewayBridge service) {
      for (Predicate<ApiGatewayBridge> step : steps) {
        try {
          if (!step.test(service)) {
            return false;
          }
        } catch (RuntimeException e) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Sends the service a harness request with {@code headers} (name, value, name, value ...) asking
   * for {@code count} call backs; their traceparent and tracestate, or null when a call back did
   * not come or did not carry exactly one valid traceparent (the suite's failure too).
   */
  private static List<Result> send(ApiGatewayBridge service, int count, String... headers) {
    String scope = "scope" + scopes.incrementAndGet();
    StringBuilder body = new StringBuilder("[");
    String base = "http://127.0.0.1:" + harness.getAddress().getPort() + "/";
    for (int i = 0; i < count; i++) {
      body.append(i == 0 ? "" : ", ").append("{\"url\": \"").append(base).append(scope).append('.').append(i).append("\", \"arguments\": []}");
    }
    body.append(']');
    rawPost(URI.create(service.endpoint()), headers, body.toString());
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<String[]> received = callbacks.remove(scope + "." + i);
      if (received == null) {
        return null;
      }
      Result result = Result.of(received);
      if (result == null) {
        return null;
      }
      results.add(result);
    }
    return results;
  }

  /** A POST with exactly these header lines (what an HTTP client library would tidy away). */
  private static void rawPost(URI uri, String[] headers, String body) {
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      byte[] content = body.getBytes(StandardCharsets.UTF_8);
      StringBuilder request = new StringBuilder();
      request.append("POST ").append(uri.getPath()).append(" HTTP/1.1\r\n");
      request.append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n");
      request.append("Content-Type: application/json\r\nConnection: close\r\n");
      request.append("Content-Length: ").append(content.length).append("\r\n");
      for (int i = 0; i < headers.length; i += 2) {
        request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
      }
      request.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(content);
      out.flush();
      InputStream in = socket.getInputStream();
      in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A call back's trace context, parsed as the suite parses it. */
  record Result(String version, String traceId, String parentId, String flags, Map<String, String> tracestate, String tracestateString) {

    private static final Pattern TRACEPARENT = Pattern.compile("^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$");
    private static final Pattern MEMBER = Pattern.compile("^([0-9a-z][_0-9a-z\\-*/@]{0,255})=([\\x20-\\x2b\\x2d-\\x3c\\x3e-\\x7e]{0,255}[\\x21-\\x2b\\x2d-\\x3c\\x3e-\\x7e])$");

    static Result of(List<String[]> headers) {
      List<String> traceparents = new ArrayList<>();
      Map<String, String> tracestate = new LinkedHashMap<>();
      List<String> members = new ArrayList<>();
      for (String[] header : headers) {
        String name = header[0].toLowerCase(Locale.ROOT);
        if (name.equals("traceparent")) {
          traceparents.add(header[1]);
        } else if (name.equals("tracestate")) {
          for (String member : header[1].split("[ \t]*,[ \t]*")) {
            if (member.isEmpty()) {
              continue;
            }
            var match = MEMBER.matcher(member);
            if (!match.matches()) {
              return null; // the suite's Tracestate raises: the case errors
            }
            tracestate.putIfAbsent(match.group(1), match.group(2));
            members.add(member);
          }
        }
      }
      if (traceparents.size() != 1) {
        return null;
      }
      var match = TRACEPARENT.matcher(traceparents.get(0));
      if (!match.matches() || match.group(1).equals("ff")
          || match.group(2).equals("0".repeat(32)) || match.group(3).equals("0".repeat(16))) {
        return null;
      }
      return new Result(match.group(1), match.group(2), match.group(3), match.group(4), tracestate, String.join(",", members));
    }

    String state(String key) {
      return tracestate.get(key);
    }

    boolean sameTrace() {
      return traceId.equals(ID);
    }

    boolean newTrace() {
      return !traceId.equals(ID);
    }
  }
}
