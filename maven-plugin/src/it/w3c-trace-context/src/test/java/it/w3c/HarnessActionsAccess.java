package it.w3c;

import java.util.ArrayList;
import java.util.List;

/** The function's {@link HarnessActions}, for the reference service in the tests. */
final class HarnessActionsAccess {

  record Action(String url, String arguments) {}

  private HarnessActionsAccess() {}

  static List<Action> parse(String body) {
    List<Action> actions = new ArrayList<>();
    for (HarnessActions.Action action : HarnessActions.parse(body)) {
      actions.add(new Action(action.url(), action.arguments()));
    }
    return actions;
  }
}
