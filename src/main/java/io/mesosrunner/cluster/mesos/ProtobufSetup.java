package io.mesosrunner.cluster.mesos;

/**
 * Makes protobuf-java 3.25 accept the 1.11.0 generated Mesos classes without a warning per
 * message type. Must run before the first {@code org.apache.mesos.v1} class is initialized, so
 * every class of this package that touches them calls {@link #ensure()} in its static
 * initializer.
 */
final class ProtobufSetup {

  static {
    if (System.getProperty("com.google.protobuf.use_unsafe_pre22_gencode") == null) {
      System.setProperty("com.google.protobuf.use_unsafe_pre22_gencode", "true");
    }
  }

  private ProtobufSetup() {}

  /** Does nothing but force this class's static initializer to have run. */
  static void ensure() {}
}
