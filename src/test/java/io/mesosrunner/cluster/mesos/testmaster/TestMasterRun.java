package io.mesosrunner.cluster.mesos.testmaster;

import java.util.ArrayList;
import java.util.List;

import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The set-up of a test against a {@link TestMaster}, as a JUnit 5 extension: {@link #start}
 * builds and starts the master with its agents and a {@link SchedulerTestClient} for it; the
 * subscriptions made through {@link #subscribe} and the master are closed after each test (and
 * when a test starts a second master).
 */
public final class TestMasterRun implements AfterEachCallback {
    private TestMaster master;
    private SchedulerTestClient client;
    private final List<SchedulerTestClient.Subscription> subs = new ArrayList<>();

    /** Starts a master from {@code builder} with {@code agents} standard agents, closing an earlier one. */
    public TestMaster start(TestMaster.Builder builder, int agents) {
        close();
        master = builder.build().start();
        for (int i = 0; i < agents; i++) {
            master.addAgent(AgentSpec.standard());
        }
        client = new SchedulerTestClient(master.uri());
        return master;
    }

    public TestMaster master() {
        if (master == null) {
            throw new IllegalStateException("no test master started: call start first");
        }
        return master;
    }

    SchedulerTestClient client() {
        master();
        return client;
    }

    /** A SUBSCRIBE of {@code info}, closed after the test. */
    SchedulerTestClient.Subscription subscribe(FrameworkInfo info) {
        SchedulerTestClient.Subscription s = client().subscribe(info);
        subs.add(s);
        return s;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    private void close() {
        subs.forEach(SchedulerTestClient.Subscription::close);
        subs.clear();
        if (master != null) {
            master.close();
            master = null;
        }
    }
}
