package dev.baton.runtime.internal.export;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads protobuf fields, just enough for {@link OtlpSpanEncoderTest} to compare the encoder's
 * bytes with OpenTelemetry's marshaler's where the two may only order groups differently: the
 * fields of a message in order, each with its number, its raw encoding, and its value (the payload
 * of a length-delimited field, the number of the others). What a request says about its spans is
 * read with {@code dev.baton.testing.OtlpSpans}, as {@code SpanData}.
 */
final class ProtoFields {

  /** One field: its number, its encoding as a whole, and its value. */
  record Field(int number, int wireType, byte[] raw, byte[] payload, long value) {

    List<Field> fields() {
      return ProtoFields.of(payload);
    }
  }

  private ProtoFields() {}

  /** The fields of {@code message}, in order. */
  static List<Field> of(byte[] message) {
    List<Field> fields = new ArrayList<>();
    int[] at = {0};
    while (at[0] < message.length) {
      int start = at[0];
      long tag = varint(message, at);
      int wireType = (int) (tag & 7);
      byte[] payload = new byte[0];
      long value = 0;
      switch (wireType) {
        case 0 -> value = varint(message, at);
        case 1 -> {
          value = littleEndian(message, at[0], 8);
          at[0] += 8;
        }
        case 5 -> {
          value = littleEndian(message, at[0], 4);
          at[0] += 4;
        }
        case 2 -> {
          int length = (int) varint(message, at);
          payload = Arrays.copyOfRange(message, at[0], at[0] + length);
          at[0] += length;
        }
        default -> throw new IllegalArgumentException("wire type " + wireType + " at " + start);
      }
      fields.add(
          new Field(
              (int) (tag >>> 3),
              wireType,
              Arrays.copyOfRange(message, start, at[0]),
              payload,
              value));
    }
    return fields;
  }

  /**
   * {@code request} (an ExportTraceServiceRequest) with its ResourceSpans, and the ScopeSpans in
   * each, sorted by their bytes: equal for two requests that differ only in the order of groups.
   */
  static byte[] groupsSorted(byte[] request) {
    List<byte[]> resourceSpans = new ArrayList<>();
    for (Field field : of(request)) {
      ByteArrayOutputStream sorted = new ByteArrayOutputStream();
      List<Field> parts = field.fields();
      List<byte[]> scopeSpans = new ArrayList<>();
      for (Field part : parts) {
        if (part.number() == 2) {
          scopeSpans.add(part.raw());
        }
      }
      scopeSpans.sort(Arrays::compare);
      for (Field part : parts) {
        if (part.number() == 1) {
          sorted.writeBytes(part.raw());
        }
      }
      scopeSpans.forEach(sorted::writeBytes);
      for (Field part : parts) {
        if (part.number() > 2) {
          sorted.writeBytes(part.raw());
        }
      }
      ByteArrayOutputStream whole = new ByteArrayOutputStream();
      whole.write(field.raw(), 0, field.raw().length - field.payload().length);
      whole.writeBytes(sorted.toByteArray());
      resourceSpans.add(whole.toByteArray());
    }
    resourceSpans.sort(Arrays::compare);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    resourceSpans.forEach(out::writeBytes);
    return out.toByteArray();
  }

  private static long varint(byte[] bytes, int[] at) {
    long value = 0;
    for (int shift = 0; ; shift += 7) {
      byte b = bytes[at[0]++];
      value |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return value;
      }
    }
  }

  private static long littleEndian(byte[] bytes, int from, int count) {
    long value = 0;
    for (int i = count - 1; i >= 0; i--) {
      value = value << 8 | (bytes[from + i] & 0xFF);
    }
    return value;
  }
}
