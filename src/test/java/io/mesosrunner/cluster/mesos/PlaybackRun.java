package io.mesosrunner.cluster.mesos;

import io.mesosrunner.testing.RecordingListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The set-up of a test of {@link MesosCluster} against a {@link PlaybackMaster}: before each test
 * a playback master on {@code /api/v1/scheduler} and a {@link RecordingListener}, both handed to
 * the test as parameters; {@link #start} builds and starts the cluster on that listener. After
 * the test the cluster, the master and any {@link #otherMaster} are closed, in that order.
 */
final class PlaybackRun implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private PlaybackMaster master;
  private RecordingListener listener;
  private final List<PlaybackMaster> others = new ArrayList<>();
  private final List<MesosCluster> clusters = new ArrayList<>();

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    master = new PlaybackMaster("/api/v1/scheduler");
    listener = new RecordingListener();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    clusters.forEach(MesosCluster::close);
    clusters.clear();
    master.close();
    others.forEach(PlaybackMaster::close);
    others.clear();
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    Class<?> type = p.getParameter().getType();
    return type == PlaybackMaster.class || type == RecordingListener.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == PlaybackMaster.class ? master : listener;
  }

  /** A second playback master on {@code path} (a leader to redirect to), closed after the test. */
  PlaybackMaster otherMaster(String path) throws Exception {
    PlaybackMaster other = new PlaybackMaster(path);
    others.add(other);
    return other;
  }

  /** A cluster built from {@code config}, not started yet; closed after the test. */
  MesosCluster cluster(MesosConfig.Builder config) {
    MesosCluster cluster = new MesosCluster(config.build());
    clusters.add(cluster);
    return cluster;
  }

  /** A cluster built from {@code config} and started with the test's listener. */
  MesosCluster start(MesosConfig.Builder config) {
    MesosCluster cluster = cluster(config);
    cluster.start(listener);
    return cluster;
  }
}
