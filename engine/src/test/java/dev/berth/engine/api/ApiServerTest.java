package dev.berth.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.Engine;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.api.http.Exchange;
import dev.berth.engine.api.http.HijackedConnection;
import dev.berth.engine.api.http.Route;
import dev.berth.engine.api.http.Router;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.events.Event;
import dev.berth.engine.state.Json;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The API server over a raw unix socket: versions, routing, errors, events, hijack, streaming bodies. */
class ApiServerTest {

    @TempDir
    static Path tmp;
    static Engine engine;
    static ApiServer api;
    static Path sock;

    /** Routes that exist only in this test, to prove the HTTP layer's mechanisms. */
    static final class TestRoutes implements Router {
        static final AtomicLong clientSent = new AtomicLong();
        static volatile long sentWhenStalled;
        static volatile long allocatorBytesWhenStalled;
        static volatile long maxAllocatorBytes;

        @Override
        public List<Route> routes() {
            return List.of(
                    Route.get("/test/fail/{kind}", TestRoutes::fail),
                    Route.get("/test/params/{name*}/json", ex -> ex.respondJson(Map.of(
                            "name", ex.pathParam("name"), "x", ex.queryAll("x"), "flag", ex.queryBool("flag"),
                            "filters", ex.filters().values()))),
                    Route.post("/test/count", TestRoutes::count),
                    Route.hijacking("POST", "/test/echo", TestRoutes::echo));
        }

        static void fail(Exchange ex) {
            String kind = ex.pathParam("kind");
            throw switch (kind) {
                case "notfound" -> new EngineException.NotFound("no such container: x1");
                case "exists" -> new EngineException.AlreadyExists("the name web is already in use");
                case "conflict" -> new EngineException.Conflict("image is in use by a container");
                case "invalid" -> new EngineException.InvalidArgument("invalid reference format");
                case "precondition" -> new EngineException.FailedPrecondition("container x1 is not running");
                case "unauthorized" -> new EngineException.Unauthorized("authentication required");
                case "unavailable" -> new EngineException.Unavailable("registry 127.0.0.1:1 cannot be reached");
                default -> new IllegalStateException("boom " + kind);
            };
        }

        /** Reads a little, waits until the client is held back, then reads the rest and counts it. */
        static void count(Exchange ex) throws Exception {
            InputStream body = ex.body();
            byte[] buf = new byte[64 * 1024];
            long total = body.readNBytes(buf, 0, buf.length);
            long last = -1;
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline) { // until the client's writes stop making progress
                long now = clientSent.get();
                if (now == last) {
                    break;
                }
                last = now;
                Thread.sleep(300);
            }
            sentWhenStalled = clientSent.get();
            allocatorBytesWhenStalled = allocatorBytes();
            long max = allocatorBytesWhenStalled;
            int n;
            while ((n = body.read(buf)) >= 0) {
                total += n;
                if ((total & ((1 << 24) - 1)) < n) {
                    max = Math.max(max, allocatorBytes());
                }
            }
            maxAllocatorBytes = max;
            ex.respondJson(Map.of("bytes", total));
        }

        static long allocatorBytes() {
            ByteBufAllocatorMetric m = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
            return m.usedDirectMemory() + m.usedHeapMemory();
        }

        static void echo(Exchange ex) throws IOException {
            JsonNode req = ex.readJson(JsonNode.class);
            if (req == null || !req.has("greeting")) {
                throw new EngineException.NotFound("no greeting to echo");
            }
            try (HijackedConnection c = ex.hijack()) {
                OutputStream out = c.output();
                out.write(req.get("greeting").asText().getBytes(StandardCharsets.UTF_8));
                InputStream in = c.input();
                byte[] buf = new byte[1024];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                }
                out.write("bye".getBytes(StandardCharsets.UTF_8));
                c.closeWrite();
            }
        }
    }

    @BeforeAll
    static void start() {
        sock = tmp.resolve("run/berth.sock");
        engine = Engine.start(new EngineConfig(tmp.resolve("root"), sock));
        api = ApiServer.builder(engine, sock).router(new TestRoutes()).start();
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    static JsonNode json(RawHttp.Response r) throws IOException {
        return Json.mapper().readTree(r.body());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String ts(Instant t) {
        return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
    }

    // ------------------------------------------------------------------ ping, versions, routing

    @Test
    void pingAnswersOkWithDockerHeadersOnVersionedAndUnversionedPaths() throws IOException {
        for (String path : List.of("/_ping", "/v1.47/_ping", "/v1.24/_ping", "/v1.40/_ping")) {
            RawHttp.Response r = RawHttp.exchange(sock, "GET", path);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.text()).isEqualTo("OK");
            assertThat(r.header("Api-Version")).isEqualTo("1.47");
            assertThat(r.header("Server")).isEqualTo("Berth/" + engine.system().version().engineVersion() + " (linux)");
            assertThat(r.header("OSType")).isEqualTo("linux");
            assertThat(r.header("Docker-Experimental")).isEqualTo("false");
            assertThat(r.header("Builder-Version")).isEqualTo("1");
            assertThat(r.header("Cache-Control")).isEqualTo("no-cache, no-store, must-revalidate");
            assertThat(r.header("Pragma")).isEqualTo("no-cache");
        }
    }

    @Test
    void headPingSendsHeadersWithoutBodyAndTheConnectionStaysUsable() throws IOException {
        try (RawHttp c = RawHttp.connect(sock)) {
            RawHttp.Response head = c.request("HEAD", "/_ping");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Api-Version")).isEqualTo("1.47");
            assertThat(head.header("Content-Length")).isEqualTo("2");
            // had the server sent a body, this would read "OK" where a status line must be
            RawHttp.Response get = c.request("GET", "/v1.47/_ping");
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.text()).isEqualTo("OK");
            RawHttp.Response headVersion = c.request("HEAD", "/version");
            assertThat(headVersion.status()).isEqualTo(200);
            assertThat(c.request("GET", "/_ping").text()).isEqualTo("OK");
        }
    }

    @Test
    void tooNewAndTooOldVersionsGetDockersError() throws IOException {
        RawHttp.Response tooNew = RawHttp.exchange(sock, "GET", "/v1.99/version");
        assertThat(tooNew.status()).isEqualTo(400);
        assertThat(tooNew.header("Content-Type")).isEqualTo("application/json");
        assertThat(json(tooNew).get("message").asText())
                .isEqualTo("client version 1.99 is too new. Maximum supported API version is 1.47");
        assertThat(tooNew.header("Api-Version")).isEqualTo("1.47");

        RawHttp.Response tooOld = RawHttp.exchange(sock, "GET", "/v1.12/info");
        assertThat(tooOld.status()).isEqualTo(400);
        assertThat(json(tooOld).get("message").asText()).isEqualTo(
                "client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version");

        assertThat(RawHttp.exchange(sock, "GET", "/v1.48/_ping").status()).isEqualTo(400);
        assertThat(RawHttp.exchange(sock, "GET", "/v1.23/_ping").status()).isEqualTo(400);
    }

    @Test
    void unknownPathIsJson404AndWrongMethodIs405() throws IOException {
        for (String path : List.of("/nope", "/v1.47/containers/x/nope", "/v1.47/")) {
            RawHttp.Response r = RawHttp.exchange(sock, "GET", path);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(r.text()).isEqualTo("{\"message\":\"page not found\"}");
        }
        RawHttp.Response wrong = RawHttp.exchange(sock, "DELETE", "/v1.47/version");
        assertThat(wrong.status()).isEqualTo(405);
        assertThat(wrong.header("Allow")).isEqualTo("GET");
        assertThat(json(wrong).get("message").asText()).contains("DELETE");
    }

    @Test
    void everyEngineErrorKindMapsToItsStatusWithItsMessage() throws IOException {
        Map<String, Integer> expected = Map.of(
                "notfound", 404, "exists", 409, "conflict", 409, "invalid", 400,
                "precondition", 409, "unauthorized", 401, "unavailable", 503, "other", 500);
        for (var e : expected.entrySet()) {
            RawHttp.Response r = RawHttp.exchange(sock, "GET", "/v1.47/test/fail/" + e.getKey());
            assertThat(r.status()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(r.header("Api-Version")).isEqualTo("1.47");
        }
        assertThat(json(RawHttp.exchange(sock, "GET", "/test/fail/notfound")).get("message").asText())
                .isEqualTo("no such container: x1");
        assertThat(json(RawHttp.exchange(sock, "GET", "/test/fail/precondition")).get("message").asText())
                .isEqualTo("container x1 is not running");
        assertThat(json(RawHttp.exchange(sock, "GET", "/test/fail/other")).get("message").asText())
                .isEqualTo("boom other");
    }

    @Test
    void pathParamsQueryParamsAndBothFilterShapesReachTheHandler() throws IOException {
        String modern = enc("{\"label\":[\"a=b\",\"c\"],\"type\":[\"container\"]}");
        RawHttp.Response r = RawHttp.exchange(sock, "GET",
                "/v1.47/test/params/registry%3A5000%2Fteam%2Fapp/json?x=1&x=2&flag=1&filters=" + modern);
        JsonNode j = json(r);
        assertThat(j.get("name").asText()).isEqualTo("registry:5000/team/app");
        assertThat(j.get("x").toString()).isEqualTo("[\"1\",\"2\"]");
        assertThat(j.get("flag").asBoolean()).isTrue();
        assertThat(j.get("filters").toString()).isEqualTo("{\"label\":[\"a=b\",\"c\"],\"type\":[\"container\"]}");

        String legacy = enc("{\"label\":{\"a=b\":true,\"off\":false},\"dangling\":{\"true\":true}}");
        JsonNode l = json(RawHttp.exchange(sock, "GET", "/test/params/registry:5000/team/app:1/json?flag=false&filters=" + legacy));
        assertThat(l.get("name").asText()).isEqualTo("registry:5000/team/app:1");
        assertThat(l.get("flag").asBoolean()).isFalse();
        assertThat(l.get("filters").toString()).isEqualTo("{\"label\":[\"a=b\"],\"dangling\":[\"true\"]}");

        RawHttp.Response bad = RawHttp.exchange(sock, "GET", "/test/params/x/json?filters=" + enc("{not json"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(json(bad).get("message").asText()).startsWith("invalid filters");
    }

    @Test
    void versionAndInfoCarryTheEnginesFacts() throws IOException {
        JsonNode v = json(RawHttp.exchange(sock, "GET", "/v1.47/version"));
        assertThat(v.get("Platform").get("Name").asText()).isEqualTo("Berth Engine");
        assertThat(v.get("Version").asText()).isEqualTo(engine.system().version().engineVersion());
        assertThat(v.get("ApiVersion").asText()).isEqualTo("1.47");
        assertThat(v.get("MinAPIVersion").asText()).isEqualTo("1.24");
        assertThat(v.get("Os").asText()).isEqualTo("linux");
        assertThat(v.get("GoVersion").asText()).startsWith("java25");
        assertThat(v.get("KernelVersion").asText()).isEqualTo(engine.system().version().kernelVersion());
        JsonNode comp = v.get("Components").get(0);
        assertThat(comp.get("Name").asText()).isEqualTo("Engine");
        assertThat(comp.get("Details").get("ApiVersion").asText()).isEqualTo("1.47");
        assertThat(comp.get("Details").get("Experimental").asText()).isEqualTo("false");

        JsonNode i = json(RawHttp.exchange(sock, "GET", "/info"));
        var info = engine.system().info();
        assertThat(i.get("ID").asText()).isEqualTo(info.engineId());
        assertThat(i.get("Driver").asText()).isEqualTo("overlayfs");
        assertThat(i.get("DockerRootDir").asText()).isEqualTo(tmp.resolve("root").toString());
        assertThat(i.get("NCPU").asInt()).isEqualTo(info.host().cpus());
        assertThat(i.get("MemTotal").asLong()).isEqualTo(info.host().memoryBytes());
        assertThat(i.get("Name").asText()).isEqualTo(info.host().hostname());
        assertThat(i.get("CgroupVersion").asText()).isEqualTo(String.valueOf(info.host().cgroupVersion()));
        assertThat(i.get("DefaultRuntime").asText()).isEqualTo(info.tools().runtime().orElseThrow().name());
        assertThat(i.get("Runtimes").get(info.tools().runtime().orElseThrow().name()).get("path").asText())
                .isEqualTo(info.tools().runtime().orElseThrow().path());
        assertThat(i.get("Plugins").get("Network").toString()).isEqualTo("[\"bridge\",\"host\",\"none\"]");
        assertThat(i.get("RegistryConfig").get("InsecureRegistryCIDRs").toString()).isEqualTo("[\"127.0.0.0/8\"]");
        assertThat(i.get("Warnings").isArray()).isTrue();
        assertThat(i.has("SecurityOptions") && i.get("SecurityOptions").size() > 0).isFalse();
        assertThat(i.get("Berth").get("Conmon").get("Path").asText())
                .isEqualTo(info.tools().conmon().orElseThrow().path());
    }

    // ------------------------------------------------------------------ events

    List<JsonNode> pastEvents(Instant since, Instant until, String filtersJson) throws IOException {
        String q = "/v1.47/events?since=" + ts(since) + "&until=" + ts(until)
                + (filtersJson == null ? "" : "&filters=" + enc(filtersJson));
        RawHttp.Response r = RawHttp.exchange(sock, "GET", q);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.text().split("\n")) {
            if (!line.isBlank()) {
                out.add(Json.mapper().readTree(line));
            }
        }
        return out;
    }

    static List<String> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.get("Actor").get("ID").asText()).toList();
    }

    @Test
    void eventsHonourSinceUntilAndEveryFilterKind() throws Exception {
        Instant since = Instant.now();
        var bus = engine.events();
        bus.publish(Event.of("container", "create", "f-c1", Map.of("name", "f-web", "image", "busybox:1", "com.example", "1")));
        bus.publish(Event.of("container", "die", "f-c2", Map.of("name", "f-db", "image", "busybox:1", "exitCode", "0")));
        bus.publish(Event.of("image", "pull", "f-busybox:1", Map.of("name", "f-busybox:1")));
        bus.publish(Event.of("network", "create", "f-n1", Map.of("name", "f-net", "type", "bridge")));
        bus.publish(Event.of("volume", "create", "f-v1", Map.of("driver", "local")));
        bus.publish(Event.of("container", "exec_start: sh -c true", "f-c1", Map.of("name", "f-web")));
        Thread.sleep(2); // until must be after the last event's time
        Instant until = Instant.now();

        assertThat(ids(pastEvents(since, until, null))).containsExactly(
                "f-c1", "f-c2", "f-busybox:1", "f-n1", "f-v1", "f-c1");
        assertThat(ids(pastEvents(since, until, "{\"type\":[\"container\"]}"))).containsExactly("f-c1", "f-c2", "f-c1");
        assertThat(ids(pastEvents(since, until, "{\"type\":{\"image\":true,\"volume\":true}}")))
                .containsExactly("f-busybox:1", "f-v1");
        assertThat(ids(pastEvents(since, until, "{\"event\":[\"die\",\"pull\"]}"))).containsExactly("f-c2", "f-busybox:1");
        assertThat(ids(pastEvents(since, until, "{\"event\":[\"exec_start\"]}"))).containsExactly("f-c1");
        assertThat(ids(pastEvents(since, until, "{\"container\":[\"f-d\"]}"))).containsExactly("f-c2");
        assertThat(ids(pastEvents(since, until, "{\"container\":[\"f-c1\"],\"event\":[\"create\"]}"))).containsExactly("f-c1");
        assertThat(ids(pastEvents(since, until, "{\"image\":[\"f-busybox\"]}"))).containsExactly("f-busybox:1");
        assertThat(ids(pastEvents(since, until, "{\"image\":[\"busybox:1\"]}"))).containsExactly("f-c1", "f-c2");
        assertThat(ids(pastEvents(since, until, "{\"network\":[\"f-net\"]}"))).containsExactly("f-n1");
        assertThat(ids(pastEvents(since, until, "{\"volume\":[\"f-v1\"]}"))).containsExactly("f-v1");
        assertThat(ids(pastEvents(since, until, "{\"label\":[\"com.example=1\"]}"))).containsExactly("f-c1");
        assertThat(ids(pastEvents(since, until, "{\"label\":[\"com.example=2\"]}"))).isEmpty();
        assertThat(ids(pastEvents(since, until, "{\"daemon\":[\"x\"]}"))).isEmpty();

        // Docker's event JSON, with the legacy fields for container events only
        JsonNode die = pastEvents(since, until, "{\"event\":[\"die\"]}").getFirst();
        assertThat(die.get("Type").asText()).isEqualTo("container");
        assertThat(die.get("Action").asText()).isEqualTo("die");
        assertThat(die.get("status").asText()).isEqualTo("die");
        assertThat(die.get("id").asText()).isEqualTo("f-c2");
        assertThat(die.get("from").asText()).isEqualTo("busybox:1");
        assertThat(die.get("scope").asText()).isEqualTo("local");
        assertThat(die.get("Actor").get("Attributes").get("exitCode").asText()).isEqualTo("0");
        assertThat(die.get("timeNano").asLong() / 1_000_000_000L).isEqualTo(die.get("time").asLong());
        JsonNode net = pastEvents(since, until, "{\"type\":[\"network\"]}").getFirst();
        assertThat(net.has("status")).isFalse();
        assertThat(net.has("from")).isFalse();

        // only events up to until
        Instant middle = Instant.now();
        bus.publish(Event.of("container", "start", "f-late", Map.of("name", "f-late")));
        assertThat(ids(pastEvents(since, middle, "{\"container\":[\"f-late\"]}"))).isEmpty();

        RawHttp.Response badKey = RawHttp.exchange(sock, "GET", "/events?until=1&filters=" + enc("{\"nope\":[\"x\"]}"));
        assertThat(badKey.status()).isEqualTo(400);
        assertThat(json(badKey).get("message").asText()).isEqualTo("invalid filter 'nope'");
        RawHttp.Response backwards = RawHttp.exchange(sock, "GET", "/events?since=20&until=10");
        assertThat(backwards.status()).isEqualTo(400);
        assertThat(json(backwards).get("message").asText()).isEqualTo("`since` time (20) cannot be after `until` time (10)");
        assertThat(RawHttp.exchange(sock, "GET", "/events?since=yesterday").status()).isEqualTo(400);
    }

    @Test
    void eventsStreamLiveInOrderAndCloseTheSubscriptionWhenTheClientLeaves() throws Exception {
        var bus = engine.events();
        int before = bus.subscriberCount();
        RawHttp c = RawHttp.connect(sock);
        try {
            c.write("GET /v1.47/events?filters=" + enc("{\"type\":[\"container\"],\"container\":[\"order-\"]}")
                    + " HTTP/1.1\r\nHost: docker\r\n\r\n");
            RawHttp.Head head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Type")).isEqualTo("application/json");
            assertThat(bus.subscriberCount()).isEqualTo(before + 1);

            int n = 300;
            for (int k = 0; k < n; k++) {
                bus.publish(Event.of("container", "start", "order-" + k, Map.of("name", "order-" + k)));
                bus.publish(Event.of("image", "tag", "noise-" + k, Map.of()));
            }
            List<String> seen = new ArrayList<>();
            StringBuilder pending = new StringBuilder();
            while (seen.size() < n) {
                pending.append(new String(c.readChunk(), StandardCharsets.UTF_8));
                int nl;
                while ((nl = pending.indexOf("\n")) >= 0) {
                    seen.add(Json.mapper().readTree(pending.substring(0, nl)).get("Actor").get("ID").asText());
                    pending.delete(0, nl + 1);
                }
            }
            List<String> expected = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                expected.add("order-" + k);
            }
            assertThat(seen).isEqualTo(expected);
        } finally {
            c.close();
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (bus.subscriberCount() != before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(bus.subscriberCount()).as("subscriptions after the client left").isEqualTo(before);
    }

    @Test
    void eventsWithUntilInTheFutureEndWhenUntilIsReached() throws IOException {
        Instant until = Instant.now().plusMillis(700);
        String id = "until-" + System.nanoTime();
        try (RawHttp c = RawHttp.connect(sock)) {
            c.write("GET /events?until=" + ts(until) + "&filters=" + enc("{\"container\":[\"" + id + "\"]}")
                    + " HTTP/1.1\r\nHost: docker\r\n\r\n");
            RawHttp.Head head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            engine.events().publish(Event.of("container", "start", id, Map.of()));
            StringBuilder body = new StringBuilder();
            byte[] chunk;
            while ((chunk = c.readChunk()) != null) { // returns once the server ends the stream
                body.append(new String(chunk, StandardCharsets.UTF_8));
            }
            assertThat(body.toString()).contains("\"ID\":\"" + id + "\"");
            assertThat(Instant.now()).isAfterOrEqualTo(until);
        }
    }

    // ------------------------------------------------------------------ hijack, streaming bodies

    @Test
    void hijackUpgradesToARawStreamWithHalfCloseBothWays() throws IOException {
        try (RawHttp c = RawHttp.connect(sock)) {
            String body = "{\"greeting\":\"hello;\"}";
            // the first stdin bytes travel in the same write as the request: they must not be lost
            c.write("POST /v1.47/test/echo HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body + "ping-1;");
            RawHttp.Head head = c.readHead();
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.reason()).isEqualTo("UPGRADED");
            assertThat(head.header("Connection")).isEqualTo("Upgrade");
            assertThat(head.header("Upgrade")).isEqualTo("tcp");
            assertThat(head.header("Content-Type")).isEqualTo("application/vnd.docker.raw-stream");
            assertThat(head.header("Api-Version")).isEqualTo("1.47");
            assertThat(new String(c.readExactly("hello;ping-1;".length()), StandardCharsets.UTF_8)).isEqualTo("hello;ping-1;");
            c.write("ping-2;");
            assertThat(new String(c.readExactly("ping-2;".length()), StandardCharsets.UTF_8)).isEqualTo("ping-2;");
            c.shutdownOutput(); // the client's stdin ends; the server still talks
            assertThat(new String(c.readToEnd(), StandardCharsets.UTF_8)).isEqualTo("bye");
        }
    }

    @Test
    void hijackWithoutUpgradeHeaderAnswers200RawStream() throws IOException {
        try (RawHttp c = RawHttp.connect(sock)) {
            String body = "{\"greeting\":\"hi\"}";
            c.write("POST /test/echo HTTP/1.1\r\nHost: docker\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            RawHttp.Head head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Type")).isEqualTo("application/vnd.docker.raw-stream");
            assertThat(head.header("Upgrade")).isNull();
            assertThat(new String(c.readExactly(2), StandardCharsets.UTF_8)).isEqualTo("hi");
            c.shutdownOutput();
            assertThat(new String(c.readToEnd(), StandardCharsets.UTF_8)).isEqualTo("bye");
        }
    }

    @Test
    void aHijackableRouteCanStillAnswerWithAnErrorAndThenClosesTheConnection() throws IOException {
        try (RawHttp c = RawHttp.connect(sock)) {
            c.write("POST /test/echo HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
                    + "Content-Length: 2\r\n\r\n{}");
            RawHttp.Response r = c.readResponse(false);
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(json(r).get("message").asText()).isEqualTo("no greeting to echo");
            assertThat(c.readByte()).as("connection closed after the answer").isEqualTo(-1);
        }
    }

    @Test
    void aLargeRequestBodyIsStreamedWithBackpressureNotBuffered() throws Exception {
        long size = 200L * 1024 * 1024;
        TestRoutes.clientSent.set(0);
        try (RawHttp c = RawHttp.connect(sock)) {
            c.write("POST /v1.47/test/count HTTP/1.1\r\nHost: docker\r\nContent-Type: application/x-tar\r\n"
                    + "Content-Length: " + size + "\r\n\r\n");
            byte[] block = new byte[64 * 1024];
            for (int k = 0; k < block.length; k++) {
                block[k] = (byte) (k * 31);
            }
            for (long sent = 0; sent < size; sent += block.length) {
                c.write(block);
                TestRoutes.clientSent.addAndGet(block.length);
            }
            RawHttp.Response r = c.readResponse(false);
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            assertThat(json(r).get("bytes").asLong()).isEqualTo(size);
        }
        System.out.printf("stalled after %d bytes sent; allocator %d bytes then, at most %d%n",
                TestRoutes.sentWhenStalled, TestRoutes.allocatorBytesWhenStalled, TestRoutes.maxAllocatorBytes);
        // while the handler was not reading, the client was held back by the socket, not absorbed by the heap
        assertThat(TestRoutes.sentWhenStalled).isLessThan(16L * 1024 * 1024);
        assertThat(TestRoutes.allocatorBytesWhenStalled).isLessThan(32L * 1024 * 1024);
        assertThat(TestRoutes.maxAllocatorBytes).isLessThan(32L * 1024 * 1024);
    }

    @Test
    void aClientThatHalfClosesAfterItsRequestStillGetsTheAnswer() throws IOException {
        try (RawHttp c = RawHttp.connect(sock)) {
            c.write("GET /v1.47/version HTTP/1.1\r\nHost: docker\r\n\r\n");
            c.shutdownOutput();
            RawHttp.Response r = c.readResponse(false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(json(r).get("ApiVersion").asText()).isEqualTo("1.47");
            assertThat(c.readByte()).isEqualTo(-1);
        }
    }

    @Test
    void manyClientsAtOnceEachGetTheirOwnAnswers() throws Exception {
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<Integer>> results = new ArrayList<>();
            for (int k = 0; k < 40; k++) {
                int client = k;
                results.add(pool.submit(() -> {
                    int ok = 0;
                    try (RawHttp c = RawHttp.connect(sock)) {
                        for (int i = 0; i < 20; i++) {
                            RawHttp.Response r = c.request("GET", "/test/params/c" + client + "-" + i + "/json");
                            if (json(r).get("name").asText().equals("c" + client + "-" + i)) {
                                ok++;
                            }
                        }
                    }
                    return ok;
                }));
            }
            for (var f : results) {
                assertThat(f.get()).isEqualTo(20);
            }
        }
    }

    @Test
    void brokenHttpGetsA400AndTheConnectionIsClosed() throws IOException {
        try (RawHttp c = RawHttp.connect(sock)) {
            c.write("GET /_ping HTTP/1.1\r\nHost: docker\r\nX-Huge: " + "a".repeat(70 * 1024) + "\r\n\r\n");
            RawHttp.Response r = c.readResponse(false);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("Api-Version")).isEqualTo("1.47");
            assertThat(json(r).get("message").asText()).startsWith("bad request");
            assertThat(c.readByte()).isEqualTo(-1);
        }
    }

    @Test
    void requestsOnOneConnectionAreServedInTurn() throws IOException {
        try (RawHttp c = RawHttp.connect(sock)) {
            // pipelined: three requests in one write
            c.write("GET /_ping HTTP/1.1\r\nHost: d\r\n\r\nGET /v1.47/version HTTP/1.1\r\nHost: d\r\n\r\n"
                    + "GET /nope HTTP/1.1\r\nHost: d\r\n\r\n");
            assertThat(c.readResponse(false).text()).isEqualTo("OK");
            assertThat(json(c.readResponse(false)).get("ApiVersion").asText()).isEqualTo("1.47");
            assertThat(c.readResponse(false).status()).isEqualTo(404);
        }
    }
}
