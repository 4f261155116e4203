package dev.baton.example.orders;

/**
 * The event {@link ProcessOrderHandler} publishes to the order-events topic once an order is
 * accepted, and {@link NotifyCustomerHandler} turns into a confirmation.
 */
public record OrderPlaced(String orderId, String customerId, String email, long totalCents) {

  /** The value of the {@code type} field and of the {@code eventType} message attribute. */
  public static final String TYPE = "OrderPlaced";

  static OrderPlaced of(Order order) {
    return new OrderPlaced(order.orderId(), order.customerId(), order.email(), order.totalCents());
  }
}
