package dev.berth.engine.runtime;

import dev.berth.engine.errors.EngineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConmonTest {

    @TempDir
    Path dir;

    private final Conmon.Paths paths = new Conmon.Paths(Path.of("/usr/bin/conmon"), Path.of("/usr/sbin/runc"),
            Path.of("/var/lib/berth/runtime/runc"), Path.of("/var/lib/berth/runtime/exits"), Path.of("/var/lib/berth/runtime/sockets"));

    @Test
    void commandLineHasPodmansShapeAndKeepsRuncStateUnderTheEngineRoot() {
        List<String> cmd = Conmon.command(paths, new CreateRequest("abc", "web", Path.of("/b/abc"), true, true, true,
                Path.of("/logs/abc.log"), 1_000_000));
        assertThat(String.join(" ", cmd)).isEqualTo("/usr/bin/conmon --api-version 1 -c abc -u abc -r /usr/sbin/runc"
                + " -b /b/abc -p /b/abc/pidfile -n web --exit-dir /var/lib/berth/runtime/exits"
                + " --socket-dir-path /var/lib/berth/runtime/sockets -l k8s-file:/logs/abc.log --conmon-pidfile /b/abc/conmon.pid"
                + " --full-attach --runtime-arg --root=/var/lib/berth/runtime/runc --runtime-arg --log=/b/abc/runtime-create.log"
                + " --runtime-arg --log-format=json --log-size-max 1000000 -t -i --leave-stdin-open");
        List<String> plain = Conmon.command(paths, new CreateRequest("abc", null, Path.of("/b/abc"), false, false, true,
                Path.of("/logs/abc.log"), 0));
        assertThat(plain).doesNotContain("-t", "-i", "--leave-stdin-open", "--log-size-max").containsSequence("-n", "abc");
    }

    @Test
    void resizeWithoutAMonitorFailsInsteadOfBlocking() {
        assertThatThrownBy(() -> Conmon.resize(dir, 24, 80)).isInstanceOf(EngineException.FailedPrecondition.class);
        assertThatThrownBy(() -> Conmon.resize(dir, 0, 80)).isInstanceOf(EngineException.InvalidArgument.class);
    }
}
