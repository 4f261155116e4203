package dev.baton.runtime.internal.aws;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Adds the trace context to a message's attributes within the service's limits: SQS and SNS
 * take at most {@value #MAX_ATTRIBUTES} message attributes, so when the context's attributes would
 * pass that the message is left unchanged and the span gets an event {@value #NOT_INJECTED} saying
 * why. An attribute the user set under the same name (compared case-insensitively, as Baton's
 * consumer side reads them) is kept, never overwritten.
 */
final class MessageAttributes {

  /** The most message attributes SQS and SNS accept on one message. */
  static final int MAX_ATTRIBUTES = 10;

  /** The span event recorded when a message's attributes were left unchanged. */
  static final String NOT_INJECTED = "baton.context_not_injected";

  static final AttributeKey<String> REASON = AttributeKey.stringKey("baton.reason");
  static final AttributeKey<String> ENTRY_ID = AttributeKey.stringKey("baton.batch_entry_id");

  private MessageAttributes() {}

  /**
   * {@code existing} (maybe null) with the context's {@code fields} added as values made by
   * {@code toValue}, or null when nothing is to change (nothing to add, or the limit).
   *
   * @param entryId the batch entry's id, for the event; null for a single message
   */
  static <V> Map<String, V> withContext(
      Map<String, V> existing,
      Map<String, String> fields,
      Function<String, V> toValue,
      Span span,
      String entryId) {
    if (fields.isEmpty()) {
      return null;
    }
    int existingCount = existing == null ? 0 : existing.size();
    Map<String, V> merged = new LinkedHashMap<>(existingCount + fields.size() + 1);
    if (existing != null) {
      merged.putAll(existing);
    }
    int added = 0;
    for (Map.Entry<String, String> field : fields.entrySet()) {
      if (!containsIgnoringCase(existing, field.getKey())) {
        merged.put(field.getKey(), toValue.apply(field.getValue()));
        added++;
      }
    }
    if (added == 0) {
      return null;
    }
    if (existingCount + added > MAX_ATTRIBUTES) {
      notInjected(
          span,
          "the message has "
              + existingCount
              + " attributes and the trace context needs "
              + added
              + " more: at most "
              + MAX_ATTRIBUTES
              + " are allowed, so the message was sent unchanged",
          entryId);
      return null;
    }
    return merged;
  }

  static void notInjected(Span span, String reason, String entryId) {
    Attributes attributes =
        entryId == null
            ? Attributes.of(REASON, reason)
            : Attributes.of(REASON, reason, ENTRY_ID, entryId);
    span.addEvent(NOT_INJECTED, attributes);
  }

  static boolean containsIgnoringCase(Map<String, ?> map, String name) {
    if (map == null || map.isEmpty()) {
      return false;
    }
    if (map.containsKey(name)) {
      return true;
    }
    for (String key : map.keySet()) {
      if (name.equalsIgnoreCase(key)) {
        return true;
      }
    }
    return false;
  }
}
