package dev.baton.maven;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Removes what ajc leaves behind in its output but the woven code never uses, so that woven
 * code runs without the AspectJ runtime and never loads an aspect:
 *
 * <ul>
 *   <li>In a woven class, the trailing {@code AroundClosure} parameter of each inlined {@code
 *       ...$advice} method (only when the body never loads it and every call passes {@code null}
 *       for it); each {@code Aspect.aspectOf()} call whose result goes straight into an inlined
 *       advice method that never reads it, replaced by {@code null} (so the aspect is not loaded
 *       and its {@code NoAspectBoundException} cannot be thrown); AspectJ's private {@code
 *       org.aspectj.weaver.*} attributes; and the constant pool entries nothing uses any more.
 *   <li>In a generated aspect, every {@code ajc$around$...} method taking an {@code
 *       AroundClosure} (the fallback for advice ajc did not inline: a woven class that calls one
 *       refers to the closure itself, which fails the build anyway), AspectJ's annotations, and
 *       {@code NoAspectBoundException}, thrown as an {@code IllegalStateException} instead: the
 *       class refers to nothing in {@code org.aspectj}.
 * </ul>
 *
 * <p>Control flow is never changed, so the stack map frames stay valid with the closure's local
 * removed from them, and with {@code null} where an aspect instance was. If ajc did not inline an
 * advice, or an advice uses its aspect instance, the closure or the {@code aspectOf()} call stays
 * and the reflection scan reports it.
 */
final class WovenClassFinisher {

  static final String AROUND_CLOSURE = "org/aspectj/runtime/internal/AroundClosure";
  private static final String AROUND_CLOSURE_DESCRIPTOR = "L" + AROUND_CLOSURE + ";";
  private static final String NO_ASPECT_BOUND = "org/aspectj/lang/NoAspectBoundException";
  private static final String ILLEGAL_STATE = "java/lang/IllegalStateException";
  private static final String ASPECTJ_DESCRIPTOR_PREFIX = "Lorg/aspectj/";

  private WovenClassFinisher() {}

  /**
   * {@code wovenClass} without unused closure parameters, {@code aspectOf()} calls whose aspect
   * instance is never used, AspectJ attributes or dead constants.
   *
   * @param aspects the internal names ({@code com/acme/Foo_BatonAspect}) of the aspects woven:
   *     only their {@code aspectOf()} calls are replaced
   */
  static byte[] finishWovenClass(byte[] wovenClass, Set<String> aspects) {
    ClassNode type = read(wovenClass);
    Map<String, ClosureParameter> removable = new HashMap<>();
    for (MethodNode method : type.methods) {
      ClosureParameter closure = ClosureParameter.of(method);
      if (closure != null) {
        removable.put(method.name + method.desc, closure);
      }
    }
    keepThoseWithOtherCallers(type, removable);
    for (MethodNode method : type.methods) {
      for (AbstractInsnNode instruction : method.instructions.toArray()) {
        if (instruction instanceof MethodInsnNode call
            && call.owner.equals(type.name)
            && removable.containsKey(call.name + call.desc)) {
          method.instructions.remove(realPrevious(call));
          call.desc = removable.get(call.name + call.desc).newDescriptor();
        }
      }
    }
    for (MethodNode method : type.methods) {
      ClosureParameter closure = removable.get(method.name + method.desc);
      if (closure != null) {
        closure.removeFrom(method);
      }
    }
    replaceUnusedAspectInstances(type, aspects);
    stripAspectJAttributes(type);
    return write(type);
  }

  /**
   * {@code aspectClass} without its {@code ajc$around$...} closure methods, and without AspectJ's
   * attributes and annotations: the aspect is never woven from again, since the weave goal always
   * compiles it from its source. Only a woven class whose advice ajc did not inline calls a
   * closure method, and that class refers to {@code AroundClosure} itself, so the scan of woven
   * classes fails the build before anything is written. Its {@code aspectOf()} throws an {@code IllegalStateException}
   * (with the same message and cause) where ajc's throws AspectJ's {@code
   * NoAspectBoundException}, so that nothing in it needs the AspectJ runtime either.
   */
  static byte[] finishAspect(byte[] aspectClass) {
    ClassNode type = read(aspectClass);
    type.methods.removeIf(
        method ->
            method.name.startsWith("ajc$around$")
                && method.desc.contains(AROUND_CLOSURE_DESCRIPTOR));
    throwIllegalStateInsteadOfNoAspectBound(type);
    stripAspectJAnnotations(type);
    stripAspectJAttributes(type);
    return write(type);
  }

  /** Drops advice methods that are called anywhere without a plain {@code null} closure. */
  private static void keepThoseWithOtherCallers(
      ClassNode type, Map<String, ClosureParameter> removable) {
    for (MethodNode method : type.methods) {
      for (AbstractInsnNode instruction : method.instructions) {
        if (instruction instanceof MethodInsnNode call
            && call.owner.equals(type.name)
            && removable.containsKey(call.name + call.desc)) {
          AbstractInsnNode previous = realPrevious(call);
          if (previous == null || previous.getOpcode() != Opcodes.ACONST_NULL) {
            removable.remove(call.name + call.desc);
          }
        }
      }
    }
  }

  /**
   * Replaces with {@code aconst_null} each {@code aspectOf()} call of one of {@code aspects} whose
   * result is an argument of an inlined advice method of this class that never loads that
   * parameter: ajc passes every inlined advice its aspect instance, which Baton's advice, making
   * only static calls, never uses. A call whose instance is used stays (the scan reports it).
   */
  private static void replaceUnusedAspectInstances(ClassNode type, Set<String> aspects) {
    Map<String, MethodNode> inlinedAdvice = new HashMap<>();
    for (MethodNode method : type.methods) {
      if (method.name.endsWith("$advice") && (method.access & Opcodes.ACC_STATIC) != 0) {
        inlinedAdvice.put(method.name + method.desc, method);
      }
    }
    for (MethodNode method : type.methods) {
      for (AbstractInsnNode instruction : method.instructions.toArray()) {
        if (instruction instanceof MethodInsnNode call && isAspectOf(call, aspects)) {
          AspectArgument argument = AspectArgument.of(call, type.name);
          MethodNode advice = argument == null ? null : inlinedAdvice.get(argument.advice());
          if (advice != null && !argument.isUsedIn(advice)) {
            method.instructions.set(call, new InsnNode(Opcodes.ACONST_NULL));
          }
        }
      }
    }
  }

  private static boolean isAspectOf(MethodInsnNode call, Set<String> aspects) {
    return call.getOpcode() == Opcodes.INVOKESTATIC
        && call.name.equals("aspectOf")
        && call.desc.equals("()L" + call.owner + ";")
        && aspects.contains(call.owner);
  }

  /** {@code aspectOf()} of a generated aspect throws the JDK's exception instead of AspectJ's. */
  private static void throwIllegalStateInsteadOfNoAspectBound(ClassNode type) {
    for (MethodNode method : type.methods) {
      for (AbstractInsnNode instruction : method.instructions) {
        if (instruction instanceof TypeInsnNode typed && typed.desc.equals(NO_ASPECT_BOUND)) {
          typed.desc = ILLEGAL_STATE;
        } else if (instruction instanceof MethodInsnNode call
            && call.owner.equals(NO_ASPECT_BOUND)
            && call.name.equals("<init>")) {
          // (String, Throwable) and (): IllegalStateException has both constructors.
          call.owner = ILLEGAL_STATE;
        } else if (instruction instanceof FrameNode frame) {
          replaceIn(frame.local);
          replaceIn(frame.stack);
        }
      }
      for (TryCatchBlockNode handler : method.tryCatchBlocks) {
        if (NO_ASPECT_BOUND.equals(handler.type)) {
          handler.type = ILLEGAL_STATE;
        }
      }
    }
  }

  private static void replaceIn(List<Object> frameTypes) {
    if (frameTypes != null) {
      frameTypes.replaceAll(
          frameType -> NO_ASPECT_BOUND.equals(frameType) ? ILLEGAL_STATE : frameType);
    }
  }

  /** Removes {@code @Aspect}, {@code @SuppressAjWarnings} and the like: types nothing loads. */
  private static void stripAspectJAnnotations(ClassNode type) {
    removeAspectJ(type.visibleAnnotations);
    removeAspectJ(type.invisibleAnnotations);
    for (MethodNode method : type.methods) {
      removeAspectJ(method.visibleAnnotations);
      removeAspectJ(method.invisibleAnnotations);
    }
    for (FieldNode field : type.fields) {
      removeAspectJ(field.visibleAnnotations);
      removeAspectJ(field.invisibleAnnotations);
    }
  }

  private static void removeAspectJ(List<AnnotationNode> annotations) {
    if (annotations != null) {
      annotations.removeIf(annotation -> annotation.desc.startsWith(ASPECTJ_DESCRIPTOR_PREFIX));
    }
  }

  private static AbstractInsnNode realPrevious(AbstractInsnNode instruction) {
    AbstractInsnNode previous = instruction.getPrevious();
    while (previous != null && previous.getOpcode() < 0) {
      previous = previous.getPrevious();
    }
    return previous;
  }

  private static void stripAspectJAttributes(ClassNode type) {
    if (type.attrs != null) {
      type.attrs.removeIf(attribute -> attribute.type.startsWith("org.aspectj."));
    }
    for (MethodNode method : type.methods) {
      if (method.attrs != null) {
        method.attrs.removeIf(attribute -> attribute.type.startsWith("org.aspectj."));
      }
    }
    for (FieldNode field : type.fields) {
      if (field.attrs != null) {
        field.attrs.removeIf(attribute -> attribute.type.startsWith("org.aspectj."));
      }
    }
  }

  private static ClassNode read(byte[] classFile) {
    ClassNode type = new ClassNode();
    new ClassReader(classFile).accept(type, ClassReader.EXPAND_FRAMES);
    return type;
  }

  /** A fresh constant pool: entries only the removed code used are gone. */
  private static byte[] write(ClassNode type) {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    type.accept(writer);
    return writer.toByteArray();
  }

  /**
   * Where the result of an {@code aspectOf()} call goes: straight into a parameter of a static
   * {@code ...$advice} method of the same class. ajc pushes the advice's arguments in
   * order, the aspect instance among them, with plain loads and constants between it and the
   * call, e.g. {@code aload_0; aload_3; invokestatic aspectOf; aload_2; invokestatic
   * price_aroundBody1$advice}. Any other shape (a branch target, an instruction that consumes or
   * duplicates a value) is not recognised, and the call stays.
   *
   * @param advice the advice method's {@code name+descriptor}
   * @param slot the local variable slot of the parameter that receives the aspect instance
   */
  private record AspectArgument(String advice, int slot) {

    static AspectArgument of(MethodInsnNode aspectOf, String className) {
      int pushedAfter = 0;
      for (AbstractInsnNode next = aspectOf.getNext(); next != null; next = next.getNext()) {
        if (next instanceof FrameNode) {
          return null;
        } else if (next.getOpcode() < 0) {
          continue; // a label or line number
        } else if (pushesOneValue(next)) {
          pushedAfter++;
        } else if (next instanceof MethodInsnNode call
            && call.getOpcode() == Opcodes.INVOKESTATIC
            && call.owner.equals(className)
            && call.name.endsWith("$advice")) {
          Type[] parameters = Type.getArgumentTypes(call.desc);
          int index = parameters.length - 1 - pushedAfter;
          if (index < 0 || !parameters[index].getDescriptor().equals(aspectOf.desc.substring(2))) {
            return null;
          }
          int slot = 0;
          for (int i = 0; i < index; i++) {
            slot += parameters[i].getSize();
          }
          return new AspectArgument(call.name + call.desc, slot);
        } else {
          return null;
        }
      }
      return null;
    }

    /** Whether {@code advice} (static) reads or overwrites the parameter, or has no code. */
    boolean isUsedIn(MethodNode advice) {
      if (advice.instructions.size() == 0) {
        return true;
      }
      for (AbstractInsnNode instruction : advice.instructions) {
        if (instruction instanceof VarInsnNode variable && variable.var == slot
            || instruction instanceof IincInsnNode increment && increment.var == slot) {
          return true;
        }
      }
      return false;
    }

    private static boolean pushesOneValue(AbstractInsnNode instruction) {
      int opcode = instruction.getOpcode();
      return opcode >= Opcodes.ACONST_NULL && opcode <= Opcodes.LDC
          || opcode >= Opcodes.ILOAD && opcode <= Opcodes.ALOAD;
    }
  }

  /**
   * The trailing {@code AroundClosure} parameter of an inlined advice method, which the body never
   * uses: ajc only copies it into a local that is never read ({@code aload 6; astore 10}) while
   * preparing the arguments of the inlined {@code proceed}.
   *
   * @param slot its local variable slot
   * @param frameIndex its index in the locals of an expanded stack map frame
   * @param newDescriptor the method's descriptor without it
   * @param copies the instructions that copy it into dead locals
   * @param deadLocals those locals: stored, never loaded
   */
  private record ClosureParameter(
      int slot,
      int frameIndex,
      String newDescriptor,
      List<AbstractInsnNode> copies,
      Set<Integer> deadLocals) {

    static ClosureParameter of(MethodNode method) {
      if (!method.name.endsWith("$advice") || (method.access & Opcodes.ACC_STATIC) == 0) {
        return null;
      }
      Type[] parameters = Type.getArgumentTypes(method.desc);
      if (parameters.length == 0
          || !parameters[parameters.length - 1].getDescriptor().equals(AROUND_CLOSURE_DESCRIPTOR)) {
        return null;
      }
      int slot = 0;
      for (int i = 0; i < parameters.length - 1; i++) {
        slot += parameters[i].getSize();
      }
      Set<Integer> loaded = new HashSet<>();
      for (AbstractInsnNode instruction : method.instructions) {
        if (instruction instanceof VarInsnNode variable && isLoad(variable.getOpcode())) {
          loaded.add(variable.var);
        } else if (instruction instanceof IincInsnNode increment) {
          loaded.add(increment.var);
        }
      }
      List<AbstractInsnNode> copies = new ArrayList<>();
      Set<Integer> deadLocals = new HashSet<>();
      for (AbstractInsnNode instruction : method.instructions) {
        if (instruction instanceof VarInsnNode variable && variable.var == slot) {
          AbstractInsnNode next = realNext(variable);
          if (variable.getOpcode() != Opcodes.ALOAD
              || !(next instanceof VarInsnNode store)
              || store.getOpcode() != Opcodes.ASTORE
              || store.var == slot
              || loaded.contains(store.var)) {
            return null;
          }
          copies.add(variable);
          copies.add(store);
          deadLocals.add(store.var);
        } else if (instruction instanceof IincInsnNode increment && increment.var == slot) {
          return null;
        }
      }
      Type[] kept = Arrays.copyOf(parameters, parameters.length - 1);
      return new ClosureParameter(
          slot,
          parameters.length - 1,
          Type.getMethodDescriptor(Type.getReturnType(method.desc), kept),
          copies,
          deadLocals);
    }

    void removeFrom(MethodNode method) {
      method.desc = newDescriptor;
      copies.forEach(method.instructions::remove);
      for (AbstractInsnNode instruction : method.instructions) {
        if (instruction instanceof FrameNode frame && frame.local != null) {
          forgetDeadLocals(frame.local);
          if (frame.local.size() > frameIndex) {
            frame.local.remove(frameIndex);
          }
          // Unset locals at the end say nothing, and the dead locals made unset may lie past the
          // locals the method now needs (the class writer computes max_locals from the code
          // alone): a frame with more locals than max_locals fails verification.
          while (!frame.local.isEmpty() && frame.local.get(frame.local.size() - 1) == Opcodes.TOP) {
            frame.local.remove(frame.local.size() - 1);
          }
        }
      }
      for (AbstractInsnNode instruction : method.instructions) {
        if (instruction instanceof VarInsnNode variable && variable.var > slot) {
          variable.var--;
        } else if (instruction instanceof IincInsnNode increment && increment.var > slot) {
          increment.var--;
        }
      }
      if (method.localVariables != null) {
        method.localVariables.removeIf(
            variable -> variable.index == slot || deadLocals.contains(variable.index));
        for (LocalVariableNode variable : method.localVariables) {
          if (variable.index > slot) {
            variable.index--;
          }
        }
      }
      if (method.parameters != null && method.parameters.size() > frameIndex) {
        method.parameters.remove(frameIndex);
      }
      if (method.invisibleParameterAnnotations != null
          && method.invisibleParameterAnnotations.length > frameIndex) {
        method.invisibleParameterAnnotations =
            Arrays.copyOf(method.invisibleParameterAnnotations, frameIndex);
      }
      if (method.visibleParameterAnnotations != null
          && method.visibleParameterAnnotations.length > frameIndex) {
        method.visibleParameterAnnotations =
            Arrays.copyOf(method.visibleParameterAnnotations, frameIndex);
      }
      method.maxLocals--;
    }

    /** Marks the dead locals unset ({@code TOP}) in an expanded frame's locals. */
    private void forgetDeadLocals(List<Object> locals) {
      int localSlot = 0;
      for (int i = 0; i < locals.size(); i++) {
        Object type = locals.get(i);
        if (deadLocals.contains(localSlot)) {
          locals.set(i, Opcodes.TOP);
        }
        localSlot += type == Opcodes.LONG || type == Opcodes.DOUBLE ? 2 : 1;
      }
    }

    private static boolean isLoad(int opcode) {
      return opcode >= Opcodes.ILOAD && opcode <= Opcodes.ALOAD || opcode == Opcodes.RET;
    }

    private static AbstractInsnNode realNext(AbstractInsnNode instruction) {
      AbstractInsnNode next = instruction.getNext();
      while (next != null && next.getOpcode() < 0) {
        next = next.getNext();
      }
      return next;
    }
  }
}
