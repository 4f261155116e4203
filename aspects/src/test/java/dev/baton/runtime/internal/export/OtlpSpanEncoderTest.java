package dev.baton.runtime.internal.export;

import static io.opentelemetry.api.common.AttributeKey.booleanArrayKey;
import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleArrayKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longArrayKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.opentelemetry.api.common.AttributeKey.valueKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The encoder writes the bytes OpenTelemetry's own OTLP marshaler writes. */
class OtlpSpanEncoderTest {

  private static final String UNICODE = "caf\u00e9 \u6771\u4eac \ud83d\ude80 \u0000 end";
  private static final String BROKEN_SURROGATES = "a\ud800b\udc00c\ud83d";

  private static final Resource RESOURCE =
      Resource.create(
          Attributes.builder()
              .put("service.name", "orders")
              .put("faas.max_memory", 134_217_728L)
              .put("cloud.provider", "aws")
              .build(),
          "https://opentelemetry.io/schemas/1.24.0");
  private static final Resource OTHER_RESOURCE =
      Resource.create(Attributes.of(stringKey("service.name"), "payments"));
  private static final Resource EMPTY_RESOURCE = Resource.empty();

  private static final InstrumentationScopeInfo SCOPE =
      InstrumentationScopeInfo.builder("dev.baton")
          .setVersion("0.1.0")
          .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0")
          .setAttributes(Attributes.of(stringKey("scope.kind"), "woven", longKey("n"), 3L))
          .build();
  private static final InstrumentationScopeInfo BARE_SCOPE =
      InstrumentationScopeInfo.create("io.aws");
  private static final InstrumentationScopeInfo EMPTY_SCOPE = InstrumentationScopeInfo.create("");

  private final Random random = new Random(20_260_101L);

  @Test
  void nothingIsAnEmptyRequest() throws IOException {
    assertSameBytes(List.of());
    assertThat(OtlpSpanEncoder.encode(List.of())).isEmpty();
  }

  @Test
  void minimalSpanLeavesDefaultsOut() throws IOException {
    SpanData span =
        TestSpanData.builder()
            .setSpanContext(context(false, TraceState.getDefault(), TraceFlags.getDefault()))
            .setResource(EMPTY_RESOURCE)
            .setInstrumentationScopeInfo(EMPTY_SCOPE)
            .setName("")
            .setKind(SpanKind.INTERNAL)
            .setStartEpochNanos(0)
            .setEndEpochNanos(0)
            .setStatus(StatusData.unset())
            .setHasEnded(true)
            .build();

    assertSameBytes(List.of(span));
  }

  @Test
  void messagesOfEveryLengthAroundAVarintBoundary() throws IOException {
    // A body's length is written after the body: 1 byte up to 127, 2 up to 16,383, 3 up to
    // 2,097,151, 4 beyond; each nesting level crosses its boundaries at its own value length.
    int[] lengths = {0, 1, 90, 126, 127, 128, 129, 16_300, 16_383, 16_384, 2_097_100, 2_097_152};
    for (int length : lengths) {
      SpanData span =
          TestSpanData.builder()
              .setSpanContext(context(false, TraceState.getDefault(), TraceFlags.getDefault()))
              .setResource(RESOURCE)
              .setInstrumentationScopeInfo(SCOPE)
              .setName("around-" + length)
              .setKind(SpanKind.SERVER)
              .setStartEpochNanos(1)
              .setEndEpochNanos(2)
              .setAttributes(
                  Attributes.of(
                      stringKey("text"), "x".repeat(length),
                      stringArrayKey("texts"), List.of("y".repeat(length / 2), "")))
              .setStatus(StatusData.unset())
              .setHasEnded(true)
              .setTotalAttributeCount(2)
              .build();
      assertSameBytes(List.of(span));
      assertSameBytes(List.of(span, span));
    }
  }

  @Test
  void everyFieldOfManySpansInOneGroup() throws IOException {
    List<SpanData> spans = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      spans.add(randomSpan(RESOURCE, SCOPE, i));
    }

    assertSameBytes(spans);
  }

  @Test
  void everyAttributeType() throws IOException {
    Attributes attributes =
        Attributes.builder()
            .put(stringKey("string"), "value")
            .put(stringKey("empty string"), "")
            .put(stringKey("unicode"), UNICODE)
            .put(stringKey("broken surrogates"), BROKEN_SURROGATES)
            .put(stringKey(UNICODE), "key in unicode")
            .put(stringKey(""), "empty key")
            .put(booleanKey("true"), true)
            .put(booleanKey("false"), false)
            .put(longKey("zero"), 0L)
            .put(longKey("negative"), -1L)
            .put(longKey("min"), Long.MIN_VALUE)
            .put(longKey("max"), Long.MAX_VALUE)
            .put(longKey("big"), 1L << 35)
            .put(doubleKey("double zero"), 0.0)
            .put(doubleKey("negative zero"), -0.0)
            .put(doubleKey("nan"), Double.NaN)
            .put(doubleKey("infinity"), Double.NEGATIVE_INFINITY)
            .put(doubleKey("pi"), Math.PI)
            .put(stringArrayKey("strings"), List.of("a", "", UNICODE, BROKEN_SURROGATES))
            .put(stringArrayKey("no strings"), List.of())
            .put(longArrayKey("longs"), List.of(0L, -5L, Long.MAX_VALUE, 300L))
            .put(longArrayKey("no longs"), List.of())
            .put(booleanArrayKey("booleans"), List.of(true, false, true))
            .put(doubleArrayKey("doubles"), List.of(0.0, -1.5, Double.MAX_VALUE))
            .put(valueKey("value string"), Value.of("text"))
            .put(valueKey("value bool"), Value.of(true))
            .put(valueKey("value long"), Value.of(-42L))
            .put(valueKey("value double"), Value.of(2.5))
            .put(valueKey("value bytes"), Value.of(new byte[] {0, 1, (byte) 0xFF, 127}))
            .put(valueKey("value no bytes"), Value.of(new byte[0]))
            .put(valueKey("value empty"), Value.empty())
            .put(
                valueKey("value array"),
                Value.of(Value.of("x"), Value.of(1L), Value.of(Value.of(false)), Value.empty()))
            .put(valueKey("value empty array"), Value.of(List.<Value<?>>of()))
            .put(
                valueKey("value map"),
                Value.of(
                    KeyValue.of("k", Value.of("v")),
                    KeyValue.of("", Value.of(UNICODE)),
                    KeyValue.of(
                        "nested",
                        Value.of(
                            KeyValue.of("deep", Value.of(new byte[] {9})),
                            KeyValue.of("e", Value.empty())))))
            .put(valueKey("value empty map"), Value.of(new KeyValue[0]))
            .build();
    SpanData span =
        TestSpanData.builder()
            .setSpanContext(context(false, TraceState.getDefault(), TraceFlags.getSampled()))
            .setResource(Resource.create(resourceSafe(attributes)))
            .setInstrumentationScopeInfo(
                InstrumentationScopeInfo.builder("s").setAttributes(attributes).build())
            .setName("attributes")
            .setKind(SpanKind.CLIENT)
            .setStartEpochNanos(1)
            .setEndEpochNanos(2)
            .setAttributes(attributes)
            .setTotalAttributeCount(attributes.size() + 7)
            .setEvents(List.of(EventData.create(3, "event", attributes, attributes.size() + 1)))
            .setTotalRecordedEvents(1)
            .setLinks(
                List.of(
                    LinkData.create(
                        context(true, TraceState.getDefault(), TraceFlags.getSampled()),
                        attributes,
                        attributes.size())))
            .setTotalRecordedLinks(1)
            .setStatus(StatusData.create(StatusCode.ERROR, UNICODE))
            .setHasEnded(true)
            .build();

    assertSameBytes(List.of(span));
  }

  @Test
  void spansOfAnSdkWithLimitsExceptionsAndLinks() throws IOException {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    List<SpanData> spans;
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(RESOURCE)
            .setSpanLimits(
                SpanLimits.builder()
                    .setMaxNumberOfAttributes(3)
                    .setMaxNumberOfEvents(2)
                    .setMaxNumberOfLinks(1)
                    .setMaxNumberOfAttributesPerEvent(1)
                    .setMaxNumberOfAttributesPerLink(1)
                    .build())
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build()) {
      Tracer tracer = provider.get("dev.baton", "0.1.0");
      SpanContext remote =
          SpanContext.createFromRemoteParent(
              TraceId.fromLongs(1, 2),
              SpanId.fromLong(3),
              TraceFlags.getSampled(),
              TraceState.builder().put("vendor", "x1").put("other", "y=2").build());
      Span root =
          tracer
              .spanBuilder("root")
              .setParent(Context.root().with(Span.wrap(remote)))
              .setSpanKind(SpanKind.SERVER)
              .addLink(remote, Attributes.of(stringKey("a"), "1", stringKey("b"), "2"))
              .addLink(
                  SpanContext.create(
                      TraceId.fromLongs(4, 5),
                      SpanId.fromLong(6),
                      TraceFlags.getDefault(),
                      TraceState.getDefault()))
              .startSpan();
      for (int i = 0; i < 5; i++) {
        root.setAttribute("attribute." + i, i);
        root.addEvent("event " + i, Attributes.of(longKey("i"), (long) i, longKey("j"), 2L * i));
      }
      root.recordException(new IllegalStateException("broken"));
      root.setStatus(StatusCode.ERROR, "failed");
      Span child = tracer.spanBuilder("child").setParent(Context.root().with(root)).startSpan();
      child.setStatus(StatusCode.OK);
      child.end();
      root.end();
      spans = exporter.getFinishedSpanItems();
    }

    assertThat(spans.get(1).getTotalAttributeCount())
        .isGreaterThan(spans.get(1).getAttributes().size());
    assertSameBytes(spans);
  }

  @Test
  void groupsByResourceThenScope() throws IOException {
    List<SpanData> spans = new ArrayList<>();
    Resource[] resources = {RESOURCE, OTHER_RESOURCE, EMPTY_RESOURCE};
    InstrumentationScopeInfo[] scopes = {SCOPE, BARE_SCOPE, EMPTY_SCOPE};
    for (int i = 0; i < 40; i++) {
      spans.add(randomSpan(resources[random.nextInt(3)], scopes[random.nextInt(3)], i));
    }
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    TraceRequestMarshaler.create(spans).writeBinaryTo(expected);

    byte[] encoded = OtlpSpanEncoder.encode(spans);

    // The marshaler orders groups as an IdentityHashMap iterates (by identity hash codes, so not
    // the same from one run to the next); within a group, both keep the spans' order.
    assertThat(encoded).hasSameSizeAs(expected.toByteArray());
    assertBytes(
        ProtoFields.groupsSorted(encoded), ProtoFields.groupsSorted(expected.toByteArray()));
    assertThat(ProtoFields.of(encoded)).hasSize(3);
  }

  @Test
  void groupsComeInTheOrderOfTheirFirstSpan() throws IOException {
    SpanData first = randomSpan(OTHER_RESOURCE, SCOPE, 1);
    SpanData second = randomSpan(RESOURCE, BARE_SCOPE, 2);
    SpanData third = randomSpan(OTHER_RESOURCE, BARE_SCOPE, 3);
    SpanData fourth = randomSpan(OTHER_RESOURCE, SCOPE, 4);

    byte[] encoded = OtlpSpanEncoder.encode(List.of(first, second, third, fourth));

    // Equal resources that are different instances are different groups, as in the marshaler.
    Resource equalCopy = Resource.create(OTHER_RESOURCE.getAttributes());
    assertThat(OtlpSpanEncoder.encode(List.of(first, randomSpan(equalCopy, SCOPE, 5))))
        .satisfies(bytes -> assertThat(ProtoFields.of(bytes)).hasSize(2));
    ByteArrayOutputStream concatenated = new ByteArrayOutputStream();
    concatenated.writeBytes(OtlpSpanEncoder.encode(List.of(first, fourth, third)));
    concatenated.writeBytes(OtlpSpanEncoder.encode(List.of(second)));
    assertBytes(encoded, concatenated.toByteArray());
    assertSameBytes(List.of(first, fourth));
  }

  @Test
  void aTraceStateOfAnyTextEncodesLikeTheMarshaler() throws IOException {
    // OpenTelemetry's own TraceState takes ASCII only; another implementation may hold anything.
    for (String text : List.of("ascii", UNICODE, BROKEN_SURROGATES, "\ud83d", "\udc00\ud800", "x".repeat(200))) {
      TraceState traceState = new TextTraceState(Map.of("k", text));
      SpanData span =
          TestSpanData.builder()
              .setSpanContext(context(false, traceState, TraceFlags.getSampled()))
              .setResource(RESOURCE)
              .setInstrumentationScopeInfo(SCOPE)
              .setName("traced")
              .setKind(SpanKind.INTERNAL)
              .setStartEpochNanos(1)
              .setEndEpochNanos(2)
              .setLinks(List.of(LinkData.create(context(true, traceState, TraceFlags.getDefault()))))
              .setTotalRecordedLinks(1)
              .setStatus(StatusData.unset())
              .setHasEnded(true)
              .build();
      assertSameBytes(List.of(span));
    }
  }

  /** A TraceState that holds any text, as an implementation other than OpenTelemetry's may. */
  private record TextTraceState(Map<String, String> entries) implements TraceState {
    @Override
    public String get(String key) {
      return entries.get(key);
    }

    @Override
    public int size() {
      return entries.size();
    }

    @Override
    public boolean isEmpty() {
      return entries.isEmpty();
    }

    @Override
    public void forEach(java.util.function.BiConsumer<String, String> consumer) {
      entries.forEach(consumer);
    }

    @Override
    public Map<String, String> asMap() {
      return entries;
    }

    @Override
    public io.opentelemetry.api.trace.TraceStateBuilder toBuilder() {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void randomTextEncodesLikeStringGetBytes() throws IOException {
    List<SpanData> spans = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      spans.add(
          TestSpanData.builder()
              .setSpanContext(context(false, TraceState.getDefault(), TraceFlags.getSampled()))
              .setResource(RESOURCE)
              .setInstrumentationScopeInfo(SCOPE)
              .setName(randomText(random.nextInt(20)))
              .setKind(SpanKind.INTERNAL)
              .setStartEpochNanos(1)
              .setEndEpochNanos(2)
              .setAttributes(
                  Attributes.of(stringKey(randomText(3)), randomText(random.nextInt(200))))
              .setStatus(StatusData.ok())
              .setHasEnded(true)
              .build());
    }

    assertSameBytes(spans);
  }

  // ------------------------------------------------------------------------------ data

  /** {@code attributes} without the keys a Resource rejects (empty or not ASCII). */
  private static Attributes resourceSafe(Attributes attributes) {
    return attributes.toBuilder()
        .removeIf(
            key ->
                key.getKey().isEmpty()
                    || !StandardCharsets.US_ASCII.newEncoder().canEncode(key.getKey()))
        .build();
  }

  private SpanData randomSpan(Resource resource, InstrumentationScopeInfo scope, int i) {
    SpanKind kind = SpanKind.values()[i % SpanKind.values().length];
    TraceState traceState =
        i % 3 == 0
            ? TraceState.getDefault()
            : TraceState.builder()
                .put("vendor" + i, "v" + i)
                .put("rojo", "00f067aa0ba902b7")
                .build();
    TraceFlags flags = i % 4 == 0 ? TraceFlags.getDefault() : TraceFlags.getSampled();
    SpanContext parent =
        switch (i % 3) {
          case 0 -> SpanContext.getInvalid();
          case 1 -> context(true, traceState, flags);
          default -> context(false, TraceState.getDefault(), flags);
        };
    List<EventData> events = new ArrayList<>();
    for (int e = 0; e < i % 4; e++) {
      events.add(
          e % 2 == 0
              ? EventData.create(random.nextLong() & Long.MAX_VALUE, "event " + e, attributes(e))
              : EventData.create(0, "", Attributes.empty(), 3));
    }
    List<LinkData> links = new ArrayList<>();
    for (int l = 0; l < i % 3; l++) {
      links.add(
          LinkData.create(
              context(l % 2 == 0, l == 0 ? traceState : TraceState.getDefault(), flags),
              attributes(l + 1),
              attributes(l + 1).size() + l));
    }
    StatusData status =
        switch (i % 5) {
          case 0 -> StatusData.unset();
          case 1 -> StatusData.ok();
          case 2 -> StatusData.error();
          case 3 -> StatusData.create(StatusCode.ERROR, "failed: " + UNICODE);
          default -> StatusData.create(StatusCode.UNSET, "ignored description");
        };
    Attributes attributes = attributes(i);
    long start = 1_700_000_000_000_000_000L + random.nextInt(1_000_000);
    return TestSpanData.builder()
        .setSpanContext(context(false, traceState, flags))
        .setParentSpanContext(parent)
        .setResource(resource)
        .setInstrumentationScopeInfo(scope)
        .setName(i % 7 == 0 ? "" : "span " + i + (i % 5 == 0 ? " " + UNICODE : ""))
        .setKind(kind)
        .setStartEpochNanos(start)
        .setEndEpochNanos(i % 9 == 0 ? 0 : start + random.nextInt(1_000_000_000))
        .setAttributes(attributes)
        .setTotalAttributeCount(attributes.size() + (i % 2) * 130)
        .setEvents(events)
        .setTotalRecordedEvents(events.size() + i % 3)
        .setLinks(links)
        .setTotalRecordedLinks(links.size() + (i % 4 == 0 ? 200 : 0))
        .setStatus(status)
        .setHasEnded(true)
        .build();
  }

  private Attributes attributes(int i) {
    return switch (i % 5) {
      case 0 -> Attributes.empty();
      case 1 ->
          Attributes.of(stringKey("http.route"), "/orders/{id}", longKey("http.status_code"), 200L);
      case 2 ->
          Attributes.of(
              booleanKey("faas.coldstart"), true,
              doubleKey("ratio"), random.nextDouble(),
              stringArrayKey("tags"), List.of("a", "b", ""));
      case 3 ->
          Attributes.of(
              longArrayKey("sizes"), List.of(1L, -1L, random.nextLong()),
              valueKey("payload"), Value.of(KeyValue.of("id", Value.of(random.nextLong()))));
      default ->
          Attributes.of(stringKey("messaging.system"), "aws_sqs", stringKey("text"), UNICODE);
    };
  }

  private SpanContext context(boolean remote, TraceState traceState, TraceFlags flags) {
    String traceId = TraceId.fromLongs(random.nextLong(), random.nextLong());
    String spanId = SpanId.fromLong(random.nextLong() | 1);
    return remote
        ? SpanContext.createFromRemoteParent(traceId, spanId, flags, traceState)
        : SpanContext.create(traceId, spanId, flags, traceState);
  }

  private String randomText(int length) {
    char[] picks = {
      'a', 'Z', '0', ' ', '\u00e9', '\u07ff', '\u0800', '\uffff', '\ud800', '\udbff', '\udc00',
      '\udfff', '\u0000', '\u007f', '\u0080'
    };
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(picks[random.nextInt(picks.length)]);
    }
    return text.toString();
  }

  // ------------------------------------------------------------------------------ assertions

  private static void assertSameBytes(Collection<SpanData> spans) throws IOException {
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    TraceRequestMarshaler.create(spans).writeBinaryTo(expected);
    assertBytes(OtlpSpanEncoder.encode(spans), expected.toByteArray());
  }

  private static void assertBytes(byte[] actual, byte[] expected) {
    int mismatch = Arrays.mismatch(actual, expected);
    assertThat(mismatch)
        .as(
            "first differing byte of %d (expected %d bytes): %s",
            mismatch, expected.length, mismatch < 0 ? "" : context(actual, expected, mismatch))
        .isEqualTo(-1);
  }

  private static String context(byte[] actual, byte[] expected, int at) {
    int from = Math.max(0, at - 8);
    return "actual "
        + Arrays.toString(Arrays.copyOfRange(actual, from, Math.min(actual.length, at + 8)))
        + " expected "
        + Arrays.toString(Arrays.copyOfRange(expected, from, Math.min(expected.length, at + 8)));
  }
}
