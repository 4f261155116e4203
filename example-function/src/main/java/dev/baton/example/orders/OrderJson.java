package dev.baton.example.orders;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * Orders and events as JSON, with the AWS SDK's own small JSON module ({@code json-utils}, which
 * every SDK client already depends on): no data-binding library to load at cold start.
 */
final class OrderJson {

  private OrderJson() {}

  /** The order in a request or message body; {@code orderId} may be absent. */
  static Order order(String json) {
    JsonNode root = parse(json);
    List<Order.Line> lines = new ArrayList<>();
    JsonNode linesNode = root.field("lines").orElse(null);
    if (linesNode != null && linesNode.isArray()) {
      for (JsonNode line : linesNode.asArray()) {
        lines.add(new Order.Line(text(line, "sku"), (int) number(line, "quantity"), number(line, "unitPriceCents")));
      }
    }
    return new Order(text(root, "orderId"), text(root, "customerId"), text(root, "email"), lines);
  }

  /** The order's JSON, with its id and total. */
  static String json(Order order) {
    JsonWriter writer = JsonWriter.create();
    writer.writeStartObject();
    field(writer, "orderId", order.orderId());
    field(writer, "customerId", order.customerId());
    field(writer, "email", order.email());
    writer.writeFieldName("lines").writeStartArray();
    for (Order.Line line : order.lines()) {
      writer.writeStartObject();
      field(writer, "sku", line.sku());
      writer.writeFieldName("quantity").writeValue(line.quantity());
      writer.writeFieldName("unitPriceCents").writeValue(line.unitPriceCents());
      writer.writeEndObject();
    }
    writer.writeEndArray();
    writer.writeFieldName("totalCents").writeValue(order.totalCents());
    writer.writeEndObject();
    return text(writer);
  }

  static String json(OrderPlaced event) {
    JsonWriter writer = JsonWriter.create();
    writer.writeStartObject();
    field(writer, "type", OrderPlaced.TYPE);
    field(writer, "orderId", event.orderId());
    field(writer, "customerId", event.customerId());
    field(writer, "email", event.email());
    writer.writeFieldName("totalCents").writeValue(event.totalCents());
    writer.writeEndObject();
    return text(writer);
  }

  /**
   * The {@code OrderPlaced} event in an SQS message body: the SNS notification envelope that a
   * subscription without raw delivery writes ({@code "Type": "Notification"}, the event in {@code
   * Message}), or the event itself (raw delivery).
   */
  static OrderPlaced orderPlaced(String sqsBody) {
    JsonNode root = parse(sqsBody);
    if ("Notification".equals(text(root, "Type"))) {
      root = parse(text(root, "Message"));
    }
    if (!OrderPlaced.TYPE.equals(text(root, "type"))) {
      throw new InvalidOrderException("not an " + OrderPlaced.TYPE + " event: type " + text(root, "type"));
    }
    return new OrderPlaced(
        text(root, "orderId"), text(root, "customerId"), text(root, "email"), number(root, "totalCents"));
  }

  /** {@code {"name": "value", ...}} */
  static String object(Map<String, String> fields) {
    JsonWriter writer = JsonWriter.create();
    writer.writeStartObject();
    fields.forEach((name, value) -> field(writer, name, value));
    writer.writeEndObject();
    return text(writer);
  }

  private static JsonNode parse(String json) {
    if (json == null || json.isBlank()) {
      throw new InvalidOrderException("empty body");
    }
    try {
      JsonNode node = JsonNode.parser().parse(json);
      if (!node.isObject()) {
        throw new InvalidOrderException("not a JSON object");
      }
      return node;
    } catch (RuntimeException e) {
      if (e instanceof InvalidOrderException invalid) {
        throw invalid;
      }
      throw new InvalidOrderException("malformed JSON: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode node, String name) {
    return node.field(name).filter(JsonNode::isString).map(JsonNode::asString).orElse(null);
  }

  private static long number(JsonNode node, String name) {
    JsonNode value = node.field(name).orElse(null);
    if (value == null || !value.isNumber()) {
      throw new InvalidOrderException("'" + name + "' must be a number");
    }
    try {
      return Long.parseLong(value.asNumber());
    } catch (NumberFormatException e) {
      throw new InvalidOrderException("'" + name + "' must be a whole number", e);
    }
  }

  private static void field(JsonWriter writer, String name, String value) {
    writer.writeFieldName(name);
    if (value == null) {
      writer.writeNull();
    } else {
      writer.writeValue(value);
    }
  }

  private static String text(JsonWriter writer) {
    return new String(writer.getBytes(), StandardCharsets.UTF_8);
  }
}
