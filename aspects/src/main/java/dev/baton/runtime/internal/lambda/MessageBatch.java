package dev.baton.runtime.internal.lambda;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.baton.runtime.internal.Arns;
import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.SemanticConventions;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages of an SQS or SNS event, as the invocation span reads them: a CONSUMER span {@code
 * process <queue or topic>} ({@code multiple_sources} when they came from several), parented by
 * the one context all messages that carry one share, else linked to each distinct context.
 *
 * <p>Each message's context is extracted once per invocation: the batch keeps what it extracted,
 * by message, in the invocation's context ({@link #extracted}), where the {@code process} span of
 * a message ({@link MessageSpans}) finds it instead of parsing the message (an SNS envelope in an
 * SQS body included) again. Per invocation, so invocations running at once (Lambda Managed
 * Instances) never share it; written before the invocation span starts, only read after. What
 * that means: a handler that changes a message before its {@code process} span starts gets the
 * context the message had at the start; the messages stay referenced as long as something keeps
 * the invocation's context (as its kept spans do).
 */
final class MessageBatch implements InvocationStart.EventAttributes {

  /** The span name part for a batch that came from several queues or topics. */
  static final String MULTIPLE_SOURCES = "multiple_sources";

  private static final int MAX_FAILURE_EVENTS = 100;

  /** What the invocation's batch extracted, by message (identity), in the invocation's context. */
  private static final ContextKey<Map<Object, Context>> EXTRACTED =
      ContextKey.named("baton-message-contexts");

  /** A message the batch read that carries no context (null is "not read by the batch"). */
  private static final Context NO_CONTEXT = Context.root();

  private final String system;
  private final Map<String, Context> distinct = new LinkedHashMap<>();
  private final Map<Object, Context> byMessage = new IdentityHashMap<>();
  private String source;
  private boolean multipleSources;
  private long count;

  private MessageBatch(String system) {
    this.system = system;
  }

  /** An SQS event's messages and their contexts. */
  static MessageBatch of(SQSEvent event) {
    MessageBatch batch = new MessageBatch(SemanticConventions.MESSAGING_SYSTEM_AWS_SQS);
    List<SQSEvent.SQSMessage> records = event == null ? null : event.getRecords();
    if (records != null) {
      for (SQSEvent.SQSMessage message : records) {
        if (message != null) {
          batch.add(message, IncomingContext.fromSqsMessage(message), Arns.lastPart(message.getEventSourceArn()));
        }
      }
    }
    return batch;
  }

  /** An SNS event's records and their contexts. */
  static MessageBatch of(SNSEvent event) {
    MessageBatch batch = new MessageBatch(SemanticConventions.MESSAGING_SYSTEM_AWS_SNS);
    List<SNSEvent.SNSRecord> records = event == null ? null : event.getRecords();
    if (records != null) {
      for (SNSEvent.SNSRecord record : records) {
        if (record != null) {
          String topicArn = record.getSNS() == null ? null : record.getSNS().getTopicArn();
          batch.add(record, IncomingContext.fromSnsRecord(record), Arns.lastPart(topicArn));
        }
      }
    }
    return batch;
  }

  private void add(Object message, Context context, String from) {
    count++;
    if (from != null) {
      if (source == null) {
        source = from;
      } else if (!source.equals(from)) {
        multipleSources = true;
      }
    }
    byMessage.put(message, context == null ? NO_CONTEXT : context);
    if (context != null) {
      SpanContext spanContext = IncomingContext.spanContext(context);
      distinct.putIfAbsent(spanContext.getTraceId() + spanContext.getSpanId(), context);
    }
  }

  String spanName() {
    return MessageSpans.processSpanName(multipleSources ? MULTIPLE_SOURCES : source);
  }

  @Override
  public void addTo(SpanBuilder builder) {
    MessageSpans.addProcessAttributes(builder, system, multipleSources ? null : source);
    builder.setAttribute(SemanticConventions.MESSAGING_BATCH_MESSAGE_COUNT, count);
  }

  /** The one context all messages that carry one share, or null. */
  Context sharedParent() {
    return distinct.size() == 1 ? distinct.values().iterator().next() : null;
  }

  /** A link to each distinct context, when there are several. */
  List<SpanContext> links() {
    if (distinct.size() < 2) {
      return List.of();
    }
    List<SpanContext> links = new ArrayList<>(distinct.size());
    for (Context context : distinct.values()) {
      links.add(IncomingContext.spanContext(context));
    }
    return links;
  }

  /** {@code parent} with what this batch extracted, for the messages' {@code process} spans. */
  Context keptIn(Context parent) {
    return byMessage.isEmpty() ? parent : parent.with(EXTRACTED, byMessage);
  }

  /**
   * The context the current invocation's batch extracted from {@code message}, or, when the batch
   * did not read this message (a message built or copied by the handler, or no traced handler
   * around), {@code extract}'s.
   */
  static Context extracted(SQSEvent.SQSMessage message) {
    Context known = known(message);
    return known != null ? found(known) : IncomingContext.fromSqsMessage(message);
  }

  /** Likewise for an SNS record. */
  static Context extracted(SNSEvent.SNSRecord record) {
    Context known = known(record);
    return known != null ? found(known) : IncomingContext.fromSnsRecord(record);
  }

  private static Context known(Object message) {
    if (message == null) {
      return null;
    }
    Map<Object, Context> extracted = Context.current().get(EXTRACTED);
    return extracted == null ? null : extracted.get(message);
  }

  private static Context found(Context known) {
    return known == NO_CONTEXT ? null : known;
  }

  /**
   * An SQS batch response's item failures on the invocation span: {@link
   * LambdaInvocation#BATCH_ITEM_FAILURES}, one event per failed message (at most 100), and, with
   * at least one, status ERROR. True when the invocation failed (Lambda retries those messages). Never
   * throws.
   */
  static boolean recordItemFailures(Span span, SQSBatchResponse response) {
    boolean failed = false;
    try {
      List<SQSBatchResponse.BatchItemFailure> failures =
          response == null ? null : response.getBatchItemFailures();
      if (failures == null) {
        return false;
      }
      span.setAttribute(LambdaInvocation.BATCH_ITEM_FAILURES, (long) failures.size());
      if (!failures.isEmpty()) {
        span.setStatus(
            StatusCode.ERROR,
            failures.size() == 1
                ? "1 message of the batch failed"
                : failures.size() + " messages of the batch failed");
        failed = true;
      }
      int events = 0;
      for (SQSBatchResponse.BatchItemFailure failure : failures) {
        if (failure != null && events++ < MAX_FAILURE_EVENTS) {
          span.addEvent(
              LambdaInvocation.BATCH_ITEM_FAILURE_EVENT,
              Attributes.of(
                  SemanticConventions.MESSAGING_MESSAGE_ID,
                  String.valueOf(failure.getItemIdentifier())));
        }
      }
    } catch (Throwable failure) {
      Failures.report("recording SQS batch item failures", failure);
    }
    return failed;
  }
}
