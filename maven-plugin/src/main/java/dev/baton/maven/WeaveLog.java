package dev.baton.maven;

/** Internal: not part of Baton's public API. Where the weaver reports, Maven's log in a build. */
interface WeaveLog {

  void warn(String message);

  void debug(String message);
}
