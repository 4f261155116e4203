package dev.baton.example.orders;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.baton.SpanAttribute;
import dev.baton.Traced;
import dev.baton.TracedHandler;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the customer their order was placed. It reads {@code OrderPlaced} events from the
 * notifications queue, which is subscribed to the order-events topic (SNS to SQS, without raw
 * delivery: the body is SNS's notification envelope, which is where Baton finds the trace
 * context). Sending the email is simulated: the function logs it, through SLF4J, and each log line
 * carries the trace id of the span it was written in. The customer's address goes on the span
 * only as a keyed hash.
 */
@TracedHandler
public class NotifyCustomerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

  private static final Logger LOG = LoggerFactory.getLogger(NotifyCustomerHandler.class);

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage message : event.getRecords()) {
      try {
        notifyCustomer(message);
      } catch (RuntimeException failed) {
        LOG.warn("notification {} failed: {}", message.getMessageId(), failed.toString());
        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
      }
    }
    return new SQSBatchResponse(failures);
  }

  /** One {@code OrderPlaced} notification: the message's {@code process} span. */
  @Traced
  void notifyCustomer(SQSEvent.SQSMessage message) {
    OrderPlaced placed = OrderJson.orderPlaced(message.getBody());
    String email = renderConfirmation(placed);
    sendEmail(placed.email(), domainOf(placed.email()), email);
  }

  @Traced("render confirmation")
  String renderConfirmation(OrderPlaced placed) {
    String total = NumberFormat.getCurrencyInstance(Locale.US).format(placed.totalCents() / 100.0);
    return "Thank you! Order " + placed.orderId() + " (" + total + ") is on its way.";
  }

  /**
   * Stands in for an email service. The recipient's domain is recorded as it is; the address only
   * as a keyed hash (equal for the same customer, never the address itself).
   */
  @Traced("send email")
  void sendEmail(
      @SpanAttribute(value = "customer.email", hash = true) String address,
      @SpanAttribute("email.recipient_domain") String domain,
      String body) {
    LOG.info("email to a customer at {}: {}", domain, body);
  }

  private static String domainOf(String email) {
    int at = email == null ? -1 : email.indexOf('@');
    return at < 0 ? "unknown" : email.substring(at + 1);
  }
}
