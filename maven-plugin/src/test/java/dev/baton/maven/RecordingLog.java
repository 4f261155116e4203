package dev.baton.maven;

import java.util.ArrayList;
import java.util.List;

/** A {@link WeaveLog} that keeps what it was told. */
final class RecordingLog implements WeaveLog {
  final List<String> warnings = new ArrayList<>();
  final List<String> debugs = new ArrayList<>();

  @Override
  public void warn(String message) {
    warnings.add(message);
  }

  @Override
  public void debug(String message) {
    debugs.add(message);
  }
}
