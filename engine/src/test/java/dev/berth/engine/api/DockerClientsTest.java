package dev.berth.engine.api;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.berth.engine.Engine;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.events.Event;
import dev.berth.engine.system.SystemInfo;
import dev.berth.testkit.DockerCli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Real Docker clients against the API server: the installed docker CLI and docker-java. */
class DockerClientsTest {

    @TempDir
    static Path tmp;
    static Engine engine;
    static ApiServer api;
    static Path sock;

    @BeforeAll
    static void start() {
        sock = tmp.resolve("run/berth.sock");
        engine = Engine.start(new EngineConfig(tmp.resolve("root"), sock));
        api = ApiServer.serve(engine, sock);
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

    /** Runs the docker CLI against our socket, with its own empty config directory. */
    static DockerCli.Run docker(String... args) throws IOException, InterruptedException {
        return new DockerCli(sock, tmp).run(args);
    }

    @Test
    void dockerVersionShowsBerthAsTheServer() throws Exception {
        DockerCli.Run r = docker("version");
        assertThat(r.exit()).as(r.err()).isZero();
        String version = engine.system().version().engineVersion();
        assertThat(r.out()).contains("Server: Berth Engine");
        assertThat(r.out()).containsPattern("Engine:\\s*\\n\\s*Version:\\s+" + java.util.regex.Pattern.quote(version));
        assertThat(r.out()).containsPattern("API version:\\s+1\\.47 \\(minimum version 1\\.24\\)");
        assertThat(r.out()).containsPattern("Go version:\\s+java25");
        assertThat(r.out()).containsPattern("OS/Arch:\\s+linux/");
    }

    @Test
    void dockerInfoShowsBerthsValues() throws Exception {
        DockerCli.Run r = docker("info");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        SystemInfo info = engine.system().info();
        String runtime = info.tools().runtime().orElseThrow().name();
        assertThat(r.out()).contains("Server Version: " + info.engineVersion());
        assertThat(r.out()).contains("Storage Driver: overlayfs");
        assertThat(r.out()).contains("Default Runtime: " + runtime);
        assertThat(r.out()).containsPattern("Runtimes: .*" + runtime);
        assertThat(r.out()).contains("Docker Root Dir: " + tmp.resolve("root"));
        assertThat(r.out()).contains("Cgroup Version: " + info.host().cgroupVersion());
        assertThat(r.out()).contains("Kernel Version: " + info.host().kernelVersion());
        assertThat(r.out()).contains("Name: " + info.host().hostname());
        assertThat(r.out()).contains("ID: " + info.engineId());
        assertThat(r.out()).contains("Conmon: " + info.tools().conmon().orElseThrow().version());
        assertThat(r.out()).contains("Swarm: inactive");
        assertThat(r.out()).contains("127.0.0.0/8");
        assertThat(r.err()).doesNotContain("ERROR").doesNotContain("error");
    }

    @Test
    void dockerEventsPrintsEventsPublishedOnTheBus() throws Exception {
        long t = Instant.now().getEpochSecond();
        engine.events().publish(Event.of("container", "create", "cli-ev-1", Map.of("name", "cli-web", "image", "busybox")));
        Thread starter = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            engine.events().publish(Event.of("network", "create", "cli-ev-2", Map.of("name", "cli-net", "type", "bridge")));
        });
        DockerCli.Run r = docker("events", "--since", String.valueOf(t), "--until", String.valueOf(t + 2));
        starter.join();
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("container create cli-ev-1 (image=busybox, name=cli-web)");
        assertThat(r.out()).contains("network create cli-ev-2 (name=cli-net, type=bridge)");

        DockerCli.Run filtered = docker("events", "--since", String.valueOf(t), "--until", String.valueOf(t + 2),
                "--filter", "type=network");
        assertThat(filtered.exit()).as(filtered.err()).isZero();
        assertThat(filtered.out()).contains("cli-ev-2").doesNotContain("cli-ev-1");
    }

    static DockerClient dockerJava(String apiVersion) {
        DefaultDockerClientConfig.Builder b = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("unix://" + sock)
                .withDockerConfig(tmp.resolve("docker-java-config").toString());
        if (apiVersion != null) {
            b.withApiVersion(apiVersion);
        }
        DockerClientConfig config = b.build();
        return DockerClientImpl.getInstance(config,
                new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
    }

    @Test
    void dockerJavaPingsAndReadsVersionAndInfo() throws Exception {
        for (String apiVersion : new String[] {null, "1.44"}) {
            try (DockerClient client = dockerJava(apiVersion)) {
                client.pingCmd().exec();
                Version v = client.versionCmd().exec();
                assertThat(v.getVersion()).isEqualTo(engine.system().version().engineVersion());
                assertThat(v.getApiVersion()).isEqualTo("1.47");
                assertThat(v.getOperatingSystem()).isEqualTo("linux");
                assertThat(v.getKernelVersion()).isEqualTo(engine.system().version().kernelVersion());

                Info i = client.infoCmd().exec();
                SystemInfo info = engine.system().info();
                assertThat(i.getServerVersion()).isEqualTo(info.engineVersion());
                assertThat(i.getDriver()).isEqualTo("overlayfs");
                assertThat(i.getDockerRootDir()).isEqualTo(tmp.resolve("root").toString());
                assertThat(i.getNCPU()).isEqualTo(info.host().cpus());
                assertThat(i.getMemTotal()).isEqualTo(info.host().memoryBytes());
                assertThat(i.getId()).isEqualTo(info.engineId());
                assertThat(i.getContainers()).isEqualTo(info.containers());
            }
        }
    }
}
