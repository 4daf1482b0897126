package io.mesosrunner.job;

import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * {@code ${VAR}} substitution from the runner's environment, in the values that allow it
 * ({@code env}). Errors point at the {@code ${} in the value when the value is a one-line plain
 * scalar, else at the value.
 */
final class EnvSubstitution {

  private final Map<String, String> environment;
  private final ReadErrors errors;

  EnvSubstitution(Map<String, String> environment, ReadErrors errors) {
    this.environment = environment;
    this.errors = errors;
  }

  /**
   * Replaces {@code ${VAR}} from the environment and {@code ${VAR:-default}} with the default
   * when VAR is unset or empty (the default is text up to the first {@code }}, not substituted
   * again); {@code $${} stands for a literal {@code ${}. Returns null after reporting an error.
   */
  String substitute(String label, String value, Node node) {
    StringBuilder out = new StringBuilder();
    boolean ok = true;
    int i = 0;
    while (i < value.length()) {
      if (value.startsWith("$${", i)) {
        out.append("${");
        i += 3;
      } else if (value.startsWith("${", i)) {
        int end = value.indexOf('}', i + 2);
        if (end < 0) {
          errors.add(node, i, label + " has an unterminated ${ (got '" + value + "'; write $${ for a literal ${)");
          return null;
        }
        String reference = value.substring(i + 2, end);
        int separator = reference.indexOf(":-");
        String variable = separator < 0 ? reference : reference.substring(0, separator);
        String replacement = environment.get(variable);
        if (separator >= 0 && (replacement == null || replacement.isEmpty())) {
          // As in sh: the default stands in for an unset or empty variable.
          replacement = reference.substring(separator + 2);
        }
        if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
          errors.add(node, i, label + " refers to an invalid variable name '${" + reference + "}'");
          ok = false;
        } else if (replacement == null) {
          errors.add(node, i, label + " refers to ${" + variable + "}, which is not set in the runner's environment");
          ok = false;
        } else {
          out.append(replacement);
        }
        i = end + 1;
      } else {
        out.append(value.charAt(i));
        i++;
      }
    }
    return ok ? out.toString() : null;
  }
}
