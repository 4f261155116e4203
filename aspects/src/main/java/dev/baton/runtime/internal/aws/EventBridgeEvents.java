package dev.baton.runtime.internal.aws;

import dev.baton.runtime.internal.Failures;
import io.opentelemetry.api.trace.SpanKind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>EventBridge {@code PutEvents} from woven code: a PRODUCER span {@code EventBridge.PutEvents}
 * (the AWS call's attributes), and every entry without a {@code TraceHeader} of its own gets the
 * span's context as an X-Ray trace header when the span is sampled (see {@link XrayTraceHeader});
 * an entry whose caller set one keeps it. What {@code
 * dev.baton.aspects.EventBridgeCalls} calls, in the shape of {@link AwsCalls}.
 */
public final class EventBridgeEvents {

  private EventBridgeEvents() {}

  /** {@code PutEvents} with a request. */
  public static AwsCall putEvents(Object client, PutEventsRequest request) {
    PutEvents call = new PutEvents(client, null);
    call.prepare(request);
    return call;
  }

  /** {@code PutEvents} with a {@code Consumer<Builder>}. */
  @SuppressWarnings("unchecked")
  public static AwsCall onBuildPutEvents(Object client, Consumer<?> consumer) {
    return consumer == null ? null : new PutEvents(client, (Consumer<Object>) consumer);
  }

  /** The request to send in place of {@code request}. */
  public static PutEventsRequest request(AwsCall call, PutEventsRequest request) {
    return call instanceof PutEvents put && put.request != null ? put.request : request;
  }

  static final class PutEvents extends AwsCall {
    PutEventsRequest request;

    PutEvents(Object client, Consumer<Object> mutation) {
      super(client, mutation);
    }

    void prepare(PutEventsRequest original) {
      try {
        List<PutEventsRequestEntry> entries = entriesWithHeader(original);
        if (entries != null) {
          request = original.toBuilder().entries(entries).build();
        }
      } catch (Throwable failure) {
        request = null;
        Failures.report("adding the trace header to EventBridge entries", failure);
      }
    }

    /** Starts the span; the entries with the trace header, or null to leave them. */
    private List<PutEventsRequestEntry> entriesWithHeader(PutEventsRequest original) {
      AwsOperation operation = AwsOperation.of(original);
      start(operation, SpanKind.PRODUCER, operation.spanName());
      if (original == null || !original.hasEntries()) {
        return null;
      }
      String header = XrayTraceHeader.of(span);
      if (header == null) {
        return null;
      }
      List<PutEventsRequestEntry> entries = new ArrayList<>(original.entries().size());
      boolean changed = false;
      for (PutEventsRequestEntry entry : original.entries()) {
        if (entry != null && entry.traceHeader() == null) {
          entries.add(entry.toBuilder().traceHeader(header).build());
          changed = true;
        } else {
          entries.add(entry);
        }
      }
      return changed ? entries : null;
    }

    /** The consumer's builder, filled: the entries go straight into it (no request rebuilt). */
    @Override
    void onBuilderFilled(Object builder) {
      PutEventsRequest.Builder putBuilder = (PutEventsRequest.Builder) builder;
      try {
        List<PutEventsRequestEntry> entries = entriesWithHeader(putBuilder.build());
        if (entries != null) {
          putBuilder.entries(entries);
        }
      } catch (Throwable failure) {
        Failures.report("adding the trace header to EventBridge entries", failure);
      }
    }
  }
}
