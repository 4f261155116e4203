package com.acme.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;
import dev.baton.TracedHandler;

/** Application Load Balancer target, not through RequestHandler. */
public class AlbHandler {
  @TracedHandler
  public ApplicationLoadBalancerResponseEvent handle(ApplicationLoadBalancerRequestEvent event, Context context) {
    ApplicationLoadBalancerResponseEvent response = new ApplicationLoadBalancerResponseEvent();
    response.setStatusCode(204);
    return response;
  }
}
