package dev.berth.engine.api.exec;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.berth.testkit.EngineExtension;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The exec routes through docker-java: create, start (hijacked, multiplexed), inspect. */
@RootOnly
class ExecApiTest {

    @TempDir
    static Path tmp;
    @RegisterExtension
    static final EngineExtension engine = EngineExtension.start().withBusybox("busybox:latest").serving();
    static DockerClient client;

    @BeforeAll
    static void start() {
        Path sock = engine.socket();
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("unix://" + sock)
                .withDockerConfig(tmp.resolve("docker-java-config").toString())
                .build();
        client = DockerClientImpl.getInstance(config,
                new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void execStreamsSeparateStdoutAndStderrAndReportsTheExitCode() throws Exception {
        String id = client.createContainerCmd("busybox").withCmd("sleep", "300").exec().getId();
        client.startContainerCmd(id).exec();
        String exec = client.execCreateCmd(id).withAttachStdout(true).withAttachStderr(true)
                .withCmd("sh", "-c", "echo to-out; echo to-err >&2; exit 6").exec().getId();
        List<String> frames = new ArrayList<>();
        client.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame f) {
                frames.add(f.getStreamType() + ":" + new String(f.getPayload(), StandardCharsets.UTF_8));
            }
        }).awaitCompletion(20, TimeUnit.SECONDS);
        assertThat(frames).containsExactlyInAnyOrder("STDOUT:to-out\n", "STDERR:to-err\n");
        InspectExecResponse inspect = client.inspectExecCmd(exec).exec();
        assertThat(inspect.isRunning()).isFalse();
        assertThat(inspect.getExitCodeLong()).isEqualTo(6L);
        assertThat(inspect.getContainerID()).isEqualTo(id);
        assertThat(inspect.getProcessConfig().getEntryPoint()).isEqualTo("sh");
    }

    @Test
    void execInAStoppedContainerIsAConflict() {
        String id = client.createContainerCmd("busybox").withCmd("true").exec().getId();
        assertThatThrownBy(() -> client.execCreateCmd(id).withCmd("echo").exec())
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("is not running");
    }
}
