/**
 * The Mesos adapter: {@link io.mesosrunner.cluster.mesos.MesosCluster} implements the
 * {@link io.mesosrunner.cluster.Cluster} port over the Mesos v1 scheduler HTTP API, with
 * protobuf on the wire. This is the only package that uses {@code org.apache.mesos.v1} types.
 *
 * <p>Who owns what (each class says more at its top):
 * <ul>
 *   <li>{@code Subscription}, thread {@code mesos-subscriber}: the SUBSCRIBE stream and all its
 *       state (an explicit state enum, leader, framework and stream ids, heartbeat deadline,
 *       backoff), kept by {@code SubscriptionLoop} on that thread. Every other thread only signals
 *       it through its inbox and reads its immutable {@code View}. {@code StreamAttempt} is one open stream on that thread,
 *       {@code EventStreamBody} hands the stream's chunks from the HTTP client to it, and
 *       {@code RecordIoDecoder} frames them.</li>
 *   <li>{@code EventDecoder}, on the subscription thread: scheduler events into ours, through
 *       {@code OfferTranslator}.</li>
 *   <li>{@code OfferBook}: offers held per event stream; the subscription thread adds, the
 *       scheduler's thread takes.</li>
 *   <li>{@code CallDispatcher} with {@code CallQueue}, threads {@code mesos-call-N}: calls in
 *       order, independent ones in parallel; {@code Calls} builds them (TaskInfos are built from
 *       a placement only, with resources copied from the offer's own).</li>
 *   <li>{@code SchedulerHttpClient}: the HTTP client with TLS, credentials and 307s; stateless.</li>
 *   <li>{@code AgentFileTailer}, thread {@code mesos-output}: task stdout/stderr through the agents'
 *       {@code /files/read} ({@code FilesRead}); it owns each task's {@code TaskOutput} and the
 *       {@code FinalDrain}, others post {@code TailerMessage}s to its inbox and read its {@code View}.</li>
 *   <li>{@link io.mesosrunner.cluster.mesos.MasterAddress}: parses {@code host:port},
 *       {@code http(s)://host:port} and {@code zk://hosts/path};
 *       {@link io.mesosrunner.cluster.mesos.ZooKeeperLeaderDetector} (Curator's thread) finds the
 *       leading master there.</li>
 *   <li>{@link io.mesosrunner.cluster.mesos.MesosConfig}: framework registration settings;
 *       {@link io.mesosrunner.cluster.mesos.MasterTasks}: a framework's tasks, read without
 *       subscribing.</li>
 * </ul>
 */
package io.mesosrunner.cluster.mesos;
