package dev.baton.example.orders;

import java.util.List;

/**
 * An order: what {@code POST /orders} receives (without {@code orderId}), what goes to DynamoDB
 * and, as JSON, onto the orders queue.
 *
 * @param orderId assigned by {@link PlaceOrderHandler}
 * @param customerId who ordered
 * @param email where the confirmation goes
 * @param lines what was ordered, at least one line
 */
public record Order(String orderId, String customerId, String email, List<Line> lines) {

  public Order {
    lines = List.copyOf(lines);
  }

  /** One line of an order: {@code quantity} of {@code sku} at {@code unitPriceCents} each. */
  public record Line(String sku, int quantity, long unitPriceCents) {}

  /** The order's total in cents. */
  public long totalCents() {
    return lines.stream().mapToLong(line -> line.quantity() * line.unitPriceCents()).sum();
  }

  /** The same order with {@code id}. */
  public Order withId(String id) {
    return new Order(id, customerId, email, lines);
  }
}
