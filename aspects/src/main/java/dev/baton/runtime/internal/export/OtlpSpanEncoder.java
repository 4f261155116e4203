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
 * <p>Two passes, no intermediate objects per field: the first computes the size of every nested
 * message (in the order they will be written) and so the size of the whole request; the second
 * writes everything into one array of exactly that size.
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

  /** The encoded body of each of {@link #resources}, resolved by the sizing pass. */
  private final List<byte[]> resourceBodies = new ArrayList<>(2);
  private final List<Resource> groupResources = new ArrayList<>(4);
  private final List<InstrumentationScopeInfo> groupScopes = new ArrayList<>(4);
  private final List<List<SpanData>> groupSpans = new ArrayList<>(4);

  /**
   * The body size of every nested message, in the order the messages are written: filled by the
   * sizing pass (a message's slot is taken before its children's), consumed by the writing pass.
   */
  private int[] sizes = new int[64];

  private int sizeCount;
  private int nextSize;

  /** The strings the sizing pass measured, in order, and their UTF-8 bytes ({@link #measure}). */
  private String[] measured = new String[32];

  private byte[][] measuredBytes = new byte[32][];
  private int measuredCount;
  private int nextMeasured;
  private boolean writing;
  private byte[] out;
  private int position;
  private final AttributeFields attributeFields = new AttributeFields();

  private OtlpSpanEncoder() {}

  /** The protobuf bytes of an {@code ExportTraceServiceRequest} holding {@code spans}. */
  public static byte[] encode(Collection<SpanData> spans) {
    OtlpSpanEncoder encoder = new OtlpSpanEncoder();
    encoder.group(spans);
    int size = encoder.sizeRequest();
    encoder.out = new byte[size];
    encoder.writing = true;
    encoder.writeRequest();
    if (encoder.position != size || encoder.nextSize != encoder.sizeCount) {
      throw new IllegalStateException(
          "OTLP encoding wrote " + encoder.position + " bytes where it computed " + size);
    }
    return encoder.out;
  }

  /**
   * What {@code span} adds to a request besides its group: its {@code spans} field, exactly. With
   * {@link #groupBytes}, what a transport that must keep requests under a size (a UDP datagram)
   * adds up before it encodes.
   */
  public static int spanBytes(SpanData span) {
    return messageField(SCOPE_SPANS_SPANS, new OtlpSpanEncoder().sizeSpan(span));
  }

  /**
   * At most what the group of {@code span} (its resource and instrumentation scope) adds to a
   * request besides its spans: the resource and scope, and the two enclosing messages' tags and
   * lengths counted at their longest.
   */
  public static int groupBytes(SpanData span) {
    OtlpSpanEncoder encoder = new OtlpSpanEncoder();
    Resource resource = span.getResource();
    InstrumentationScopeInfo scope = span.getInstrumentationScopeInfo();
    int longestLength = 5;
    int size = varintSize(REQUEST_RESOURCE_SPANS) + longestLength;
    size += messageField(RESOURCE_SPANS_RESOURCE, encoder.sizeResource(resource));
    size += encoder.stringField(RESOURCE_SPANS_SCHEMA_URL, resource.getSchemaUrl());
    size += varintSize(RESOURCE_SPANS_SCOPE_SPANS) + longestLength;
    size += messageField(SCOPE_SPANS_SCOPE, encoder.sizeScope(scope));
    size += encoder.stringField(SCOPE_SPANS_SCHEMA_URL, scope.getSchemaUrl());
    return size;
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

  // ------------------------------------------------------------------------------ sizing pass

  private int sizeRequest() {
    int size = 0;
    for (int r = 0; r < resources.size(); r++) {
      resourceBodies.add(ResourceBody.of(resources.get(r)).bytes);
      size += messageField(REQUEST_RESOURCE_SPANS, sizeResourceSpans(r));
    }
    return size;
  }

  private int sizeResourceSpans(int r) {
    Resource resource = resources.get(r);
    int slot = reserve();
    int size = messageField(RESOURCE_SPANS_RESOURCE, record(resourceBodies.get(r).length));
    for (int group = 0; group < groupResources.size(); group++) {
      if (groupResources.get(group) == resource) {
        size += messageField(RESOURCE_SPANS_SCOPE_SPANS, sizeScopeSpans(group));
      }
    }
    size += stringField(RESOURCE_SPANS_SCHEMA_URL, resource.getSchemaUrl());
    return set(slot, size);
  }

  private int sizeResource(Resource resource) {
    return record(ResourceBody.of(resource).bytes.length);
  }

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
      OtlpSpanEncoder encoder = new OtlpSpanEncoder();
      int size = encoder.sizeAttributes(RESOURCE_ATTRIBUTES, resource.getAttributes());
      encoder.out = new byte[size];
      encoder.writing = true;
      encoder.writeAttributes(RESOURCE_ATTRIBUTES, resource.getAttributes());
      if (encoder.position != size || encoder.nextSize != encoder.sizeCount) {
        throw new IllegalStateException(
            "OTLP encoding wrote " + encoder.position + " resource bytes where it computed " + size);
      }
      ResourceBody encoded = new ResourceBody(resource, encoder.out);
      last = encoded;
      return encoded;
    }
  }

  private int sizeScopeSpans(int group) {
    int slot = reserve();
    InstrumentationScopeInfo scope = groupScopes.get(group);
    int size = messageField(SCOPE_SPANS_SCOPE, sizeScope(scope));
    for (SpanData span : groupSpans.get(group)) {
      size += messageField(SCOPE_SPANS_SPANS, sizeSpan(span));
    }
    size += stringField(SCOPE_SPANS_SCHEMA_URL, scope.getSchemaUrl());
    return set(slot, size);
  }

  private int sizeScope(InstrumentationScopeInfo scope) {
    int slot = reserve();
    int size = stringField(SCOPE_NAME, scope.getName());
    size += stringField(SCOPE_VERSION, scope.getVersion());
    size += sizeAttributes(SCOPE_ATTRIBUTES, scope.getAttributes());
    return set(slot, size);
  }

  private int sizeSpan(SpanData span) {
    int slot = reserve();
    SpanContext context = span.getSpanContext();
    SpanContext parent = span.getParentSpanContext();
    int size = 2 + TRACE_ID_BYTES + 2 + SPAN_ID_BYTES;
    size += sizeTraceState(SPAN_TRACE_STATE, context.getTraceState());
    if (parent.isValid()) {
      size += 2 + SPAN_ID_BYTES;
    }
    size += stringField(SPAN_NAME, span.getName());
    size += varintField(SPAN_KIND, kindNumber(span.getKind()));
    size += fixed64Field(SPAN_START_TIME, span.getStartEpochNanos());
    size += fixed64Field(SPAN_END_TIME, span.getEndEpochNanos());
    Attributes attributes = span.getAttributes();
    size += sizeAttributes(SPAN_ATTRIBUTES, attributes);
    size += varintField(SPAN_DROPPED_ATTRIBUTES, span.getTotalAttributeCount() - attributes.size());
    List<EventData> events = span.getEvents();
    for (int i = 0; i < events.size(); i++) {
      size += messageField(SPAN_EVENTS, sizeEvent(events.get(i)));
    }
    size += varintField(SPAN_DROPPED_EVENTS, span.getTotalRecordedEvents() - events.size());
    List<LinkData> links = span.getLinks();
    for (int i = 0; i < links.size(); i++) {
      size += messageField(SPAN_LINKS, sizeLink(links.get(i)));
    }
    size += varintField(SPAN_DROPPED_LINKS, span.getTotalRecordedLinks() - links.size());
    size += messageField(SPAN_STATUS, sizeStatus(span.getStatus()));
    size += fixed32Field(SPAN_FLAGS, flags(context, parent.isRemote()));
    return set(slot, size);
  }

  private int sizeEvent(EventData event) {
    int slot = reserve();
    int size = fixed64Field(EVENT_TIME, event.getEpochNanos());
    size += stringField(EVENT_NAME, event.getName());
    Attributes attributes = event.getAttributes();
    size += sizeAttributes(EVENT_ATTRIBUTES, attributes);
    size +=
        varintField(EVENT_DROPPED_ATTRIBUTES, event.getTotalAttributeCount() - attributes.size());
    return set(slot, size);
  }

  private int sizeLink(LinkData link) {
    int slot = reserve();
    SpanContext context = link.getSpanContext();
    int size = 2 + TRACE_ID_BYTES + 2 + SPAN_ID_BYTES;
    size += sizeTraceState(LINK_TRACE_STATE, context.getTraceState());
    Attributes attributes = link.getAttributes();
    size += sizeAttributes(LINK_ATTRIBUTES, attributes);
    size += varintField(LINK_DROPPED_ATTRIBUTES, link.getTotalAttributeCount() - attributes.size());
    size += fixed32Field(LINK_FLAGS, flags(context, context.isRemote()));
    return set(slot, size);
  }

  private int sizeStatus(StatusData status) {
    int slot = reserve();
    int size = stringField(STATUS_MESSAGE, status.getDescription());
    size += varintField(STATUS_CODE, statusNumber(status.getStatusCode()));
    return set(slot, size);
  }

  /** The trace state is written as a string whose length is kept like a message's. */
  private int sizeTraceState(int tag, TraceState traceState) {
    if (traceState.isEmpty()) {
      return 0;
    }
    TraceStateField field = new TraceStateField();
    traceState.forEach(field);
    return messageField(tag, record(field.length));
  }

  private int sizeAttributes(int tag, Attributes attributes) {
    if (attributes.isEmpty()) {
      return 0;
    }
    AttributeFields fields = attributeFields;
    fields.tag = tag;
    fields.size = 0;
    attributes.forEach(fields);
    return fields.size;
  }

  /** The size of a KeyValue of an attribute; its slot is taken before its value's. */
  private int sizeAttribute(AttributeKey<?> key, Object value) {
    int slot = reserve();
    int size = stringField(KEY_VALUE_KEY, key.getKey());
    size += messageField(KEY_VALUE_VALUE, sizeAttributeValue(key.getType(), value));
    return set(slot, size);
  }

  private int sizeAttributeValue(AttributeType type, Object value) {
    // if-chains rather than switches on enums: a switch compiles to one more class.
    if (type == AttributeType.STRING) {
      return record(stringValueSize((String) value));
    } else if (type == AttributeType.BOOLEAN) {
      return record(2);
    } else if (type == AttributeType.LONG) {
      return record(1 + varintSize((Long) value));
    } else if (type == AttributeType.DOUBLE) {
      return record(9);
    } else if (type == AttributeType.VALUE) {
      return sizeValue((Value<?>) value);
    }
    int slot = reserve();
    int arraySlot = reserve();
    List<?> elements = (List<?>) value;
    int arraySize = 0;
    for (int i = 0; i < elements.size(); i++) {
      arraySize += messageField(ARRAY_VALUES, record(elementSize(type, elements.get(i))));
    }
    set(arraySlot, arraySize);
    return set(slot, messageField(ANY_ARRAY, arraySize));
  }

  /** The AnyValue body size of an element of an array attribute. */
  private int elementSize(AttributeType arrayType, Object element) {
    if (arrayType == AttributeType.STRING_ARRAY) {
      return stringValueSize((String) element);
    } else if (arrayType == AttributeType.LONG_ARRAY) {
      return 1 + varintSize(element == null ? 0 : (Long) element);
    } else if (arrayType == AttributeType.BOOLEAN_ARRAY) {
      return 2;
    } else if (arrayType == AttributeType.DOUBLE_ARRAY) {
      return 9;
    }
    throw new IllegalArgumentException("unsupported attribute type " + arrayType);
  }

  /** The AnyValue body size of a {@link Value}; slots taken before the children's. */
  private int sizeValue(Value<?> value) {
    ValueType type = value.getType();
    if (type == ValueType.STRING) {
      return record(stringValueSize((String) value.getValue()));
    } else if (type == ValueType.BOOLEAN) {
      return record(2);
    } else if (type == ValueType.LONG) {
      return record(1 + varintSize((Long) value.getValue()));
    } else if (type == ValueType.DOUBLE) {
      return record(9);
    } else if (type == ValueType.BYTES) {
      return record(lengthDelimitedField(ANY_BYTES, ((ByteBuffer) value.getValue()).remaining()));
    } else if (type == ValueType.EMPTY) {
      return record(0);
    }
    int slot = reserve();
    int listSlot = reserve();
    int listSize = 0;
    List<?> elements = (List<?>) value.getValue();
    if (type == ValueType.ARRAY) {
      for (int i = 0; i < elements.size(); i++) {
        listSize += messageField(ARRAY_VALUES, sizeValue((Value<?>) elements.get(i)));
      }
      set(listSlot, listSize);
      return set(slot, messageField(ANY_ARRAY, listSize));
    } else if (type == ValueType.KEY_VALUE_LIST) {
      for (int i = 0; i < elements.size(); i++) {
        listSize += messageField(KEY_VALUE_LIST_VALUES, sizeKeyValue((KeyValue) elements.get(i)));
      }
      set(listSlot, listSize);
      return set(slot, messageField(ANY_KEY_VALUE_LIST, listSize));
    }
    throw new IllegalArgumentException("unsupported value type " + type);
  }

  private int sizeKeyValue(KeyValue keyValue) {
    int slot = reserve();
    int size = stringField(KEY_VALUE_KEY, keyValue.getKey());
    size += messageField(KEY_VALUE_VALUE, sizeValue(keyValue.getValue()));
    return set(slot, size);
  }

  private int reserve() {
    if (sizeCount == sizes.length) {
      int[] larger = new int[sizes.length * 2];
      System.arraycopy(sizes, 0, larger, 0, sizeCount);
      sizes = larger;
    }
    return sizeCount++;
  }

  /** Records the size of a message without children and returns it. */
  private int record(int size) {
    return set(reserve(), size);
  }

  /**
   * Keeps {@code size} in {@code slot} and returns it ({@link #reserve()} may replace the array).
   */
  private int set(int slot, int size) {
    sizes[slot] = size;
    return size;
  }

  // ------------------------------------------------------------------------------ writing pass

  private void writeRequest() {
    for (int r = 0; r < resources.size(); r++) {
      Resource resource = resources.get(r);
      startMessage(REQUEST_RESOURCE_SPANS);
      startMessage(RESOURCE_SPANS_RESOURCE);
      writeRaw(resourceBodies.get(r));
      for (int group = 0; group < groupResources.size(); group++) {
        if (groupResources.get(group) == resource) {
          startMessage(RESOURCE_SPANS_SCOPE_SPANS);
          writeScopeSpans(group);
        }
      }
      writeString(RESOURCE_SPANS_SCHEMA_URL, resource.getSchemaUrl());
    }
  }

  private void writeScopeSpans(int group) {
    InstrumentationScopeInfo scope = groupScopes.get(group);
    startMessage(SCOPE_SPANS_SCOPE);
    writeString(SCOPE_NAME, scope.getName());
    writeString(SCOPE_VERSION, scope.getVersion());
    writeAttributes(SCOPE_ATTRIBUTES, scope.getAttributes());
    for (SpanData span : groupSpans.get(group)) {
      startMessage(SCOPE_SPANS_SPANS);
      writeSpan(span);
    }
    writeString(SCOPE_SPANS_SCHEMA_URL, scope.getSchemaUrl());
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
      startMessage(SPAN_EVENTS);
      writeEvent(events.get(i));
    }
    writeVarintField(SPAN_DROPPED_EVENTS, span.getTotalRecordedEvents() - events.size());
    List<LinkData> links = span.getLinks();
    for (int i = 0; i < links.size(); i++) {
      startMessage(SPAN_LINKS);
      writeLink(links.get(i));
    }
    writeVarintField(SPAN_DROPPED_LINKS, span.getTotalRecordedLinks() - links.size());
    StatusData status = span.getStatus();
    startMessage(SPAN_STATUS);
    writeString(STATUS_MESSAGE, status.getDescription());
    writeVarintField(STATUS_CODE, statusNumber(status.getStatusCode()));
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
      startMessage(tag);
      traceState.forEach(new TraceStateField());
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
    startMessage(KEY_VALUE_VALUE);
    AttributeType type = key.getType();
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
      startMessage(ANY_ARRAY);
      List<?> elements = (List<?>) value;
      for (int i = 0; i < elements.size(); i++) {
        startMessage(ARRAY_VALUES);
        writeElement(type, elements.get(i));
      }
    }
  }

  private void writeElement(AttributeType arrayType, Object element) {
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

  /** Writes the body of the AnyValue of {@code value}, whose size was written already. */
  private void writeValueBody(Value<?> value) {
    ValueType type = value.getType();
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
      bytes.get(bytes.position(), out, position, length);
      position += length;
    } else if (type == ValueType.ARRAY) {
      startMessage(ANY_ARRAY);
      List<?> elements = (List<?>) value.getValue();
      for (int i = 0; i < elements.size(); i++) {
        startMessage(ARRAY_VALUES);
        writeValueBody((Value<?>) elements.get(i));
      }
    } else if (type == ValueType.KEY_VALUE_LIST) {
      startMessage(ANY_KEY_VALUE_LIST);
      List<?> elements = (List<?>) value.getValue();
      for (int i = 0; i < elements.size(); i++) {
        KeyValue keyValue = (KeyValue) elements.get(i);
        startMessage(KEY_VALUE_LIST_VALUES);
        writeString(KEY_VALUE_KEY, keyValue.getKey());
        startMessage(KEY_VALUE_VALUE);
        writeValueBody(keyValue.getValue());
      }
    }
    // EMPTY: an empty AnyValue
  }

  /** Copies bytes encoded before (a resource's body). */
  private void writeRaw(byte[] bytes) {
    System.arraycopy(bytes, 0, out, position, bytes.length);
    position += bytes.length;
  }

  /** Writes the tag of a nested message and its body size, the next one the sizing pass kept. */
  private void startMessage(int tag) {
    writeVarint(tag);
    writeVarint(sizes[nextSize++]);
  }

  private void writeId(int tag, String hex, int bytes) {
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

  private void writeStringAlways(int tag, String value) {
    writeVarint(tag);
    if (value == null) {
      out[position++] = 0;
      return;
    }
    byte[] bytes = measuredBytes(value);
    writeVarint(bytes.length);
    System.arraycopy(bytes, 0, out, position, bytes.length);
    position += bytes.length;
  }

  private void writeVarintField(int tag, int value) {
    if (value != 0) {
      writeVarint(tag);
      writeVarint(value & 0xFFFFFFFFL);
    }
  }

  private void writeFixed64Field(int tag, long value) {
    if (value != 0) {
      writeVarint(tag);
      writeFixed64(value);
    }
  }

  private void writeFixed32Field(int tag, int value) {
    if (value != 0) {
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

  /** Writes UTF-8 as {@code String.getBytes(UTF_8)} does: an unpaired surrogate becomes '?'. */
  private void writeUtf8(String value) {
    byte[] bytes = out;
    int at = position;
    for (int i = 0, n = value.length(); i < n; i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        bytes[at++] = (byte) c;
      } else if (c < 0x800) {
        bytes[at++] = (byte) (0xC0 | c >> 6);
        bytes[at++] = (byte) (0x80 | c & 0x3F);
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(value.charAt(i + 1))) {
          int codePoint = Character.toCodePoint(c, value.charAt(++i));
          bytes[at++] = (byte) (0xF0 | codePoint >> 18);
          bytes[at++] = (byte) (0x80 | codePoint >> 12 & 0x3F);
          bytes[at++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
          bytes[at++] = (byte) (0x80 | codePoint & 0x3F);
        } else {
          bytes[at++] = '?';
        }
      } else {
        bytes[at++] = (byte) (0xE0 | c >> 12);
        bytes[at++] = (byte) (0x80 | c >> 6 & 0x3F);
        bytes[at++] = (byte) (0x80 | c & 0x3F);
      }
    }
    position = at;
  }

  // ------------------------------------------------------------------------------ sizes

  /** The UTF-8 length of {@code value} as {@code String.getBytes(UTF_8)} encodes it. */
  static int utf8Length(String value) {
    int n = value.length();
    int length = n;
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          length += 1;
        } else if (Character.isSurrogate(c)) {
          if (Character.isHighSurrogate(c)
              && i + 1 < n
              && Character.isLowSurrogate(value.charAt(i + 1))) {
            length += 2; // two chars, four bytes
            i++;
          } // else one char, one '?'
        } else {
          length += 2;
        }
      }
    }
    return length;
  }

  private int stringValueSize(String value) {
    return lengthDelimitedField(ANY_STRING, value == null ? 0 : measure(value));
  }

  /** A string field, left out when empty (proto3 default). */
  private int stringField(int tag, String value) {
    if (value == null || value.isEmpty()) {
      return 0;
    }
    return lengthDelimitedField(tag, measure(value));
  }

  /**
   * The UTF-8 length of {@code value}, whose bytes ({@code String.getBytes(UTF_8)}: an unpaired
   * surrogate becomes '?') the sizing pass keeps for the writing pass: one encoding per string,
   * the JDK's, much cheaper than a loop over its chars where the JIT stops at C1, as on Lambda.
   */
  private int measure(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (measuredCount == measured.length) {
      measured = Arrays.copyOf(measured, measuredCount * 2);
      measuredBytes = Arrays.copyOf(measuredBytes, measuredCount * 2);
    }
    measured[measuredCount] = value;
    measuredBytes[measuredCount++] = bytes;
    return bytes.length;
  }

  /**
   * The bytes the sizing pass kept for {@code value}, the writing pass asking for the strings in
   * the same order; encoded afresh should it ask for another (the same bytes either way).
   */
  private byte[] measuredBytes(String value) {
    if (nextMeasured < measuredCount) {
      String next = measured[nextMeasured];
      if (next == value || next.equals(value)) {
        return measuredBytes[nextMeasured++];
      }
    }
    return value.getBytes(StandardCharsets.UTF_8);
  }

  private static int lengthDelimitedField(int tag, int length) {
    return varintSize(tag) + varintSize(length) + length;
  }

  private static int messageField(int tag, int bodySize) {
    return varintSize(tag) + varintSize(bodySize) + bodySize;
  }

  /** A uint32 or enum field, left out when 0; negative values take 5 bytes as in protobuf. */
  private static int varintField(int tag, int value) {
    return value == 0 ? 0 : varintSize(tag) + varintSize(value & 0xFFFFFFFFL);
  }

  private static int fixed64Field(int tag, long value) {
    return value == 0 ? 0 : varintSize(tag) + 8;
  }

  private static int fixed32Field(int tag, int value) {
    return value == 0 ? 0 : varintSize(tag) + 4;
  }

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

  /** Sizes, or writes, each attribute as one KeyValue of a repeated field. */
  private final class AttributeFields implements BiConsumer<AttributeKey<?>, Object> {
    int tag;
    int size;

    @Override
    public void accept(AttributeKey<?> key, Object value) {
      if (writing) {
        startMessage(tag);
        writeAttribute(key, value);
      } else {
        size += messageField(tag, sizeAttribute(key, value));
      }
    }
  }

  /** Measures, or writes, a trace state as W3C {@code tracestate} text: {@code k=v,k2=v2}. */
  private final class TraceStateField implements BiConsumer<String, String> {
    int entries;
    int length;

    @Override
    public void accept(String key, String value) {
      if (writing) {
        if (entries > 0) {
          out[position++] = ',';
        }
        writeUtf8(key);
        out[position++] = '=';
        writeUtf8(value);
      } else {
        length += (entries > 0 ? 1 : 0) + utf8Length(key) + 1 + utf8Length(value);
      }
      entries++;
    }
  }
}
