package it.platform;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.baton.SpanAttribute;
import dev.baton.Traced;
import dev.baton.TracedHandler;
import java.util.Map;

/**
 * A batch job: {@code {"spans": "5000"}} makes that many {@code @Traced} steps, {@code {"blob":
 * "100000"}} one step with an attribute of that many characters.
 */
@TracedHandler
public class Bulk implements RequestHandler<Map<String, String>, String> {

  @Override
  public String handleRequest(Map<String, String> event, Context context) {
    int spans = Integer.parseInt(event.getOrDefault("spans", "0"));
    for (int i = 0; i < spans; i++) {
      step(i);
    }
    int blob = Integer.parseInt(event.getOrDefault("blob", "0"));
    if (blob > 0) {
      annotate("b".repeat(blob), "kept");
    }
    return "done " + spans;
  }

  @Traced
  void step(@SpanAttribute("bulk.step") int step) {}

  @Traced
  void annotate(@SpanAttribute("bulk.blob") String blob, @SpanAttribute("bulk.note") String note) {}
}
