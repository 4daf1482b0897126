/**
 * The Mesos test master: a protocol-level stand-in for a real Mesos 1.12 master, used by the
 * tests of {@code cluster.mesos}, the CLI and the benchmarks. {@link
 * io.mesosrunner.cluster.mesos.testmaster.TestMaster} is the facade; package-private classes own
 * one group of habits each: offers and filters ({@code Allocator}, {@code AcceptCall}), task life
 * ({@code TaskLife}, {@code Agents}), streams and failover ({@code Streams}, {@code
 * SchedulerEndpoint}), operator endpoints ({@code OperatorEndpoints}) and agent files ({@code
 * FakeAgent}). Their shared state and its one lock are in {@code MasterState}; all waiting goes
 * through {@code MasterTimers}.
 *
 * <h2>The real master's habits</h2>
 * Each row is either recorded (file under {@code src/test/resources/mesos-recordings/}) or a
 * choice, with its reason; {@code TestMasterHabitsTest} has one test per row, named after it. The
 * status codes, error texts and master-generated updates (the recordings' README tables) are
 * checked by {@code TestMasterStatusTableTest}, {@code RecordedErrorsConformanceTest} and
 * {@code TestMasterLifecycleTest}.
 * <table>
 * <caption>Behaviour of the test master</caption>
 * <tr><th>row (test)</th><th>test master</th><th>backed by</th></tr>
 * <tr><th colspan="3">Offers and filters ({@code Allocator}, {@code AcceptCall})</th></tr>
 * <tr><td>allocationInterval</td><td>free resources are offered every {@link TestMaster.Builder#allocationInterval}
 *     (default 1 s); a DECLINE with 0 s comes back at the next allocation</td>
 *     <td>recorded in refuse-superset.jsonl (1006 ms after a 0 s DECLINE); README: default interval 1 s</td></tr>
 * <tr><td>allocationPhaseMovedBySubscribe</td><td>the periodic allocation runs on the master's own
 *     clock from its start; {@link TestMaster#phaseAllocationsAfterNextSubscribe} moves it to a chosen phase
 *     after the next new framework's SUBSCRIBE</td><td>chosen, for benchmarks: the real allocator
 *     ticks on its own clock (recorded ticks 1 s apart whatever the framework did), so the phase a
 *     framework meets is luck that a comparison must not hand to one contender</td></tr>
 * <tr><td>firstOffersAtSubscribe</td><td>SUBSCRIBED, a HEARTBEAT and the first OFFERS at once</td>
 *     <td>recorded in happy.jsonl (offers 44 ms after SUBSCRIBED), failover.jsonl</td></tr>
 * <tr><td>freedResourcesAtNextAllocation</td><td>resources of an ended task are offered at the next
 *     periodic allocation, not at once</td><td>recorded in refuse-superset.jsonl (23-658 ms after
 *     TASK_FINISHED over four runs), happy.jsonl (0.4 s)</td></tr>
 * <tr><td>refuseFilterHoldsOnlyWhatItContains</td><td>a filter (DECLINE, or the unused rest of an
 *     ACCEPT) holds back an agent's resources only while the refused resources contain them: freed
 *     plus refused come back at the next allocation</td><td>recorded in refuse-superset.jsonl
 *     (60 s filter, whole agent offered 31 ms after TASK_FINISHED)</td></tr>
 * <tr><td>declineFilterExpiresThenNextAllocation</td><td>a filter expires after
 *     max(refuse_seconds, allocation interval); the next allocation offers: 4 s gives 4-5 s</td>
 *     <td>recorded in refuse-superset.jsonl (4019 ms), decline-suppress-revive.jsonl (2 s gave
 *     2.2 s); the max() is chosen: the allocator's source (MESOS-4302)</td></tr>
 * <tr><td>defaultRefuseSecondsIsFive</td><td>Filters without refuse_seconds, empty Filters, a
 *     negative refuse_seconds, and an ACCEPT without filters (for the unused rest) refuse for 5 s;
 *     over 365 days is cut to 365 days</td><td>recorded in default-refuse.jsonl (absent, empty and
 *     -1 all gave 5.5-6.2 s), update-retry.jsonl (the ACCEPT's rest back 6.1 s later); the 365-day
 *     cut is from the source; test also {@code TestMasterThreeAgentsTest.negativeRefuseSecondsRefuseForFiveSeconds}</td></tr>
 * <tr><td>filtersOnOneAgentExpireEachOnItsOwn</td><td>an agent keeps every live filter of a
 *     framework; a later short filter does not end an earlier long one</td><td>chosen: the
 *     allocator keeps a set of filters per agent and role; not recorded</td></tr>
 * <tr><td>suppressStopsReviveClearsFiltersAndOffers</td><td>SUPPRESS: no offers; REVIVE clears the
 *     filters and allocates at once</td><td>recorded in decline-suppress-revive.jsonl (none for 8 s;
 *     an offer 23 ms after REVIVE)</td></tr>
 * <tr><td>offerTimeoutRescindsAndReoffersAtNextAllocation</td><td>with {@link TestMaster.Builder#offerTimeout}
 *     an unanswered offer gets RESCIND that long after it was made, and its resources come back at
 *     the next allocation, without a filter; default: never</td><td>recorded in rescind.jsonl
 *     (RESCIND 4788 ms after arrival at 5 s, new offer 349 ms later), agent-lost.jsonl (4995 ms)</td></tr>
 * <tr><td>newAgentOfferedAtOnce</td><td>{@link TestMaster#addAgent} on a started master allocates at
 *     once, off the allocation grid; declined agents stay silent</td><td>recorded in new-agent.jsonl
 *     (first offer 25 ms after the new agent registered)</td></tr>
 * <tr><td>oneOfferPerAgentInOneEvent</td><td>each allocation offers each agent's whole free resources
 *     as one offer, all agents' offers in one OFFERS event, in a shuffled order (seeded, so a
 *     benchmark repeats); declines with different refuse times come back in separate events, each
 *     at the first allocation after its filter expired</td><td>recorded in multi-agent-offers.jsonl
 *     (3 offers in one event, order varying; 1, 2, 3 s declines back in three events on the 1 s
 *     grid), happy.jsonl; test also {@code TestMasterThreeAgentsTest.offersOfAllAgentsComeInOneEvent}</td></tr>
 * <tr><th colspan="3">Task life ({@code TaskLife}, {@code Agents})</th></tr>
 * <tr><td>executorTiming</td><td>launch to TASK_STARTING and on to TASK_RUNNING take
 *     {@link TestMaster.Builder#stepDelay} each (default 10 ms), KILL to TASK_KILLED {@link TestMaster.Builder#killDelay}
 *     (50 ms)</td><td>chosen for fast tests; recorded: 450-800 ms to STARTING, 20-100 ms to RUNNING
 *     (happy.jsonl, refuse-superset.jsonl), about 80-170 ms to KILLED (kill-reconcile.jsonl,
 *     agent-lost.jsonl)</td></tr>
 * <tr><td>nextUpdateAfterAcknowledgementAndRetried</td><td>a task's next executor update waits for
 *     the acknowledgement of the previous one and comes as soon as it is acknowledged; the oldest
 *     unacknowledged one is resent byte-identical after {@link TestMaster.Builder#updateRetryInterval}
 *     (10 s), then 20 s, 40 s, doubling up to 10 min; a task that ended meanwhile has its resources
 *     freed and offered although the framework still knows only the held update</td><td>recorded in
 *     update-retry.jsonl (resends 9.8, 20.0, 40.0 s apart, same pb_base64; RUNNING and FINISHED held
 *     70 s; the task's resources offered 0.8 s after the first resend); the 10 min cap is from the
 *     source; test also {@code TestMasterThreeAgentsTest.unacknowledgedUpdateResentByteIdenticalAtDoublingIntervals}</td></tr>
 * <tr><td>lostAgentsOffersRescindedAtOnce</td><td>{@link TestMaster#removeAgent}: offers on the agent are
 *     rescinded at once</td><td>recorded in agent-lost.jsonl (96 ms after the kill)</td></tr>
 * <tr><td>unreachableAgentPartitionAware</td><td>after {@link TestMaster.Builder#agentRemovalDelay}: TASK_UNREACHABLE,
 *     REASON_AGENT_REMOVED, "health check timed out", unreachable_time, no uuid, then
 *     FAILURE{agent_id}</td><td>recorded in agent-lost.jsonl; the delay (default 200 ms) is chosen:
 *     the real one is agent_ping_timeout x max_agent_ping_timeouts (3.7 s recorded at 1 s x 3)</td></tr>
 * <tr><td>unreachableAgentNotPartitionAware</td><td>the same as TASK_LOST</td>
 *     <td>recorded in agent-lost-non-pa.jsonl</td></tr>
 * <tr><td>reregisteredAgentsTasksRunningAgain</td><td>{@link TestMaster#reAddAgent}: TASK_RUNNING,
 *     REASON_AGENT_REREGISTERED, "Unreachable agent re-reregistered", from the master, no uuid, with
 *     container_status, and offers at once</td><td>recorded in agent-lost.jsonl and
 *     agent-lost-non-pa.jsonl (offers 14-22 ms later)</td></tr>
 * <tr><td>tasksPauseWhileTheirAgentIsUnreachable</td><td>a task on an unreachable agent sends
 *     nothing and does not end until the agent is back</td><td>chosen: not recorded (the recorded task
 *     ran {@code sleep 300})</td></tr>
 * <tr><td>agentBackWithItsTasksWhichThenFinish</td><td>a task whose agent was unreachable for a
 *     while ({@link TestMaster#removeAgent}, later {@link TestMaster#reAddAgent}) is RUNNING again
 *     and then plays the rest of its script (finishes), as if nothing happened</td><td>recorded in
 *     agent-lost.jsonl (TASK_RUNNING on re-registration, then TASK_KILLED from the executor on
 *     KILL: the task had run on); that it finishes afterwards is chosen (the recorded task was
 *     killed)</td></tr>
 * <tr><th colspan="3">Launches the agent fails ({@code AgentLaunchFailures})</th></tr>
 * <tr><td>executorRegistrationTimeout</td><td>{@link TaskBehaviour#executorRegistrationTimeout}: no
 *     STARTING; after {@link TestMaster.Builder#executorRegistrationTimeout} (default 1 min, the
 *     agent's flag) TASK_FAILED, REASON_EXECUTOR_REGISTRATION_TIMEOUT, SOURCE_AGENT, "Executor did
 *     not register within 1mins", with a uuid to acknowledge</td><td>chosen from the agent's source
 *     ({@code Slave::registerExecutorTimeout} sets that state, reason and message;
 *     {@code sendExecutorTerminatedStatusUpdate} sends it from the agent); seen on a loaded real
 *     1.12 agent (issue 24), not recorded</td></tr>
 * <tr><td>fetcherFailureFailsTheLaunch</td><td>{@link TaskBehaviour#fetchFails}: no STARTING;
 *     TASK_FAILED, REASON_CONTAINER_LAUNCH_FAILED, SOURCE_AGENT, "Failed to launch container: Failed
 *     to fetch all URIs for container '...': exited with status 1", the fetcher's line in the
 *     sandbox's stderr</td><td>chosen from the agent's source: the fetcher runs inside the
 *     containerizer's launch, and {@code Slave::executorLaunched} turns a failed launch into that
 *     reason; not recorded</td></tr>
 * <tr><th colspan="3">Streams and failover ({@code Streams}, {@code SchedulerEndpoint})</th></tr>
 * <tr><td>failoverRemovesOffersWithoutRescind</td><td>SUBSCRIBE of a connected framework: ERROR
 *     "Framework failed over" on the old stream, its offers dropped without RESCIND, new offers on
 *     the new stream</td><td>recorded in failover.jsonl (no RESCIND on stream 2 though it held
 *     offers)</td></tr>
 * <tr><td>callOnAStreamTheMasterEndedIsARaceWithinTheGrace</td><td>a call naming a stream the
 *     master ended ({@link TestMaster#dropStream}, a failed write, a failover by a new SUBSCRIBE, so also
 *     after {@link TestMaster#stopHeartbeats} made the client resubscribe) is answered as the real master
 *     answers (403 "Framework is not subscribed" while none is open, else 400 "The stream ID ...
 *     didn't match ..."); within {@link TestMaster.Builder#raceGrace} (default 1 s) of that end it is a
 *     {@link Race} ({@link TestMaster#races()}), later an HTTP_4xx violation</td><td>recorded: the texts in
 *     errors.jsonl; the grace is chosen: a client cannot know its stream ended before a call it
 *     had already sent arrives</td></tr>
 * <tr><td>offerSentJustBeforeTeardownIsARace</td><td>an offer outstanding at TEARDOWN is
 *     OFFER_HELD_AT_TEARDOWN only if it was sent {@link TestMaster.Builder#raceGrace} or more before
 *     TEARDOWN arrived; a younger one is a {@link Race}</td><td>chosen: the client may have
 *     queued TEARDOWN before the offer reached it</td></tr>
 * <tr><th colspan="3">Operator endpoints ({@code OperatorEndpoints}; tests in {@code TestMasterThreeAgentsTest})</th></tr>
 * <tr><td>masterSlavesHasTheRecordedFields</td><td>{@code /master/slaves[?slave_id=]}: {@code pid},
 *     numeric {@code port}, {@code active}, {@code deactivated}, {@code version},
 *     {@code registered_time}, {@code attributes}, resources as numbers with {@code gpus} and
 *     {@code ports} as one range string (no {@code ports} when none), used/offered/unreserved,
 *     {@code recovered_slaves}; the {@code *_full} lists and {@code capabilities} are left out</td>
 *     <td>recorded in master-slaves.jsonl (the key list); the left-out keys: no client reads them</td></tr>
 * <tr><td>stoppedAgentGoesInactiveThenLeavesTheListOfAgents</td><td>{@link TestMaster#removeAgent}:
 *     {@code active: false} at once ({@code deactivated} stays false); removed from
 *     {@code /master/slaves} after {@link TestMaster.Builder#agentRemovalDelay}</td><td>recorded in
 *     new-agent.jsonl (inactive within 58 ms, gone 6385 ms after the stop); the delay is chosen as
 *     in unreachableAgentPartitionAware</td></tr>
 * <tr><td>(not modelled)</td><td>{@code /master/state-summary}; {@code /master/tasks} keeps its
 *     short form ({@code id}, {@code name}, {@code framework_id}, {@code slave_id}, {@code state}),
 *     without {@code executor_id}, {@code role}, {@code resources}, {@code statuses} or the finished
 *     tasks of torn-down frameworks</td><td>recorded in master-slaves.jsonl; not modelled yet: the
 *     runner reads only the fields kept</td></tr>
 * <tr><td>(not modelled)</td><td>the offer ids counting up across events, the 75 ms between
 *     SUBSCRIBED and the first OFFERS, a restarted agent registering under a new id at the same
 *     address</td><td>recorded in multi-agent-offers.jsonl and new-agent.jsonl; the test master
 *     offers at once and names agents by {@link AgentSpec}; no test depends on the rest</td></tr>
 * <tr><th colspan="3">Agent files ({@code FakeAgent}, {@code AgentFiles}; tests in {@code TestMasterAgentFilesTest})</th></tr>
 * <tr><td>filesDownloadGivesTheBytesWithTypeByExtensionAndAttachment</td><td>{@code /files/download}: 200,
 *     the file's bytes, {@code Content-Type} by extension (a part of libprocess's table; others
 *     {@code application/octet-stream}), {@code Content-Disposition: attachment; filename=NAME}</td>
 *     <td>recorded in files-download.jsonl (out.bin, summary.html); the unknown-extension default
 *     is from the source, not recorded</td></tr>
 * <tr><td>filesErrorsAnswerAsRecorded</td><td>download of a missing file or from an unknown
 *     executor: 404 {@code 404 Not Found.}; of a directory: 400 {@code Cannot download a
 *     directory.}; without {@code path}: 400 {@code Expecting 'path=value' in query.}; browse or
 *     read of a missing path: 404 with an empty body</td><td>recorded in files-download.jsonl</td></tr>
 * <tr><td>filesReadOfBinaryDataIsTheRawBytesNotUtf8</td><td>{@code /files/read}: bytes below 0x20
 *     escaped ({@code \b \t \n \f \r}, else upper-case {@code \}{@code u00XX}), 0x7f and every byte
 *     from 0x80 raw, so the body is not valid UTF-8; {@code offset=-1} gives the size</td>
 *     <td>recorded in files-download.jsonl (the bodies compared byte for byte)</td></tr>
 * <tr><td>filesAnswerTheSameAfterTheTaskFinished</td><td>the sandbox answers the same after the
 *     task ended (until {@link FakeAgent#garbageCollect})</td><td>recorded in files-download.jsonl
 *     (2 s after TASK_FINISHED)</td></tr>
 * </table>
 */
package io.mesosrunner.cluster.mesos.testmaster;
