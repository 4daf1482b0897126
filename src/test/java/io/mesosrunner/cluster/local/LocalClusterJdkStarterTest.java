package io.mesosrunner.cluster.local;

/** Every local cluster test again, with tasks started by the JDK's process builder and setsid. */
class LocalClusterJdkStarterTest extends LocalClusterTest {

  @Override
  LocalConfig.Starter starter() {
    return LocalConfig.Starter.JDK;
  }
}
