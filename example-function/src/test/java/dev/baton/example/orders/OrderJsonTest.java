package dev.baton.example.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OrderJsonTest {

  private static final Order ORDER =
      new Order("o-1", "c-1", "ada@example.com", List.of(new Order.Line("BOOK", 2, 1250), new Order.Line("MUG", 1, 800)));

  @Test
  void anOrderSurvivesTheQueue() {
    Order read = OrderJson.order(OrderJson.json(ORDER));

    assertThat(read).isEqualTo(ORDER);
    assertThat(read.totalCents()).isEqualTo(3300);
  }

  @Test
  void orderPlacedIsReadFromAnSnsEnvelopeAndFromARawBody() {
    String event = OrderJson.json(OrderPlaced.of(ORDER));
    String envelope = "{\"Type\":\"Notification\",\"MessageId\":\"m-1\",\"TopicArn\":\"arn:aws:sns:us-east-1:000000000000:order-events\","
        + "\"Message\":" + quoted(event) + ",\"MessageAttributes\":{}}";

    OrderPlaced expected = new OrderPlaced("o-1", "c-1", "ada@example.com", 3300);
    assertThat(OrderJson.orderPlaced(envelope)).isEqualTo(expected);
    assertThat(OrderJson.orderPlaced(event)).isEqualTo(expected);
  }

  @Test
  void malformedInputIsAnInvalidOrderNotACrash() {
    assertThatThrownBy(() -> OrderJson.order("{not json")).isInstanceOf(InvalidOrderException.class).hasMessageContaining("malformed");
    assertThatThrownBy(() -> OrderJson.order("[1]")).isInstanceOf(InvalidOrderException.class).hasMessageContaining("object");
    assertThatThrownBy(() -> OrderJson.order(null)).isInstanceOf(InvalidOrderException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> OrderJson.order("{\"lines\":[{\"sku\":\"A\",\"quantity\":\"two\",\"unitPriceCents\":1}]}"))
        .isInstanceOf(InvalidOrderException.class).hasMessageContaining("quantity");
    assertThatThrownBy(() -> OrderJson.orderPlaced("{\"type\":\"OrderShipped\"}"))
        .isInstanceOf(InvalidOrderException.class).hasMessageContaining("OrderShipped");
  }

  @Test
  void validationSaysWhatIsWrong() {
    PlaceOrderHandler handler = new PlaceOrderHandler(null, null, "orders", "queue");

    assertThatThrownBy(() -> handler.validate("{\"customerId\":\"c\",\"email\":\"nobody\",\"lines\":[]}"))
        .isInstanceOf(InvalidOrderException.class).hasMessageContaining("email");
    assertThatThrownBy(() -> handler.validate("{\"customerId\":\"c\",\"email\":\"a@b.c\",\"lines\":[]}"))
        .hasMessageContaining("at least one line");
    assertThat(handler.validate(OrderJson.json(ORDER)).totalCents()).isEqualTo(3300);
  }

  private static String quoted(String json) {
    return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
