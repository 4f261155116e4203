package com.acme.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.baton.TracedHandler;
import java.io.InputStream;
import java.io.OutputStream;

/** A stream handler: trigger other, the context from Lambda alone. */
public class StreamHandler implements RequestStreamHandler {
  @TracedHandler
  @Override
  public void handleRequest(InputStream in, OutputStream out, Context context) {}
}
