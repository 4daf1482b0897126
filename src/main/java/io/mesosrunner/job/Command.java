package io.mesosrunner.job;

import java.util.List;
import java.util.Objects;

/**
 * What an instance runs: either one string run under {@code sh -c}, or an argument vector run
 * without a shell. Exactly one of {@code shell} and {@code argv} is non-null.
 */
public record Command(String shell, List<String> argv) {

  public Command {
    if ((shell == null) == (argv == null)) {
      throw new IllegalArgumentException("exactly one of shell and argv must be set");
    }
    if (argv != null) {
      if (argv.isEmpty()) throw new IllegalArgumentException("argv must not be empty");
      argv = List.copyOf(argv);
    }
  }

  public static Command shell(String line) {
    return new Command(Objects.requireNonNull(line), null);
  }

  public static Command argv(List<String> args) {
    return new Command(null, args);
  }

  public boolean isShell() {
    return shell != null;
  }

  /** The command as a user would type it, for messages. */
  public String display() {
    return isShell() ? shell : String.join(" ", argv);
  }
}
