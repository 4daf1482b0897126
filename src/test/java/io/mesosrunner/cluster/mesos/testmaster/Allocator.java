package io.mesosrunner.cluster.mesos.testmaster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * Offers and filters: the periodic allocation, outstanding offers, DECLINE and the refuse filters,
 * rescinding. The habits table's rows "offers and filters" (see {@code package-info.java}).
 * Every method expects the master's lock held.
 */
final class Allocator {
    private final MasterState m;

    Allocator(MasterState m) {
        this.m = m;
    }

    /** Starts the periodic allocation, one interval from now. */
    void startPeriodic() {
        Duration every = m.config.allocationInterval;
        m.allocations = m.timers.every(() -> m.locked(this::allocate), every, every);
    }

    /** A new framework subscribed: a pending phase moves the periodic allocation now. */
    void applyPendingPhase() {
        if (m.pendingAllocationPhase == null) {
            return;
        }
        m.allocations.cancel(false);
        m.allocations = m.timers.every(() -> m.locked(this::allocate), m.pendingAllocationPhase,
                m.config.allocationInterval);
        m.pendingAllocationPhase = null;
    }

    /** An allocation run off the grid (a framework or agent added, REVIVE). */
    void allocateSoon() {
        m.soon(this::allocate);
    }

    /** One allocation run: each framework gets one OFFERS event with an offer per agent it may have. */
    void allocate() {
        if (m.closed) {
            return;
        }
        long now = m.timers.nanoTime();
        for (Framework fw : m.frameworks.values()) {
            if (fw.stream == null || fw.suppressed) {
                continue;
            }
            List<Offer> batch = new ArrayList<>();
            for (FakeAgent agent : m.agents.values()) {
                if (!agent.reachable || refused(fw, agent, now) || !agent.available.allocatable()
                        || (agent.available.hasGpus() && !fw.gpuResources())) {
                    continue;
                }
                batch.add(offer(fw, agent, now).offer());
            }
            if (!batch.isEmpty()) {
                // The real master's order inside an event is not the agents' order and changes.
                java.util.Collections.shuffle(batch, m.offerOrder);
                m.streams.send(fw, Event.newBuilder().setType(Event.Type.OFFERS)
                        .setOffers(Event.Offers.newBuilder().addAllOffers(batch)).build());
            }
        }
    }

    /** Takes the agent's free resources into a new outstanding offer to {@code fw}. */
    private OfferState offer(Framework fw, FakeAgent agent, long now) {
        ResourcePool pool = agent.available.takeAll();
        String id = m.masterId + "-O" + m.offerSeq.getAndIncrement();
        Offer.Builder offer = Offer.newBuilder().setId(OfferID.newBuilder().setValue(id))
                .setFrameworkId(FrameworkID.newBuilder().setValue(fw.id))
                .setAgentId(AgentID.newBuilder().setValue(agent.agentId()))
                .setHostname(agent.spec().hostname()).addAllResources(pool.toProto(fw.role()))
                .setUrl(agent.url())
                .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(fw.role()));
        agent.spec().attributes().forEach((k, v) -> offer.addAttributes(Attribute.newBuilder().setName(k)
                .setType(Value.Type.TEXT).setText(Value.Text.newBuilder().setValue(v))));
        OfferState state = new OfferState(offer.build(), fw, agent, pool, now);
        m.offers.put(id, state);
        if (m.config.offerTimeout != null) {
            // The master's own timer per offer (Master::offerTimeout); the resources go back
            // without a filter and are offered at the next allocation.
            m.later(m.config.offerTimeout, () -> {
                if (m.offers.get(id) == state) {
                    rescind(state);
                }
            });
        }
        return state;
    }

    void rescind(String offerId) {
        OfferState o = m.offers.get(offerId);
        if (o == null) {
            throw new IllegalArgumentException("offer '" + offerId + "' is not outstanding (outstanding: "
                    + m.offers.keySet() + ")");
        }
        rescind(o);
    }

    void rescind(OfferState o) {
        m.offers.remove(o.id());
        o.agent().available.addPool(o.pool());
        m.streams.send(o.fw(), Event.newBuilder().setType(Event.Type.RESCIND)
                .setRescind(Event.Rescind.newBuilder().setOfferId(o.offer().getId())).build());
    }

    /** Drops the framework's outstanding offers (with RESCIND events if {@code rescind}). */
    void removeOffersOf(Framework fw, boolean rescind) {
        for (OfferState o : List.copyOf(m.offers.values())) {
            if (o.fw() == fw) {
                if (rescind) {
                    rescind(o);
                } else {
                    m.offers.remove(o.id());
                    o.agent().available.addPool(o.pool());
                }
            }
        }
    }

    /** Rescinds every outstanding offer on the agent. */
    void rescindOffersOn(FakeAgent agent) {
        for (OfferState o : List.copyOf(m.offers.values())) {
            if (o.agent() == agent) {
                rescind(o);
            }
        }
    }

    void decline(Framework fw, List<OfferID> ids, Filters filters) {
        for (OfferID id : ids) {
            OfferState o = m.offers.get(id.getValue());
            if (o != null && o.fw() == fw) {
                m.offers.remove(id.getValue());
                o.agent().available.addPool(o.pool());
                refuse(fw, o.agent(), filters, o.pool());
            }
        }
    }

    void refuse(Framework fw, FakeAgent agent, Filters filters, ResourcePool refused) {
        // Absent, unset and negative all mean the protobuf default of 5 s (default-refuse.jsonl);
        // the allocator cuts values over 365 days to 365 days.
        double seconds = filters.hasRefuseSeconds() && filters.getRefuseSeconds() >= 0 ? filters.getRefuseSeconds() : 5.0;
        seconds = Math.min(seconds, 365 * 86400.0);
        if (seconds > 0) {
            // As the allocator: a filter lasts at least one allocation interval, and an agent can
            // hold several filters of one framework, each expiring on its own.
            long nanos = Math.max((long) (seconds * 1e9), m.config.allocationInterval.toNanos());
            fw.addFilter(agent.agentId(), new RefuseFilter(m.timers.nanoTime() + nanos, refused.copy()));
        }
    }

    /** Whether a live refuse filter holds back the agent's free resources from the framework. */
    private boolean refused(Framework fw, FakeAgent agent, long now) {
        List<RefuseFilter> filters = fw.refuseFilters.get(agent.agentId());
        if (filters == null) {
            return false;
        }
        filters.removeIf(f -> f.untilNanos() - now <= 0);
        if (filters.isEmpty()) {
            fw.refuseFilters.remove(agent.agentId());
            return false;
        }
        if (!m.config.resourceRefuseFilters) {
            return true;
        }
        for (RefuseFilter f : filters) {
            if (f.refused().containsPool(agent.available)) {
                return true;
            }
        }
        return false;
    }
}
