import Testing

/// Every suite that boots test hosts is nested here, so they run one after another: each
/// boots and restarts containers, and on a 2-core machine running them side by side would
/// make their timing (health checks, restarts) depend on each other.
@Suite(
  .serialized,
  .enabled(if: BootedHosts.available, "needs root and scripts/testhost (run scripts/test)"))
enum BootedHostSuites {}
