package io.mesosrunner.cli;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code runner} command line. Parses arguments and maps outcomes to exit codes; no logic of
 * its own.
 *
 * <p>Exit codes: 0 every instance completed; 1 the job failed; 2 invalid job file or usage; 3 the
 * cluster could not be reached or refused the framework; 130 interrupted (Ctrl-C, SIGTERM or
 * SIGHUP) after the launched tasks were killed.
 */
@Command(
    name = "runner",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    synopsisHeading = "Usage:%n",
    customSynopsis = {
        "  runner [run] JOBFILE [--master URL] [options]  run a job (run is the default)",
        "  runner validate JOBFILE...                     check files, run nothing",
        "  runner plan JOBFILE [--master URL]             show how offers would be used",
        "  runner status JOB [--master URL]               the latest run, as recorded",
        "  runner wait JOB [--timeout DURATION]           exit with the latest run's code",
        "  runner kill JOB                                kill the latest run's tasks",
        "  runner logs JOB [INSTANCE] [-f] [--stderr]     a run's task output",
        "  runner report JOB --html FILE                  rebuild a run's reports",
        "  runner schema                                  the JSON Schema of job files",
        "  runner completion bash|zsh                     a shell completion script",
        "  runner COMMAND --help                          the options of a command"},
    description = {"",
        "Runs declarative YAML job files on Apache Mesos, or on an embedded local",
        "cluster when no master is named (--master, RUNNER_MASTER, MESOS_MASTER).",
        "JOBFILE - reads the job file from stdin. JOB is a job file, a job name or",
        "the job's state directory (.runner/NAME)."},
    commandListHeading = "%nCommands:%n",
    footer = {"",
        "Environment: RUNNER_MASTER or MESOS_MASTER (--master),",
        "  RUNNER_STATE_DIR (--state-dir).",
        "Exit codes: 0 all instances completed, 1 job failed,",
        "  2 invalid job file or usage, 3 cluster unreachable or framework refused,",
        "  130 interrupted by Ctrl-C, SIGTERM or SIGHUP (tasks killed)."})
public final class Main {

  private static final Set<String> COMMANDS =
      Set.of("run", "validate", "plan", "status", "wait", "kill", "logs", "report", "schema", "completion", "help");
  /** The commands that load a job file (and so validate one). */
  private static final Set<String> LOADS_JOB_FILES = Set.of("run", "validate", "plan");

  public static void main(String[] args) {
    // Before anything else: a command line with non-ASCII file names in a locale that is not UTF-8.
    Integer again = LocaleReexec.runAgainIfNeeded();
    if (again != null) System.exit(again);
    args = LocaleReexec.arguments(args);
    System.setOut(textStream(System.out, Charset.defaultCharset()));
    System.setErr(textStream(System.err, Charset.defaultCharset()));
    // First: any class with a logger starts slf4j-simple, which reads its configuration once.
    configureLogging(args);
    if (args.length > 0 && LOADS_JOB_FILES.contains(withDefaultCommand(args)[0])) {
      // Overlaps the validator's bootstrap with picocli and SnakeYAML; the loader waits for it.
      Thread preparation = new Thread(new PrepareValidator(), "runner-validator-setup");
      preparation.setDaemon(true);
      preparation.start();
    }
    // Before the JVM starts its first child process.
    ClusterWiring.prepareProcessSpawning();
    CliContext ctx = new CliContext(System.out, System.err, System.getenv(), Clock.systemUTC(),
        Terminal.detect(System.getenv()), Signals::install, System.in);
    System.exit(execute(ctx, args));
  }

  /**
   * The standard stream {@code std} for the runner's own text. Task output is written to it as
   * bytes, unchanged, whatever the charset; text (the summary's stderr tails, file names) is encoded
   * in the locale's charset, except that with no locale (LANG unset in a container: US-ASCII, which
   * would print every letter outside ASCII as '?') it is UTF-8, as the tasks' own output most likely is.
   */
  static PrintStream textStream(PrintStream std, Charset localeCharset) {
    return localeCharset.equals(StandardCharsets.US_ASCII)
        ? new PrintStream(std, true, StandardCharsets.UTF_8)
        : std;
  }

  /** Runs the command line with the given context; returns the exit code. */
  static int execute(CliContext ctx, String... args) {
    if (args.length == 0) {
      // No command is a usage error: say how to use it where errors go, and fail as usage errors do.
      commandLine(ctx).usage(new java.io.PrintWriter(ctx.err(), true));
      return ExitCode.USAGE;
    }
    String typo = misspeltCommand(args[0]);
    if (typo != null) {
      ctx.err().println("runner: '" + args[0] + "' is neither a command nor a job file; did you mean: runner " + typo
          + (args.length > 1 ? " " + String.join(" ", java.util.Arrays.copyOfRange(args, 1, args.length)) : "") + " ?");
      return ExitCode.USAGE;
    }
    String[] full = withDefaultCommand(args);
    CommandLine cl = commandLine(ctx, full[0]);
    return cl.execute(full);
  }

  /**
   * The command {@code first} is a typo of, when it is not a command, an option or an existing
   * file, and is close to a command's name; else null.
   */
  static String misspeltCommand(String first) {
    try {
      if (COMMANDS.contains(first) || first.startsWith("-") || java.nio.file.Files.exists(java.nio.file.Path.of(first))) {
        return null;
      }
    } catch (java.nio.file.InvalidPathException e) {
      return null;
    }
    return Typos.closest(first, COMMANDS).orElse(null);
  }

  static CommandLine commandLine(CliContext ctx) {
    return commandLine(ctx, null);
  }

  /**
   * The command line; when {@code only} names a subcommand other than help, only that one is
   * registered (building picocli's model of the others is start-up time for nothing).
   */
  static CommandLine commandLine(CliContext ctx, String only) {
    boolean all = only == null || only.equals("help") || !COMMANDS.contains(only);
    CommandLine cl = new CommandLine(new Main());
    if (all || only.equals("run")) cl.addSubcommand("run", new RunCommand(ctx));
    if (all || only.equals("validate")) cl.addSubcommand("validate", new ValidateCommand(ctx));
    if (all || only.equals("plan")) cl.addSubcommand("plan", new PlanCommand(ctx));
    if (all || only.equals("status")) cl.addSubcommand("status", new StatusCommand(ctx));
    if (all || only.equals("wait")) cl.addSubcommand("wait", new WaitCommand(ctx));
    if (all || only.equals("kill")) cl.addSubcommand("kill", new KillCommand(ctx));
    if (all || only.equals("logs")) cl.addSubcommand("logs", new LogsCommand(ctx));
    if (all || only.equals("report")) cl.addSubcommand("report", new ReportCommand(ctx));
    if (all || only.equals("schema")) cl.addSubcommand("schema", new SchemaCommand(ctx));
    if (all || only.equals("completion")) cl.addSubcommand("completion", new CompletionCommand(ctx));
    if (all) cl.addSubcommand("help", new CommandLine.HelpCommand());
    cl.setOut(new java.io.PrintWriter(ctx.out(), true));
    cl.setErr(new java.io.PrintWriter(ctx.err(), true));
    cl.setExecutionStrategy(new CommandLine.RunLast());
    cl.setParameterExceptionHandler((ex, a) -> {
      CommandLine c = ex.getCommandLine();
      c.getErr().println("runner: " + usageProblem(ex));
      c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
      return ExitCode.USAGE;
    });
    // A file name this JVM's locale cannot encode: say what to set, in one line.
    cl.registerConverter(java.nio.file.Path.class, s -> {
      try {
        return java.nio.file.Path.of(s);
      } catch (java.nio.file.InvalidPathException e) {
        throw new CommandLine.TypeConversionException(LocaleReexec.advice(s).substring("runner: ".length()));
      }
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      if (ex instanceof java.nio.file.InvalidPathException bad) {
        c.getErr().println(LocaleReexec.advice(bad.getInput()));
        return ExitCode.USAGE;
      }
      c.getErr().println("runner: internal error: " + ex);
      if (Boolean.getBoolean("runner.verbose")) ex.printStackTrace(new PrintStream(ctx.err(), true));
      return ExitCode.FAILED;
    });
    return cl;
  }

  /** What was wrong with the command line; an unknown option comes with the option it most likely meant. */
  static String usageProblem(CommandLine.ParameterException ex) {
    if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
        && u.getUnmatched().get(0).startsWith("-") && !u.getUnmatched().get(0).equals("-")) {
      String typed = u.getUnmatched().get(0);
      String option = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
      java.util.List<String> names = ex.getCommandLine().getCommandSpec().optionsMap().keySet().stream()
          .filter(n -> n.startsWith("--") == option.startsWith("--")).toList();
      String command = ex.getCommandLine().getCommandSpec().qualifiedName();
      return "unknown option " + option + " for " + command
          + Typos.closest(option, names).map(n -> "; did you mean " + n + "?").orElse("");
    }
    return ex.getMessage();
  }

  /** {@code runner jobs/x.yaml} means {@code runner run jobs/x.yaml}. */
  static String[] withDefaultCommand(String[] args) {
    String first = args[0];
    if (COMMANDS.contains(first) || first.equals("-h") || first.equals("--help") || first.equals("-V")
        || first.equals("--version")) {
      return args;
    }
    String[] out = new String[args.length + 1];
    out[0] = "run";
    System.arraycopy(args, 0, out, 1, args.length);
    return out;
  }

  /**
   * The runner's own log goes to stderr, warnings only unless --verbose (then debug, with times).
   * Must run before any logger exists.
   */
  static void configureLogging(String[] args) {
    boolean verbose = false;
    for (String a : args) {
      if (a.equals("--verbose") || a.equals("-v")) verbose = true;
    }
    if (verbose) System.setProperty("runner.verbose", "true");
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "warn");
    setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    // Times only with --verbose: formatting them loads locale data, 80 ms of every start.
    setIfAbsent("org.slf4j.simpleLogger.showDateTime", Boolean.toString(verbose));
    setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    setIfAbsent("org.slf4j.simpleLogger.log.org.apache.zookeeper", verbose ? "info" : "error");
    setIfAbsent("org.slf4j.simpleLogger.log.org.apache.curator", verbose ? "info" : "error");
    setIfAbsent("com.google.protobuf.use_unsafe_pre22_gencode", "true");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) System.setProperty(key, value);
  }

  /**
   * Start-up work done on a second thread while the main one sets up picocli and reads the job
   * file: the validator's bootstrap, which the loader waits for. A named class rather than a
   * lambda: the first lambda of a process costs start-up time too.
   */
  private static final class PrepareValidator implements Runnable {
    @Override
    public void run() {
      try {
        io.mesosrunner.job.JobLoader.prepareValidator();
      } catch (RuntimeException | LinkageError e) {
        // Nothing to report from here: the main thread meets the same failure when it loads the
        // job file, and reports it there as it always has.
      }
    }
  }

  /** Reads the version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"mesos-runner " + (v == null ? "(development build)" : v)};
    }
  }

}
