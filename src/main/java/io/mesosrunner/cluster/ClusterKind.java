package io.mesosrunner.cluster;

/**
 * Which cluster a run used, as its journal records it: the embedded local cluster, or a Mesos
 * master by the address the run was started with. The journal keeps the {@link #recorded()} text
 * ({@code local}, or the master's address), the one form journals have always had, and {@link
 * #parse} reads any such text back, old journals included.
 */
public sealed interface ClusterKind {

  /** The text a journal records for the local cluster. */
  String LOCAL = "local";

  /** The embedded local cluster on this machine. */
  record Local() implements ClusterKind {
    @Override
    public String recorded() {
      return LOCAL;
    }

    @Override
    public boolean tasksOutliveTheRunner() {
      return false;
    }
  }

  /**
   * A Mesos cluster.
   *
   * @param master the master's address as recorded ({@code host:port}, {@code http(s)://...},
   *               {@code zk://...}); the Mesos adapter parses it when it is used
   */
  record Mesos(String master) implements ClusterKind {
    public Mesos {
      if (master == null || master.isBlank()) throw new IllegalArgumentException("master must not be blank");
      if (master.equals(LOCAL)) throw new IllegalArgumentException("'" + LOCAL + "' names the local cluster, not a master");
    }

    @Override
    public String recorded() {
      return master;
    }

    @Override
    public boolean tasksOutliveTheRunner() {
      return true;
    }
  }

  /** The text the journal keeps for this cluster. */
  String recorded();

  /**
   * Whether a run's tasks go on when its runner dies: on Mesos they do (a resumed run reconciles
   * and adopts them); local task processes do not outlive the runner as tasks (what is left of
   * them is killed, and they count as lost).
   */
  boolean tasksOutliveTheRunner();

  /** The kind a journal's text names: {@code local}, else a master's address. */
  static ClusterKind parse(String recorded) {
    return recorded.equals(LOCAL) ? new Local() : new Mesos(recorded);
  }
}
