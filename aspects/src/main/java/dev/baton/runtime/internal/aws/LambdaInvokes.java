package dev.baton.runtime.internal.aws;

import dev.baton.runtime.internal.Arns;
import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.SemanticConventions;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>What the advice of {@code dev.baton.aspects.LambdaCalls} calls around {@code Invoke} of
 * {@code LambdaClient} and {@code LambdaAsyncClient}: the CLIENT span {@code Lambda.Invoke} (with
 * {@code faas.invoked_name}, the function's name without a qualifier or the ARN around it), whose
 * context is added to the {@code custom} map of the request's client context (base64 JSON), where
 * a {@code @TracedHandler} on the other side reads it. The user's own client context is kept (its
 * {@code client}, {@code env} and custom entries of the same name); a client context that is not
 * base64 JSON, or that would pass Lambda's limit of {@value #MAX_CLIENT_CONTEXT_BYTES} bytes, is
 * left unchanged and the span gets an event.
 */
public final class LambdaInvokes {

  /** The largest client context Lambda accepts, in bytes of base64. */
  static final int MAX_CLIENT_CONTEXT_BYTES = 3583;

  private static final String CUSTOM = "custom";

  private LambdaInvokes() {}

  /** {@code Invoke} with a request. */
  public static AwsCall invoke(Object client, InvokeRequest request) {
    Invoke call = new Invoke(client, null);
    call.prepare(request);
    return call;
  }

  /** {@code Invoke} with a {@code Consumer<Builder>}. */
  @SuppressWarnings("unchecked")
  public static AwsCall onBuildInvoke(Object client, Consumer<?> consumer) {
    return consumer == null ? null : new Invoke(client, (Consumer<Object>) consumer);
  }

  /** The request to send in place of {@code request}. */
  public static InvokeRequest request(AwsCall call, InvokeRequest request) {
    return call instanceof Invoke invoke && invoke.request != null ? invoke.request : request;
  }

  /**
   * {@code clientContext} (base64 JSON, or null) with {@code fields} added to its custom map, or
   * null to leave it unchanged (nothing to add, not JSON, or too large: an event says why).
   */
  static String withContext(String clientContext, Map<String, String> fields, Span span) {
    if (fields.isEmpty()) {
      return null;
    }
    Map<String, JsonNode> members = new LinkedHashMap<>();
    if (clientContext != null && !clientContext.isEmpty()) {
      JsonNode existing;
      try {
        existing = JsonNode.parser().parse(utf8(Base64.getDecoder().decode(clientContext)));
      } catch (RuntimeException | CharacterCodingException notJson) {
        MessageAttributes.notInjected(span, "the client context is not base64 JSON", null);
        return null;
      }
      if (existing == null || !existing.isObject()) {
        MessageAttributes.notInjected(span, "the client context is not a JSON object", null);
        return null;
      }
      members.putAll(existing.asObject());
    }
    Map<String, String> custom = new LinkedHashMap<>();
    JsonNode existingCustom = members.get(CUSTOM);
    if (existingCustom != null && !existingCustom.isNull()) {
      if (!existingCustom.isObject()) {
        MessageAttributes.notInjected(span, "the client context's custom member is not an object", null);
        return null;
      }
      for (Map.Entry<String, JsonNode> entry : existingCustom.asObject().entrySet()) {
        if (!entry.getValue().isString()) {
          MessageAttributes.notInjected(span, "the client context's custom map has a value that is not a string", null);
          return null;
        }
        custom.put(entry.getKey(), entry.getValue().asString());
      }
    }
    List<String> own = MessageAttributes.ownContext(custom, fields);
    if (!own.isEmpty()) {
      MessageAttributes.notInjected(
          span,
          "the client context carries its own trace context, which it keeps; none was added",
          null,
          own);
      return null;
    }
    boolean added = false;
    for (Map.Entry<String, String> field : fields.entrySet()) {
      if (!MessageAttributes.containsIgnoringCase(custom, field.getKey())) {
        custom.put(field.getKey(), field.getValue());
        added = true;
      }
    }
    if (!added) {
      return null;
    }
    StringBuilder json = new StringBuilder("{");
    boolean first = true;
    boolean customWritten = false;
    for (Map.Entry<String, JsonNode> member : members.entrySet()) {
      first = comma(json, first);
      Json.string(json, member.getKey());
      json.append(':');
      if (member.getKey().equals(CUSTOM)) {
        Json.stringMap(json, custom);
        customWritten = true;
      } else {
        Json.node(json, member.getValue());
      }
    }
    if (!customWritten) {
      comma(json, first);
      Json.string(json, CUSTOM);
      json.append(':');
      Json.stringMap(json, custom);
    }
    json.append('}');
    String encoded = Base64.getEncoder().encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    if (encoded.length() > MAX_CLIENT_CONTEXT_BYTES) {
      MessageAttributes.notInjected(
          span,
          "the client context with the trace context would be "
              + encoded.length()
              + " bytes of base64, more than Lambda's "
              + MAX_CLIENT_CONTEXT_BYTES,
          null);
      return null;
    }
    return encoded;
  }

  /**
   * {@code bytes} as UTF-8, strictly: bytes that are not UTF-8 would be read as U+FFFD and sent
   * back changed, so they make the client context one Baton leaves alone.
   */
  private static String utf8(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }

  private static boolean comma(StringBuilder json, boolean first) {
    if (!first) {
      json.append(',');
    }
    return false;
  }

  static final class Invoke extends AwsCall {
    InvokeRequest request;
    private String functionName;

    Invoke(Object client, Consumer<Object> mutation) {
      super(client, mutation);
    }

    void prepare(InvokeRequest original) {
      try {
        String clientContext = clientContextWithContext(original);
        if (clientContext != null) {
          request = original.toBuilder().clientContext(clientContext).build();
        }
      } catch (Throwable failure) {
        request = null;
        Failures.report("injecting the trace context into a Lambda client context", failure);
      }
    }

    /** Starts the span; the client context with the trace context, or null to leave it. */
    private String clientContextWithContext(InvokeRequest original) {
      functionName = original == null ? null : original.functionName();
      start(original);
      if (original == null) {
        return null;
      }
      return withContext(original.clientContext(), ContextFields.of(span).attributes(), span);
    }

    @Override
    void addStartAttributes(SpanBuilder builder) {
      String name = Arns.lambdaFunctionName(functionName);
      if (name != null) {
        builder.setAttribute(SemanticConventions.FAAS_INVOKED_NAME, name);
        builder.setAttribute(
            SemanticConventions.FAAS_INVOKED_PROVIDER, SemanticConventions.FAAS_INVOKED_PROVIDER_AWS);
      }
      // A full ARN names the function's region; else the client calls its own region's.
      String region = Arns.lambdaFunctionRegion(functionName);
      if (region == null) {
        region = ClientRegions.of(client);
      }
      if (region != null) {
        builder.setAttribute(SemanticConventions.FAAS_INVOKED_REGION, region);
      }
    }

    /** The consumer's builder, filled: the client context goes straight into it. */
    @Override
    void onBuilderFilled(Object builder) {
      InvokeRequest.Builder invokeBuilder = (InvokeRequest.Builder) builder;
      try {
        String clientContext = clientContextWithContext(invokeBuilder.build());
        if (clientContext != null) {
          invokeBuilder.clientContext(clientContext);
        }
      } catch (Throwable failure) {
        Failures.report("injecting the trace context into a Lambda client context", failure);
      }
    }
  }

  /** A small JSON writer for what a client context holds. */
  static final class Json {
    private Json() {}

    static void node(StringBuilder json, JsonNode node) {
      if (node == null || node.isNull()) {
        json.append("null");
      } else if (node.isString()) {
        string(json, node.asString());
      } else if (node.isNumber()) {
        json.append(node.asNumber());
      } else if (node.isBoolean()) {
        json.append(node.asBoolean());
      } else if (node.isArray()) {
        json.append('[');
        List<JsonNode> elements = node.asArray();
        for (int i = 0; i < elements.size(); i++) {
          if (i > 0) {
            json.append(',');
          }
          node(json, elements.get(i));
        }
        json.append(']');
      } else if (node.isObject()) {
        json.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> member : node.asObject().entrySet()) {
          first = comma(json, first);
          string(json, member.getKey());
          json.append(':');
          node(json, member.getValue());
        }
        json.append('}');
      } else {
        json.append("null");
      }
    }

    static void stringMap(StringBuilder json, Map<String, String> map) {
      json.append('{');
      boolean first = true;
      for (Map.Entry<String, String> entry : map.entrySet()) {
        first = comma(json, first);
        string(json, entry.getKey());
        json.append(':');
        string(json, entry.getValue());
      }
      json.append('}');
    }

    static void string(StringBuilder json, String value) {
      json.append('"');
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        switch (c) {
          case '"' -> json.append("\\\"");
          case '\\' -> json.append("\\\\");
          case '\n' -> json.append("\\n");
          case '\r' -> json.append("\\r");
          case '\t' -> json.append("\\t");
          default -> {
            if (c < 0x20 || isLoneSurrogate(value, i)) {
              // A lone surrogate has no UTF-8 form (the encoder would write '?'): JSON's escape
              // keeps it as the user's client context had it.
              json.append(String.format("\\u%04x", (int) c));
            } else {
              json.append(c);
            }
          }
        }
      }
      json.append('"');
    }

    /** Whether the char at {@code i} is a surrogate that is not half of a pair. */
    static boolean isLoneSurrogate(String value, int i) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)) {
        return i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1));
      }
      if (Character.isLowSurrogate(c)) {
        return i == 0 || !Character.isHighSurrogate(value.charAt(i - 1));
      }
      return false;
    }
  }
}
