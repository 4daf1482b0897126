package io.mesosrunner.cluster.mesos.testmaster;

/** A refuse filter: until when (timer nanos), and what was refused (held back are offers it contains). */
record RefuseFilter(long untilNanos, ResourcePool refused) {
}
