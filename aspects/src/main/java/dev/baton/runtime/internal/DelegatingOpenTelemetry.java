package dev.baton.runtime.internal;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.logs.LoggerProvider;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerBuilder;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collection;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>What Baton's zero-code setup registers in {@code GlobalOpenTelemetry}, once, and never takes
 * back: an {@link OpenTelemetry} that passes every call on to another one, first the SDK Baton
 * built, then, when the function registers its own instance (woven {@code GlobalOpenTelemetry.set},
 * {@code buildAndRegisterGlobal()}, autoconfigure's {@code setResultAsGlobal()}), to that one
 * ({@link #switchTo}). So the function's registration never finds the global slot taken by Baton,
 * whatever the order and however many threads, and nothing ever unregisters a global instance.
 *
 * <p>What callers keep follows the switch: this instance is its own {@link TracerProvider} and
 * its own {@link ContextPropagators} and {@link TextMapPropagator}, and its tracers ({@link
 * FollowingTracer}) find the current instance's tracer for their scope on each span, so a tracer
 * or propagator obtained from {@code GlobalOpenTelemetry} before the function registered its SDK
 * creates spans with, and propagates as, that SDK afterwards. Spans already started stay with the
 * SDK that started them. Meters and loggers are those of the instance current when they are asked
 * for: the ones obtained before a switch stay with the instance they came from.
 *
 * <p>No reflection: every call is an interface call on the current instance.
 */
final class DelegatingOpenTelemetry
    implements OpenTelemetry, TracerProvider, ContextPropagators, TextMapPropagator {

  private volatile OpenTelemetry current;

  DelegatingOpenTelemetry(OpenTelemetry first) {
    current = first;
  }

  /** Passes every call to {@code next} from now on. */
  void switchTo(OpenTelemetry next) {
    current = next;
  }

  /** The instance calls go to now. */
  OpenTelemetry current() {
    return current;
  }

  @Override
  public TracerProvider getTracerProvider() {
    return this;
  }

  @Override
  public ContextPropagators getPropagators() {
    return this;
  }

  @Override
  public MeterProvider getMeterProvider() {
    return current.getMeterProvider();
  }

  @Override
  public LoggerProvider getLogsBridge() {
    return current.getLogsBridge();
  }

  // TracerProvider

  @Override
  public Tracer get(String instrumentationScopeName) {
    return new FollowingTracer(this, instrumentationScopeName, null, null);
  }

  @Override
  public Tracer get(String instrumentationScopeName, String instrumentationScopeVersion) {
    return new FollowingTracer(this, instrumentationScopeName, instrumentationScopeVersion, null);
  }

  @Override
  public TracerBuilder tracerBuilder(String instrumentationScopeName) {
    return new FollowingTracerBuilder(this, instrumentationScopeName);
  }

  // ContextPropagators and TextMapPropagator

  @Override
  public TextMapPropagator getTextMapPropagator() {
    return this;
  }

  private TextMapPropagator currentPropagator() {
    return current.getPropagators().getTextMapPropagator();
  }

  @Override
  public Collection<String> fields() {
    return currentPropagator().fields();
  }

  @Override
  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    currentPropagator().inject(context, carrier, setter);
  }

  @Override
  public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
    return currentPropagator().extract(context, carrier, getter);
  }

  @Override
  public String toString() {
    return "DelegatingOpenTelemetry{current=" + current + "}";
  }

  /**
   * A tracer of one instrumentation scope that creates each span with the tracer of that scope
   * of the instance current at the time, looked up again only after a switch.
   */
  static final class FollowingTracer implements Tracer {

    private final DelegatingOpenTelemetry owner;
    private final String scopeName;
    private final String scopeVersion;
    private final String schemaUrl;
    private volatile BatonTelemetry.CachedTracer cached;

    FollowingTracer(
        DelegatingOpenTelemetry owner, String scopeName, String scopeVersion, String schemaUrl) {
      this.owner = owner;
      this.scopeName = scopeName;
      this.scopeVersion = scopeVersion;
      this.schemaUrl = schemaUrl;
    }

    /** The current instance's tracer for this scope. */
    Tracer current() {
      OpenTelemetry source = owner.current;
      BatonTelemetry.CachedTracer resolved = cached;
      if (resolved == null || resolved.source != source) {
        TracerBuilder builder = source.tracerBuilder(scopeName);
        if (scopeVersion != null) {
          builder.setInstrumentationVersion(scopeVersion);
        }
        if (schemaUrl != null) {
          builder.setSchemaUrl(schemaUrl);
        }
        resolved = new BatonTelemetry.CachedTracer(source, builder.build());
        cached = resolved;
      }
      return resolved.tracer;
    }

    @Override
    public SpanBuilder spanBuilder(String spanName) {
      return current().spanBuilder(spanName);
    }

    @Override
    public boolean isEnabled() {
      return current().isEnabled();
    }
  }

  /** Collects a scope's version and schema URL for a {@link FollowingTracer}. */
  static final class FollowingTracerBuilder implements TracerBuilder {

    private final DelegatingOpenTelemetry owner;
    private final String scopeName;
    private String scopeVersion;
    private String schemaUrl;

    FollowingTracerBuilder(DelegatingOpenTelemetry owner, String scopeName) {
      this.owner = owner;
      this.scopeName = scopeName;
    }

    @Override
    public TracerBuilder setSchemaUrl(String schemaUrl) {
      this.schemaUrl = schemaUrl;
      return this;
    }

    @Override
    public TracerBuilder setInstrumentationVersion(String instrumentationScopeVersion) {
      this.scopeVersion = instrumentationScopeVersion;
      return this;
    }

    @Override
    public Tracer build() {
      return new FollowingTracer(owner, scopeName, scopeVersion, schemaUrl);
    }
  }
}
