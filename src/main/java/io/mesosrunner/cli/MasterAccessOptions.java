package io.mesosrunner.cli;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How to talk to a Mesos master once its address is known: credentials, trust and patience.
 * Shared by every command that may call a master ({@code run}, {@code plan}, {@code status},
 * {@code kill}); {@link ClusterWiring} turns them into the adapter's settings.
 */
final class MasterAccessOptions {

  @Option(names = "--principal", paramLabel = "NAME", description = "Principal for HTTP Basic authentication with the master.")
  String principal;

  @Option(names = "--secret-file", paramLabel = "FILE", description = "File holding the principal's secret (its first line). Never logged.")
  Path secretFile;

  @Option(names = "--ca-cert", paramLabel = "FILE", description = "PEM CA certificate to trust for an https master.")
  Path caCert;

  @Option(names = "--connect-retries", paramLabel = "N", defaultValue = "8",
      description = "Attempts to reach (or reach again) the master, with growing pauses, before giving up with exit 3 (default: ${DEFAULT-VALUE}).")
  int connectRetries;

  /** "0.5 s", "4 s": a retry's delay as a person reads it. */
  static String seconds(Duration d) {
    long ms = d.toMillis();
    return (ms % 1000 == 0 ? Long.toString(ms / 1000) : String.format(java.util.Locale.ROOT, "%.1f", ms / 1000.0)) + " s";
  }
}
