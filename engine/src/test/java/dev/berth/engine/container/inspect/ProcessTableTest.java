package dev.berth.engine.container.inspect;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.runtime.ContainerHarness;
import dev.berth.engine.runtime.OciRuntime;
import dev.berth.engine.runtime.spec.Cgroups;
import dev.berth.engine.runtime.spec.RunSpec;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code docker top} of a real container: a shell (pid 1 inside) with two children, and an exec'd process as uid 1000. */
@RootOnly
class ProcessTableTest {

    @TempDir
    static Path dir;

    static ContainerHarness h;
    static ContainerHarness.Ctr c;
    static long initPid;
    static Process exec;

    @BeforeAll
    static void start() throws Exception {
        h = new ContainerHarness(dir);
        c = h.run(RunSpec.builder(List.of("sh", "-c", "sleep 301 & sleep 302 & wait")).build());
        initPid = h.runtime().state(c.id()).pid();
        // wait until both children are there
        for (int i = 0; i < 100 && Cgroups.host().procs(Cgroups.containerPath(c.id())).size() < 3; i++) {
            Thread.sleep(20);
        }
        assertThat(Cgroups.host().procs(Cgroups.containerPath(c.id()))).hasSize(3);
        exec = h.runtime().startExec(c.id(), new OciRuntime.ExecRequest(List.of("sleep", "303"), List.of(), "1000", null));
        // the exec joins the cgroup as runc's init first and becomes `sleep` a moment later
        for (int i = 0; i < 250 && !allExeced(4); i++) {
            Thread.sleep(20);
        }
        assertThat(allExeced(4)).as("four processes, none of them still runc's init").isTrue();
    }

    private static boolean allExeced(int expected) {
        List<Long> pids = Cgroups.host().procs(Cgroups.containerPath(c.id()));
        if (pids.size() < expected) {
            return false;
        }
        for (long pid : pids) {
            try {
                if (Files.readString(Path.of("/proc/" + pid + "/comm")).startsWith("runc:")) {
                    return false;
                }
            } catch (java.io.IOException e) {
                return false;
            }
        }
        return true;
    }

    @AfterAll
    static void stop() {
        if (exec != null) {
            exec.destroyForcibly();
        }
        if (h != null) {
            h.close();
        }
    }

    private static List<List<String>> withoutCpu(ProcessTable.Top t) {
        return t.processes().stream().map(r -> {
            List<String> copy = new java.util.ArrayList<>(r);
            copy.remove(3);
            return copy;
        }).toList();
    }

    private static ProcessTable.Top top(String psArgs) {
        return ProcessTable.host().top(Cgroups.host(), Cgroups.containerPath(c.id()), psArgs);
    }

    @Test
    void defaultColumnsAreThoseOfPsEfWithHostPidsAndHostUserNames() {
        ProcessTable.Top t = top("");
        assertThat(t.titles()).containsExactly("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD");
        assertThat(t.processes()).hasSize(4);
        Map<String, List<String>> byCmd = t.processes().stream().collect(Collectors.toMap(r -> r.get(7), r -> r));
        assertThat(byCmd).containsOnlyKeys("sh -c sleep 301 & sleep 302 & wait", "sleep 301", "sleep 302", "sleep 303");
        // the host's name for uid 1000 (Docker shows host-side names), or the number when the host has none
        String host1000 = hostUser(1000);
        assertThat(byCmd.get("sleep 303").get(0)).isEqualTo(host1000);
        List<String> sh = byCmd.get("sh -c sleep 301 & sleep 302 & wait");
        assertThat(sh.get(0)).isEqualTo("root");
        assertThat(sh.get(1)).isEqualTo(Long.toString(initPid));
        assertThat(byCmd.get("sleep 301").get(2)).isEqualTo(Long.toString(initPid));
        assertThat(sh.get(5)).isEqualTo("?");
        assertThat(sh.get(6)).isEqualTo("00:00:00");
        assertThat(sh.get(4)).matches("\\d\\d:\\d\\d");
        assertThat(t.processes()).extracting(r -> Long.parseLong(r.get(1))).isSorted();
        // the same table with -ef; C (CPU use, column 3) can move between the two reads, so it is left out
        ProcessTable.Top ef = top("-ef");
        assertThat(ef.titles()).isEqualTo(t.titles());
        assertThat(withoutCpu(ef)).isEqualTo(withoutCpu(t));
    }

    @Test
    void auxColumnsHaveMemoryStateAndBsdTime() throws Exception {
        ProcessTable.Top t = top("aux");
        assertThat(t.titles()).containsExactly("USER", "PID", "%CPU", "%MEM", "VSZ", "RSS", "TTY", "STAT", "START", "TIME", "COMMAND");
        List<String> sleep = t.processes().stream().filter(r -> r.get(10).equals("sleep 302")).findFirst().orElseThrow();
        long pid = Long.parseLong(sleep.get(1));
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        assertThat(Long.parseLong(sleep.get(4))).isEqualTo(kb(status, "VmSize:"));
        assertThat(Long.parseLong(sleep.get(5))).isEqualTo(kb(status, "VmRSS:"));
        assertThat(sleep.get(7)).isEqualTo("S");
        assertThat(sleep.get(9)).isEqualTo("0:00");
        assertThat(sleep.get(2)).matches("\\d+\\.\\d");
        // the shell is pid 1 of its namespace and leads its session
        List<String> sh = t.processes().stream().filter(r -> r.get(1).equals(Long.toString(initPid))).findFirst().orElseThrow();
        assertThat(sh.get(7)).isEqualTo("Ss");
    }

    @Test
    void dashOSelectsColumns() {
        ProcessTable.Top t = top("-o pid,comm,user");
        assertThat(t.titles()).containsExactly("PID", "COMMAND", "USER");
        assertThat(t.processes()).extracting(r -> r.get(1)).containsExactlyInAnyOrder("sh", "sleep", "sleep", "sleep");
    }

    @Test
    void unsupportedPsArgsAreRefusedWithWhatIsSupported() {
        assertThatThrownBy(() -> top("-L --forest"))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("unsupported ps_args \"-L --forest\"").hasMessageContaining("aux");
        assertThatThrownBy(() -> top("-o pid,nonsense")).isInstanceOf(EngineException.InvalidArgument.class);
    }

    @Test
    void aCgroupWithoutProcessesIsNotRunning() {
        assertThatThrownBy(() -> ProcessTable.host().top(Cgroups.host(), Cgroups.containerPath(ContainerHarness.newId()), ""))
                .isInstanceOf(EngineException.FailedPrecondition.class).hasMessageContaining("not running");
    }

    @Test
    void ttyNumbersAndTimesAreFormattedAsPsDoes() {
        assertThat(ProcessTable.tty(0)).isEqualTo("?");
        assertThat(ProcessTable.tty((136 << 8) | 3)).isEqualTo("pts/3");
        assertThat(ProcessTable.tty((4 << 8) | 1)).isEqualTo("tty1");
        assertThat(ProcessTable.time(90061)).isEqualTo("1-01:01:01");
        assertThat(ProcessTable.bsdTime(125)).isEqualTo("2:05");
        assertThat(ProcessTable.etime(3725)).isEqualTo("01:02:05");
    }

    private static String hostUser(long uid) {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().map(l -> l.split(":"))
                    .filter(f -> f.length > 2 && f[2].equals(Long.toString(uid))).map(f -> f[0]).findFirst().orElse(Long.toString(uid));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long kb(String status, String key) {
        return status.lines().filter(l -> l.startsWith(key)).mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                .findFirst().orElseThrow();
    }
}
