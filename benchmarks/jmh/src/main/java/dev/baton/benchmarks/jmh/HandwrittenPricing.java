package dev.baton.benchmarks.jmh;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/**
 * The method under test with the span Baton creates, written by hand: same name, kind and
 * attributes, current while the body runs, the exception recorded and rethrown.
 */
public class HandwrittenPricing {

  private final Tracer tracer;

  public HandwrittenPricing(Tracer tracer) {
    this.tracer = tracer;
  }

  public long price(String sku, int quantity) {
    Span span =
        tracer.spanBuilder("Pricing.price")
            .setAttribute("order.sku", sku)
            .setAttribute("order.quantity", quantity)
            .startSpan();
    try (Scope scope = span.makeCurrent()) {
      return PricingLogic.price(sku, quantity);
    } catch (RuntimeException failure) {
      span.setStatus(StatusCode.ERROR);
      span.setAttribute("error.type", failure.getClass().getName());
      span.recordException(failure);
      throw failure;
    } finally {
      span.end();
    }
  }
}
