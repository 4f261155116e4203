package dev.baton.runtime.internal.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Exports spans to the X-Ray daemon that Lambda runs in the sandbox with active tracing (its
 * address in {@code AWS_XRAY_DAEMON_ADDRESS}), which takes OTLP over UDP, as AWS's own exporters
 * (ADOT's {@code OtlpUdpSpanExporter}) send it: each datagram is the line {@value #HEADER_TEXT}
 * and a newline, then {@value #SAMPLED_PREFIX}, then the base64 of an OTLP {@code
 * ExportTraceServiceRequest} (Baton's {@link OtlpSpanEncoder}). A send to a local socket takes
 * microseconds and waits for no network.
 *
 * <p>No datagram is ever larger than {@value #MAX_DATAGRAM} bytes (what an IPv4 UDP datagram
 * holds; the daemon reads 64 KiB): spans are packed greedily, each datagram as full as it goes,
 * and a span too large even alone loses its largest attributes (then its events and links)
 * until it fits, each counted in its {@code dropped_*_count}. Nothing under the limit is lost to
 * size.
 *
 * <p>Datagrams nobody receives are lost quietly, as UDP is. Where the system says so (the socket
 * is connected, so a closed port answers with an ICMP error that the next send reports), the
 * export fails with that error, which Baton reports once and backs off from. Every result is
 * returned completed.
 */
public final class XrayUdpSpanExporter implements SpanExporter {

  static final String HEADER_TEXT = "{\"format\":\"json\",\"version\":1}";
  static final String SAMPLED_PREFIX = "T1S";
  static final int MAX_DATAGRAM = 65_507;

  private static final byte[] PREFIX =
      (HEADER_TEXT + "\n" + SAMPLED_PREFIX).getBytes(StandardCharsets.US_ASCII);

  /** The most protobuf bytes whose base64 still fits in a datagram after the prefix. */
  static final int MAX_PROTOBUF = (MAX_DATAGRAM - PREFIX.length) / 4 * 3;

  /**
   * Up to this many spans are encoded whole first, and packed only when they do not fit; more
   * are packed by size ahead (a whole encoding of thousands of spans would be wasted).
   */
  static final int WHOLE_FIRST_SPANS = 128;

  private final DaemonAddress address;
  private final Object lock = new Object();
  private DatagramSocket socket;
  private volatile boolean shutdown;

  public XrayUdpSpanExporter(DaemonAddress address) {
    this.address = address;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    if (shutdown) {
      return CompletableResultCode.ofExceptionalFailure(
          new IllegalStateException("the X-Ray UDP exporter was shut down"));
    }
    if (spans.isEmpty()) {
      return CompletableResultCode.ofSuccess();
    }
    try {
      DatagramSocket connected = socket();
      for (byte[] datagram : datagrams(spans)) {
        connected.send(new DatagramPacket(datagram, datagram.length));
      }
      return CompletableResultCode.ofSuccess();
    } catch (PortUnreachableException nobodyListens) {
      return CompletableResultCode.ofExceptionalFailure(
          new IOException(
              "no X-Ray daemon listens at "
                  + address
                  + " (AWS_XRAY_DAEMON_ADDRESS); Lambda runs it only for functions with active"
                  + " tracing (Tracing: Active)",
              nobodyListens));
    } catch (IOException | RuntimeException failure) {
      return CompletableResultCode.ofExceptionalFailure(failure);
    }
  }

  private DatagramSocket socket() throws IOException {
    synchronized (lock) {
      if (socket == null) {
        InetSocketAddress daemon;
        try {
          daemon = new InetSocketAddress(InetAddress.getByName(address.host()), address.port());
        } catch (UnknownHostException unresolvable) {
          throw new IOException(
              "the X-Ray daemon's host in AWS_XRAY_DAEMON_ADDRESS (" + address + ") is unknown",
              unresolvable);
        }
        DatagramSocket opened = new DatagramSocket();
        try {
          opened.connect(daemon);
        } catch (SocketException | RuntimeException failure) {
          opened.close();
          throw failure;
        }
        socket = opened;
      }
      return socket;
    }
  }

  /** The datagrams that carry {@code spans}, each at most {@value #MAX_DATAGRAM} bytes. */
  static List<byte[]> datagrams(Collection<SpanData> spans) {
    if (spans.size() <= WHOLE_FIRST_SPANS) {
      // An invocation's spans mostly fit in one datagram: one encoding, no sizing ahead.
      byte[] whole = OtlpSpanEncoder.encode(spans);
      if (whole.length <= MAX_PROTOBUF) {
        return List.of(datagram(whole));
      }
    }
    List<byte[]> datagrams = new ArrayList<>();
    for (List<SpanData> batch : pack(spans)) {
      addDatagrams(batch, datagrams);
    }
    return datagrams;
  }

  /**
   * Spans in batches that each fit, by the encoder's own sizes: a span's field exactly, its group
   * (resource and scope, by instance, as the encoder groups) counted at most once per batch at its
   * longest.
   */
  static List<List<SpanData>> pack(Collection<SpanData> spans) {
    List<List<SpanData>> batches = new ArrayList<>();
    List<SpanData> batch = new ArrayList<>();
    List<SpanData> groups = new ArrayList<>(); // one span of each group in the batch
    long size = 0;
    for (SpanData span : spans) {
      long added = OtlpSpanEncoder.spanBytes(span);
      boolean newGroup = !sameGroupIn(groups, span);
      if (newGroup) {
        added += OtlpSpanEncoder.groupBytes(span);
      }
      if (!batch.isEmpty() && size + added > MAX_PROTOBUF) {
        batches.add(batch);
        batch = new ArrayList<>();
        groups.clear();
        size = 0;
        if (!newGroup) {
          added += OtlpSpanEncoder.groupBytes(span);
        }
        newGroup = true;
      }
      if (newGroup) {
        groups.add(span);
      }
      batch.add(span);
      size += added;
    }
    if (!batch.isEmpty()) {
      batches.add(batch);
    }
    return batches;
  }

  /** Whether a span of {@code groups} has the same resource and scope instances as {@code span}. */
  private static boolean sameGroupIn(List<SpanData> groups, SpanData span) {
    for (SpanData member : groups) {
      if (member.getResource() == span.getResource()
          && member.getInstrumentationScopeInfo() == span.getInstrumentationScopeInfo()) {
        return true;
      }
    }
    return false;
  }

  /** One datagram for {@code batch}, or more if it does not fit after all. */
  private static void addDatagrams(List<SpanData> batch, List<byte[]> datagrams) {
    byte[] protobuf = OtlpSpanEncoder.encode(batch);
    if (protobuf.length <= MAX_PROTOBUF) {
      datagrams.add(datagram(protobuf));
    } else if (batch.size() > 1) {
      int half = batch.size() / 2;
      addDatagrams(batch.subList(0, half), datagrams);
      addDatagrams(batch.subList(half, batch.size()), datagrams);
    } else {
      SpanData shrunk = shrink(batch.get(0));
      if (shrunk != null) {
        datagrams.add(datagram(OtlpSpanEncoder.encode(List.of(shrunk))));
      }
    }
  }

  private static byte[] datagram(byte[] protobuf) {
    byte[] encoded = Base64.getEncoder().encode(protobuf);
    byte[] datagram = new byte[PREFIX.length + encoded.length];
    System.arraycopy(PREFIX, 0, datagram, 0, PREFIX.length);
    System.arraycopy(encoded, 0, datagram, PREFIX.length, encoded.length);
    return datagram;
  }

  /**
   * {@code span} without its largest attributes, as few as it takes to fit, then without events
   * and links; null when even that does not fit (a name of some 49 KB).
   */
  static SpanData shrink(SpanData span) {
    List<Map.Entry<AttributeKey<?>, Object>> attributes =
        new ArrayList<>(span.getAttributes().asMap().entrySet());
    attributes.sort(Comparator.comparingLong(XrayUdpSpanExporter::size));
    while (!attributes.isEmpty()) {
      attributes.remove(attributes.size() - 1);
      SpanData smaller = new Shrunk(span, attributes, span.getEvents(), span.getLinks());
      if (fits(smaller)) {
        return smaller;
      }
    }
    SpanData bare = new Shrunk(span, attributes, List.of(), List.of());
    return fits(bare) ? bare : null;
  }

  private static boolean fits(SpanData span) {
    return OtlpSpanEncoder.encode(List.of(span)).length <= MAX_PROTOBUF;
  }

  /** About what an attribute takes in the encoding: its key and its value's characters. */
  private static long size(Map.Entry<AttributeKey<?>, Object> attribute) {
    long size = attribute.getKey().getKey().length();
    Object value = attribute.getValue();
    if (value instanceof List<?> values) {
      for (Object element : values) {
        size += String.valueOf(element).length() + 2;
      }
      return size;
    }
    return size + String.valueOf(value).length();
  }

  /** A span with fewer attributes, events or links; what it lost counts as dropped. */
  private static final class Shrunk extends DelegatingSpanData {
    private final Attributes attributes;
    private final List<EventData> events;
    private final List<LinkData> links;
    private final int totalAttributes;
    private final int totalEvents;
    private final int totalLinks;

    Shrunk(
        SpanData span,
        List<Map.Entry<AttributeKey<?>, Object>> kept,
        List<EventData> events,
        List<LinkData> links) {
      super(span);
      AttributesBuilder builder = Attributes.builder();
      for (Map.Entry<AttributeKey<?>, Object> attribute : kept) {
        put(builder, attribute.getKey(), attribute.getValue());
      }
      this.attributes = builder.build();
      this.events = events;
      this.links = links;
      this.totalAttributes = span.getTotalAttributeCount();
      this.totalEvents = span.getTotalRecordedEvents();
      this.totalLinks = span.getTotalRecordedLinks();
    }

    @SuppressWarnings("unchecked")
    private static <T> void put(AttributesBuilder builder, AttributeKey<T> key, Object value) {
      builder.put(key, (T) value);
    }

    @Override
    public Attributes getAttributes() {
      return attributes;
    }

    @Override
    public int getTotalAttributeCount() {
      return totalAttributes;
    }

    @Override
    public List<EventData> getEvents() {
      return events;
    }

    @Override
    public int getTotalRecordedEvents() {
      return totalEvents;
    }

    @Override
    public List<LinkData> getLinks() {
      return links;
    }

    @Override
    public int getTotalRecordedLinks() {
      return totalLinks;
    }
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    shutdown = true;
    synchronized (lock) {
      if (socket != null) {
        socket.close();
      }
    }
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public String toString() {
    return "XrayUdpSpanExporter[" + address + "]";
  }

  /**
   * Where the X-Ray daemon listens: {@code AWS_XRAY_DAEMON_ADDRESS} as Lambda sets it ({@code
   * host:port}) or as the X-Ray SDKs take it ({@code udp:host:port tcp:host:port}, either order);
   * unset, {@value #DEFAULT}, as the X-Ray SDKs and ADOT assume.
   */
  public record DaemonAddress(String host, int port) {

    public static final String DEFAULT = "127.0.0.1:2000";

    /**
     * The address in {@code value} (null or blank: the default).
     *
     * @throws IllegalArgumentException when it is none of the forms above
     */
    public static DaemonAddress parse(String value) {
      String address = value == null || value.isBlank() ? DEFAULT : value.trim();
      if (address.contains(" ") || address.startsWith("udp:") || address.startsWith("tcp:")) {
        String udp = null;
        for (String part : address.split("\\s+")) {
          if (part.startsWith("udp:")) {
            udp = part.substring(4);
          } else if (!part.startsWith("tcp:")) {
            throw malformed(value);
          }
        }
        if (udp == null) {
          throw malformed(value);
        }
        address = udp;
      }
      int colon = address.lastIndexOf(':');
      if (colon <= 0 || colon == address.length() - 1) {
        throw malformed(value);
      }
      String host = address.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port;
      try {
        port = Integer.parseInt(address.substring(colon + 1));
      } catch (NumberFormatException notANumber) {
        throw malformed(value);
      }
      if (port < 1 || port > 65_535 || host.isEmpty() || host.indexOf(' ') >= 0) {
        throw malformed(value);
      }
      return new DaemonAddress(host, port);
    }

    private static IllegalArgumentException malformed(String value) {
      return new IllegalArgumentException(
          "AWS_XRAY_DAEMON_ADDRESS="
              + value
              + " is not host:port (what Lambda sets) nor 'udp:host:port tcp:host:port'");
    }

    @Override
    public String toString() {
      return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
  }
}
