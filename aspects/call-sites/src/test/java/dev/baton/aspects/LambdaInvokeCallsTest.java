package dev.baton.aspects;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.baton.runtime.internal.lambda.LambdaInvocation;
import dev.baton.testing.TestLambdaContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.incubating.AwsIncubatingAttributes;
import io.opentelemetry.semconv.incubating.FaasIncubatingAttributes;
import io.opentelemetry.semconv.incubating.RpcIncubatingAttributes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * Lambda {@code Invoke} woven at the call site: the trace context travels in the client context's
 * {@code custom} map, and a {@code @TracedHandler} on the other side continues the trace.
 *
 * <p>There is no Lambda emulator on these machines, so the stand-in for Lambda is a small HTTP
 * endpoint on 127.0.0.1 (the JDK {@code HttpServer}) that answers {@code POST
 * /2015-03-31/functions/<name>/invocations} as Lambda does (status 200, the payload, {@code
 * X-Amz-Executed-Version}, a request id) and records the {@code X-Amz-Client-Context} header each
 * call sent. The clients are the SDK's real {@code LambdaClient} and {@code LambdaAsyncClient}; the
 * receiving side is Baton's own {@code LambdaInvocation} given that client context, as the Lambda
 * runtime hands it to a handler. Woven by {@code baton:weave} with the library aspects.
 */
@SuppressWarnings("deprecation") // rpc.system and rpc.service: the attributes issue 4 asks for
class LambdaInvokeCallsTest {

  private static final String FUNCTION = "orders-worker";
  private static final String MAX_CLIENT_CONTEXT_BYTES = "3583";
  private static final String REGION_OF_THE_CLIENT = "eu-west-1";

  private static LambdaEndpoint endpoint;
  private static LambdaClient lambda;
  private static LambdaAsyncClient lambdaAsync;
  private static WovenSdkTracing tracing;

  @BeforeAll
  static void start() throws IOException {
    endpoint = LambdaEndpoint.start();
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("baton", "baton"));
    lambda = LambdaClient.builder().endpointOverride(endpoint.uri()).region(Region.EU_WEST_1)
        .credentialsProvider(credentials).build();
    lambdaAsync = LambdaAsyncClient.builder().endpointOverride(endpoint.uri()).region(Region.EU_WEST_1)
        .credentialsProvider(credentials).build();
    tracing = WovenSdkTracing.w3c();
  }

  @AfterAll
  static void stop() {
    tracing.close();
    lambdaAsync.close();
    lambda.close();
    endpoint.close();
  }

  @BeforeEach
  void reset() {
    tracing.reset();
    endpoint.reset();
  }

  @Test
  void invokeWithARequestCarriesTheInvokeSpansContext() {
    Span parent = tracing.startParent("handler");
    InvokeResponse response;
    try (Scope scope = parent.makeCurrent()) {
      response = lambda.invoke(InvokeRequest.builder().functionName(FUNCTION).payload(json("{\"order\":1}")).build());
    } finally {
      parent.end();
    }

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.payload().asUtf8String()).isEqualTo(LambdaEndpoint.PAYLOAD);
    SpanData invoke = tracing.span("Lambda.Invoke");
    assertThat(invoke)
        .hasKind(SpanKind.CLIENT)
        .hasParentSpanId(parent.getSpanContext().getSpanId())
        .hasAttribute(RpcIncubatingAttributes.RPC_SYSTEM, "aws-api")
        .hasAttribute(RpcIncubatingAttributes.RPC_SERVICE, "Lambda")
        .hasAttribute(RpcIncubatingAttributes.RPC_METHOD, "Invoke")
        .hasAttribute(FaasIncubatingAttributes.FAAS_INVOKED_NAME, FUNCTION)
        .hasAttribute(FaasIncubatingAttributes.FAAS_INVOKED_REGION, REGION_OF_THE_CLIENT)
        .hasAttribute(AwsIncubatingAttributes.AWS_REQUEST_ID, LambdaEndpoint.REQUEST_ID)
        .hasAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, 200L);
    String clientContext = endpoint.onlyClientContext();
    assertThat(clientContext.length()).isLessThanOrEqualTo(Integer.parseInt(MAX_CLIENT_CONTEXT_BYTES));
    assertThat(custom(clientContext)).containsExactly(Map.entry("traceparent", SqsCallsTest.traceparent(invoke)));
    assertThat(endpoint.payloads).containsExactly("{\"order\":1}");
  }

  @Test
  void invokeWithAConsumerCarriesTheContext() {
    lambda.invoke(b -> b.functionName(FUNCTION).payload(json("{}")));

    SpanData invoke = tracing.span("Lambda.Invoke");
    assertThat(invoke).hasKind(SpanKind.CLIENT).hasAttribute(FaasIncubatingAttributes.FAAS_INVOKED_NAME, FUNCTION);
    assertThat(custom(endpoint.onlyClientContext())).containsEntry("traceparent", SqsCallsTest.traceparent(invoke));
  }

  @Test
  void faasInvokedNameIsTheFunctionsNameWithoutQualifierOrArn() {
    List<String> functionNames = List.of(
        FUNCTION + ":prod",
        FUNCTION + ":7",
        "123456789012:function:" + FUNCTION + ":prod",
        "arn:aws:lambda:us-west-2:123456789012:function:" + FUNCTION,
        "arn:aws:lambda:us-west-2:123456789012:function:" + FUNCTION + ":7");
    for (String functionName : functionNames) {
      tracing.reset();
      try {
        lambda.invoke(b -> b.functionName(functionName).payload(json("{}")));
      } catch (RuntimeException notFound) {
        // The stand-in answers only the unqualified name: the span is what is looked at.
      }
      assertThat(tracing.span("Lambda.Invoke"))
          .as(functionName)
          .hasAttribute(FaasIncubatingAttributes.FAAS_INVOKED_NAME, FUNCTION)
          .hasAttribute(FaasIncubatingAttributes.FAAS_INVOKED_PROVIDER, "aws")
          .hasAttribute(
              FaasIncubatingAttributes.FAAS_INVOKED_REGION,
              functionName.startsWith("arn:") ? "us-west-2" : REGION_OF_THE_CLIENT);
    }
  }

  @Test
  void asyncInvokeWithARequestEndsItsSpanWhenTheFutureCompletes() {
    InvokeResponse response =
        lambdaAsync.invoke(InvokeRequest.builder().functionName(FUNCTION).payload(json("{}")).build()).join();

    assertThat(response.statusCode()).isEqualTo(200);
    SpanData invoke = tracing.span("Lambda.Invoke");
    assertThat(invoke).hasKind(SpanKind.CLIENT).hasAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, 200L);
    assertThat(custom(endpoint.onlyClientContext())).containsEntry("traceparent", SqsCallsTest.traceparent(invoke));
  }

  @Test
  void asyncInvokeWithAConsumerCarriesTheContext() {
    lambdaAsync.invoke(b -> b.functionName(FUNCTION).payload(json("{}"))).join();

    SpanData invoke = tracing.span("Lambda.Invoke");
    assertThat(custom(endpoint.onlyClientContext())).containsEntry("traceparent", SqsCallsTest.traceparent(invoke));
  }

  @Test
  void theUsersOwnClientContextIsKept() {
    String users = base64(
        "{\"client\":{\"installation_id\":\"install-1\",\"app_title\":\"orders\"},"
            + "\"custom\":{\"tenant\":\"acme\"},\"env\":{\"locale\":\"en_GB\"}}");

    lambda.invoke(b -> b.functionName(FUNCTION).clientContext(users).payload(json("{}")));

    SpanData invoke = tracing.span("Lambda.Invoke");
    Map<String, JsonNode> sent = parse(endpoint.onlyClientContext()).asObject();
    assertThat(sent.keySet()).containsExactly("client", "custom", "env");
    assertThat(sent.get("client").asObject().get("installation_id").asString()).isEqualTo("install-1");
    assertThat(sent.get("env").asObject().get("locale").asString()).isEqualTo("en_GB");
    assertThat(custom(endpoint.onlyClientContext()))
        .containsExactly(Map.entry("tenant", "acme"), Map.entry("traceparent", SqsCallsTest.traceparent(invoke)));
  }

  @Test
  void aUsersOwnTraceparentIsNotOverwritten() {
    String users = base64("{\"custom\":{\"traceparent\":\"00-11111111111111111111111111111111-2222222222222222-01\"}}");

    lambda.invoke(InvokeRequest.builder().functionName(FUNCTION).clientContext(users).payload(json("{}")).build());

    assertThat(endpoint.onlyClientContext()).isEqualTo(users);
  }

  @Test
  void aClientContextThatWouldPassTheLimitIsSentUnchangedWithAnEvent() {
    // 2,650 bytes of JSON are 3,536 of base64, within the limit; the 72 bytes that
    // ,"traceparent":"..." adds would make 3,632.
    String users = base64("{\"custom\":{\"pad\":\"" + "x".repeat(2650 - 21) + "\"}}");
    assertThat(users.length()).isLessThanOrEqualTo(Integer.parseInt(MAX_CLIENT_CONTEXT_BYTES));

    InvokeResponse response =
        lambdaAsync.invoke(b -> b.functionName(FUNCTION).clientContext(users).payload(json("{}"))).join();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(endpoint.onlyClientContext()).isEqualTo(users);
    assertThat(notInjectedReasons(tracing.span("Lambda.Invoke")))
        .singleElement().asString().contains("more than Lambda's " + MAX_CLIENT_CONTEXT_BYTES);
  }

  @Test
  void aClientContextThatIsNotBase64JsonIsSentUnchangedWithAnEvent() {
    String notJson = base64("plain text, not JSON");

    lambda.invoke(InvokeRequest.builder().functionName(FUNCTION).clientContext(notJson).payload(json("{}")).build());

    assertThat(endpoint.onlyClientContext()).isEqualTo(notJson);
    assertThat(notInjectedReasons(tracing.span("Lambda.Invoke")))
        .containsExactly("the client context is not base64 JSON");
  }

  @Test
  void theInvokedHandlerContinuesTheInvokersTrace() {
    lambda.invoke(b -> b.functionName(FUNCTION).payload(json("{}")));
    SpanData invoke = tracing.span("Lambda.Invoke");

    // What the Lambda runtime hands the invoked function: the client context the call sent.
    TestLambdaContext received =
        TestLambdaContext.of("req-2", FUNCTION).withClientContextCustom(custom(endpoint.onlyClientContext()));
    LambdaInvocation invocation = LambdaInvocation.startOther(LambdaInvocation.OTHER, received);
    invocation.end();

    SpanData handler = tracing.span(FUNCTION);
    assertThat(handler)
        .hasKind(SpanKind.SERVER)
        .hasTraceId(invoke.getTraceId())
        .hasParentSpanId(invoke.getSpanId())
        .hasAttribute(FaasIncubatingAttributes.FAAS_TRIGGER, LambdaInvocation.OTHER);
  }

  private static List<String> notInjectedReasons(SpanData span) {
    return span.getEvents().stream()
        .filter(event -> event.getName().equals("baton.context_not_injected"))
        .map(EventData::getAttributes)
        .map(attributes -> attributes.get(io.opentelemetry.api.common.AttributeKey.stringKey("baton.reason")))
        .toList();
  }

  /** The {@code custom} map of a base64 JSON client context, as the Lambda runtime reads it. */
  private static Map<String, String> custom(String clientContext) {
    Map<String, String> custom = new LinkedHashMap<>();
    parse(clientContext).asObject().get("custom").asObject()
        .forEach((name, value) -> custom.put(name, value.asString()));
    return custom;
  }

  private static JsonNode parse(String clientContext) {
    return JsonNode.parser().parse(new String(Base64.getDecoder().decode(clientContext), StandardCharsets.UTF_8));
  }

  private static String base64(String json) {
    return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static SdkBytes json(String json) {
    return SdkBytes.fromUtf8String(json);
  }

  /**
   * Lambda's {@code Invoke} API on 127.0.0.1, as far as a synchronous invoke needs it: records
   * each call's {@code X-Amz-Client-Context} header and payload and answers with {@link #PAYLOAD}.
   */
  static final class LambdaEndpoint implements AutoCloseable {
    static final String PAYLOAD = "{\"status\":\"done\"}";
    static final String REQUEST_ID = "5f0a8b2e-0000-4000-8000-000000000001";
    private static final String INVOKE_PATH = "/2015-03-31/functions/" + FUNCTION + "/invocations";

    private final HttpServer server;
    final List<String> clientContexts = new ArrayList<>();
    final List<String> payloads = new ArrayList<>();

    private LambdaEndpoint(HttpServer server) {
      this.server = server;
    }

    static LambdaEndpoint start() throws IOException {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      LambdaEndpoint endpoint = new LambdaEndpoint(server);
      server.createContext("/", endpoint::handle);
      server.start();
      return endpoint;
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        String payload;
        try (InputStream body = exchange.getRequestBody()) {
          payload = new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().equals(INVOKE_PATH)) {
          answer(exchange, 404, "{\"Type\":\"User\",\"message\":\"Function not found\"}",
              "ResourceNotFoundException");
          return;
        }
        synchronized (this) {
          clientContexts.add(exchange.getRequestHeaders().getFirst("X-Amz-Client-Context"));
          payloads.add(payload);
        }
        exchange.getResponseHeaders().add("X-Amz-Executed-Version", "$LATEST");
        answer(exchange, 200, PAYLOAD, null);
      }
    }

    private static void answer(HttpExchange exchange, int status, String body, String errorType)
        throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.getResponseHeaders().add("x-amzn-RequestId", REQUEST_ID);
      if (errorType != null) {
        exchange.getResponseHeaders().add("x-amzn-ErrorType", errorType);
      }
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }

    /** The client context of the one call since the last {@link #reset()}. */
    synchronized String onlyClientContext() {
      assertThat(clientContexts).hasSize(1);
      return clientContexts.get(0);
    }

    synchronized void reset() {
      clientContexts.clear();
      payloads.clear();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
