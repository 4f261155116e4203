package dev.baton.example.orders;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
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

/**
 * Tells the customer their order was placed. It reads {@code OrderPlaced} events from the
 * notifications queue, which is subscribed to the order-events topic (SNS to SQS, without raw
 * delivery: the body is SNS's notification envelope, which is where Baton finds the trace
 * context). Sending the email is simulated: the function logs it.
 */
@TracedHandler
public class NotifyCustomerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage message : event.getRecords()) {
      try {
        notifyCustomer(message, context.getLogger());
      } catch (RuntimeException failed) {
        context.getLogger().log("notification " + message.getMessageId() + " failed: " + failed);
        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
      }
    }
    return new SQSBatchResponse(failures);
  }

  /** One {@code OrderPlaced} notification: the message's {@code process} span. */
  @Traced
  void notifyCustomer(SQSEvent.SQSMessage message, LambdaLogger logger) {
    OrderPlaced placed = OrderJson.orderPlaced(message.getBody());
    String email = renderConfirmation(placed);
    sendEmail(domainOf(placed.email()), email, logger);
  }

  @Traced("render confirmation")
  String renderConfirmation(OrderPlaced placed) {
    String total = NumberFormat.getCurrencyInstance(Locale.US).format(placed.totalCents() / 100.0);
    return "Thank you! Order " + placed.orderId() + " (" + total + ") is on its way.";
  }

  /** Stands in for an email service; only the recipient's domain is recorded, never the address. */
  @Traced("send email")
  void sendEmail(@SpanAttribute("email.recipient_domain") String domain, String body, LambdaLogger logger) {
    logger.log("email to a customer at " + domain + ": " + body);
  }

  private static String domainOf(String email) {
    int at = email == null ? -1 : email.indexOf('@');
    return at < 0 ? "unknown" : email.substring(at + 1);
  }
}
