package io.mesosrunner.job;

import java.util.Objects;

/**
 * A placement constraint, written {@code ATTRIBUTE OPERATOR [VALUE]} in a job file, e.g.
 * {@code hostname UNIQUE}, {@code rack LIKE r[1-3]}, {@code zone CLUSTER us-east-1a}.
 * The attribute {@code hostname} means the offer's host name; any other name is an agent
 * attribute. {@code value} is null for {@link Operator#UNIQUE}.
 */
public record Constraint(String attribute, Operator operator, String value) {

  /** Constraint operators, with the Marathon meaning. */
  public enum Operator {
    /** No two instances of the job on the same attribute value. */
    UNIQUE,
    /** Only where the attribute equals the value. */
    CLUSTER,
    /** Only where the attribute matches the regular expression (whole value). */
    LIKE,
    /** Only where the attribute does not match the regular expression. */
    UNLIKE
  }

  public Constraint {
    Objects.requireNonNull(attribute, "attribute");
    Objects.requireNonNull(operator, "operator");
    if ((operator == Operator.UNIQUE) != (value == null)) {
      throw new IllegalArgumentException(operator + " " + (value == null ? "needs" : "takes no") + " value");
    }
  }

  @Override
  public String toString() {
    return value == null ? attribute + " " + operator : attribute + " " + operator + " " + value;
  }
}
