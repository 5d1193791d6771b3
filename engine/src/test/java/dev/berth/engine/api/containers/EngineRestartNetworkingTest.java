package dev.berth.engine.api.containers;

import dev.berth.engine.EngineMain;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Containers keep their addresses, names and published ports across engine restarts: a clean
 * stop and start in this JVM, then an engine process killed with SIGKILL and a new engine on the
 * same root. Only 127.0.0.1 and container addresses are contacted.
 */
@RootOnly
class EngineRestartNetworkingTest {

    @RegisterExtension
    static final NetworkedEngine net = NetworkedEngine.perClass("10.77.40.0/24", "bnwb");

    @Test
    void addressesNamesAndPublishedPortsSurviveARestartAndAKill() throws Exception {
        net.ok("network", "create", "--subnet", "10.77.41.0/24", "keep");
        int port = NetworkedEngine.freePort();
        net.ok("run", "-d", "--network", "keep", "--name", "web", "-p", "127.0.0.1:" + port + ":8080", "busybox", "sh", "-c",
                "mkdir /www && echo still-here > /www/index.html && exec httpd -f -p 8080 -h /www");
        String ip = ipOf("web");
        assertThat(NetworkedEngine.httpGet("http://127.0.0.1:" + port + "/")).isEqualTo("still-here\n");

        // a clean restart in this JVM
        net.restart();
        assertAllStillWork(ip, port);

        // an engine process killed with SIGKILL, then a new engine on the same root
        net.down();
        Process child = startEngineProcess();
        try {
            assertAllStillWork(ip, port);
        } finally {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        net.up();
        assertAllStillWork(ip, port);
        // a new container takes another address: the one web holds is still allocated
        net.ok("run", "-d", "--network", "keep", "--name", "second", "busybox", "sleep", "300");
        assertThat(ipOf("second")).isNotEqualTo(ip);
        assertThat(net.ok("exec", "second", "wget", "-qO-", "http://web:8080/")).isEqualTo("still-here\n");
    }

    private static String ipOf(String container) {
        return net.ok("inspect", "-f", "{{(index .NetworkSettings.Networks \"keep\").IPAddress}}", container).strip();
    }

    private static void assertAllStillWork(String ip, int port) {
        assertThat(ipOf("web")).isEqualTo(ip);
        assertThat(net.ok("port", "web")).isEqualTo("8080/tcp -> 127.0.0.1:" + port + "\n");
        assertThat(NetworkedEngine.httpGet("http://127.0.0.1:" + port + "/")).isEqualTo("still-here\n");
        assertThat(NetworkedEngine.httpGet("http://" + ip + ":8080/")).isEqualTo("still-here\n");
        assertThat(net.ok("run", "--rm", "--network", "keep", "busybox", "wget", "-qO-", "http://web:8080/"))
                .isEqualTo("still-here\n");
    }

    /** {@code berth engine} on the same root and socket in a child JVM; returns once the socket answers. */
    private static Process startEngineProcess() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = net.dir().resolve("child-engine.log");
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), EngineMain.class.getName(),
                "--root", net.root().toString(), "--socket", net.socket().toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("the engine process ended: " + Files.readString(log));
            }
            if (Files.exists(net.socket()) && net.docker("version", "--format", "{{.Server.Version}}").exit() == 0) {
                return p;
            }
            Thread.sleep(100);
        }
        p.destroyForcibly();
        throw new AssertionError("the engine process did not serve its socket in 30 s: " + Files.readString(log));
    }
}
