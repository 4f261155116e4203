package dev.baton.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runtime's binary contract with woven user classes (see {@code package-info}): the public
 * members of {@link #CONTRACT} are what the generated aspects and the library aspects of {@code
 * dev.baton.aspects}, inlined into users' classes, call. A change to them breaks every class woven
 * by an earlier Baton of the same minor version, so it must be deliberate: this test lists them
 * against {@code woven-contract.txt}, and checks that the library aspects call nothing else.
 */
class WovenContractTest {

  /** The classes woven code may call, and only their public members. */
  static final List<Class<?>> CONTRACT =
      List.of(
          TracedMethods.class,
          AttributeValues.class,
          Failures.class,
          GlobalRegistrations.class,
          dev.baton.runtime.internal.lambda.LambdaInvocation.class,
          dev.baton.runtime.internal.lambda.LambdaExtension.class,
          dev.baton.runtime.internal.lambda.MessageSpans.class,
          dev.baton.runtime.internal.lambda.SdkMessageSpans.class,
          dev.baton.runtime.internal.sdk.BuiltInTelemetry.class,
          dev.baton.runtime.internal.sdk.AutoConfiguredTelemetry.class,
          dev.baton.runtime.internal.sdk.SdkRegistrations.class,
          dev.baton.runtime.internal.logs.Slf4jTraceIds.class,
          dev.baton.runtime.internal.logs.Log4jTraceIds.class,
          dev.baton.runtime.internal.aws.AwsCalls.class,
          dev.baton.runtime.internal.aws.SqsMessaging.class,
          dev.baton.runtime.internal.aws.SnsMessaging.class,
          dev.baton.runtime.internal.aws.LambdaInvokes.class,
          dev.baton.runtime.internal.aws.EventBridgeEvents.class,
          dev.baton.runtime.internal.aws.StepFunctionsExecutions.class,
          dev.baton.runtime.internal.http.ApacheHttpCalls.class,
          dev.baton.runtime.internal.http.JdkHttpCalls.class,
          dev.baton.runtime.internal.http.OkHttpTracing.class);

  private static final Path LIST = Path.of("src/test/resources/woven-contract.txt");

  private static final String HEADER =
      "# The runtime's binary contract with woven user classes: the public members of the classes\n"
          + "# that generated and library aspects call (WovenContractTest.CONTRACT). Classes woven by\n"
          + "# an earlier Baton of the same minor version call them: keep them binary compatible.\n"
          + "# Written by: ./mvnw -pl aspects test -Dtest=WovenContractTest -Dbaton.updateWovenContract=true\n";

  @Test
  void theContractIsWhatItsListSays() throws IOException {
    if (Boolean.getBoolean("baton.updateWovenContract")) {
      // ./mvnw -pl aspects test -Dtest=WovenContractTest -Dbaton.updateWovenContract=true
      Files.writeString(LIST, HEADER + String.join("\n", members()) + "\n");
    }
    List<String> listed =
        Files.readAllLines(LIST).stream()
            .filter(line -> !line.isBlank() && !line.startsWith("#"))
            .toList();
    assertThat(members())
        .as("the public members of the classes woven code calls changed: classes woven by an"
            + " earlier Baton of this minor version call them. Keep the old ones (deprecated) and"
            + " add new ones beside them; then rewrite " + LIST + " (-Dbaton.updateWovenContract=true)")
        .containsExactlyElementsOf(listed);
  }

  @Test
  void theLibraryAspectsCallNothingElseOfTheRuntime() throws IOException {
    Set<String> contractClasses =
        CONTRACT.stream().map(type -> type.getName().replace('.', '/')).collect(Collectors.toSet());
    Set<String> outside = new TreeSet<>();
    Path aspects = Path.of("target/classes/dev/baton/aspects");
    List<Path> classFiles;
    try (Stream<Path> files = Files.list(aspects)) {
      classFiles = files.filter(file -> file.toString().endsWith(".class")).toList();
    }
    assertThat(classFiles).isNotEmpty();
    for (Path classFile : classFiles) {
      try (InputStream in = Files.newInputStream(classFile)) {
        for (String owner : referencedOwners(in)) {
          if (owner.startsWith("dev/baton/runtime/") && !contractClasses.contains(owner)) {
            outside.add(classFile.getFileName() + " calls " + owner);
          }
        }
      }
    }
    assertThat(outside).as("library aspects calling runtime classes outside the contract").isEmpty();
  }

  /** Every public member of the contract's classes, as {@code Class#name(descriptor)}, sorted. */
  static List<String> members() {
    TreeSet<String> members = new TreeSet<>();
    for (Class<?> type : CONTRACT) {
      for (Method method : type.getDeclaredMethods()) {
        if (Modifier.isPublic(method.getModifiers()) && !method.isSynthetic()) {
          members.add(
              type.getName()
                  + "#"
                  + method.getName()
                  + descriptor(method.getParameterTypes(), method.getReturnType()));
        }
      }
      for (Field field : type.getDeclaredFields()) {
        if (Modifier.isPublic(field.getModifiers()) && !field.isSynthetic()) {
          members.add(type.getName() + "#" + field.getName() + ":" + descriptor(field.getType()));
        }
      }
    }
    return new ArrayList<>(members);
  }

  private static String descriptor(Class<?>[] parameters, Class<?> returned) {
    StringBuilder out = new StringBuilder("(");
    for (Class<?> parameter : parameters) {
      out.append(descriptor(parameter));
    }
    return out.append(')').append(descriptor(returned)).toString();
  }

  private static String descriptor(Class<?> type) {
    if (type.isArray()) {
      return type.getName().replace('.', '/');
    }
    if (type.isPrimitive()) {
      return switch (type.getName()) {
        case "void" -> "V";
        case "boolean" -> "Z";
        case "byte" -> "B";
        case "char" -> "C";
        case "short" -> "S";
        case "int" -> "I";
        case "long" -> "J";
        case "float" -> "F";
        default -> "D";
      };
    }
    return "L" + type.getName().replace('.', '/') + ";";
  }

  /** The owners of every field and method a class file refers to (its constant pool). */
  private static Set<String> referencedOwners(InputStream classFile) throws IOException {
    DataInputStream in = new DataInputStream(classFile);
    in.readInt();
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    int[] classNames = new int[count];
    List<Integer> memberClasses = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 7, 8, 16, 19, 20 -> {
          int index = in.readUnsignedShort();
          if (tag == 7) {
            classNames[i] = index;
          }
        }
        case 9, 10, 11 -> {
          memberClasses.add(in.readUnsignedShort());
          in.readUnsignedShort();
        }
        case 3, 4 -> in.readInt();
        case 5, 6 -> {
          in.readLong();
          i++;
        }
        case 12, 17, 18 -> in.readInt();
        case 15 -> {
          in.readUnsignedByte();
          in.readUnsignedShort();
        }
        default -> throw new IOException("constant pool tag " + tag);
      }
    }
    Set<String> owners = new TreeSet<>();
    for (int classIndex : memberClasses) {
      owners.add(utf8[classNames[classIndex]]);
    }
    return owners;
  }
}
