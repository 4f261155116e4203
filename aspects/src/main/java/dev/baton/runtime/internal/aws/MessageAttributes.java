package dev.baton.runtime.internal.aws;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Adds the trace context to a message's attributes, all of it or none of it, and never so that
 * the service would refuse a message it would have taken without it. The message is left as the
 * user made it, and the span gets an event {@value #NOT_INJECTED} saying why, when:
 *
 * <ul>
 *   <li>the message carries its own trace context: an attribute named like one of the context's
 *       fields ({@code traceparent}, {@code tracestate}, ...; compared case-insensitively, as
 *       Baton's consumer side reads them), so that the consumer continues the trace the message
 *       says, not a mix of two ({@link #OWN_CONTEXT} names them). A {@code baggage} attribute of
 *       the user's is not trace context: it is kept, and the rest is added;
 *   <li>the context's attributes would pass the {@value #MAX_ATTRIBUTES} message attributes SQS
 *       and SNS take;
 *   <li>they would make the message, or its batch, pass a size limit it was within ({@link Room}).
 * </ul>
 */
final class MessageAttributes {

  /** The most message attributes SQS and SNS accept on one message. */
  static final int MAX_ATTRIBUTES = 10;

  /**
   * SQS's size limits, in bytes of body plus message attributes, of one message and of a batch:
   * 256 KiB (a queue's {@code MaximumMessageSize} before August 2025, and still where it is set so)
   * and 1 MiB (the most SQS takes now).
   */
  static final long[] SQS_LIMITS = {262_144, 1_048_576};

  /** SNS's size limit, of one message and of a batch: 256 KiB. */
  static final long[] SNS_LIMITS = {262_144};

  /** The span event recorded when a message's attributes were left unchanged. */
  static final String NOT_INJECTED = "baton.context_not_injected";

  static final AttributeKey<String> REASON = AttributeKey.stringKey("baton.reason");
  static final AttributeKey<String> ENTRY_ID = AttributeKey.stringKey("baton.batch_entry_id");

  /** On {@value #NOT_INJECTED}: the context fields the message carried already. */
  static final AttributeKey<List<String>> OWN_CONTEXT =
      AttributeKey.stringArrayKey("baton.message_context");

  private static final String BAGGAGE = "baggage";
  private static final String STRING = "String";

  private MessageAttributes() {}

  /**
   * {@code existing} (maybe null) with the context's {@code fields} added as values made by
   * {@code toValue}, or null when nothing is to change (nothing to add, the message's own
   * context, the count or size limits: the event says which).
   *
   * @param messageBytes the message's size as the user made it (body and attributes)
   * @param room what the size limits leave, for this message and its batch
   * @param entryId the batch entry's id, for the event; null for a single message
   */
  static <V> Map<String, V> withContext(
      Map<String, V> existing,
      Map<String, String> fields,
      Function<String, V> toValue,
      Span span,
      String entryId,
      long messageBytes,
      Room room) {
    return withContext(existing, fields, toValue, span, entryId, messageBytes, messageBytes, room);
  }

  /**
   * As above, with the message's size as the fewest and the most bytes it may count ({@link
   * #utf8Length(String, boolean)}): they differ when it holds lone surrogates.
   */
  static <V> Map<String, V> withContext(
      Map<String, V> existing,
      Map<String, String> fields,
      Function<String, V> toValue,
      Span span,
      String entryId,
      long messageFewestBytes,
      long messageBytes,
      Room room) {
    if (fields.isEmpty()) {
      return null;
    }
    List<String> own = ownContext(existing, fields);
    if (!own.isEmpty()) {
      notInjected(
          span,
          "the message carries its own trace context, which it keeps; none was added",
          entryId,
          own);
      return null;
    }
    int existingCount = existing == null ? 0 : existing.size();
    Map<String, V> merged = new LinkedHashMap<>(existingCount + fields.size() + 1);
    if (existing != null) {
      merged.putAll(existing);
    }
    int added = 0;
    long addedBytes = 0;
    for (Map.Entry<String, String> field : fields.entrySet()) {
      if (!containsIgnoringCase(existing, field.getKey())) {
        merged.put(field.getKey(), toValue.apply(field.getValue()));
        added++;
        addedBytes += attributeBytes(field.getKey(), STRING, field.getValue());
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
          entryId,
          null);
      return null;
    }
    if (!room.take(messageFewestBytes, messageBytes, addedBytes)) {
      notInjected(
          span,
          "the trace context ("
              + addedBytes
              + " bytes) would take the message ("
              + messageBytes
              + " bytes) or its batch past the service's size limit, so the message was sent"
              + " unchanged",
          entryId,
          null);
      return null;
    }
    return merged;
  }

  /**
   * The context fields {@code existing} has already (the names as the message spells them),
   * leaving out a {@code baggage} of the user's when it is the only one: empty when the context
   * may be added.
   */
  static List<String> ownContext(Map<String, ?> existing, Map<String, String> fields) {
    if (existing == null || existing.isEmpty()) {
      return List.of();
    }
    List<String> own = new ArrayList<>(2);
    boolean traceContext = false;
    for (String key : existing.keySet()) {
      for (String field : fields.keySet()) {
        if (field.equalsIgnoreCase(key)) {
          own.add(key);
          traceContext |= !BAGGAGE.equalsIgnoreCase(field);
        }
      }
    }
    return traceContext ? own : List.of();
  }

  static void notInjected(Span span, String reason, String entryId) {
    notInjected(span, reason, entryId, null);
  }

  static void notInjected(Span span, String reason, String entryId, List<String> ownContext) {
    AttributesBuilder attributes = Attributes.builder().put(REASON, reason);
    if (entryId != null) {
      attributes.put(ENTRY_ID, entryId);
    }
    if (ownContext != null && !ownContext.isEmpty()) {
      attributes.put(OWN_CONTEXT, ownContext);
    }
    span.addEvent(NOT_INJECTED, attributes.build());
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

  /** How many bytes one message attribute value counts: its data type and its value. */
  interface ValueSize<V> {
    /** With {@code fewest}, a lone surrogate counts 1 byte, else 3 (see {@link #utf8Length(String, boolean)}). */
    long bytes(V value, boolean fewest);
  }

  /**
   * What a message counts toward SQS's and SNS's size limits: its body and its message attributes
   * (name, data type and value each).
   */
  static <V> long messageBytes(String body, Map<String, V> attributes, ValueSize<V> size) {
    return messageBytes(body, attributes, size, false);
  }

  /** {@link #messageBytes}, the fewest bytes it may count with {@code fewest}. */
  static <V> long messageBytes(
      String body, Map<String, V> attributes, ValueSize<V> size, boolean fewest) {
    long bytes = utf8Length(body, fewest);
    if (attributes != null) {
      for (Map.Entry<String, V> attribute : attributes.entrySet()) {
        bytes += utf8Length(attribute.getKey(), fewest);
        if (attribute.getValue() != null) {
          bytes += size.bytes(attribute.getValue(), fewest);
        }
      }
    }
    return bytes;
  }

  /**
   * What one message attribute counts toward SQS's and SNS's size limits: its name, its data
   * type and its value, in bytes of UTF-8 (a binary value counts its bytes: pass it as {@code
   * binaryLength}).
   */
  static long attributeBytes(String name, String dataType, String stringValue) {
    return utf8Length(name) + utf8Length(dataType) + utf8Length(stringValue);
  }

  /** The length of {@code value} in UTF-8 (0 for null), without encoding it; the most it may be. */
  static long utf8Length(String value) {
    return utf8Length(value, false);
  }

  /**
   * The length of {@code value} in UTF-8 (0 for null), without encoding it. A lone surrogate has
   * no UTF-8 form: an encoder writes '?' (1 byte) or a replacement character (3), so it counts 1
   * with {@code fewest} and 3 without. A size check takes the fewest for the message as the user
   * made it (was it within the limit?) and the most for the message with the context (is it
   * still?), so that it holds whichever the SDK's protocol writes.
   */
  static long utf8Length(String value, boolean fewest) {
    if (value == null) {
      return 0;
    }
    long length = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        length++;
      } else if (c < 0x800) {
        length += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        length += 4;
        i++;
      } else {
        length += fewest ? 1 : 3;
      }
    }
    return length;
  }

  /**
   * What the size limits leave for the context: a message, and the batch it is in, may not be
   * taken past a limit it was within as the user made it. A single message is a batch of one.
   * The service's limit for a queue may be lower than the largest (SQS's {@code
   * MaximumMessageSize}); a message already past every limit Baton knows is the user's to send.
   */
  static final class Room {
    private final long[] limits;
    private final long batchBefore;
    private long batchAfter;

    /** {@code batchBytes}: the batch's size as the user made it (one message's, for a send). */
    Room(long[] limits, long batchBytes) {
      this(limits, batchBytes, batchBytes);
    }

    /** With the fewest and the most bytes the batch may count as the user made it. */
    Room(long[] limits, long batchFewestBytes, long batchBytes) {
      this.limits = limits;
      this.batchBefore = batchFewestBytes;
      this.batchAfter = batchBytes;
    }

    /**
     * Whether {@code addedBytes} may be added to a message of {@code messageBytes}; if so they
     * count toward the batch from now on.
     */
    boolean take(long messageBytes, long addedBytes) {
      return take(messageBytes, messageBytes, addedBytes);
    }

    /** {@link #take(long, long)} with the fewest and the most bytes the message may count. */
    boolean take(long messageFewestBytes, long messageBytes, long addedBytes) {
      if (crosses(messageFewestBytes, messageBytes + addedBytes)
          || crosses(batchBefore, batchAfter + addedBytes)) {
        return false;
      }
      batchAfter += addedBytes;
      return true;
    }

    private boolean crosses(long before, long after) {
      for (long limit : limits) {
        if (before <= limit && after > limit) {
          return true;
        }
      }
      return false;
    }
  }
}
