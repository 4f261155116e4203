package com.acme.payments;

import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.sfn.SfnClient;

/** Plain code that knows nothing about tracing: an event on EventBridge, a state machine started. */
public class OrderEvents {

  private final EventBridgeClient events;
  private final SfnClient stepFunctions;

  public OrderEvents(EventBridgeClient events, SfnClient stepFunctions) {
    this.events = events;
    this.stepFunctions = stepFunctions;
  }

  public void paid(String orderId) {
    events.putEvents(put -> put.entries(PutEventsRequestEntry.builder()
        .source("payments").detailType("OrderPaid").detail("{\"orderId\":\"" + orderId + "\"}").build()));
  }

  public void fulfil(String stateMachineArn, String orderId) {
    stepFunctions.startExecution(start -> start.stateMachineArn(stateMachineArn).input("{\"orderId\":\"" + orderId + "\"}"));
  }
}
