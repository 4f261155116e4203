package dev.baton.runtime.internal.sdk;

import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.export.XrayUdpSpanExporter;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayLambdaPropagator;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayPropagator;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.SpanLimitsBuilder;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>The standard {@code OTEL_*} settings that {@link BuiltInTelemetry} understands, read once:
 * system property {@code otel.a.b} first, then environment variable {@code OTEL_A_B}; blank counts
 * as unset. A bad value that has a sensible default (a sampler ratio, a timeout, an unknown
 * propagator) is reported once and replaced; a setting the built-in setup cannot honour (another
 * exporter or protocol, an endpoint that is no URL) makes {@link #read} throw an {@link
 * IllegalArgumentException} saying what to do, and tracing stays off.
 */
final class BuiltInSettings {

  static final String SDK_DISABLED = "otel.sdk.disabled";
  static final String SERVICE_NAME = "otel.service.name";
  static final String RESOURCE_ATTRIBUTES = "otel.resource.attributes";
  static final String TRACES_EXPORTER = "otel.traces.exporter";
  static final String PROTOCOL = "otel.exporter.otlp.protocol";
  static final String TRACES_PROTOCOL = "otel.exporter.otlp.traces.protocol";
  static final String ENDPOINT = "otel.exporter.otlp.endpoint";
  static final String TRACES_ENDPOINT = "otel.exporter.otlp.traces.endpoint";
  static final String HEADERS = "otel.exporter.otlp.headers";
  static final String TRACES_HEADERS = "otel.exporter.otlp.traces.headers";
  static final String TIMEOUT = "otel.exporter.otlp.timeout";
  static final String TRACES_TIMEOUT = "otel.exporter.otlp.traces.timeout";
  static final String COMPRESSION = "otel.exporter.otlp.compression";
  static final String TRACES_COMPRESSION = "otel.exporter.otlp.traces.compression";
  static final String SAMPLER = "otel.traces.sampler";
  static final String SAMPLER_ARG = "otel.traces.sampler.arg";
  static final String PROPAGATORS = "otel.propagators";
  static final String MAX_QUEUE_SIZE = "otel.bsp.max.queue.size";
  static final String MAX_EXPORT_BATCH_SIZE = "otel.bsp.max.export.batch.size";
  static final String ATTRIBUTE_VALUE_LENGTH_LIMIT = "otel.attribute.value.length.limit";
  static final String SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT = "otel.span.attribute.value.length.limit";
  static final String ATTRIBUTE_COUNT_LIMIT = "otel.attribute.count.limit";
  static final String SPAN_ATTRIBUTE_COUNT_LIMIT = "otel.span.attribute.count.limit";
  static final String SPAN_EVENT_COUNT_LIMIT = "otel.span.event.count.limit";
  static final String SPAN_LINK_COUNT_LIMIT = "otel.span.link.count.limit";
  static final String EVENT_ATTRIBUTE_COUNT_LIMIT = "otel.event.attribute.count.limit";
  static final String LINK_ATTRIBUTE_COUNT_LIMIT = "otel.link.attribute.count.limit";
  static final String ALWAYS_SAMPLE_ERRORS = FailedInvocations.PROPERTY;

  /** Where Lambda says its X-Ray daemon listens (an environment variable, no system property). */
  static final String DAEMON_ADDRESS = "AWS_XRAY_DAEMON_ADDRESS";

  static final String OTLP = "otlp";
  static final String XRAY = "xray";
  static final String NONE = "none";

  static final String DEFAULT_ENDPOINT = "http://localhost:4318/v1/traces";
  static final String DEFAULT_PROPAGATORS = "tracecontext,baggage";
  static final long DEFAULT_TIMEOUT_MILLIS = 10_000;
  static final int DEFAULT_MAX_QUEUE_SIZE = 2048;
  static final int DEFAULT_MAX_EXPORT_BATCH_SIZE = 512;

  private static final String HTTP_PROTOBUF = "http/protobuf";
  private static final String SIGNAL_PATH = "v1/traces";
  private static final AttributeKey<String> SERVICE_NAME_KEY =
      AttributeKey.stringKey("service.name");

  private final Properties properties;
  private final Map<String, String> environment;

  /** {@code OTEL_SDK_DISABLED=true}: nothing else is read, and nothing is set up. */
  final boolean disabled;

  /** The default resource with the configured attributes and service name (no Lambda yet). */
  final Resource resource;

  /** Whether spans are exported over OTLP/HTTP ({@code otlp}). */
  final boolean exportOtlp;

  /** Whether spans go to Lambda's X-Ray daemon over UDP ({@code xray}). */
  final boolean exportXray;

  /** Where the X-Ray daemon listens ({@code AWS_XRAY_DAEMON_ADDRESS}); null without {@code xray}. */
  final XrayUdpSpanExporter.DaemonAddress daemonAddress;

  /** Where spans go; null when they are not exported. */
  final URL endpoint;

  final Map<String, String> headers;
  final long timeoutMillis;
  final boolean gzip;
  final Sampler sampler;

  /** Whether failed invocations are exported even where the sampler drops them. */
  final boolean alwaysSampleErrors;
  final ContextPropagators propagators;
  final int maxQueueSize;
  final int maxExportBatchSize;

  /** The span limits ({@code OTEL_SPAN_*_LIMIT}, {@code OTEL_ATTRIBUTE_*_LIMIT}, ...). */
  final SpanLimits spanLimits;

  private BuiltInSettings(Properties properties, Map<String, String> environment) {
    this.properties = properties;
    this.environment = environment;
    disabled = "true".equalsIgnoreCase(get(SDK_DISABLED));
    boolean enabled = !disabled;
    String exporter = enabled ? readExporter() : NONE;
    exportOtlp = exporter.equals(OTLP);
    exportXray = exporter.equals(XRAY);
    if (exportOtlp) {
      checkProtocol();
    }
    daemonAddress = exportXray ? readDaemonAddress() : null;
    boolean exporting = exportOtlp || exportXray;
    endpoint = exportOtlp ? readEndpoint() : null;
    headers = exportOtlp ? readHeaders() : Map.of();
    timeoutMillis = exportOtlp ? readTimeout() : DEFAULT_TIMEOUT_MILLIS;
    gzip = exportOtlp && readGzip();
    resource = enabled ? readResource() : null;
    sampler = enabled ? readSampler() : null;
    alwaysSampleErrors = exporting && FailedInvocations.enabled(get(ALWAYS_SAMPLE_ERRORS));
    propagators = enabled ? readPropagators() : null;
    maxQueueSize = exporting ? positive(MAX_QUEUE_SIZE, DEFAULT_MAX_QUEUE_SIZE) : 0;
    maxExportBatchSize =
        exporting
            ? Math.min(maxQueueSize, positive(MAX_EXPORT_BATCH_SIZE, DEFAULT_MAX_EXPORT_BATCH_SIZE))
            : 0;
    spanLimits = enabled ? readSpanLimits() : null;
  }

  /**
   * The settings in {@code properties} (winning) and {@code environment}.
   *
   * @throws IllegalArgumentException for a setting the built-in setup cannot honour
   */
  static BuiltInSettings read(Properties properties, Map<String, String> environment) {
    return new BuiltInSettings(properties, environment);
  }

  /** The environment variable of a property: {@code otel.a.b} is {@code OTEL_A_B}. */
  static String environmentName(String property) {
    char[] name = property.toCharArray();
    for (int i = 0; i < name.length; i++) {
      char c = name[i];
      if (c == '.' || c == '-') {
        name[i] = '_';
      } else if (c >= 'a' && c <= 'z') {
        name[i] = (char) (c - 'a' + 'A');
      }
    }
    return new String(name);
  }

  /** The trimmed value of {@code property}, or null when unset or blank. */
  private String get(String property) {
    String value = properties.getProperty(property);
    if (value == null || value.isBlank()) {
      value = environment.get(environmentName(property));
    }
    return value == null || value.isBlank() ? null : value.trim();
  }

  // ------------------------------------------------------------------------------ exporting

  /** {@value #OTLP}, {@value #XRAY} or {@value #NONE}. */
  private String readExporter() {
    String value = get(TRACES_EXPORTER);
    if (value == null) {
      return OTLP;
    }
    String chosen = NONE;
    for (String name : list(value)) {
      String exporter = name.toLowerCase(Locale.ROOT);
      if (exporter.equals(NONE)) {
        continue;
      }
      if (!exporter.equals(OTLP) && !exporter.equals(XRAY)) {
        throw new IllegalArgumentException(
            environmentName(TRACES_EXPORTER)
                + "="
                + value
                + ": Baton's built-in setup knows only the exporters otlp, xray and none; add"
                + " opentelemetry-sdk-extension-autoconfigure and the exporter to use other"
                + " exporters");
      }
      if (!chosen.equals(NONE) && !chosen.equals(exporter)) {
        throw new IllegalArgumentException(
            environmentName(TRACES_EXPORTER)
                + "="
                + value
                + ": Baton's built-in setup exports to one place, otlp or xray; add"
                + " opentelemetry-sdk-extension-autoconfigure to export to both");
      }
      chosen = exporter;
    }
    return chosen;
  }

  /**
   * {@code AWS_XRAY_DAEMON_ADDRESS}, which Lambda sets with active tracing; a malformed one is
   * reported once and the default ({@value XrayUdpSpanExporter.DaemonAddress#DEFAULT}) used.
   */
  private XrayUdpSpanExporter.DaemonAddress readDaemonAddress() {
    String value = environment.get(DAEMON_ADDRESS);
    try {
      return XrayUdpSpanExporter.DaemonAddress.parse(value);
    } catch (IllegalArgumentException malformed) {
      Failures.reportInput(
          "a bad " + DAEMON_ADDRESS,
          malformed.getMessage() + "; using " + XrayUdpSpanExporter.DaemonAddress.DEFAULT);
      return XrayUdpSpanExporter.DaemonAddress.parse(null);
    }
  }

  private void checkProtocol() {
    String property = TRACES_PROTOCOL;
    String value = get(property);
    if (value == null) {
      property = PROTOCOL;
      value = get(property);
    }
    if (value != null && !value.equalsIgnoreCase(HTTP_PROTOBUF)) {
      throw new IllegalArgumentException(
          environmentName(property)
              + "="
              + value
              + ": Baton's built-in exporter sends OTLP over http/protobuf only; use http/protobuf"
              + " (port 4318), or add opentelemetry-sdk-extension-autoconfigure and"
              + " opentelemetry-exporter-otlp to use "
              + value);
    }
  }

  private URL readEndpoint() {
    String traces = get(TRACES_ENDPOINT);
    if (traces != null) {
      return url(TRACES_ENDPOINT, traces, false);
    }
    String base = get(ENDPOINT);
    if (base != null) {
      return url(ENDPOINT, base, true);
    }
    return url(TRACES_ENDPOINT, DEFAULT_ENDPOINT, false);
  }

  /**
   * {@code value} as an http(s) URL; with {@code signalPath}, {@code v1/traces} appended to its
   * path (and its query left out), as OpenTelemetry does with {@code OTEL_EXPORTER_OTLP_ENDPOINT}.
   */
  private static URL url(String property, String value, boolean signalPath) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme();
      if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
          || uri.getHost() == null) {
        throw new URISyntaxException(value, "not an http or https URL with a host");
      }
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      if (signalPath) {
        uri =
            new URI(
                scheme
                    + "://"
                    + uri.getRawAuthority()
                    + path
                    + (path.endsWith("/") ? "" : "/")
                    + SIGNAL_PATH);
      } else if (path.isEmpty()) {
        String query = uri.getRawQuery();
        uri =
            new URI(
                scheme + "://" + uri.getRawAuthority() + "/" + (query == null ? "" : "?" + query));
      }
      return uri.toURL();
    } catch (URISyntaxException | MalformedURLException | IllegalArgumentException bad) {
      throw new IllegalArgumentException(
          environmentName(property)
              + "="
              + value
              + " is not a valid http(s) URL: "
              + bad.getMessage(),
          bad);
    }
  }

  private Map<String, String> readHeaders() {
    Map<String, String> headers = new LinkedHashMap<>();
    String general = get(HEADERS);
    if (general != null) {
      keyValues(HEADERS, general, headers, true);
    }
    String traces = get(TRACES_HEADERS);
    if (traces != null) {
      keyValues(TRACES_HEADERS, traces, headers, true);
    }
    return headers;
  }

  private long readTimeout() {
    String property = TRACES_TIMEOUT;
    String value = get(property);
    if (value == null) {
      property = TIMEOUT;
      value = get(property);
    }
    if (value == null) {
      return DEFAULT_TIMEOUT_MILLIS;
    }
    long millis = durationMillis(value);
    if (millis > 0) {
      return millis;
    }
    Failures.reportInput(
        "a bad " + environmentName(property),
        "'"
            + value
            + "' is not a positive number of milliseconds; using "
            + DEFAULT_TIMEOUT_MILLIS
            + " ms");
    return DEFAULT_TIMEOUT_MILLIS;
  }

  /** Milliseconds, or with a unit as OpenTelemetry allows ({@code ms s m h d}); -1 when bad. */
  static long durationMillis(String value) {
    int digits = 0;
    while (digits < value.length() && value.charAt(digits) >= '0' && value.charAt(digits) <= '9') {
      digits++;
    }
    if (digits == 0 || digits > 9) {
      return -1;
    }
    long number = Long.parseLong(value.substring(0, digits));
    switch (value.substring(digits).trim().toLowerCase(Locale.ROOT)) {
      case "":
      case "ms":
        return number;
      case "s":
        return number * 1_000;
      case "m":
        return number * 60_000;
      case "h":
        return number * 3_600_000;
      case "d":
        return number * 86_400_000;
      default:
        return -1;
    }
  }

  private boolean readGzip() {
    String property = TRACES_COMPRESSION;
    String value = get(property);
    if (value == null) {
      property = COMPRESSION;
      value = get(property);
    }
    if (value == null || value.equalsIgnoreCase("none")) {
      return false;
    }
    if (value.equalsIgnoreCase("gzip")) {
      return true;
    }
    Failures.reportInput(
        "a bad " + environmentName(property),
        "'" + value + "' is neither gzip nor none; using none");
    return false;
  }

  private int positive(String property, int defaultValue) {
    String value = get(property);
    if (value == null) {
      return defaultValue;
    }
    try {
      int number = Integer.parseInt(value);
      if (number > 0) {
        return number;
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    Failures.reportInput(
        "a bad " + environmentName(property),
        "'" + value + "' is not a positive whole number; using " + defaultValue);
    return defaultValue;
  }

  // ------------------------------------------------------------------------------ limits

  /**
   * The span limits, read as autoconfigure reads them: the general {@code OTEL_ATTRIBUTE_*}
   * limits first, then the span ones, which win; {@code OTEL_ATTRIBUTE_COUNT_LIMIT} also limits
   * the attributes of each event and link, and {@code OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT} and
   * {@code OTEL_LINK_ATTRIBUTE_COUNT_LIMIT} (in the specification, not read by autoconfigure)
   * win over it. Unset, the SDK's defaults (128 of each, values unlimited).
   */
  private SpanLimits readSpanLimits() {
    SpanLimitsBuilder limits = SpanLimits.builder();
    Integer valueLength = limit(ATTRIBUTE_VALUE_LENGTH_LIMIT);
    Integer spanValueLength = limit(SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT);
    if (spanValueLength != null) {
      limits.setMaxAttributeValueLength(spanValueLength);
    } else if (valueLength != null) {
      limits.setMaxAttributeValueLength(valueLength);
    }
    Integer count = limit(ATTRIBUTE_COUNT_LIMIT);
    if (count != null) {
      limits.setMaxNumberOfAttributes(count);
      limits.setMaxNumberOfAttributesPerEvent(count);
      limits.setMaxNumberOfAttributesPerLink(count);
    }
    Integer spanCount = limit(SPAN_ATTRIBUTE_COUNT_LIMIT);
    if (spanCount != null) {
      limits.setMaxNumberOfAttributes(spanCount);
    }
    Integer events = limit(SPAN_EVENT_COUNT_LIMIT);
    if (events != null) {
      limits.setMaxNumberOfEvents(events);
    }
    Integer links = limit(SPAN_LINK_COUNT_LIMIT);
    if (links != null) {
      limits.setMaxNumberOfLinks(links);
    }
    Integer perEvent = limit(EVENT_ATTRIBUTE_COUNT_LIMIT);
    if (perEvent != null) {
      limits.setMaxNumberOfAttributesPerEvent(perEvent);
    }
    Integer perLink = limit(LINK_ATTRIBUTE_COUNT_LIMIT);
    if (perLink != null) {
      limits.setMaxNumberOfAttributesPerLink(perLink);
    }
    return limits.build();
  }

  /** A limit of 0 or more, or null when unset; a bad value is reported and left unset. */
  private Integer limit(String property) {
    String value = get(property);
    if (value == null) {
      return null;
    }
    try {
      int number = Integer.parseInt(value);
      if (number >= 0) {
        return number;
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    Failures.reportInput(
        "a bad " + environmentName(property),
        "'" + value + "' is not a whole number of 0 or more; using the SDK's default");
    return null;
  }

  // ------------------------------------------------------------------------------ resource

  private Resource readResource() {
    AttributesBuilder attributes = Attributes.builder();
    String configured = get(RESOURCE_ATTRIBUTES);
    if (configured != null) {
      Map<String, String> pairs = new LinkedHashMap<>();
      keyValues(RESOURCE_ATTRIBUTES, configured, pairs, false);
      for (Map.Entry<String, String> pair : pairs.entrySet()) {
        attributes.put(pair.getKey(), pair.getValue());
      }
    }
    String service = get(SERVICE_NAME);
    if (service != null) {
      attributes.put(SERVICE_NAME_KEY, service);
    }
    return Resource.getDefault().merge(Resource.create(attributes.build()));
  }

  // ------------------------------------------------------------------------------ sampling

  private Sampler readSampler() {
    String value = get(SAMPLER);
    if (value == null) {
      return Sampler.parentBased(Sampler.alwaysOn());
    }
    switch (value.toLowerCase(Locale.ROOT)) {
      case "always_on":
        return Sampler.alwaysOn();
      case "always_off":
        return Sampler.alwaysOff();
      case "traceidratio":
        return Sampler.traceIdRatioBased(ratio());
      case "parentbased_always_on":
        return Sampler.parentBased(Sampler.alwaysOn());
      case "parentbased_always_off":
        return Sampler.parentBased(Sampler.alwaysOff());
      case "parentbased_traceidratio":
        return Sampler.parentBased(Sampler.traceIdRatioBased(ratio()));
      default:
        Failures.reportInput(
            "an unsupported " + environmentName(SAMPLER),
            "'"
                + value
                + "': built in are always_on, always_off, traceidratio, parentbased_always_on,"
                + " parentbased_always_off and parentbased_traceidratio; using"
                + " parentbased_always_on (add opentelemetry-sdk-extension-autoconfigure for"
                + " other samplers)");
        return Sampler.parentBased(Sampler.alwaysOn());
    }
  }

  private double ratio() {
    String value = get(SAMPLER_ARG);
    if (value == null) {
      return 1.0;
    }
    try {
      double ratio = Double.parseDouble(value);
      if (ratio >= 0 && ratio <= 1) {
        return ratio;
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    Failures.reportInput(
        "a bad " + environmentName(SAMPLER_ARG),
        "'" + value + "' is not a ratio between 0 and 1; using 1.0");
    return 1.0;
  }

  // ------------------------------------------------------------------------------ propagation

  private ContextPropagators readPropagators() {
    String value = get(PROPAGATORS);
    List<TextMapPropagator> propagators = new ArrayList<>(3);
    for (String name : list(value == null ? DEFAULT_PROPAGATORS : value)) {
      TextMapPropagator propagator;
      switch (name.toLowerCase(Locale.ROOT)) {
        case "tracecontext":
          propagator = W3CTraceContextPropagator.getInstance();
          break;
        case "baggage":
          propagator = W3CBaggagePropagator.getInstance();
          break;
        case "xray":
          propagator = AwsXrayPropagator.getInstance();
          break;
        case "xray-lambda":
          propagator = AwsXrayLambdaPropagator.getInstance();
          break;
        case "none":
          continue;
        default:
          Failures.reportInput(
              "an unsupported propagator in " + environmentName(PROPAGATORS),
              "'"
                  + name
                  + "': built in are tracecontext, baggage, xray, xray-lambda and none (add"
                  + " opentelemetry-sdk-extension-autoconfigure and the propagator's module for"
                  + " others)");
          continue;
      }
      if (!propagators.contains(propagator)) {
        propagators.add(propagator);
      }
    }
    if (propagators.isEmpty()) {
      return ContextPropagators.noop();
    }
    return ContextPropagators.create(
        propagators.size() == 1 ? propagators.get(0) : TextMapPropagator.composite(propagators));
  }

  // ------------------------------------------------------------------------------ parsing

  /** The trimmed, non-blank entries of a comma-separated list. */
  static List<String> list(String value) {
    List<String> entries = new ArrayList<>(4);
    int start = 0;
    while (start <= value.length()) {
      int comma = value.indexOf(',', start);
      int end = comma < 0 ? value.length() : comma;
      String entry = value.substring(start, end).trim();
      if (!entry.isEmpty()) {
        entries.add(entry);
      }
      start = end + 1;
    }
    return entries;
  }

  /**
   * Adds the {@code key=value} entries of a comma-separated list to {@code into}, values
   * percent-decoded (a later key wins); entries without a key or '=' are reported and skipped.
   *
   * @param secret whether to leave the entry itself out of the report (headers carry credentials)
   */
  private static void keyValues(
      String property, String value, Map<String, String> into, boolean secret) {
    for (String entry : list(value)) {
      int equals = entry.indexOf('=');
      String key = equals < 0 ? "" : entry.substring(0, equals).trim();
      if (key.isEmpty()) {
        Failures.reportInput(
            "a bad entry in " + environmentName(property),
            (secret ? "an entry" : "'" + entry + "'") + " is not key=value");
        continue;
      }
      into.put(key, percentDecoded(entry.substring(equals + 1).trim()));
    }
  }

  /**
   * {@code value} with its {@code %XX} sequences decoded as UTF-8 (the W3C baggage encoding of
   * OpenTelemetry's settings): '+' stays '+', and an invalid sequence stays as it is.
   */
  static String percentDecoded(String value) {
    if (value.indexOf('%') < 0) {
      return value;
    }
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    byte[] decoded = new byte[utf8.length];
    int length = 0;
    for (int i = 0; i < utf8.length; i++) {
      if (utf8[i] == '%' && i + 2 < utf8.length) {
        int high = Character.digit(utf8[i + 1], 16);
        int low = Character.digit(utf8[i + 2], 16);
        if (high >= 0 && low >= 0) {
          decoded[length++] = (byte) (high << 4 | low);
          i += 2;
          continue;
        }
      }
      decoded[length++] = utf8[i];
    }
    return new String(decoded, 0, length, StandardCharsets.UTF_8);
  }
}
