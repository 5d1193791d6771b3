package dev.berth.engine.api.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerFilter;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.CreateRequest;
import dev.berth.testkit.EngineExtension;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The containers routes on the wire (exact framing) and through docker-java. */
@RootOnly
class ContainersApiTest {

    @TempDir
    static Path tmp;

    @RegisterExtension
    static final EngineExtension engine = EngineExtension.start().withBusybox("busybox:latest").serving();

    /** One request with {@code Connection: close}; returns the head and the de-chunked body. */
    static String[] request(String method, String target) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(engine.socket()));
            String req = method + " " + target + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n";
            ch.write(java.nio.ByteBuffer.wrap(req.getBytes(StandardCharsets.US_ASCII)));
            byte[] all = Channels.newInputStream(ch).readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int split = text.indexOf("\r\n\r\n");
            String head = text.substring(0, split);
            String rest = text.substring(split + 4);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                StringBuilder body = new StringBuilder();
                int i = 0;
                while (true) {
                    int eol = rest.indexOf("\r\n", i);
                    int size = Integer.parseInt(rest.substring(i, eol).strip(), 16);
                    if (size == 0) {
                        break;
                    }
                    body.append(rest, eol + 2, eol + 2 + size);
                    i = eol + 2 + size + 2;
                }
                rest = body.toString();
            }
            return new String[] {head, rest};
        }
    }

    @Test
    void logsAreMultiplexedWithDockersEightByteHeaders() throws Exception {
        ContainerService svc = engine.engine().containers();
        Container c = svc.create(CreateRequest.builder("busybox").name("framed")
                .cmd("sh", "-c", "echo hello; echo oops >&2").build());
        svc.start(c.id());
        svc.wait(c.id(), ContainerService.WaitCondition.NOT_RUNNING, Duration.ofSeconds(20));
        String[] r = request("GET", "/v1.47/containers/framed/logs?stdout=1&stderr=1");
        assertThat(r[0]).startsWith("HTTP/1.1 200").containsIgnoringCase("content-type: application/vnd.docker.multiplexed-stream");
        byte[] body = r[1].getBytes(StandardCharsets.ISO_8859_1);
        assertThat(body).containsExactly(
                1, 0, 0, 0, 0, 0, 0, 6, 'h', 'e', 'l', 'l', 'o', '\n',
                2, 0, 0, 0, 0, 0, 0, 5, 'o', 'o', 'p', 's', '\n');

        String[] onlyErr = request("GET", "/v1.47/containers/framed/logs?stderr=1");
        assertThat(onlyErr[1].getBytes(StandardCharsets.ISO_8859_1))
                .containsExactly(2, 0, 0, 0, 0, 0, 0, 5, 'o', 'o', 'p', 's', '\n');
    }

    @Test
    void ttyLogsAreRawAndErrorsUseDockersWords() throws Exception {
        ContainerService svc = engine.engine().containers();
        Container c = svc.create(CreateRequest.builder("busybox").name("rawtty").tty(true).cmd("echo", "hi").build());
        svc.start(c.id());
        svc.wait(c.id(), ContainerService.WaitCondition.NOT_RUNNING, Duration.ofSeconds(20));
        String[] r = request("GET", "/v1.47/containers/rawtty/logs?stdout=1");
        assertThat(r[0]).containsIgnoringCase("content-type: application/vnd.docker.raw-stream");
        assertThat(r[1]).isEqualTo("hi\r\n");

        String[] missing = request("GET", "/v1.47/containers/nope/json");
        assertThat(missing[0]).startsWith("HTTP/1.1 404");
        assertThat(missing[1]).contains("No such container: nope");
        String[] stopped = request("POST", "/v1.47/containers/rawtty/stop");
        assertThat(stopped[0]).startsWith("HTTP/1.1 304");
        String[] notRunning = request("POST", "/v1.47/containers/rawtty/kill");
        assertThat(notRunning[0]).startsWith("HTTP/1.1 409");
        assertThat(notRunning[1]).contains("is not running");
    }

    static DockerClient dockerJava() {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("unix://" + engine.socket())
                .withDockerConfig(tmp.resolve("docker-java-config").toString())
                .build();
        return DockerClientImpl.getInstance(config,
                new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
    }

    @Test
    void dockerJavaCreatesStartsWaitsReadsLogsAndRemoves() throws Exception {
        try (DockerClient client = dockerJava()) {
            String id = client.createContainerCmd("busybox").withName("dj")
                    .withCmd("sh", "-c", "echo from-java; exit 4").withLabels(java.util.Map.of("k", "v")).exec().getId();
            assertThat(client.inspectContainerCmd(id).exec().getState().getStatus()).isEqualTo("created");
            client.startContainerCmd(id).exec();
            int code = client.waitContainerCmd(id).start().awaitStatusCode(20, TimeUnit.SECONDS);
            assertThat(code).isEqualTo(4);
            List<String> lines = new ArrayList<>();
            client.logContainerCmd(id).withStdOut(true).withStdErr(true).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame f) {
                    lines.add(f.getStreamType() + ":" + new String(f.getPayload(), StandardCharsets.UTF_8));
                }
            }).awaitCompletion(20, TimeUnit.SECONDS);
            assertThat(lines).containsExactly(StreamType.STDOUT + ":from-java\n");
            var inspect = client.inspectContainerCmd("dj").exec();
            assertThat(inspect.getState().getExitCodeLong()).isEqualTo(4L);
            assertThat(inspect.getName()).isEqualTo("/dj");
            assertThat(client.listContainersCmd().withShowAll(true).withLabelFilter(java.util.Map.of("k", "v")).exec())
                    .singleElement().satisfies(s -> assertThat(s.getNames()).containsExactly("/dj"));
            client.removeContainerCmd(id).exec();
            assertThat(engine.engine().containers().list(ContainerFilter.ALL)).isEmpty();
        }
    }
}
