package bench.orders;

/**
 * The function's business logic, shared word for word by every variant of the benchmark: only
 * the handler around it differs (untraced, hand-written spans, Baton annotations).
 */
public final class OrderLogic {

  private OrderLogic() {}

  /** {@code {"id":"o-1","sku":"book-42","quantity":3}}: a tiny parser, no JSON library. */
  public static Order parse(String body) {
    if (body == null || body.isBlank()) {
      throw new IllegalArgumentException("empty order");
    }
    return new Order(field(body, "id"), field(body, "sku"), Integer.parseInt(field(body, "quantity")));
  }

  /** The total in cents: a unit price derived from the SKU, 10% off from ten items on. */
  public static long price(String sku, int quantity) {
    if (quantity <= 0) {
      throw new IllegalArgumentException("quantity must be positive: " + quantity);
    }
    long unit = 500 + Math.floorMod(sku.hashCode(), 2_000);
    long total = unit * quantity;
    return quantity >= 10 ? total - total / 10 : total;
  }

  /** The message the order queue receives. */
  public static String message(Order order, long totalCents) {
    return "{\"orderId\":\"" + order.id() + "\",\"sku\":\"" + order.sku() + "\",\"quantity\":"
        + order.quantity() + ",\"totalCents\":" + totalCents + "}";
  }

  /** The HTTP API response body. */
  public static String created(Order order, long totalCents, String messageId) {
    return "{\"orderId\":\"" + order.id() + "\",\"totalCents\":" + totalCents + ",\"messageId\":\""
        + messageId + "\"}";
  }

  private static String field(String json, String name) {
    String key = "\"" + name + "\"";
    int at = json.indexOf(key);
    if (at < 0) {
      throw new IllegalArgumentException("missing field " + name);
    }
    int colon = json.indexOf(':', at + key.length());
    int start = colon + 1;
    while (start < json.length() && (json.charAt(start) == ' ' || json.charAt(start) == '"')) {
      start++;
    }
    int end = start;
    while (end < json.length() && ",}\"".indexOf(json.charAt(end)) < 0) {
      end++;
    }
    return json.substring(start, end).trim();
  }
}
