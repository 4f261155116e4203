package it.platform;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.baton.SpanAttribute;
import dev.baton.Traced;
import dev.baton.TracedHandler;
import org.crac.Core;
import org.crac.Resource;

/**
 * A SnapStart function that does nothing to prime itself: Baton primes its own tracing before the
 * snapshot. For the test only, it prints {@value #RESTORED} when the JVM is restored, so that the
 * test can tell which classes the JVM loaded after the restore.
 */
@TracedHandler
public class Restorable implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  static final String RESTORED = "RESTORABLE: restored";

  /** Held strongly: CRaC contexts keep weak references. */
  private static final Resource MARKER = new Resource() {
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {}

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
      System.out.println(RESTORED);
      System.out.flush();
    }
  };

  static {
    Core.getGlobalContext().register(MARKER);
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withBody(quote(event.getBody())).build();
  }

  @Traced
  String quote(@SpanAttribute("quote.body") String body) {
    return "{\"quoted\":" + (body == null ? 0 : body.length()) + "}";
  }
}
