package io.mesosrunner.cluster.mesos.testmaster;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;

/**
 * The master's operator endpoints a client reads: {@code /version}, {@code /master/slaves},
 * {@code /master/tasks}. The habits table's rows "operator endpoints" (see {@code package-info.java}).
 */
final class OperatorEndpoints {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final MasterState m;

    OperatorEndpoints(MasterState m) {
        this.m = m;
    }

    void version(HttpExchange ex) throws IOException {
        try (ex) {
            json(ex, "{\"build_date\":\"2026-11-25 14:23:06\",\"build_time\":1795616586.0,\"build_user\":\"\","
                    + "\"version\":\"1.12.0\"}");
        }
    }

    /**
     * {@code GET /master/slaves[?slave_id=ID]}: the agents the master has not removed, with the
     * fields of master-slaves.jsonl ({@code pid}, numeric {@code port}, resources as objects of
     * numbers with {@code gpus} and {@code ports} as one range string, {@code active} false while
     * the agent does not answer), and {@code recovered_slaves}.
     */
    void slaves(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            String only = query(ex).get("slave_id");
            ObjectNode root = MAPPER.createObjectNode();
            ArrayNode list = root.putArray("slaves");
            m.lock.lock();
            try {
                for (FakeAgent agent : m.agents.values()) {
                    if (!agent.removed && (only == null || only.equals(agent.agentId()))) {
                        slave(list.addObject(), agent);
                    }
                }
            } finally {
                m.lock.unlock();
            }
            root.putArray("recovered_slaves");
            json(ex, root.toString());
        }
    }

    /** One agent as the real master lists it. Lock held. */
    private void slave(ObjectNode o, FakeAgent agent) {
        o.put("id", agent.agentId());
        o.put("pid", "slave(1)@127.0.0.1:" + agent.port());
        o.put("hostname", agent.spec().hostname());
        o.put("port", agent.port());
        o.put("active", agent.reachable);
        o.put("deactivated", false);
        o.put("version", "1.12.0");
        o.put("registered_time", agent.registeredTime);
        ObjectNode attributes = o.putObject("attributes");
        agent.spec().attributes().forEach(attributes::put);
        List<Resource> used = new ArrayList<>();
        for (Framework fw : m.frameworks.values()) {
            for (MasterTask t : fw.tasks.values()) {
                if (t.agent == agent && !t.terminal) {
                    used.addAll(t.resources);
                }
            }
        }
        List<Resource> offered = new ArrayList<>();
        m.offers.values().stream().filter(of -> of.agent() == agent).forEach(of -> offered.addAll(of.offer().getResourcesList()));
        List<Resource> total = ResourcePool.of(agent.spec()).toProto("*");
        resources(o.putObject("resources"), total);
        resources(o.putObject("used_resources"), used);
        resources(o.putObject("offered_resources"), offered);
        resources(o.putObject("unreserved_resources"), total);
        o.putObject("reserved_resources");
    }

    /** Resources as the master prints them: a number per scalar (gpus always there), ports as one range string. */
    static void resources(ObjectNode o, List<Resource> resources) {
        Map<String, Double> scalars = new LinkedHashMap<>();
        for (String name : List.of("disk", "mem", "gpus", "cpus")) {
            scalars.put(name, 0.0);
        }
        List<String> ranges = new ArrayList<>();
        for (Resource r : resources) {
            if (r.getType() == Value.Type.SCALAR) {
                scalars.merge(r.getName(), r.getScalar().getValue(), Double::sum);
            } else if (r.getType() == Value.Type.RANGES && r.getName().equals("ports")) {
                r.getRanges().getRangeList().forEach(x -> ranges.add(x.getBegin() + "-" + x.getEnd()));
            }
        }
        scalars.forEach(o::put);
        if (!ranges.isEmpty()) {
            o.put("ports", "[" + String.join(", ", ranges) + "]");
        }
    }

    /**
     * {@code GET /master/tasks?framework_id=..&limit=..}: the framework's tasks as JSON
     * ({@code {"tasks":[{"id","name","framework_id","slave_id","state"}]}}).
     */
    void tasks(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            Map<String, String> query = query(ex);
            int limit = Integer.parseInt(query.getOrDefault("limit", "100"));
            StringBuilder json = new StringBuilder("{\"tasks\":[");
            m.lock.lock();
            try {
                int n = 0;
                for (Framework fw : m.frameworks.values()) {
                    if (query.containsKey("framework_id") && !fw.id.equals(query.get("framework_id"))) continue;
                    for (MasterTask t : fw.tasks.values()) {
                        if (n == limit) break;
                        if (n++ > 0) json.append(',');
                        json.append("{\"id\":\"").append(t.info.getTaskId().getValue())
                            .append("\",\"name\":\"").append(t.info.getName())
                            .append("\",\"framework_id\":\"").append(fw.id)
                            .append("\",\"slave_id\":\"").append(t.agent.agentId())
                            .append("\",\"state\":\"").append(t.state.name()).append("\"}");
                    }
                }
            } finally {
                m.lock.unlock();
            }
            json(ex, json.append("]}").toString());
        }
    }

    static Map<String, String> query(HttpExchange ex) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    query.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static void json(HttpExchange ex, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", TestMaster.JSON);
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
    }
}
