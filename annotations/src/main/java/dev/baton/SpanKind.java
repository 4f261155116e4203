package dev.baton;

/**
 * The kind of span a {@link Traced} method creates; each constant maps to the OpenTelemetry
 * {@code SpanKind} of the same name.
 */
public enum SpanKind {
  /** An operation inside the application (the default). */
  INTERNAL,
  /** The server side of a synchronous remote call, such as an HTTP request being handled. */
  SERVER,
  /** The client side of a synchronous remote call. */
  CLIENT,
  /** The sending of a message that a consumer processes later. */
  PRODUCER,
  /** The processing of a message sent by a producer. */
  CONSUMER
}
