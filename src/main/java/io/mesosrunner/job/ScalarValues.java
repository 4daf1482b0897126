package io.mesosrunner.job;

import static io.mesosrunner.job.YamlNodes.describe;
import static io.mesosrunner.job.YamlNodes.isNull;
import static io.mesosrunner.job.YamlNodes.isScalar;
import static io.mesosrunner.job.YamlNodes.scalar;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * The value parsers: one YAML node to one plain value (a string, number, whole number, size,
 * duration, boolean, exit code list, command). Each returns null after reporting an error, naming
 * the field it was given. They record nothing about where a value came from: {@link JobReader}
 * does that for top-level fields, {@link NestedValues} for the parts of lists and mappings.
 */
final class ScalarValues {

  private static final BigDecimal INT_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
  private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
  /** Longer numbers are out of any range here; parsing them would only cost time. */
  private static final int MAX_NUMBER_LENGTH = 400;

  private final ReadErrors errors;

  ScalarValues(ReadErrors errors) {
    this.errors = errors;
  }

  String string(String field, Node node) {
    if (node instanceof ScalarNode && !isNull(node)) return scalar(node);
    return errors.typeError(field, "a string", node);
  }

  Boolean bool(String field, Node node) {
    if (isScalar(node, Tag.BOOL)) return Boolean.valueOf(scalar(node).toLowerCase(Locale.ROOT));
    return errors.typeError(field, "true or false", node);
  }

  Double number(String field, Node node) {
    BigDecimal value = numeric(node);
    if (value != null) {
      double number = value.doubleValue();
      // 1.0e+400 overflows to infinity, which no resource amount may be.
      return Double.isFinite(number) ? number : errors.typeError(field, "a finite number", node);
    }
    if (isScalar(node, Tag.FLOAT)) return errors.typeError(field, "a finite number", node);
    if (isScalar(node, Tag.INT)) return errors.typeError(field, "a decimal number", node);
    return errors.typeError(field, "a number" + underscoreHint(node), node);
  }

  Integer whole(String field, Node node) {
    BigDecimal value = numeric(node);
    if (value == null) {
      if (isScalar(node, Tag.INT)) return errors.typeError(field, "a decimal whole number", node);
      return errors.typeError(field, "a whole number" + underscoreHint(node), node);
    }
    if (value.signum() != 0 && value.stripTrailingZeros().scale() > 0) {
      return errors.typeError(field, "a whole number", node);
    }
    if (value.compareTo(INT_MIN) < 0 || value.compareTo(INT_MAX) > 0) {
      errors.add(node, field + " is out of range (got " + describe(node) + ")");
      return null;
    }
    return value.intValueExact();
  }

  /** A number of MiB, or a size with a unit ({@link Sizes}). */
  Double size(String field, Node node) {
    if (isScalar(node, Tag.INT) || isScalar(node, Tag.FLOAT)) return number(field, node);
    if (isScalar(node, Tag.STR)) {
      String hint = underscoreHint(node);
      if (!hint.isEmpty()) return errors.typeError(field, "a number of MiB or a size such as 512MiB" + hint, node);
      try {
        return Sizes.parseMib(scalar(node));
      } catch (IllegalArgumentException e) {
        errors.add(node, field + ": " + e.getMessage());
        return null;
      }
    }
    return errors.typeError(field, "a number of MiB or a size such as 512MiB or 2GiB", node);
  }

  /** A duration with a unit ({@link Durations}). */
  Duration duration(String field, Node node) {
    if (isScalar(node, Tag.STR)) {
      try {
        return Durations.parse(scalar(node));
      } catch (IllegalArgumentException e) {
        errors.add(node, field + ": " + e.getMessage());
        return null;
      }
    }
    return errors.typeError(field, "a duration with a unit, such as 30s, 10m or 2h30m", node);
  }

  OnFailure onFailure(String field, Node node) {
    if (node instanceof ScalarNode && !isNull(node)) {
      for (OnFailure value : OnFailure.values()) {
        if (value.fileValue().equals(scalar(node))) return value;
      }
    }
    return errors.typeError(field, "'stop' or 'continue'", node);
  }

  /** A non-empty list of distinct exit codes 1..255. */
  List<Integer> exitCodes(String field, Node node) {
    if (!(node instanceof SequenceNode sequence)) return errors.typeError(field, "a list of exit codes such as [1, 75]", node);
    if (sequence.getValue().isEmpty()) {
      errors.add(node, field + " must list at least one exit code (to retry nothing, set retries: 0)");
      return null;
    }
    List<Integer> codes = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < sequence.getValue().size(); i++) {
      String label = field + "[" + i + "]";
      Node item = sequence.getValue().get(i);
      BigDecimal exact = stripped(numeric(item));
      BigInteger code = exact == null || exact.scale() > 0 ? null : exact.toBigIntegerExact();
      if (code == null) {
        errors.typeError(label, "an exit code (a whole number from 1 to 255)", item);
        ok = false;
      } else if (code.signum() == 0) {
        errors.add(item, label + " is 0, which is success and never retried");
        ok = false;
      } else if (code.signum() < 0 || code.compareTo(BigInteger.valueOf(255)) > 0) {
        errors.add(item, label + " must be an exit code from 1 to 255 (got " + describe(item) + ")");
        ok = false;
      } else if (codes.contains(code.intValue())) {
        errors.add(item, label + " repeats exit code " + code);
        ok = false;
      } else {
        codes.add(code.intValue());
      }
    }
    return ok ? codes : null;
  }

  /** A shell line (a string) or an argv (a list of strings). */
  Command command(String field, Node node) {
    if (node instanceof ScalarNode) {
      String line = scalar(node);
      if (line.isBlank()) {
        errors.add(node, "command must not be empty");
        return null;
      }
      return Command.shell(line);
    }
    if (node instanceof SequenceNode sequence) {
      if (sequence.getValue().isEmpty()) {
        errors.add(node, "command must not be an empty list");
        return null;
      }
      List<String> argv = new ArrayList<>();
      for (int i = 0; i < sequence.getValue().size(); i++) {
        String arg = string(field + "[" + i + "]", sequence.getValue().get(i));
        if (arg == null) return null;
        argv.add(arg);
      }
      if (argv.get(0).isEmpty()) {
        errors.add(sequence.getValue().get(0), "command[0] (the program) must not be empty");
        return null;
      }
      return Command.argv(argv);
    }
    return errors.typeError(field, "a string or a list of strings", node);
  }

  /** A number without trailing zeros, so {@code 1.0} equals {@code 1}; null stays null. */
  static BigDecimal stripped(BigDecimal value) {
    return value == null ? null : value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
  }

  /**
   * The exact value of a YAML 1.2 core schema number written in decimal: integers and floats
   * ({@code 2.0}, {@code 1e3}); null for anything else, {@code .inf}, {@code .nan} and the
   * {@code 0x}/{@code 0o} forms included (a count or size written in hex or octal is more likely
   * a mistake than meant). {@code 0777} is decimal 777, as YAML 1.2 reads it.
   */
  static BigDecimal numeric(Node node) {
    boolean integer = isScalar(node, Tag.INT);
    if (!integer && !isScalar(node, Tag.FLOAT)) return null;
    String text = scalar(node);
    if (text.length() > MAX_NUMBER_LENGTH) return integer ? new BigDecimal("1e" + MAX_NUMBER_LENGTH) : null;
    try {
      if (text.startsWith("0x") || text.startsWith("0o")) return null;
      if (text.toLowerCase(Locale.ROOT).matches("[-+]?\\.(inf|nan)|\\.nan")) return null;
      BigDecimal value = new BigDecimal(text.startsWith("+") ? text.substring(1) : text);
      // An exponent such as 1e999999999 is out of every range here; keep it cheap to compare.
      return value.precision() - value.scale() > MAX_NUMBER_LENGTH ? new BigDecimal("1e" + MAX_NUMBER_LENGTH) : value;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** YAML 1.2 reads 1_000 as text; say so, since YAML 1.1 and some tools read it as a number. */
  private static String underscoreHint(Node node) {
    if (node instanceof ScalarNode scalar && scalar.getScalarStyle() == ScalarStyle.PLAIN
        && scalar.getValue().matches("[-+]?[0-9][0-9_]*(\\.[0-9_]*)?") && scalar.getValue().contains("_")) {
      return " (YAML 1.2 reads a number with '_' as text: write " + scalar.getValue().replace("_", "") + ")";
    }
    return "";
  }
}
