package dev.baton.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * What SNS and SQS do with the X-Ray trace header on AWS, in front of an emulator that does not:
 * a forwarding layer (127.0.0.1, a free port) that passes every request and answer through
 * unchanged, and adds the {@code AWSTraceHeader} system attribute to received messages where AWS
 * would have set it. fauxqs drops it altogether, so {@link FauxqsServer} puts this layer in
 * front of it; it stands in for AWS's behaviour, not for a real part.
 *
 * <p>On AWS, the SDK inside a Lambda function adds the function's {@code X-Amzn-Trace-Id} to every
 * request; SQS keeps it as the message's {@code AWSTraceHeader} (an explicit {@code
 * MessageSystemAttributes.AWSTraceHeader} wins), and an SNS topic in its default tracing mode
 * (PassThrough) hands it on to the SQS queues it delivers to, with raw delivery and with the JSON
 * envelope alike. So this layer remembers the header of each {@code SendMessage} and {@code
 * SendMessageBatch} (SQS, AWS JSON protocol) by the message ids SQS answers, and of each {@code
 * Publish} and {@code PublishBatch} (SNS, AWS Query protocol) by the SNS message ids and bodies;
 * a {@code ReceiveMessage} that asks for {@code AWSTraceHeader} (or {@code All}) gets it for every
 * message that came from one of those: an SNS envelope names its SNS message id, a raw delivery is
 * known by its body.
 */
final class AwsTraceHeaderLayer implements AutoCloseable {

  static final String TRACE_HEADER = "X-Amzn-Trace-Id";
  static final String AWS_TRACE_HEADER = "AWSTraceHeader";

  private static final Set<String> NOT_FORWARDED =
      Set.of("host", "connection", "content-length", "expect", "upgrade", "transfer-encoding");
  private static final Pattern XML_MESSAGE_ID = Pattern.compile("<MessageId>([^<]+)</MessageId>");
  private static final Pattern XML_BATCH_ENTRY =
      Pattern.compile("<Id>([^<]+)</Id>\\s*<MessageId>([^<]+)</MessageId>|<MessageId>([^<]+)</MessageId>\\s*<Id>([^<]+)</Id>");

  private final URI target;
  private final HttpServer server;
  private final ExecutorService executor = LoopbackHttpServer.executor("aws-trace-header-layer");
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

  /** SQS message id, SNS message id, or raw SNS message body: the header it was sent with. */
  private final Map<String, String> headers = new ConcurrentHashMap<>();

  private AwsTraceHeaderLayer(URI target) throws IOException {
    this.target = target;
    this.server = LoopbackHttpServer.create(executor);
    server.createContext("/", this::forward);
    server.start();
  }

  /** A layer forwarding to {@code target} ({@code http://host:port}). */
  static AwsTraceHeaderLayer start(URI target) {
    try {
      return new AwsTraceHeaderLayer(target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:<port>} */
  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      HttpRequest.Builder request =
          HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
              .timeout(Duration.ofSeconds(60))
              .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
      exchange.getRequestHeaders().forEach((name, values) -> {
        if (!NOT_FORWARDED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
          values.forEach(value -> request.header(name, value));
        }
      });
      HttpResponse<byte[]> answer;
      try {
        answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      byte[] response = answer.body();
      if (answer.statusCode() == 200) {
        response = observe(exchange, body, response);
      }
      answer.headers().map().forEach((name, values) -> {
        if (!NOT_FORWARDED.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.startsWith(":")) {
          values.forEach(value -> exchange.getResponseHeaders().add(name, value));
        }
      });
      exchange.sendResponseHeaders(answer.statusCode(), response.length == 0 ? -1 : response.length);
      if (response.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response);
        }
      }
    }
  }

  /** Remembers what a send or publish carried; adds {@code AWSTraceHeader} to what is received. */
  private byte[] observe(HttpExchange exchange, byte[] requestBody, byte[] response) {
    String traceHeader = exchange.getRequestHeaders().getFirst(TRACE_HEADER);
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    if (target != null && target.startsWith("AmazonSQS.")) {
      String operation = target.substring("AmazonSQS.".length());
      switch (operation) {
        case "SendMessage" -> sent(parse(requestBody), parse(response), traceHeader);
        case "SendMessageBatch" -> sentBatch(parse(requestBody), parse(response), traceHeader);
        case "ReceiveMessage" -> {
          return received(parse(requestBody), response);
        }
        default -> {
          // nothing to remember
        }
      }
      return response;
    }
    String form = new String(requestBody, StandardCharsets.UTF_8);
    if (traceHeader != null && form.contains("Action=Publish")) {
      published(form(form), new String(response, StandardCharsets.UTF_8), traceHeader);
    }
    return response;
  }

  private void sent(JsonNode request, JsonNode response, String traceHeader) {
    String header = explicitHeader(request).orElse(traceHeader);
    String id = response.field("MessageId").map(JsonNode::asString).orElse(null);
    if (header != null && id != null) {
      headers.put(id, header);
    }
  }

  private void sentBatch(JsonNode request, JsonNode response, String traceHeader) {
    Map<String, String> byEntry = new LinkedHashMap<>();
    for (JsonNode entry : request.field("Entries").map(JsonNode::asArray).orElse(List.of())) {
      String header = explicitHeader(entry).orElse(traceHeader);
      entry.field("Id").map(JsonNode::asString).ifPresent(id -> {
        if (header != null) {
          byEntry.put(id, header);
        }
      });
    }
    for (JsonNode done : response.field("Successful").map(JsonNode::asArray).orElse(List.of())) {
      String header = done.field("Id").map(JsonNode::asString).map(byEntry::get).orElse(null);
      String id = done.field("MessageId").map(JsonNode::asString).orElse(null);
      if (header != null && id != null) {
        headers.put(id, header);
      }
    }
  }

  private static java.util.Optional<String> explicitHeader(JsonNode message) {
    return message.field("MessageSystemAttributes")
        .flatMap(system -> system.field(AWS_TRACE_HEADER))
        .flatMap(value -> value.field("StringValue"))
        .map(JsonNode::asString);
  }

  private void published(Map<String, String> form, String response, String traceHeader) {
    if ("Publish".equals(form.get("Action"))) {
      Matcher id = XML_MESSAGE_ID.matcher(response);
      if (id.find()) {
        headers.put(id.group(1), traceHeader);
      }
      if (form.get("Message") != null) {
        headers.put(form.get("Message"), traceHeader);
      }
      return;
    }
    // PublishBatch: PublishBatchRequestEntries.member.N.Message, and the ids SNS answers.
    for (Map.Entry<String, String> field : form.entrySet()) {
      if (field.getKey().startsWith("PublishBatchRequestEntries.member.")
          && field.getKey().endsWith(".Message")) {
        headers.put(field.getValue(), traceHeader);
      }
    }
    Matcher entry = XML_BATCH_ENTRY.matcher(response);
    while (entry.find()) {
      headers.put(entry.group(2) != null ? entry.group(2) : entry.group(3), traceHeader);
    }
  }

  private byte[] received(JsonNode request, byte[] response) {
    if (!asksForTraceHeader(request, "MessageSystemAttributeNames")
        && !asksForTraceHeader(request, "AttributeNames")) {
      return response;
    }
    JsonNode answer = parse(response);
    List<JsonNode> messages = answer.field("Messages").map(JsonNode::asArray).orElse(List.of());
    boolean changed = false;
    List<Map<String, JsonNode>> rewritten = new ArrayList<>();
    for (JsonNode message : messages) {
      Map<String, JsonNode> fields = new LinkedHashMap<>(message.asObject());
      String header = headerOf(message);
      Map<String, JsonNode> attributes =
          new LinkedHashMap<>(message.field("Attributes").map(JsonNode::asObject).orElse(Map.of()));
      if (header != null && !attributes.containsKey(AWS_TRACE_HEADER)) {
        attributes.put(AWS_TRACE_HEADER, JsonNode.parser().parse(quoted(header)));
        fields.put("Attributes", JsonNode.parser().parse(write(attributes)));
        changed = true;
      }
      rewritten.add(fields);
    }
    if (!changed) {
      return response;
    }
    Map<String, JsonNode> whole = new LinkedHashMap<>(answer.asObject());
    StringBuilder array = new StringBuilder("[");
    for (int i = 0; i < rewritten.size(); i++) {
      array.append(i == 0 ? "" : ",").append(write(rewritten.get(i)));
    }
    whole.put("Messages", JsonNode.parser().parse(array.append(']').toString()));
    return write(whole).getBytes(StandardCharsets.UTF_8);
  }

  /** The header of the send or publish a received message came from, or null. */
  private String headerOf(JsonNode message) {
    String id = message.field("MessageId").map(JsonNode::asString).orElse(null);
    if (id != null && headers.containsKey(id)) {
      return headers.get(id);
    }
    String body = message.field("Body").map(JsonNode::asString).orElse(null);
    if (body == null) {
      return null;
    }
    if (body.startsWith("{") && body.contains("\"Type\"")) {
      try {
        JsonNode envelope = JsonNode.parser().parse(body);
        String snsId = envelope.field("MessageId").map(JsonNode::asString).orElse(null);
        if (snsId != null && envelope.field("TopicArn").isPresent()) {
          return headers.get(snsId);
        }
      } catch (RuntimeException notAnEnvelope) {
        // a raw body that looks like JSON
      }
    }
    return headers.get(body);
  }

  private static boolean asksForTraceHeader(JsonNode request, String field) {
    for (JsonNode name : request.field(field).map(JsonNode::asArray).orElse(List.of())) {
      String value = name.asString();
      if ("All".equals(value) || AWS_TRACE_HEADER.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode parse(byte[] json) {
    return json.length == 0 ? JsonNode.emptyObjectNode() : JsonNode.parser().parse(json);
  }

  /** {@code a=b&c=d}, percent-decoded. */
  private static Map<String, String> form(String body) {
    Map<String, String> fields = new TreeMap<>();
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        fields.put(
            URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      }
    }
    return fields;
  }

  private static String quoted(String value) {
    JsonWriter json = JsonWriter.create();
    json.writeValue(value);
    return new String(json.getBytes(), StandardCharsets.UTF_8);
  }

  private static String write(Map<String, JsonNode> object) {
    JsonWriter json = JsonWriter.create();
    json.writeStartObject();
    object.forEach((name, value) -> {
      json.writeFieldName(name);
      write(json, value);
    });
    json.writeEndObject();
    return new String(json.getBytes(), StandardCharsets.UTF_8);
  }

  private static void write(JsonWriter json, JsonNode node) {
    if (node.isObject()) {
      json.writeStartObject();
      node.asObject().forEach((name, value) -> {
        json.writeFieldName(name);
        write(json, value);
      });
      json.writeEndObject();
    } else if (node.isArray()) {
      json.writeStartArray();
      node.asArray().forEach(element -> write(json, element));
      json.writeEndArray();
    } else if (node.isString()) {
      json.writeValue(node.asString());
    } else if (node.isNumber()) {
      json.writeNumber(node.asNumber());
    } else if (node.isBoolean()) {
      json.writeValue(node.asBoolean());
    } else {
      json.writeNull();
    }
  }
}
