package bench.orders;

/** An order as the HTTP API receives it. */
public record Order(String id, String sku, int quantity) {}
