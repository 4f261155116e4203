package dev.baton.runtime.internal.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.baton.runtime.internal.FuzzValues;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;

/**
 * Fuzz target for the trace context Baton adds to a Lambda client context, through the real
 * {@code LambdaClient} as a function calls it (woven by ajc, see {@code aspects/pom.xml}),
 * sending to {@link RecordingHttpClient}, a stand-in for Lambda. Client contexts of every kind:
 * none, empty, whitespace, not base64, base64 of bytes that are not UTF-8, and base64 JSON
 * objects with any strings (escapes, lone surrogates), any other members and sizes up to
 * Lambda's limit. Besides {@link InjectionFuzzing}'s shared oracles: a client context Baton
 * changed is valid UTF-8 JSON that holds every member and custom entry of the user's exactly,
 * plus only context fields, within {@value LambdaInvokes#MAX_CLIENT_CONTEXT_BYTES} bytes, and is
 * what went out in {@code X-Amz-Client-Context}; one Baton left alone comes with one event.
 */
class LambdaInvokeFuzzTest {

  private static InjectionFuzzing fuzzing;
  private static LambdaClient lambda;

  @BeforeAll
  static void client() {
    fuzzing = new InjectionFuzzing();
    lambda = new RecordingClients.Lambda(fuzzing.client(LambdaClient.builder()), fuzzing.outcome);
  }

  @AfterAll
  static void close() {
    lambda.close();
    fuzzing.close();
  }

  @FuzzTest(maxDuration = "10m")
  void invoke(FuzzedDataProvider data) {
    String clientContext = clientContext(data);
    String functionName =
        data.consumeBoolean() ? "orders" : "arn:aws:lambda:eu-west-1:123456789012:function:orders:" + data.consumeAsciiString(8);
    SdkBytes payload = SdkBytes.fromUtf8String(FuzzValues.text(data, 40));
    InvokeRequest request =
        InvokeRequest.builder().functionName(functionName).clientContext(clientContext).payload(payload).build();
    RuntimeException userFailure = data.consumeInt(0, 9) == 0 ? new IllegalStateException("the user's") : null;
    boolean viaConsumer = userFailure != null || data.consumeBoolean();
    fuzzing.call(
        data,
        () ->
            viaConsumer
                ? lambda.invoke(
                    builder -> {
                      builder.functionName(functionName).clientContext(clientContext).payload(payload);
                      if (userFailure != null) {
                        throw userFailure;
                      }
                    })
                : lambda.invoke(request),
        userFailure);
    if (userFailure != null) {
      return;
    }
    String sent = ((InvokeRequest) fuzzing.sent).clientContext();
    int events = fuzzing.notInjected(null);
    if (java.util.Objects.equals(sent, clientContext)) {
      assertThat(events).as("events saying why the client context was left unchanged").isEqualTo(1);
      return;
    }
    assertThat(events).as("events for a client context the context was added to").isZero();
    assertThat(sent.length()).as("the client context's bytes").isLessThanOrEqualTo(LambdaInvokes.MAX_CLIENT_CONTEXT_BYTES);
    assertThat(fuzzing.http.request.firstMatchingHeader("X-Amz-Client-Context")).as("the header sent").contains(sent);
    Map<String, JsonNode> user =
        clientContext == null || clientContext.isEmpty() ? Map.of() : parse(clientContext).asObject();
    Map<String, JsonNode> arrived = parse(sent).asObject();
    for (Map.Entry<String, JsonNode> member : user.entrySet()) {
      assertThat(arrived).as("the user's member %s", member.getKey()).containsKey(member.getKey());
      if (!member.getKey().equals("custom")) {
        assertThat(canonical(arrived.get(member.getKey())))
            .as("the user's member %s", member.getKey())
            .isEqualTo(canonical(member.getValue()));
      }
    }
    Map<String, JsonNode> userCustom =
        user.get("custom") == null || user.get("custom").isNull() ? Map.of() : user.get("custom").asObject();
    Map<String, JsonNode> sentCustom = arrived.get("custom").asObject();
    for (Map.Entry<String, JsonNode> entry : userCustom.entrySet()) {
      assertThat(sentCustom).containsKey(entry.getKey());
      assertThat(sentCustom.get(entry.getKey()).asString())
          .as("the user's custom entry %s", entry.getKey())
          .isEqualTo(entry.getValue().asString());
    }
    List<String> added = new java.util.ArrayList<>(sentCustom.keySet());
    added.removeAll(userCustom.keySet());
    assertThat(added).contains("traceparent");
    for (String name : added) {
      assertThat(InjectionFuzzing.CONTEXT_FIELDS).contains(name);
      for (String userName : userCustom.keySet()) {
        assertThat(userName.toLowerCase(Locale.ROOT)).isNotEqualTo(name);
      }
    }
  }

  /** Base64 UTF-8 JSON, strictly: a client context Baton wrote must be all three. */
  private static JsonNode parse(String base64) {
    try {
      String json =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(Base64.getDecoder().decode(base64)))
              .toString();
      return JsonNode.parser().parse(json);
    } catch (Exception notUtf8) {
      throw new AssertionError("not base64 UTF-8 JSON: " + base64, notUtf8);
    }
  }

  /** A JSON value written one way only: every string char escaped, members in their order. */
  private static String canonical(JsonNode node) {
    if (node == null || node.isNull()) {
      return "null";
    }
    if (node.isString()) {
      return escaped(node.asString());
    }
    if (node.isNumber()) {
      return node.asNumber();
    }
    if (node.isBoolean()) {
      return Boolean.toString(node.asBoolean());
    }
    if (node.isArray()) {
      StringBuilder array = new StringBuilder("[");
      for (JsonNode element : node.asArray()) {
        array.append(canonical(element)).append(',');
      }
      return array.append(']').toString();
    }
    StringBuilder object = new StringBuilder("{");
    for (Map.Entry<String, JsonNode> member : node.asObject().entrySet()) {
      object.append(escaped(member.getKey()))
          .append(':')
          .append(canonical(member.getValue()))
          .append(',');
    }
    return object.append('}').toString();
  }

  private static String escaped(String value) {
    StringBuilder escaped = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      escaped.append(String.format("\\u%04x", (int) c));
    }
    return escaped.append('"').toString();
  }

  /** A client context of any kind (see the class comment). */
  private static String clientContext(FuzzedDataProvider data) {
    switch (data.consumeInt(0, 8)) {
      case 0:
        return null;
      case 1:
        return "";
      case 2:
        return " ".repeat(data.consumeInt(1, 4)) + (data.consumeBoolean() ? "\t\n" : "");
      case 3:
        return FuzzValues.text(data, 60);
      case 4:
        return Base64.getEncoder().encodeToString(data.consumeBytes(60));
      case 5:
        return Base64.getEncoder()
            .encodeToString(((data.consumeBoolean() ? " " : "") + FuzzValues.text(data, 30)).getBytes(StandardCharsets.UTF_8));
      default:
        return Base64.getEncoder().encodeToString(json(data).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A client context object: client, env and custom maps of any strings, maybe padded to Lambda's limit. */
  private static String json(FuzzedDataProvider data) {
    StringBuilder json = new StringBuilder("{");
    if (data.consumeBoolean()) {
      json.append("\"client\":{\"installation_id\":").append(string(FuzzValues.text(data, 20)))
          .append(",\"app_title\":").append(string(FuzzValues.text(data, 20))).append("},");
    }
    if (data.consumeBoolean()) {
      json.append("\"env\":{\"platform\":").append(string(FuzzValues.text(data, 20))).append(",\"locale\":\"en\"},");
    }
    int pick = data.consumeInt(0, 5);
    if (pick == 0) {
      json.append("\"custom\":").append(TriggerValue.of(data)).append(',');
    } else if (pick > 1) {
      json.append("\"custom\":{");
      int count = data.consumeInt(0, 4);
      for (int i = 0; i < count; i++) {
        String name = FuzzValues.name(data);
        json.append(string(name)).append(':').append(string(FuzzValues.value(data, name, false))).append(',');
      }
      if (data.consumeBoolean()) {
        // Up to a few hundred bytes under or over what Lambda's limit leaves.
        int room = LambdaInvokes.MAX_CLIENT_CONTEXT_BYTES / 4 * 3 - json.length() - data.consumeInt(0, 400);
        json.append("\"padding\":\"").append("p".repeat(Math.max(0, room))).append("\",");
      }
      if (json.charAt(json.length() - 1) == ',') {
        json.setLength(json.length() - 1);
      }
      json.append("},");
    }
    if (data.consumeBoolean()) {
      json.append(string(FuzzValues.text(data, 10))).append(':').append(TriggerValue.of(data)).append(',');
    }
    if (json.charAt(json.length() - 1) == ',') {
      json.setLength(json.length() - 1);
    }
    return json.append('}').toString();
  }

  private static String string(String value) {
    return dev.baton.runtime.internal.lambda.SnsEnvelopeFuzzTestAccess.string(value);
  }

  /** A JSON value of another kind than a string map. */
  private static final class TriggerValue {
    static String of(FuzzedDataProvider data) {
      switch (data.consumeInt(0, 6)) {
        case 0:
          return "null";
        case 1:
          return Long.toString(data.consumeLong());
        case 2:
          return "[1,\"a\",{\"b\":null},true]";
        case 3:
          return "{\"nested\":{\"n\":-0.5e-3}}";
        case 4:
          return "{\"k\":1}";
        case 5:
          return string(FuzzValues.text(data, 20));
        default:
          return "false";
      }
    }
  }
}
