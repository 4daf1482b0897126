package io.mesosrunner.cluster.mesos;

import java.util.Base64;

/**
 * Run in a child JVM by {@link ProtobufSetupTest}: touches the adapter first, then parses a
 * recorded SUBSCRIBED (parsing is what makes protobuf-java warn about pre-22 gencode).
 */
public final class ProtobufWarningProbe {
  private ProtobufWarningProbe() {}

  public static void main(String[] args) throws Exception {
    Class.forName(MesosCluster.class.getName());
    org.apache.mesos.v1.scheduler.Protos.Event e =
        org.apache.mesos.v1.scheduler.Protos.Event.parseFrom(Base64.getDecoder().decode(args[0]));
    System.out.println("parsed " + e.getType() + " property "
        + System.getProperty("com.google.protobuf.use_unsafe_pre22_gencode"));
  }
}
