package io.mesosrunner;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.InstanceofCheck;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.mesosrunner.cluster.Action;

/**
 * The package rules of the project (see ARCHITECTURE.md and STYLE.md): the core ({@code job},
 * {@code match}, the port package {@code cluster} itself and {@code schedule}) speaks only in its
 * own values, so it can be tested without a cluster, a file system or a thread; adapters depend
 * inward only.
 */
@AnalyzeClasses(packages = "io.mesosrunner", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** The core packages. {@code cluster} without subpackages: the port, not its adapters. */
  private static final String[] CORE = {
    "io.mesosrunner.job", "io.mesosrunner.match", "io.mesosrunner.cluster", "io.mesosrunner.schedule"
  };

  @ArchTest
  static final ArchRule packagesHaveNoCycles =
      slices().matching("io.mesosrunner.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule coreUsesNoMesosNetworkProcessOrLogging =
      noClasses()
          .that().resideInAnyPackage(CORE)
          .should().dependOnClassesThat(
              resideInAnyPackage("org.apache.mesos..", "java.net..", "org.slf4j..")
                  .or(type(Process.class))
                  .or(type(ProcessBuilder.class))
                  .or(type(ProcessHandle.class))
                  .as("are Mesos, network, process or logging classes"))
          .because("the core speaks in its own values; adapters and the CLI do the I/O");

  @ArchTest
  static final ArchRule coreReadsNoFiles =
      noClasses()
          .that().resideInAnyPackage(CORE)
          .should().dependOnClassesThat(
              resideInAnyPackage("java.nio.file..")
                  .or(type(java.io.File.class))
                  .or(type(java.io.FileInputStream.class))
                  .or(type(java.io.FileOutputStream.class))
                  .or(type(java.io.RandomAccessFile.class))
                  .as("are file system classes"))
          .because("the core parses bytes; the CLI and the adapters read and write files");

  @ArchTest
  static final ArchRule coreDependsOnNoOuterPackage =
      noClasses()
          .that().resideInAnyPackage(CORE)
          .should().dependOnClassesThat().resideInAnyPackage(
              "io.mesosrunner.cluster.local..",
              "io.mesosrunner.cluster.mesos..",
              "io.mesosrunner.run..",
              "io.mesosrunner.state..",
              "io.mesosrunner.report..",
              "io.mesosrunner.cli..")
          .because("adapters and the CLI depend on the core, never the other way round");

  @ArchTest
  static final ArchRule localClusterDoesNotUseMesosAdapter =
      noClasses()
          .that().resideInAPackage("io.mesosrunner.cluster.local..")
          .should().dependOnClassesThat().resideInAPackage("io.mesosrunner.cluster.mesos..")
          .because("the adapters share only the port; shared code goes into a package of its own");

  @ArchTest
  static final ArchRule mesosAdapterDoesNotUseLocalCluster =
      noClasses()
          .that().resideInAPackage("io.mesosrunner.cluster.mesos..")
          .should().dependOnClassesThat().resideInAPackage("io.mesosrunner.cluster.local..")
          .because("the adapters share only the port; shared code goes into a package of its own");

  @ArchTest
  static final ArchRule cliReachesTheAdaptersOnlyThroughItsWiring =
      noClasses()
          .that().resideInAPackage("io.mesosrunner.cli..")
          .and().doNotHaveFullyQualifiedName("io.mesosrunner.cli.ClusterWiring")
          .should().dependOnClassesThat().resideInAnyPackage(
              "io.mesosrunner.cluster.local..", "io.mesosrunner.cluster.mesos..")
          .because("commands talk to the ports (cluster.Cluster, cluster.ClusterAdmin); cli.ClusterWiring alone"
              + " builds adapters from options, so a new adapter is wired in one place");

  @ArchTest
  static final ArchRule schedulerAndMatcherHoldNoThreads =
      noClasses()
          .that().resideInAnyPackage("io.mesosrunner.schedule", "io.mesosrunner.match")
          .should().dependOnClassesThat(
              resideInAnyPackage("java.util.concurrent..")
                  .or(type(Thread.class))
                  .or(type(ThreadGroup.class))
                  .or(type(java.util.Timer.class))
                  .or(type(java.util.TimerTask.class))
                  .as("are threads, executors, timers or concurrency utilities"))
          .because("the scheduler is a state machine driven by run.JobRun's one thread");

  @ArchTest
  static final ArchRule adaptersDispatchActionsThroughTheVisitor =
      noClasses()
          .that().resideInAnyPackage("io.mesosrunner.cluster.local..", "io.mesosrunner.cluster.mesos..")
          .should(testInstanceofAction())
          .because("an adapter answers every Action through Action.Visitor, so a new kind of action"
              + " does not compile until each adapter says what it means (an instanceof chain only"
              + " finds out at run time)");

  /**
   * Where time is measured, it comes from the injected {@link java.time.Clock}: in the core, in
   * {@code run} and in the Mesos adapter, which all have the run's clock at hand. The one
   * exception, {@code cluster.mesos.CallQueue}, joins its call threads at close within a budget:
   * it holds no clock, and {@link Thread#join(long)} waits in the JVM's own time, so the budget is
   * counted in that time too. Not covered yet: {@code cluster.local} (waits for real processes)
   * and {@code cli} (polls files and the master while a user waits).
   */
  @ArchTest
  static final ArchRule timeComesFromTheInjectedClock =
      noClasses()
          .that().resideInAnyPackage(
              "io.mesosrunner.job..", "io.mesosrunner.match..", "io.mesosrunner.cluster",
              "io.mesosrunner.schedule..", "io.mesosrunner.run..", "io.mesosrunner.cluster.mesos..")
          .and().doNotHaveFullyQualifiedName("io.mesosrunner.cluster.mesos.CallQueue")
          .should().callMethod(System.class, "nanoTime")
          .orShould().callMethod(System.class, "currentTimeMillis")
          .orShould().callMethod(Thread.class, "sleep", long.class)
          .because("time comes from the injected Clock, so a test can drive it and every part of"
              + " a run agrees on what time it is");

  /** Checks any instanceof on {@link Action} or one of its kinds, also inside lambdas. */
  private static ArchCondition<JavaClass> testInstanceofAction() {
    return new ArchCondition<>("test instanceof Action or one of its kinds") {
      @Override
      public void check(JavaClass item, ConditionEvents events) {
        for (JavaCodeUnit unit : item.getCodeUnits()) {
          for (InstanceofCheck check : unit.getInstanceofChecks()) {
            if (check.getRawType().isAssignableTo(Action.class)) {
              events.add(SimpleConditionEvent.satisfied(check,
                  check.getOwner().getFullName() + " tests instanceof " + check.getRawType().getName()
                      + " in " + check.getSourceCodeLocation()));
            }
          }
        }
      }
    };
  }
}
