package dev.baton.runtime.internal.export;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads protobuf fields, just enough for tests to look into OTLP requests without the generated
 * protobuf classes: the fields of a message in order, each with its number, its raw encoding, and
 * its value (the payload of a length-delimited field, the number of the others).
 */
public final class ProtoFields {

  /** One field: its number, its encoding as a whole, and its value. */
  public record Field(int number, int wireType, byte[] raw, byte[] payload, long value) {

    public String string() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    public List<Field> fields() {
      return ProtoFields.of(payload);
    }
  }

  private ProtoFields() {}

  /** The fields of {@code message}, in order. */
  public static List<Field> of(byte[] message) {
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

  /** The fields numbered {@code number}. */
  public static List<Field> all(List<Field> fields, int number) {
    List<Field> matching = new ArrayList<>();
    for (Field field : fields) {
      if (field.number() == number) {
        matching.add(field);
      }
    }
    return matching;
  }

  /** The only field numbered {@code number}. */
  public static Field one(List<Field> fields, int number) {
    List<Field> matching = all(fields, number);
    if (matching.size() != 1) {
      throw new AssertionError(matching.size() + " fields numbered " + number + " in " + fields);
    }
    return matching.get(0);
  }

  /** The string-valued attributes (repeated KeyValue) numbered {@code number}, as a map. */
  public static Map<String, String> stringAttributes(List<Field> fields, int number) {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (Field keyValue : all(fields, number)) {
      List<Field> parts = keyValue.fields();
      List<Field> value = one(parts, 2).fields();
      if (!all(value, 1).isEmpty()) {
        attributes.put(one(parts, 1).string(), one(value, 1).string());
      }
    }
    return attributes;
  }

  /**
   * {@code request} (an ExportTraceServiceRequest) with its ResourceSpans, and the ScopeSpans in
   * each, sorted by their bytes: equal for two requests that differ only in the order of groups.
   */
  public static byte[] groupsSorted(byte[] request) {
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
