package com.acme.orders;

public class OrderRejected extends Exception {
  public OrderRejected(String message) {
    super(message);
  }
}
