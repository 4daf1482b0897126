package io.mesosrunner.cluster.mesos.testmaster;

import org.apache.mesos.v1.Protos.Offer;

/** An outstanding offer and the resources it holds. */
record OfferState(Offer offer, Framework fw, FakeAgent agent, ResourcePool pool, long createdNanos) {
    String id() {
        return offer.getId().getValue();
    }
}
