package it.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.baton.TracedHandler;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.Map;

/**
 * A function that kept its own OpenTelemetry setup when it adopted Baton: on its first invocation,
 * after Baton's zero-code setup registered Baton's SDK globally, it registers its own
 * autoconfigured SDK globally (its resource says {@code telemetry.owner=function}), and creates a
 * span of its own with the global tracer.
 */
public class AuditOrders {

  private static volatile boolean registered;

  @TracedHandler
  public String audit(ScheduledEvent event, Context context) {
    if (!registered) {
      registered = true;
      AutoConfiguredOpenTelemetrySdk.builder()
          .addPropertiesSupplier(() -> Map.of("otel.resource.attributes", "telemetry.owner=function"))
          .setResultAsGlobal()
          .build();
    }
    GlobalOpenTelemetry.getTracer("it.handlers.audit").spanBuilder("audit orders").startSpan().end();
    return "audited";
  }
}
