package dev.berth.engine.runtime;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.runtime.spec.BundleSpecBuilder;
import dev.berth.engine.runtime.spec.Cgroups;
import dev.berth.engine.runtime.spec.HostLimits;
import dev.berth.engine.runtime.spec.RunSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real containers (runc through conmon, busybox rootfs), observed from inside and from the host. Needs root. */
class OciRuntimeTest {

    private static final int CAP_SYS_ADMIN = 21;

    @TempDir
    Path dir;

    ContainerHarness h;

    @BeforeEach
    void setUp() {
        h = new ContainerHarness(dir);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private static RunSpec.Builder sh(String script) {
        return RunSpec.builder(List.of("sh", "-c", script));
    }

    @Test
    void hostnameEnvWorkdirAndExitCodeAreWhatTheSpecSays() throws Exception {
        ContainerHarness.Finished f = h.runToExit(sh("hostname; echo \"$GREETING\"; pwd; echo $HOME; exit 3")
                .hostname("box1").env("GREETING=hello world").workdir("/tmp").build());
        assertThat(f.exitCode()).isEqualTo(3);
        assertThat(f.stdout()).isEqualTo("box1\nhello world\n/tmp\n/root\n");
    }

    @Test
    void defaultHostnameIsTheFirstTwelveCharactersOfTheId() throws Exception {
        ContainerHarness.Ctr c = h.run(sh("hostname").build());
        assertThat(h.runtime().waitForExit(c.id(), Duration.ofSeconds(10))).hasValue(0);
        assertThat(LogReader.read(c.log(), LogReader.Query.ALL)).extracting(LogReader.Entry::text)
                .containsExactly(c.id().substring(0, 12) + "\n");
    }

    @Test
    void userByNameAndByNumbersComesFromTheImagesPasswd() throws Exception {
        assertThat(h.runToExit(sh("id").user("app").build()).stdout())
                .isEqualTo("uid=1000(app) gid=1000(app) groups=29(audio),44(video),1000(app)\n");
        assertThat(h.runToExit(sh("id").build()).stdout()).isEqualTo("uid=0(root) gid=0(root) groups=0(root),10(wheel)\n");
        assertThat(h.runToExit(sh("id").user("1000:1000").build()).stdout())
                .startsWith("uid=1000(app) gid=1000(app)");
        assertThat(h.runToExit(sh("id -u; id -g").user("4242").build()).stdout()).isEqualTo("4242\n0\n");
        assertThat(h.runToExit(sh("echo $HOME").user("app").build()).stdout()).isEqualTo("/home/app\n");
    }

    @Test
    void unknownUserIsRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> h.create(sh("id").user("app2").build()))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("unable to find user app2: no matching entries in passwd file");
    }

    @Test
    void stdoutAndStderrAreLoggedInOrderWithTheirStream() throws Exception {
        ContainerHarness.Finished f = h.runToExit(sh("echo out1; sleep 0.1; echo err1 >&2; sleep 0.1; echo out2; sleep 0.1; "
                + "printf 'no newline' >&2").build());
        assertThat(f.entries()).extracting(e -> e.stream() + ":" + e.text() + (e.partial() ? "(partial)" : ""))
                .containsExactly("STDOUT:out1\n", "STDERR:err1\n", "STDOUT:out2\n", "STDERR:no newline(partial)");
        assertThat(f.entries()).extracting(LogReader.Entry::time).isSorted();
    }

    @Test
    void memoryPidsAndCpuLimitsAreWrittenToTheContainersCgroup() throws Exception {
        long memory = 64L * 1024 * 1024;
        ContainerHarness.Ctr c = h.run(sh("sleep 100").resources(new RunSpec.Resources(
                memory, null, null, 512L, 500_000_000L, null, null, 50L, null)).build());
        Cgroups cg = Cgroups.host();
        String path = Cgroups.containerPath(c.id());
        assertThat(Long.parseLong(ContainerHarness.readString(cg.memoryLimitFile(path)))).isEqualTo(memory);
        assertThat(ContainerHarness.readString(cg.pidsMaxFile(path))).isEqualTo("50");
        String quota = ContainerHarness.readString(cg.cpuQuotaFile(path));
        assertThat(quota).isEqualTo(cg.unified() ? "50000 100000" : "50000");
        // the container's processes are in that cgroup
        long pid = h.runtime().state(c.id()).pid();
        assertThat(h.runtime().ps(c.id())).contains(pid);
        assertThat(h.runtime().stop(c.id(), "KILL", Duration.ofSeconds(5))).isInstanceOf(OciRuntime.StopOutcome.Exited.class);
    }

    @Test
    void pidsLimitStopsAForkBomb() throws Exception {
        ContainerHarness.Finished f = h.runToExit(sh("for i in 1 2 3 4 5 6 7 8 9 10; do sleep 5 & done; echo started")
                .resources(new RunSpec.Resources(null, null, null, null, null, null, null, 5L, null)).build());
        assertThat(f.stderr()).containsIgnoringCase("can't fork");
    }

    @Test
    void capabilitiesLackSysAdminUnlessPrivilegedOrAdded() throws Exception {
        long plain = capEff(h.runToExit(sh("grep CapEff /proc/self/status").build()).stdout());
        assertThat(plain & (1L << CAP_SYS_ADMIN)).isZero();
        assertThat(Long.bitCount(plain)).isEqualTo(14);

        long privileged = capEff(h.runToExit(sh("grep CapEff /proc/self/status").privileged(true).build()).stdout());
        assertThat(privileged & (1L << CAP_SYS_ADMIN)).isNotZero();

        long added = capEff(h.runToExit(sh("grep CapEff /proc/self/status").capAdd("sys_admin").capDrop("CAP_CHOWN").build()).stdout());
        assertThat(added & (1L << CAP_SYS_ADMIN)).isNotZero();
        assertThat(added & 1L).as("CAP_CHOWN dropped").isZero();
    }

    @Test
    void privilegedContainersGetTheHostsDevices() throws Exception {
        Path device;
        try (Stream<Path> devs = Files.list(Path.of("/dev"))) {
            device = devs.filter(p -> p.getFileName().toString().startsWith("loop") || p.getFileName().toString().equals("kmsg"))
                    .sorted().findFirst().orElseThrow(() -> new AssertionError("no loop or kmsg device on this host"));
        }
        String check = "if [ -e " + device + " ]; then echo present; else echo absent; fi";
        assertThat(h.runToExit(sh(check).privileged(true).build()).stdout()).isEqualTo("present\n");
        assertThat(h.runToExit(sh(check).build()).stdout()).isEqualTo("absent\n");
    }

    private static long capEff(String line) {
        return Long.parseUnsignedLong(line.replace("CapEff:", "").strip(), 16);
    }

    @Test
    void maskedAndReadOnlyProcPathsProtectTheHost() throws Exception {
        // /proc/kcore is masked too, but this kernel has none; a masked file that has content on the host:
        String masked = BundleSpecBuilder.MASKED_PATHS.stream()
                .filter(p -> p.startsWith("/proc/") && Files.isRegularFile(Path.of(p)) && readable(Path.of(p)) > 0)
                .findFirst().orElseThrow(() -> new AssertionError("no masked /proc file with content on this host"));
        ContainerHarness.Finished f = h.runToExit(sh("wc -c < " + masked + "; ls /sys/firmware | wc -l; "
                + "if echo evil > /proc/sys/kernel/hostname; then echo WROTE; fi; hostname").build());
        assertThat(f.stdout().lines().toList()).hasSize(3).startsWith("0", "0").doesNotContain("WROTE", "evil");
        assertThat(f.stderr()).contains("Read-only file system");

        ContainerHarness.Finished p = h.runToExit(sh("wc -c < " + masked + "; ls /sys/firmware | wc -l").privileged(true).build());
        List<String> lines = p.stdout().lines().toList();
        assertThat(Long.parseLong(lines.get(0))).as(masked + " is readable when privileged").isPositive();
        assertThat(Long.parseLong(lines.get(1))).as("/sys/firmware is visible when privileged")
                .isEqualTo(countEntries(Path.of("/sys/firmware")));
    }

    private static long readable(Path p) {
        try (var in = Files.newInputStream(p)) {
            return in.readAllBytes().length;
        } catch (IOException e) {
            return 0;
        }
    }

    private static long countEntries(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }

    @Test
    void readOnlyRootfsRefusesWritesButTmpfsWorks() throws Exception {
        ContainerHarness.Finished f = h.runToExit(sh("touch /made-here || echo refused; echo ok > /scratch/f && cat /scratch/f; "
                + "grep ' /scratch ' /proc/mounts")
                .readOnlyRootfs(true).tmpfs("/scratch", "size=1m").build());
        assertThat(f.stdout()).startsWith("refused\nok\ntmpfs /scratch tmpfs rw,nosuid,nodev,noexec");
        assertThat(f.stderr()).contains("Read-only file system");
    }

    @Test
    void ulimitAboveTheEnginesHardLimitIsClampedAndTheContainerStarts() throws Exception {
        long hard = HostLimits.current().get("RLIMIT_NOFILE").orElseThrow().hard();
        RunSpec spec = sh("ulimit -n; ulimit -Hn").ulimit("nofile", hard * 4, hard * 4).build();
        ContainerHarness.Ctr c = h.create(spec);
        assertThat(c.built().warnings()).anyMatch(w -> w.contains("nofile") && w.contains(Long.toString(hard)));
        h.runtime().start(c.id());
        assertThat(h.runtime().waitForExit(c.id(), Duration.ofSeconds(10))).hasValue(0);
        assertThat(LogReader.read(c.log(), LogReader.Query.ALL)).extracting(LogReader.Entry::text)
                .containsExactly(hard + "\n", hard + "\n");
    }

    @Test
    void defaultNofileIsTheEnginesHardLimit() throws Exception {
        long hard = HostLimits.current().get("RLIMIT_NOFILE").orElseThrow().hard();
        assertThat(h.runToExit(sh("ulimit -n").build()).stdout()).isEqualTo(hard + "\n");
    }

    @Test
    void stopEscalatesToSigkillWhenTheSignalIsIgnored() throws Exception {
        ContainerHarness.Ctr c = h.run(sh("trap '' TERM; echo ready; sleep 100 & wait").build());
        awaitLog(c, "ready");
        OciRuntime.StopOutcome out = h.runtime().stop(c.id(), null, Duration.ofMillis(500));
        assertThat(out).isEqualTo(new OciRuntime.StopOutcome.Killed(137));
        assertThat(h.runtime().state(c.id()).status()).isEqualTo(OciRuntime.Status.STOPPED);
        assertThat(h.runtime().stop(c.id(), null, Duration.ofSeconds(1))).isInstanceOf(OciRuntime.StopOutcome.NotRunning.class);
    }

    @Test
    void stopWithAHandledSignalReportsTheProcessesExitCode() throws Exception {
        ContainerHarness.Ctr c = h.run(sh("trap 'exit 7' USR1; echo ready; while :; do sleep 0.05; done").stopSignal("USR1").build());
        awaitLog(c, "ready");
        // no signal given: the stop signal recorded in the bundle is used
        assertThat(h.runtime().stop(c.id(), null, Duration.ofSeconds(10))).isEqualTo(new OciRuntime.StopOutcome.Exited(7));
        assertThat(h.runtime().exitCode(c.id())).hasValue(7);
    }

    @Test
    void pauseFreezesAndResumeThaws() throws Exception {
        ContainerHarness.Ctr c = h.run(sh("sleep 100").build());
        h.runtime().pause(c.id());
        assertThat(h.runtime().state(c.id()).status()).isEqualTo(OciRuntime.Status.PAUSED);
        assertThatThrownBy(() -> h.runtime().pause(c.id())).isInstanceOf(EngineException.FailedPrecondition.class);
        h.runtime().resume(c.id());
        assertThat(h.runtime().state(c.id()).status()).isEqualTo(OciRuntime.Status.RUNNING);
    }

    @Test
    void execRunsInTheContainerWithItsOwnOutputAndExitCode() throws Exception {
        ContainerHarness.Ctr c = h.run(sh("sleep 100").hostname("exechost").env("FROM_CONTAINER=1").build());
        OciRuntime.ExecResult r = h.runtime().exec(c.id(), new OciRuntime.ExecRequest(
                List.of("sh", "-c", "hostname; echo $FROM_CONTAINER $EXTRA; pwd; echo oops >&2; exit 4"),
                List.of("EXTRA=2"), null, "/tmp"));
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.stdoutText()).isEqualTo("exechost\n1 2\n/tmp\n");
        assertThat(r.stderrText()).isEqualTo("oops\n");

        assertThat(h.runtime().exec(c.id(), new OciRuntime.ExecRequest(List.of("id", "-u"), List.of(), "app", null)).stdoutText())
                .isEqualTo("1000\n");
        assertThat(h.runtime().exec(c.id(), OciRuntime.ExecRequest.of("/no/such/binary")).exitCode()).isEqualTo(127);
        // more output than a pipe buffer holds, on both streams at once
        OciRuntime.ExecResult big = h.runtime().exec(c.id(), OciRuntime.ExecRequest.of("sh", "-c", "seq 1 30000; seq 1 30000 >&2"));
        assertThat(big.exitCode()).isZero();
        assertThat(big.stdoutText().lines().toList()).hasSize(30000).endsWith("30000");
        assertThat(big.stderrText().lines().toList()).hasSize(30000).endsWith("30000");
        // exec output never reaches the container's log
        assertThat(LogReader.read(c.log(), LogReader.Query.ALL)).isEmpty();
    }

    @Test
    void startedExecTakesInputOnItsStdin() throws Exception {
        ContainerHarness.Ctr c = h.run(sh("sleep 100").build());
        Process p = h.runtime().startExec(c.id(), new OciRuntime.ExecRequest(List.of("sh", "-c", "tr a-z A-Z; exit 6"), List.of(), "app", null));
        try {
            p.getOutputStream().write("hello from stdin\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor()).isEqualTo(6);
            assertThat(out).isEqualTo("HELLO FROM STDIN\n");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void preparedExecWithATerminalRunsInACallersPseudoTerminal() throws Exception {
        ContainerHarness.Ctr c = h.run(sh("sleep 100").build());
        OciRuntime.ExecCommand cmd = h.runtime().prepareExec(c.id(), new OciRuntime.ExecRequest(List.of("sh"), List.of(), "app", null), true);
        // util-linux script(1) plays the part of pty4j: it runs the command in a new pseudo-terminal
        String line = cmd.command().stream().map(a -> "'" + a + "'").collect(java.util.stream.Collectors.joining(" "));
        Process p = new ProcessBuilder("script", "-qfec", line, "/dev/null").start();
        try {
            p.getOutputStream().write("tty; id -u; echo $TERM; exit 6\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            p.getOutputStream().flush();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(out).isEqualTo(6);
            // line endings depend on which terminal echoed the typed-ahead input: compare lines without CR
            List<String> lines = out.replace("\r", "").lines().toList();
            assertThat(lines).contains("1000", "xterm").anyMatch(l -> l.startsWith("/dev/pts/"));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(cmd.processFile());
        }
    }

    @Test
    void execInAStoppedContainerIsRefused() throws Exception {
        ContainerHarness.Ctr c = h.run(sh("true").build());
        h.runtime().waitForExit(c.id(), Duration.ofSeconds(10));
        assertThatThrownBy(() -> h.runtime().exec(c.id(), OciRuntime.ExecRequest.of("true")))
                .isInstanceOf(EngineException.FailedPrecondition.class);
    }

    @Test
    void networkNoneHasOnlyLoopbackAndHostSharesTheHostsInterfaces() throws Exception {
        assertThat(h.runToExit(sh("ls /sys/class/net").build()).stdout()).isEqualTo("lo\n");
        ContainerHarness.Finished host = h.runToExit(sh("ls /sys/class/net | wc -l; cat /etc/resolv.conf | wc -c")
                .network(new RunSpec.NetworkMode.Host()).build());
        List<String> lines = host.stdout().lines().toList();
        assertThat(Long.parseLong(lines.get(0))).isEqualTo(countEntries(Path.of("/sys/class/net")));
        if (Files.isRegularFile(Path.of("/etc/resolv.conf"))) {
            assertThat(Long.parseLong(lines.get(1))).isEqualTo(Files.size(Path.of("/etc/resolv.conf")));
        }
    }

    @Test
    void createReportsTheRuntimesErrorAndLeavesNoContainer() throws Exception {
        String id = ContainerHarness.newId();
        Path rootfs = BusyboxRootfs.create(dir.resolve("rootfs-bad"));
        assertThatThrownBy(() -> h.create(id, rootfs, RunSpec.builder(List.of("/no/such/entrypoint")).build(), 0))
                .isInstanceOf(EngineException.Unavailable.class)
                .hasMessageContaining("/no/such/entrypoint");
        assertThat(h.runtime().find(id)).isEmpty();
    }

    @Test
    void aTtyRequestMustMatchTheBundlesTerminalSetting() throws Exception {
        Path rootfs = BusyboxRootfs.create(dir.resolve("rootfs-tty"));
        String id = ContainerHarness.newId();
        Path bundle = dir.resolve("b-tty");
        Bundles.writeConfig(bundle, BundleSpecBuilder.forHost().build(id, rootfs, sh("true").build()).config());
        assertThatThrownBy(() -> h.runtime().create(new CreateRequest(id, null, bundle, true, false, false, dir.resolve("l.log"), 0)))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("process.terminal");
        assertThat(h.runtime().find(id)).isEmpty();
    }

    @Test
    void creatingASecondContainerWithTheSameIdIsRefusedAndTheFirstSurvives() throws Exception {
        ContainerHarness.Ctr first = h.run(sh("sleep 100").build());
        Path bundle = dir.resolve("b-dup");
        Bundles.writeConfig(bundle, first.built().config());
        assertThatThrownBy(() -> h.runtime().create(new CreateRequest(first.id(), null, bundle, false, false, false, dir.resolve("dup.log"), 0)))
                .isInstanceOf(EngineException.AlreadyExists.class);
        assertThat(h.runtime().state(first.id()).status()).isEqualTo(OciRuntime.Status.RUNNING);
        assertThat(h.runtime().state(first.id()).bundle()).isEqualTo(first.bundle());
    }

    @Test
    void listShowsEveryContainerWithItsStatusAndBundle() throws Exception {
        assertThat(h.runtime().list()).isEmpty();
        ContainerHarness.Ctr running = h.run(sh("sleep 100").build());
        ContainerHarness.Ctr created = h.create(sh("true").build());
        assertThat(h.runtime().list()).extracting(OciRuntime.State::id, OciRuntime.State::status, OciRuntime.State::bundle)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(running.id(), OciRuntime.Status.RUNNING, running.bundle()),
                        org.assertj.core.groups.Tuple.tuple(created.id(), OciRuntime.Status.CREATED, created.bundle()));
    }

    @Test
    void unknownIdsAreNotFoundAndDeleteIsIdempotent() {
        assertThatThrownBy(() -> h.runtime().state("nope")).isInstanceOf(EngineException.NotFound.class)
                .hasMessage("no such container: nope");
        assertThatThrownBy(() -> h.runtime().kill("nope", "TERM")).isInstanceOf(EngineException.NotFound.class);
        h.runtime().delete("nope", true);
    }

    @Test
    void deleteRemovesTheContainerItsCgroupsAndItsExitCode() throws Exception {
        ContainerHarness.Ctr c = h.run(sh("exit 5").build());
        assertThat(h.runtime().waitForExit(c.id(), Duration.ofSeconds(10))).hasValue(5);
        h.runtime().delete(c.id(), false);
        assertThat(h.runtime().find(c.id())).isEmpty();
        assertThat(h.runtime().exitCode(c.id())).isEmpty();
        assertThat(Cgroups.host().existingDirs(Cgroups.containerPath(c.id()))).isEmpty();
    }

    @Test
    void deleteWithoutForceStillRefusesARunningContainerAndRemovesAnExitedOne() throws Exception {
        ContainerHarness.Ctr c = h.run(sh("sleep 100").build());
        assertThat(h.runtime().known(c.id())).isTrue();
        assertThatThrownBy(() -> h.runtime().delete(c.id(), false)).isInstanceOf(EngineException.class);
        assertThat(h.runtime().state(c.id()).status()).isEqualTo(OciRuntime.Status.RUNNING);
        h.runtime().kill(c.id(), "KILL");
        assertThat(h.runtime().waitForExit(c.id(), c.bundle(), Duration.ofSeconds(10))).hasValue(137);
        h.runtime().delete(c.id(), false);
        assertThat(h.runtime().known(c.id())).isFalse();
        assertThat(h.runtime().find(c.id())).isEmpty();
        assertThat(Cgroups.host().existingDirs(Cgroups.containerPath(c.id()))).isEmpty();
        h.runtime().delete(c.id(), false); // idempotent
    }

    @Test
    void waitForExitWithTheBundleReturnsTheRecordedCodeOrNothingWhenTheTimeoutPasses() throws Exception {
        ContainerHarness.Ctr c = h.run(RunSpec.builder(List.of("sleep", "100")).build());
        assertThat(h.runtime().waitForExit(c.id(), c.bundle(), Duration.ofMillis(300))).isEmpty();
        h.runtime().kill(c.id(), "TERM");
        // as the container's init without a handler, sleep ignores TERM: still running
        assertThat(h.runtime().waitForExit(c.id(), c.bundle(), Duration.ofMillis(300))).isEmpty();
        h.runtime().kill(c.id(), "KILL");
        assertThat(h.runtime().waitForExit(c.id(), c.bundle(), Duration.ofSeconds(10))).hasValue(137);
        ContainerHarness.Ctr quick = h.run(sh("exit 7").build());
        assertThat(h.runtime().waitForExit(quick.id(), quick.bundle(), Duration.ofSeconds(10))).hasValue(7);
    }

    static void awaitLog(ContainerHarness.Ctr c, String text) throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            if (LogReader.read(c.log(), LogReader.Query.ALL).stream().anyMatch(e -> e.text().contains(text))) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no '" + text + "' in " + c.log());
    }
}
