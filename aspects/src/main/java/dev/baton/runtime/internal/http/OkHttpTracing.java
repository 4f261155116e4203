package dev.baton.runtime.internal.http;

import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.TracedMethods;
import dev.baton.runtime.internal.aws.WeakIdentityMap;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>What the advice of {@code dev.baton.aspects.OkHttpCalls} calls around {@code
 * OkHttpClient.newCall(request)}: {@code proceed(OkHttpTracing.client(client),
 * OkHttpTracing.request(request))}.
 *
 * <p>An OkHttp call runs later than {@code newCall}, on the caller's thread ({@code execute}) or
 * on OkHttp's dispatcher ({@code enqueue}), and may be cloned and run again: the span belongs to
 * the run, so it is OkHttp's own extension point, an application interceptor, that traces it. The
 * call is made on a copy of the caller's client with Baton's interceptor added last (made once
 * per client and kept, weakly, while the client lives; the copy shares the client's connection
 * pool, dispatcher and settings), and the request carries, as a tag, the context current at
 * {@code newCall}, the span's parent. A subclass of {@code OkHttpClient} is left alone (its
 * {@code newCall} may be its own): its calls are not traced, and that is reported once.
 */
public final class OkHttpTracing {

  private static final WeakIdentityMap<OkHttpClient, OkHttpClient> TRACED = new WeakIdentityMap<>(16, 64);

  private OkHttpTracing() {}

  /** The client to make the call on: {@code client} with Baton's interceptor added, or itself. */
  public static OkHttpClient client(OkHttpClient client) {
    if (client == null) {
      return null;
    }
    try {
      if (client.getClass() != OkHttpClient.class) {
        Failures.reportInput(
            "an OkHttpClient subclass, whose calls are not traced", client.getClass().getName());
        return client;
      }
      OkHttpClient traced = TRACED.get(client);
      if (traced == null) {
        traced = client.newBuilder().addInterceptor(Tracing.INSTANCE).build();
        TRACED.put(client, traced);
      }
      return traced;
    } catch (Throwable failure) {
      Failures.report("adding Baton's interceptor to an OkHttpClient", failure);
      return client;
    }
  }

  /** {@code request} tagged with the current context, the parent of the call's span. */
  public static Request request(Request request) {
    if (request == null) {
      return null;
    }
    try {
      return request.newBuilder().tag(Parent.class, new Parent(Context.current())).build();
    } catch (Throwable failure) {
      Failures.report("tagging an OkHttp request with its parent context", failure);
      return request;
    }
  }

  /** The context a request was made in. */
  static final class Parent {
    final Context context;

    Parent(Context context) {
      this.context = context;
    }
  }

  /** Baton's application interceptor: one CLIENT span per run of a call. */
  enum Tracing implements Interceptor {
    INSTANCE;

    @Override
    public Response intercept(Chain chain) throws IOException {
      Request request = chain.request();
      Parent parent = request.tag(Parent.class);
      Scope parentScope = parent == null ? Scope.noop() : parent.context.makeCurrent();
      HttpCall call = HttpCall.none();
      try {
        call = start(request);
        Request traced = inject(call, request);
        Response response;
        try {
          response = chain.proceed(traced);
        } catch (Throwable failure) {
          call.failed(failure);
          call.end();
          throw TracedMethods.rethrow(failure);
        }
        responded(call, response);
        call.end();
        return response;
      } finally {
        call.closeScope();
        parentScope.close();
      }
    }

    private static HttpCall start(Request request) {
      try {
        HttpUrl url = request.url();
        return HttpCall.start(request.method(), url.scheme(), url.host(), url.port(), url.toString());
      } catch (Throwable failure) {
        Failures.report("starting an HTTP client call's span", failure);
        return HttpCall.none();
      }
    }

    private static Request inject(HttpCall call, Request request) {
      List<String> headers = call.headersToAdd(request::header);
      if (headers.isEmpty()) {
        return request;
      }
      try {
        Request.Builder builder = request.newBuilder();
        for (int i = 0; i < headers.size(); i += 2) {
          builder.header(headers.get(i), headers.get(i + 1));
        }
        return builder.build();
      } catch (Throwable failure) {
        Failures.report("adding the trace context's headers to an OkHttp request", failure);
        return request;
      }
    }

    private static void responded(HttpCall call, Response response) {
      if (!call.isRecording()) {
        return;
      }
      try {
        call.responded(response.code(), protocolVersion(response.protocol()));
      } catch (Throwable failure) {
        Failures.report("recording an HTTP response", failure);
      }
    }

    private static String protocolVersion(Protocol protocol) {
      if (protocol == null) {
        return null;
      }
      switch (protocol.toString()) {
        case "http/1.0":
          return "1.0";
        case "http/1.1":
          return "1.1";
        case "h2":
        case "h2_prior_knowledge":
          return "2";
        case "h3":
          return "3";
        default:
          return null;
      }
    }
  }
}
