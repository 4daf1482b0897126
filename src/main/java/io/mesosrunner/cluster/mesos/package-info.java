/**
 * The Mesos adapter: {@link io.mesosrunner.cluster.mesos.MesosCluster} implements the
 * {@link io.mesosrunner.cluster.Cluster} port over the Mesos v1 scheduler HTTP API, with
 * protobuf on the wire. This is the only package that uses {@code org.apache.mesos.v1} types.
 *
 * <ul>
 *   <li>{@link io.mesosrunner.cluster.mesos.MasterAddress}: parses {@code host:port},
 *       {@code http(s)://host:port} and {@code zk://hosts/path}.</li>
 *   <li>{@link io.mesosrunner.cluster.mesos.MesosConfig}: framework registration settings.</li>
 *   <li>{@code RecordIoReader}: the event stream's framing.</li>
 *   <li>{@code OfferTranslator} and {@code Calls}: protobuf to core values and back (TaskInfos
 *       are built from a placement only, with resources copied from the offer's own).</li>
 *   <li>{@code AgentFileTailer}: task stdout/stderr through the agents' {@code /files/read}.</li>
 *   <li>{@link io.mesosrunner.cluster.mesos.ZooKeeperLeaderDetector}: the leading master from
 *       ZooKeeper.</li>
 * </ul>
 */
package io.mesosrunner.cluster.mesos;
