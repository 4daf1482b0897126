package io.mesosrunner.cli;

import io.mesosrunner.cluster.mesos.MasterAddress;
import io.mesosrunner.cluster.mesos.MesosConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How to talk to a Mesos master once its address is known: credentials, trust and patience.
 * Shared by every command that may call a master ({@code run}, {@code plan}, {@code status},
 * {@code kill}).
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

  /** The Mesos settings these options give, for a framework {@code name} in {@code role}. */
  MesosConfig.Builder mesosConfig(MasterAddress address, String name, String role, String user, CliContext ctx)
      throws ClusterOptions.BadOptionException {
    if (connectRetries < 1) {
      throw new ClusterOptions.BadOptionException("--connect-retries must be at least 1 (got " + connectRetries + ")");
    }
    MesosConfig.Builder b = MesosConfig.builder(address, name).role(role).clock(ctx.clock())
        .maxReconnectAttempts(connectRetries).reconnectMin(Duration.ofMillis(500)).reconnectMax(Duration.ofSeconds(5))
        .retryNotice((problem, retry, retries, delay) ->
            ctx.err().println("runner: " + problem + "; retry " + retry + " of " + retries + " in " + seconds(delay)));
    if (user != null) b.user(user);
    if (principal != null) b.principal(principal);
    if (secretFile != null) {
      if (principal == null) throw new ClusterOptions.BadOptionException("--secret-file needs --principal");
      b.secret(readSecret(secretFile));
    }
    if (caCert != null) {
      if (!Files.isReadable(caCert)) throw new ClusterOptions.BadOptionException("--ca-cert: cannot read " + caCert);
      b.caCert(caCert);
    }
    return b;
  }

  /** "0.5 s", "4 s": a retry's delay as a person reads it. */
  static String seconds(Duration d) {
    long ms = d.toMillis();
    return (ms % 1000 == 0 ? Long.toString(ms / 1000) : String.format(java.util.Locale.ROOT, "%.1f", ms / 1000.0)) + " s";
  }

  private static String readSecret(Path file) throws ClusterOptions.BadOptionException {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      String first = text.lines().findFirst().orElse("").strip();
      if (first.isEmpty()) throw new ClusterOptions.BadOptionException("--secret-file: " + file + " is empty");
      return first;
    } catch (IOException e) {
      throw new ClusterOptions.BadOptionException("--secret-file: cannot read " + file + " (" + e.getMessage() + ")");
    }
  }
}
