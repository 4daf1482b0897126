package io.mesosrunner.cluster.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.job.Command;
import io.mesosrunner.job.Constraint;
import io.mesosrunner.job.Container;
import io.mesosrunner.job.FetchUri;
import io.mesosrunner.job.Job;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnsupportedFieldsTest {

  private static Job job(String role, String user, List<FetchUri> uris, Container container, int gpus,
      List<Constraint> constraints) {
    return new Job("j", Command.shell("true"), 0.1, 32, 0, gpus, 0, 1, 1, 0, null, null, Map.of(),
        constraints, role, user, uris, container, Map.of());
  }

  @Test
  void plainJobHasNothingUnsupported() {
    Job plain = job("*", null, List.of(), null, 0,
        List.of(new Constraint("rack", Constraint.Operator.LIKE, "r1"),
            new Constraint("hostname", Constraint.Operator.UNIQUE, null)));
    assertThat(LocalCluster.unsupportedFields(plain)).isEmpty();
  }

  @Test
  void listsContainerRoleUserAndGpusInOrderButNotUris() {
    Job all = job("ops", "someone-else-entirely", List.of(FetchUri.of("https://example.org/tool.tgz")),
        new Container("alpine:3.20"), 1, List.of());
    assertThat(LocalCluster.unsupportedFields(all)).containsExactly("container", "role", "user", "gpus");
  }

  @Test
  void acceptsTheCurrentUserAndGpusTheConfigHas() {
    Job job = job("*", System.getProperty("user.name"), List.of(), null, 1, List.of());
    assertThat(LocalCluster.unsupportedFields(job)).containsExactly("gpus");
    LocalConfig withGpu = LocalConfig.defaults(Path.of("/tmp")).withGpus(1);
    assertThat(LocalCluster.unsupportedFields(job, withGpu)).isEmpty();
  }
}
