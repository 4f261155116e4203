package dev.baton.testing.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Core;
import org.crac.Resource;

/**
 * A plain handler that registers an {@code org.crac} {@link Resource} in its static initializer,
 * as a function prepared for SnapStart does, and reports (as {@code key=value} lines) what ran, in
 * order: {@code init}, the hooks, each {@code invocation}. Each hook also calls {@code
 * PROBE_HOOK_URL/<hook>} when set, so that the test can order it against the Runtime API's
 * requests, and {@code PROBE_FAIL_HOOK=afterRestore} makes that hook throw.
 */
public final class SnapStartHandler implements RequestStreamHandler {

  private static final List<String> EVENTS = new CopyOnWriteArrayList<>();

  /** Held strongly: the runtime client's context keeps its resources weakly. */
  private static final Resource HOOKS = new Resource() {
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) throws IOException {
      ran("beforeCheckpoint");
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) throws IOException {
      ran("afterRestore");
      if ("afterRestore".equals(System.getenv("PROBE_FAIL_HOOK"))) {
        throw new IllegalStateException("afterRestore failed on purpose");
      }
    }
  };

  static {
    Core.getGlobalContext().register(HOOKS);
    EVENTS.add("init");
  }

  private static void ran(String hook) throws IOException {
    EVENTS.add(hook);
    String url = System.getenv("PROBE_HOOK_URL");
    if (url != null) {
      HttpURLConnection connection =
          (HttpURLConnection) URI.create(url + "/" + hook).toURL().openConnection();
      if (connection.getResponseCode() != 204) {
        throw new IOException(url + "/" + hook + " answered " + connection.getResponseCode());
      }
      connection.disconnect();
    }
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    EVENTS.add("invocation");
    String report =
        "events=" + String.join(",", EVENTS)
            + "\ninitType=" + System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE")
            + "\n";
    output.write(report.getBytes(StandardCharsets.UTF_8));
  }
}
