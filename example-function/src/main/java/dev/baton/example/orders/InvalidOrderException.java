package dev.baton.example.orders;

/** A request or message that does not hold a valid order; the message says what is wrong. */
public final class InvalidOrderException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public InvalidOrderException(String message) {
    super(message);
  }

  public InvalidOrderException(String message, Throwable cause) {
    super(message, cause);
  }
}
