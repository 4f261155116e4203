package dev.baton.runtime.internal.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.common.ValueType;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Encodes spans as the protobuf bytes of an OTLP {@code ExportTraceServiceRequest}: the body of
 * an OTLP/HTTP export. The bytes are those OpenTelemetry's own marshaler ({@code
 * TraceRequestMarshaler} in {@code opentelemetry-exporter-otlp-common}) writes: the same grouping
 * (by {@link Resource} instance, then by {@link InstrumentationScopeInfo} instance), the same field
 * order, the same defaults left out, and the same span flags (the W3C trace flags plus the "is the
 * parent remote known" and "is it remote" bits). One difference: groups come in the order their
 * first span comes, where the marshaler's come in the order of an {@code IdentityHashMap}.
 *
 * <p>One pass over the spans, no intermediate objects per field: each nested message's body is
 * written after a one-byte placeholder for its length, which is filled in when the body ends (and
 * the body moved up by the bytes a longer length takes, a copy of bytes just written). A pass that
 * sized everything first would read every span twice, and on Lambda, between invocations, what it
 * reads has left the CPU's caches: the second read costs little, the first much.
 */
public final class OtlpSpanEncoder {

  // Protobuf wire types.
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  // Tags ((field number << 3) | wire type) of opentelemetry/proto/collector/trace/v1 and
  // trace/v1, common/v1, resource/v1.
  private static final int REQUEST_RESOURCE_SPANS = 1 << 3 | LENGTH_DELIMITED;

  private static final int RESOURCE_SPANS_RESOURCE = 1 << 3 | LENGTH_DELIMITED;
  private static final int RESOURCE_SPANS_SCOPE_SPANS = 2 << 3 | LENGTH_DELIMITED;
  private static final int RESOURCE_SPANS_SCHEMA_URL = 3 << 3 | LENGTH_DELIMITED;
  private static final int RESOURCE_ATTRIBUTES = 1 << 3 | LENGTH_DELIMITED;

  private static final int SCOPE_SPANS_SCOPE = 1 << 3 | LENGTH_DELIMITED;
  private static final int SCOPE_SPANS_SPANS = 2 << 3 | LENGTH_DELIMITED;
  private static final int SCOPE_SPANS_SCHEMA_URL = 3 << 3 | LENGTH_DELIMITED;
  private static final int SCOPE_NAME = 1 << 3 | LENGTH_DELIMITED;
  private static final int SCOPE_VERSION = 2 << 3 | LENGTH_DELIMITED;
  private static final int SCOPE_ATTRIBUTES = 3 << 3 | LENGTH_DELIMITED;

  private static final int SPAN_TRACE_ID = 1 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_SPAN_ID = 2 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_TRACE_STATE = 3 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_PARENT_SPAN_ID = 4 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_NAME = 5 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_KIND = 6 << 3 | VARINT;
  private static final int SPAN_START_TIME = 7 << 3 | FIXED64;
  private static final int SPAN_END_TIME = 8 << 3 | FIXED64;
  private static final int SPAN_ATTRIBUTES = 9 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_DROPPED_ATTRIBUTES = 10 << 3 | VARINT;
  private static final int SPAN_EVENTS = 11 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_DROPPED_EVENTS = 12 << 3 | VARINT;
  private static final int SPAN_LINKS = 13 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_DROPPED_LINKS = 14 << 3 | VARINT;
  private static final int SPAN_STATUS = 15 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_FLAGS = 16 << 3 | FIXED32;

  private static final int EVENT_TIME = 1 << 3 | FIXED64;
  private static final int EVENT_NAME = 2 << 3 | LENGTH_DELIMITED;
  private static final int EVENT_ATTRIBUTES = 3 << 3 | LENGTH_DELIMITED;
  private static final int EVENT_DROPPED_ATTRIBUTES = 4 << 3 | VARINT;

  private static final int LINK_TRACE_ID = 1 << 3 | LENGTH_DELIMITED;
  private static final int LINK_SPAN_ID = 2 << 3 | LENGTH_DELIMITED;
  private static final int LINK_TRACE_STATE = 3 << 3 | LENGTH_DELIMITED;
  private static final int LINK_ATTRIBUTES = 4 << 3 | LENGTH_DELIMITED;
  private static final int LINK_DROPPED_ATTRIBUTES = 5 << 3 | VARINT;
  private static final int LINK_FLAGS = 6 << 3 | FIXED32;

  private static final int STATUS_MESSAGE = 2 << 3 | LENGTH_DELIMITED;
  private static final int STATUS_CODE = 3 << 3 | VARINT;

  private static final int KEY_VALUE_KEY = 1 << 3 | LENGTH_DELIMITED;
  private static final int KEY_VALUE_VALUE = 2 << 3 | LENGTH_DELIMITED;
  private static final int ANY_STRING = 1 << 3 | LENGTH_DELIMITED;
  private static final int ANY_BOOL = 2 << 3 | VARINT;
  private static final int ANY_INT = 3 << 3 | VARINT;
  private static final int ANY_DOUBLE = 4 << 3 | FIXED64;
  private static final int ANY_ARRAY = 5 << 3 | LENGTH_DELIMITED;
  private static final int ANY_KEY_VALUE_LIST = 6 << 3 | LENGTH_DELIMITED;
  private static final int ANY_BYTES = 7 << 3 | LENGTH_DELIMITED;
  private static final int ARRAY_VALUES = 1 << 3 | LENGTH_DELIMITED;
  private static final int KEY_VALUE_LIST_VALUES = 1 << 3 | LENGTH_DELIMITED;

  private static final int TRACE_ID_BYTES = 16;
  private static final int SPAN_ID_BYTES = 8;

  // Span flags besides the W3C trace flags: whether the parent (or linked) context is remote is
  // known, and that it is remote.
  private static final int CONTEXT_HAS_IS_REMOTE = 0x100;
  private static final int CONTEXT_IS_REMOTE = 0x200;

  // Groups in the order of their first span: parallel lists, one entry per (resource, scope).
  private final List<Resource> resources = new ArrayList<>(2);
  private final List<Resource> groupResources = new ArrayList<>(4);
  private final List<InstrumentationScopeInfo> groupScopes = new ArrayList<>(4);
  private final List<List<SpanData>> groupSpans = new ArrayList<>(4);

  private byte[] out;
  private int position;
  private final AttributeFields attributeFields = new AttributeFields();

  private OtlpSpanEncoder(int capacity) {
    out = new byte[capacity];
  }

  /** The protobuf bytes of an {@code ExportTraceServiceRequest} holding {@code spans}. */
  public static byte[] encode(Collection<SpanData> spans) {
    OtlpSpanEncoder encoder =
        new OtlpSpanEncoder((int) Math.min(MOST_BYTES_AHEAD, INITIAL_BYTES + (long) SPAN_BYTES * spans.size()));
    encoder.group(spans);
    encoder.writeRequest();
    return Arrays.copyOf(encoder.out, encoder.position);
  }

  /** Room for a request's resource and scope, and for a span (most take less). */
  private static final int INITIAL_BYTES = 512;

  private static final int SPAN_BYTES = 512;

  /** The most room taken ahead; a larger request grows the array as it goes. */
  private static final int MOST_BYTES_AHEAD = 1 << 20;

  /**
   * What {@code span} adds to a request besides its group: its {@code spans} field, exactly. With
   * {@link #groupBytes}, what a transport that must keep requests under a size (a UDP datagram)
   * adds up before it encodes.
   */
  public static int spanBytes(SpanData span) {
    OtlpSpanEncoder encoder = new OtlpSpanEncoder(SPAN_BYTES);
    int body = encoder.beginMessage(SCOPE_SPANS_SPANS);
    encoder.writeSpan(span);
    encoder.endMessage(body);
    return encoder.position;
  }

  /**
   * At most what the group of {@code span} (its resource and instrumentation scope) adds to a
   * request besides its spans: the resource and scope, and the two enclosing messages' tags and
   * lengths counted at their longest.
   */
  public static int groupBytes(SpanData span) {
    OtlpSpanEncoder encoder = new OtlpSpanEncoder(INITIAL_BYTES);
    Resource resource = span.getResource();
    InstrumentationScopeInfo scope = span.getInstrumentationScopeInfo();
    int resourceBody = encoder.beginMessage(RESOURCE_SPANS_RESOURCE);
    encoder.writeRaw(ResourceBody.of(resource).bytes);
    encoder.endMessage(resourceBody);
    encoder.writeString(RESOURCE_SPANS_SCHEMA_URL, resource.getSchemaUrl());
    encoder.writeScope(scope);
    encoder.writeString(SCOPE_SPANS_SCHEMA_URL, scope.getSchemaUrl());
    int longestLength = 5;
    return encoder.position
        + varintSize(REQUEST_RESOURCE_SPANS) + longestLength
        + varintSize(RESOURCE_SPANS_SCOPE_SPANS) + longestLength;
  }

  // ------------------------------------------------------------------------------ grouping

  private void group(Collection<SpanData> spans) {
    int last = -1;
    for (SpanData span : spans) {
      Resource resource = span.getResource();
      InstrumentationScopeInfo scope = span.getInstrumentationScopeInfo();
      if (last < 0 || groupResources.get(last) != resource || groupScopes.get(last) != scope) {
        last = findGroup(resource, scope);
      }
      groupSpans.get(last).add(span);
    }
  }

  private int findGroup(Resource resource, InstrumentationScopeInfo scope) {
    boolean knownResource = false;
    for (int i = 0; i < groupResources.size(); i++) {
      if (groupResources.get(i) == resource) {
        if (groupScopes.get(i) == scope) {
          return i;
        }
        knownResource = true;
      }
    }
    if (!knownResource) {
      resources.add(resource);
    }
    groupResources.add(resource);
    groupScopes.add(scope);
    groupSpans.add(new ArrayList<>());
    return groupResources.size() - 1;
  }

  // ------------------------------------------------------------------------------ resources

  /**
   * The encoded body of a {@code Resource} message: the same for every export of a function (one
   * resource, built once), so encoded once per instance and copied; looked up once per request.
   * The last one is kept, immutable, shared safely by invocations exporting at once (Lambda
   * Managed Instances); requests with several resources (not Baton's) encode them each time.
   */
  private static final class ResourceBody {
    private static volatile ResourceBody last;

    final Resource resource;
    final byte[] bytes;

    private ResourceBody(Resource resource, byte[] bytes) {
      this.resource = resource;
      this.bytes = bytes;
    }

    static ResourceBody of(Resource resource) {
      ResourceBody known = last;
      if (known != null && known.resource == resource) {
        return known;
      }
      OtlpSpanEncoder encoder = new OtlpSpanEncoder(INITIAL_BYTES);
      encoder.writeAttributes(RESOURCE_ATTRIBUTES, resource.getAttributes());
      ResourceBody encoded =
          new ResourceBody(resource, Arrays.copyOf(encoder.out, encoder.position));
      last = encoded;
      return encoded;
    }
  }

  // ------------------------------------------------------------------------------ writing

  private void writeRequest() {
    for (int r = 0; r < resources.size(); r++) {
      Resource resource = resources.get(r);
      int resourceSpans = beginMessage(REQUEST_RESOURCE_SPANS);
      int resourceBody = beginMessage(RESOURCE_SPANS_RESOURCE);
      writeRaw(ResourceBody.of(resource).bytes);
      endMessage(resourceBody);
      for (int group = 0; group < groupResources.size(); group++) {
        if (groupResources.get(group) == resource) {
          int scopeSpans = beginMessage(RESOURCE_SPANS_SCOPE_SPANS);
          writeScopeSpans(group);
          endMessage(scopeSpans);
        }
      }
      writeString(RESOURCE_SPANS_SCHEMA_URL, resource.getSchemaUrl());
      endMessage(resourceSpans);
    }
  }

  private void writeScopeSpans(int group) {
    InstrumentationScopeInfo scope = groupScopes.get(group);
    writeScope(scope);
    for (SpanData span : groupSpans.get(group)) {
      int body = beginMessage(SCOPE_SPANS_SPANS);
      writeSpan(span);
      endMessage(body);
    }
    writeString(SCOPE_SPANS_SCHEMA_URL, scope.getSchemaUrl());
  }

  private void writeScope(InstrumentationScopeInfo scope) {
    int body = beginMessage(SCOPE_SPANS_SCOPE);
    writeString(SCOPE_NAME, scope.getName());
    writeString(SCOPE_VERSION, scope.getVersion());
    writeAttributes(SCOPE_ATTRIBUTES, scope.getAttributes());
    endMessage(body);
  }

  private void writeSpan(SpanData span) {
    SpanContext context = span.getSpanContext();
    SpanContext parent = span.getParentSpanContext();
    writeId(SPAN_TRACE_ID, context.getTraceId(), TRACE_ID_BYTES);
    writeId(SPAN_SPAN_ID, context.getSpanId(), SPAN_ID_BYTES);
    writeTraceState(SPAN_TRACE_STATE, context.getTraceState());
    if (parent.isValid()) {
      writeId(SPAN_PARENT_SPAN_ID, parent.getSpanId(), SPAN_ID_BYTES);
    }
    writeString(SPAN_NAME, span.getName());
    writeVarintField(SPAN_KIND, kindNumber(span.getKind()));
    writeFixed64Field(SPAN_START_TIME, span.getStartEpochNanos());
    writeFixed64Field(SPAN_END_TIME, span.getEndEpochNanos());
    Attributes attributes = span.getAttributes();
    writeAttributes(SPAN_ATTRIBUTES, attributes);
    writeVarintField(SPAN_DROPPED_ATTRIBUTES, span.getTotalAttributeCount() - attributes.size());
    List<EventData> events = span.getEvents();
    for (int i = 0; i < events.size(); i++) {
      int body = beginMessage(SPAN_EVENTS);
      writeEvent(events.get(i));
      endMessage(body);
    }
    writeVarintField(SPAN_DROPPED_EVENTS, span.getTotalRecordedEvents() - events.size());
    List<LinkData> links = span.getLinks();
    for (int i = 0; i < links.size(); i++) {
      int body = beginMessage(SPAN_LINKS);
      writeLink(links.get(i));
      endMessage(body);
    }
    writeVarintField(SPAN_DROPPED_LINKS, span.getTotalRecordedLinks() - links.size());
    StatusData status = span.getStatus();
    int statusBody = beginMessage(SPAN_STATUS);
    writeString(STATUS_MESSAGE, status.getDescription());
    writeVarintField(STATUS_CODE, statusNumber(status.getStatusCode()));
    endMessage(statusBody);
    writeFixed32Field(SPAN_FLAGS, flags(context, parent.isRemote()));
  }

  private void writeEvent(EventData event) {
    writeFixed64Field(EVENT_TIME, event.getEpochNanos());
    writeString(EVENT_NAME, event.getName());
    Attributes attributes = event.getAttributes();
    writeAttributes(EVENT_ATTRIBUTES, attributes);
    writeVarintField(EVENT_DROPPED_ATTRIBUTES, event.getTotalAttributeCount() - attributes.size());
  }

  private void writeLink(LinkData link) {
    SpanContext context = link.getSpanContext();
    writeId(LINK_TRACE_ID, context.getTraceId(), TRACE_ID_BYTES);
    writeId(LINK_SPAN_ID, context.getSpanId(), SPAN_ID_BYTES);
    writeTraceState(LINK_TRACE_STATE, context.getTraceState());
    Attributes attributes = link.getAttributes();
    writeAttributes(LINK_ATTRIBUTES, attributes);
    writeVarintField(LINK_DROPPED_ATTRIBUTES, link.getTotalAttributeCount() - attributes.size());
    writeFixed32Field(LINK_FLAGS, flags(context, context.isRemote()));
  }

  private void writeTraceState(int tag, TraceState traceState) {
    if (!traceState.isEmpty()) {
      int body = beginMessage(tag);
      traceState.forEach(new TraceStateField());
      endMessage(body);
    }
  }

  private void writeAttributes(int tag, Attributes attributes) {
    if (!attributes.isEmpty()) {
      attributeFields.tag = tag;
      attributes.forEach(attributeFields);
    }
  }

  private void writeAttribute(AttributeKey<?> key, Object value) {
    writeString(KEY_VALUE_KEY, key.getKey());
    int valueBody = beginMessage(KEY_VALUE_VALUE);
    writeAttributeValue(key.getType(), value);
    endMessage(valueBody);
  }

  private void writeAttributeValue(AttributeType type, Object value) {
    ensure(12);
    if (type == AttributeType.STRING) {
      writeStringAlways(ANY_STRING, (String) value);
    } else if (type == AttributeType.BOOLEAN) {
      writeVarint(ANY_BOOL);
      out[position++] = (byte) ((Boolean) value ? 1 : 0);
    } else if (type == AttributeType.LONG) {
      writeVarint(ANY_INT);
      writeVarint((Long) value);
    } else if (type == AttributeType.DOUBLE) {
      writeVarint(ANY_DOUBLE);
      writeFixed64(Double.doubleToRawLongBits((Double) value));
    } else if (type == AttributeType.VALUE) {
      writeValueBody((Value<?>) value);
    } else {
      int array = beginMessage(ANY_ARRAY);
      List<?> elements = (List<?>) value;
      for (int i = 0; i < elements.size(); i++) {
        int element = beginMessage(ARRAY_VALUES);
        writeElement(type, elements.get(i));
        endMessage(element);
      }
      endMessage(array);
    }
  }

  private void writeElement(AttributeType arrayType, Object element) {
    ensure(12);
    if (arrayType == AttributeType.STRING_ARRAY) {
      writeStringAlways(ANY_STRING, (String) element);
    } else if (arrayType == AttributeType.LONG_ARRAY) {
      writeVarint(ANY_INT);
      writeVarint(element == null ? 0 : (Long) element);
    } else if (arrayType == AttributeType.BOOLEAN_ARRAY) {
      writeVarint(ANY_BOOL);
      out[position++] = (byte) (Boolean.TRUE.equals(element) ? 1 : 0);
    } else {
      writeVarint(ANY_DOUBLE);
      writeFixed64(Double.doubleToRawLongBits(element == null ? 0 : (Double) element));
    }
  }

  /** Writes the body of the AnyValue of {@code value}. */
  private void writeValueBody(Value<?> value) {
    ValueType type = value.getType();
    ensure(12);
    if (type == ValueType.STRING) {
      writeStringAlways(ANY_STRING, (String) value.getValue());
    } else if (type == ValueType.BOOLEAN) {
      writeVarint(ANY_BOOL);
      out[position++] = (byte) ((Boolean) value.getValue() ? 1 : 0);
    } else if (type == ValueType.LONG) {
      writeVarint(ANY_INT);
      writeVarint((Long) value.getValue());
    } else if (type == ValueType.DOUBLE) {
      writeVarint(ANY_DOUBLE);
      writeFixed64(Double.doubleToRawLongBits((Double) value.getValue()));
    } else if (type == ValueType.BYTES) {
      ByteBuffer bytes = (ByteBuffer) value.getValue();
      int length = bytes.remaining();
      writeVarint(ANY_BYTES);
      writeVarint(length);
      ensure(length);
      bytes.get(bytes.position(), out, position, length);
      position += length;
    } else if (type == ValueType.ARRAY) {
      int array = beginMessage(ANY_ARRAY);
      List<?> elements = (List<?>) value.getValue();
      for (int i = 0; i < elements.size(); i++) {
        int element = beginMessage(ARRAY_VALUES);
        writeValueBody((Value<?>) elements.get(i));
        endMessage(element);
      }
      endMessage(array);
    } else if (type == ValueType.KEY_VALUE_LIST) {
      int list = beginMessage(ANY_KEY_VALUE_LIST);
      List<?> elements = (List<?>) value.getValue();
      for (int i = 0; i < elements.size(); i++) {
        KeyValue keyValue = (KeyValue) elements.get(i);
        int entry = beginMessage(KEY_VALUE_LIST_VALUES);
        writeString(KEY_VALUE_KEY, keyValue.getKey());
        int valueBody = beginMessage(KEY_VALUE_VALUE);
        writeValueBody(keyValue.getValue());
        endMessage(valueBody);
        endMessage(entry);
      }
      endMessage(list);
    }
    // EMPTY: an empty AnyValue
  }

  /** Copies bytes encoded before (a resource's body, a string's UTF-8). */
  private void writeRaw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, out, position, bytes.length);
    position += bytes.length;
  }

  /**
   * Writes the tag of a nested message and a byte for its length, and returns where its body
   * starts, for {@link #endMessage}.
   */
  private int beginMessage(int tag) {
    ensure(6);
    writeVarint(tag);
    return ++position;
  }

  /**
   * Writes the length of the message whose body started at {@code body} and has just ended: in
   * the byte kept before it, or, for a body of 128 bytes or more, in as many as the length takes,
   * the body moved up to make room.
   */
  private void endMessage(int body) {
    int length = position - body;
    int lengthBytes = varintSize(length);
    if (lengthBytes > 1) {
      ensure(lengthBytes - 1);
      System.arraycopy(out, body, out, body + lengthBytes - 1, length);
      position += lengthBytes - 1;
    }
    int at = body - 1;
    while ((length & ~0x7F) != 0) {
      out[at++] = (byte) ((length & 0x7F) | 0x80);
      length >>>= 7;
    }
    out[at] = (byte) length;
  }

  /** Makes room for {@code bytes} more bytes. */
  private void ensure(int bytes) {
    if (position + bytes > out.length) {
      out = Arrays.copyOf(out, Math.max(out.length * 2, position + bytes));
    }
  }

  private void writeId(int tag, String hex, int bytes) {
    ensure(2 + bytes);
    out[position++] = (byte) tag;
    out[position++] = (byte) bytes;
    for (int i = 0; i < bytes; i++) {
      out[position++] = (byte) (hexValue(hex.charAt(2 * i)) << 4 | hexValue(hex.charAt(2 * i + 1)));
    }
  }

  private void writeString(int tag, String value) {
    if (value != null && !value.isEmpty()) {
      writeStringAlways(tag, value);
    }
  }

  /**
   * A string field, written even when empty. The JDK's own UTF-8 encoding ({@code
   * String.getBytes}: an unpaired surrogate becomes '?'), much cheaper than a loop over the chars
   * where the JIT stops at C1, as on Lambda.
   */
  private void writeStringAlways(int tag, String value) {
    ensure(11);
    writeVarint(tag);
    if (value == null) {
      out[position++] = 0;
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    writeVarint(bytes.length);
    writeRaw(bytes);
  }

  private void writeVarintField(int tag, int value) {
    if (value != 0) {
      ensure(15);
      writeVarint(tag);
      writeVarint(value & 0xFFFFFFFFL);
    }
  }

  private void writeFixed64Field(int tag, long value) {
    if (value != 0) {
      ensure(13);
      writeVarint(tag);
      writeFixed64(value);
    }
  }

  private void writeFixed32Field(int tag, int value) {
    if (value != 0) {
      ensure(9);
      writeVarint(tag);
      for (int shift = 0; shift < 32; shift += 8) {
        out[position++] = (byte) (value >>> shift);
      }
    }
  }

  private void writeFixed64(long value) {
    for (int shift = 0; shift < 64; shift += 8) {
      out[position++] = (byte) (value >>> shift);
    }
  }

  private void writeVarint(long value) {
    while ((value & ~0x7FL) != 0) {
      out[position++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[position++] = (byte) value;
  }

  // ------------------------------------------------------------------------------ helpers

  private static int varintSize(long value) {
    int size = 1;
    while ((value & ~0x7FL) != 0) {
      value >>>= 7;
      size++;
    }
    return size;
  }

  private static int hexValue(char c) {
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
  }

  /** The span flags the OTLP marshaler writes: W3C trace flags plus the remote-parent bits. */
  private static int flags(SpanContext context, boolean remote) {
    int flags = (context.getTraceFlags().asByte() & 0xFF) | CONTEXT_HAS_IS_REMOTE;
    return remote ? flags | CONTEXT_IS_REMOTE : flags;
  }

  private static int kindNumber(SpanKind kind) {
    if (kind == SpanKind.INTERNAL) {
      return 1;
    } else if (kind == SpanKind.SERVER) {
      return 2;
    } else if (kind == SpanKind.CLIENT) {
      return 3;
    } else if (kind == SpanKind.PRODUCER) {
      return 4;
    } else if (kind == SpanKind.CONSUMER) {
      return 5;
    }
    return 0;
  }

  private static int statusNumber(StatusCode code) {
    if (code == StatusCode.OK) {
      return 1;
    } else if (code == StatusCode.ERROR) {
      return 2;
    }
    return 0;
  }

  /** Writes each attribute as one KeyValue of a repeated field. */
  private final class AttributeFields implements BiConsumer<AttributeKey<?>, Object> {
    int tag;

    @Override
    public void accept(AttributeKey<?> key, Object value) {
      int body = beginMessage(tag);
      writeAttribute(key, value);
      endMessage(body);
    }
  }

  /** Writes a trace state as W3C {@code tracestate} text: {@code k=v,k2=v2}. */
  private final class TraceStateField implements BiConsumer<String, String> {
    int entries;

    @Override
    public void accept(String key, String value) {
      // String.getBytes(UTF_8), as for every string: an unpaired surrogate becomes '?'.
      ensure(1);
      if (entries > 0) {
        out[position++] = ',';
      }
      writeRaw(key.getBytes(StandardCharsets.UTF_8));
      ensure(1);
      out[position++] = '=';
      writeRaw(value.getBytes(StandardCharsets.UTF_8));
      entries++;
    }
  }
}
