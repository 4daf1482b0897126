package io.mesosrunner.cluster.mesos.testmaster;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;

/**
 * The master's operator endpoints a client reads: {@code /version}, {@code /master/slaves},
 * {@code /master/tasks}. The habits table's rows "operator endpoints" (see {@code package-info.java}).
 */
final class OperatorEndpoints {
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
     * {@code GET /master/slaves}: the agents, with the {@code id}, {@code hostname}, {@code port}
     * and {@code pid} ({@code slave(1)@127.0.0.1:PORT}) a real master gives (other fields omitted).
     */
    void slaves(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            StringBuilder json = new StringBuilder("{\"slaves\":[");
            m.lock.lock();
            try {
                boolean first = true;
                for (FakeAgent agent : m.agents.values()) {
                    if (!first) json.append(',');
                    first = false;
                    json.append("{\"id\":\"").append(agent.agentId()).append("\",\"hostname\":\"")
                        .append(agent.spec().hostname()).append("\",\"port\":").append(agent.port())
                        .append(",\"pid\":\"slave(1)@127.0.0.1:").append(agent.port()).append("\",\"active\":true}");
                }
            } finally {
                m.lock.unlock();
            }
            json(ex, json.append("],\"recovered_slaves\":[]}").toString());
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
