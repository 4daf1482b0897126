package io.mesosrunner.job;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.TraversableResolver;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.lang.annotation.ElementType;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Checks a read {@link Job} against its Jakarta Bean Validation constraints (ranges, patterns)
 * and reports each violation at the node its value came from, named as the file names it
 * ({@code mem}, not {@code memMb}; {@code env.FOO}, {@code uris[2]}).
 */
final class JobValidation {

  /** Record component name to the field name users write, where they differ. */
  private static final Map<String, String> FIELD_OF_COMPONENT = Map.of(
      "memMb", "mem", "diskMb", "disk", "onFailure", "on_failure",
      "retryOnExit", "retry_on_exit", "noRetryExit", "no_retry_exit");

  private JobValidation() {
  }

  /**
   * Reports the job's violations.
   *
   * @param failed fields whose value could not be read; their violations would only repeat that
   * @param root   where a violation with no known node is reported
   */
  static void validate(Job job, ValuePositions positions, Set<String> failed, Node root, ReadErrors errors) {
    for (ConstraintViolation<Job> violation : Validators.VALIDATOR.validate(job)) {
      Iterator<Path.Node> path = violation.getPropertyPath().iterator();
      if (!path.hasNext()) continue;
      String component = path.next().getName();
      String field = FIELD_OF_COMPONENT.getOrDefault(component, component);
      if (failed.contains(field)) continue;
      Where where = path.hasNext() ? within(field, path.next(), positions) : new Where(field, field);
      Node node = positions.get(where.path());
      String echo = node == null ? "" : " (got " + YamlNodes.describe(node) + ")";
      errors.add(node == null ? root : node, where.label() + " " + violation.getMessage() + echo);
    }
  }

  /** A violation's path in {@link ValuePositions} and how its message names it. */
  private record Where(String path, String label) {
  }

  /** Where a violation inside a field is: a list item, a map key or value, a nested field. */
  private static Where within(String field, Path.Node second, ValuePositions positions) {
    if (second.getKind() == ElementKind.CONTAINER_ELEMENT) {
      Object index = second.getKey() != null ? second.getKey() : second.getIndex();
      String key = field + "[" + index + "]";
      if ("<map key>".equals(second.getName())) return new Where(key + "#key", field + " key");
      if ("<map value>".equals(second.getName())) return new Where(key, field + "." + index);
      return new Where(key, key);
    }
    if (second.isInIterable() && second.getIndex() != null && "uris".equals(field)) {
      // A uri's own constraint (its value): named by its item in the file, as a string uri would be.
      String key = positions.uriPath(second.getIndex());
      return new Where(key, key);
    }
    String key = field + "." + second.getName();
    return new Where(key, key);
  }

  /**
   * Builds the validator and validates a sample job once, which is most of the cost of the first
   * real validation (Hibernate Validator's bootstrap, the constraint metadata of the job types, the
   * constraint validators and their patterns). A load that comes while another thread runs this
   * waits for it (class initialisation is locked).
   */
  static void prepare() {
    Objects.requireNonNull(Validators.VALIDATOR); // reading the field initialises the holder class
  }

  /** Built once: building a validator costs a few hundred milliseconds. */
  private static final class Validators {
    /**
     * Hibernate Validator announces its version at INFO through java.util.logging, which would
     * land in the middle of the runner's terminal output. The logger is held here because
     * java.util.logging keeps only weak references to configured loggers.
     */
    static final Logger QUIET = quiet();
    /**
     * Configured to skip the bootstrap work a job file never needs: no META-INF/validation.xml
     * lookup, and a traversable resolver that reaches everything (what the default one answers
     * when JPA is absent, without probing the class path for it). Messages are interpolated
     * without Expression Language.
     */
    static final Validator VALIDATOR = Validation.byProvider(HibernateValidator.class)
        .configure()
        .ignoreXmlConfiguration()
        .traversableResolver(new ReachEverything())
        .messageInterpolator(new ParameterMessageInterpolator())
        .buildValidatorFactory()
        .getValidator();

    static {
      // Every constrained component set, so the validation of a real file finds everything built.
      VALIDATOR.validate(new Job("sample", Command.shell("true"), 1, 1, 0, 0, 0, 1, 1, 0, Duration.ofSeconds(1),
          Duration.ofSeconds(1), Map.of("VAR", "value"), List.of(new Constraint("hostname", Constraint.Operator.UNIQUE,
          null)), "*", "user", List.of(FetchUri.of("https://example.com/x")), new Container("image"), Map.of("label", "value"),
          OnFailure.STOP, List.of(1), List.of()));
    }

    /** Every property is reachable and cascadable: plain records, no persistence provider. */
    private static final class ReachEverything implements TraversableResolver {
      @Override
      public boolean isReachable(Object bean, Path.Node property, Class<?> rootBeanType, Path pathToProperty,
          ElementType elementType) {
        return true;
      }

      @Override
      public boolean isCascadable(Object bean, Path.Node property, Class<?> rootBeanType, Path pathToProperty,
          ElementType elementType) {
        return true;
      }
    }

    private static Logger quiet() {
      Logger logger = Logger.getLogger("org.hibernate.validator");
      if (logger.getLevel() == null) logger.setLevel(Level.WARNING);
      return logger;
    }
  }
}
