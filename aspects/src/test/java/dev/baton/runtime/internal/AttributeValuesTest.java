package dev.baton.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AttributeValuesTest {

  @Test
  void nullsConvertToNoValue() {
    assertThat(AttributeValues.toLong(null)).isNull();
    assertThat(AttributeValues.toDouble(null)).isNull();
    assertThat(AttributeValues.toString((Character) null)).isNull();
    assertThat(AttributeValues.name(null)).isNull();
    assertThat(AttributeValues.longs((int[]) null)).isNull();
    assertThat(AttributeValues.strings((List<String>) null)).isNull();
  }

  @Test
  void arraysAndListsBecomeFreshListsWithoutNullElements() {
    List<String> tags = new ArrayList<>(Arrays.asList("a", null, "b"));
    List<String> converted = AttributeValues.strings(tags);
    tags.add("c");

    assertThat(converted).containsExactly("a", "b");
    assertThat(AttributeValues.longs(new byte[] {-1, 2})).containsExactly(-1L, 2L);
    assertThat(AttributeValues.longs(new Integer[] {1, null, 3})).containsExactly(1L, 3L);
    assertThat(AttributeValues.doubles(new float[] {0.5f})).containsExactly(0.5d);
    assertThat(AttributeValues.doubles(List.of(1, 2.5))).containsExactly(1d, 2.5d);
    assertThat(AttributeValues.booleans(new boolean[] {true})).containsExactly(true);
    assertThat(AttributeValues.strings(new char[] {'x'})).containsExactly("x");
    assertThat(AttributeValues.strings(new Character[] {'y', null})).containsExactly("y");
    assertThat(AttributeValues.names(new TimeUnit[] {TimeUnit.SECONDS})).containsExactly("SECONDS");
    assertThat(AttributeValues.names(Arrays.asList(TimeUnit.DAYS, null))).containsExactly("DAYS");
    assertThat(AttributeValues.characters(List.of('z'))).containsExactly("z");
  }
}
