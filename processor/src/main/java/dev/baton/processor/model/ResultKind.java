package dev.baton.processor.model;

/** What a traced method returns, which decides when its span ends. */
public enum ResultKind {
  /** Nothing: the span ends when the method returns. */
  VOID,
  /** A value: the span ends when the method returns. */
  VALUE,
  /** A {@code CompletionStage}: the span ends when the stage completes. */
  COMPLETION_STAGE
}
