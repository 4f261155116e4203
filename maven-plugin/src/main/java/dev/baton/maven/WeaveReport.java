package dev.baton.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.objectweb.asm.Type;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Every join point a weave wove: the {@code @Traced} methods, with their span from the
 * processor's metadata, and the call sites that library aspects advised. Written as {@code
 * weave-report.json} for tools and {@code weave-report.html} for people.
 *
 * @param methods the woven {@code @Traced} methods, by class and line
 * @param callSites join points advised by library aspects (from {@code baton-aspects})
 */
record WeaveReport(List<WovenMethod> methods, List<JoinPoint> callSites) {

  static final String JSON_FILE = "weave-report.json";
  static final String HTML_FILE = "weave-report.html";

  /**
   * One woven {@code @Traced} method.
   *
   * @param className binary name of its class
   * @param signature {@code price(int, String)}
   * @param sourceFile {@code com/acme/OrderService.java}
   * @param line the line of its body's first statement
   * @param spanName the span it creates
   * @param kind the span kind
   * @param attributes the span attributes it sets from parameters
   * @param aspect the generated aspect that wove it
   */
  record WovenMethod(
      String className,
      String signature,
      String sourceFile,
      int line,
      String spanName,
      String kind,
      List<TracedMethodMetadata.Attribute> attributes,
      String aspect) {

    /** {@code com/acme/OrderService.java:13}. */
    String location() {
      return JoinPoint.location(sourceFile, line);
    }
  }

  static WeaveReport of(List<GeneratedAspect> aspects, List<JoinPoint> joinPoints) {
    Map<String, GeneratedAspect> byName = new HashMap<>();
    aspects.forEach(aspect -> byName.put(aspect.aspect(), aspect));
    List<WovenMethod> methods = new ArrayList<>();
    List<JoinPoint> callSites = new ArrayList<>();
    for (JoinPoint joinPoint : joinPoints) {
      GeneratedAspect aspect = byName.get(joinPoint.aspect());
      if (aspect == null) {
        callSites.add(joinPoint);
      } else {
        methods.add(wovenMethod(joinPoint, aspect));
      }
    }
    return new WeaveReport(List.copyOf(methods), List.copyOf(callSites));
  }

  WeaveState.Summary summary() {
    Set<String> classes = new HashSet<>();
    methods.forEach(method -> classes.add(method.className()));
    return new WeaveState.Summary(methods.size(), classes.size(), callSites.size());
  }

  void write(Path directory) throws IOException {
    Files.createDirectories(directory);
    Files.writeString(directory.resolve(JSON_FILE), ReportWriter.json(this), StandardCharsets.UTF_8);
    Files.writeString(directory.resolve(HTML_FILE), ReportWriter.html(this), StandardCharsets.UTF_8);
  }

  private static WovenMethod wovenMethod(JoinPoint joinPoint, GeneratedAspect aspect) {
    String key = methodKey(joinPoint.signature());
    for (TracedMethodMetadata method : aspect.methods()) {
      if (key.equals(methodKey(method.name(), method.descriptor()))) {
        return new WovenMethod(
            joinPoint.type(),
            method.signature(),
            joinPoint.sourceFile(),
            joinPoint.line(),
            method.spanName(),
            method.kind(),
            method.attributes(),
            aspect.aspect());
      }
    }
    return new WovenMethod(
        joinPoint.type(),
        key,
        joinPoint.sourceFile(),
        joinPoint.line(),
        "",
        "",
        List.of(),
        aspect.aspect());
  }

  /** {@code price(int,java.lang.String)} from {@code int com.acme.OrderService.price(int, java.lang.String)}. */
  private static String methodKey(String joinPointSignature) {
    int open = joinPointSignature.indexOf('(');
    String head = joinPointSignature.substring(0, open);
    String name = head.substring(head.lastIndexOf('.') + 1);
    return normalized(name + joinPointSignature.substring(open));
  }

  private static String methodKey(String name, String descriptor) {
    if (descriptor.isEmpty()) {
      return name + "(?)";
    }
    return normalized(
        name
            + Arrays.stream(Type.getArgumentTypes(descriptor))
                .map(Type::getClassName)
                .collect(Collectors.joining(",", "(", ")")));
  }

  private static String normalized(String signature) {
    return signature.replace(" ", "").replace('$', '.');
  }
}
