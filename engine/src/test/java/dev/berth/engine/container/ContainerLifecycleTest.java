package dev.berth.engine.container;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.events.Event;
import dev.berth.engine.runtime.LogReader;
import dev.berth.engine.runtime.spec.Cgroups;
import dev.berth.engine.runtime.spec.RunSpec;
import dev.berth.testkit.EngineExtension;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static dev.berth.engine.container.ContainerService.WaitCondition.NOT_RUNNING;
import static dev.berth.engine.container.ContainerService.WaitCondition.REMOVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The container lifecycle on real runc, conmon and overlayfs, from a busybox image. Needs root. */
@RootOnly
class ContainerLifecycleTest {

    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    static Path work;

    @RegisterExtension
    static final EngineExtension temp = EngineExtension.start().withBusybox("busybox:latest");

    ContainerFixture fx;

    @BeforeEach
    void fixture() {
        fx = new ContainerFixture(temp.engine(), temp.root());
    }

    @AfterEach
    void nothingLeft() {
        fx.cleanUpAndVerify();
    }

    private ContainerService svc() {
        return fx.service();
    }

    // stdout and stderr are separate pipes: only output apart in time has a defined order
    private static CreateRequest.Builder busybox(String... cmd) {
        return CreateRequest.builder("busybox").cmd(cmd);
    }

    private String stdout(String id) {
        return text(svc().logs(id, ContainerService.LogOptions.ALL.streams(true, false)));
    }

    private static String text(List<LogReader.Entry> entries) {
        return entries.stream().map(LogReader.Entry::text).collect(Collectors.joining());
    }

    @Test
    void runEchoHiLogsHiAndExitsZero() throws Exception {
        {
            Container c = fx.run(busybox("echo", "hi"));
            assertThat(c.state().status()).isEqualTo(ContainerStatus.RUNNING);
            assertThat(svc().wait(c.id(), NOT_RUNNING, T)).isZero();
            assertThat(stdout(c.id())).isEqualTo("hi\n");
            Container done = svc().inspect(c.id());
            assertThat(done.state().status()).isEqualTo(ContainerStatus.EXITED);
            assertThat(done.state().finishedAt()).isAfterOrEqualTo(done.state().startedAt());
            assertThat(done.name()).matches("[a-z]+_[a-z]+[0-9]?");
            assertThat(done.id()).matches("[0-9a-f]{64}");
            assertThat(done.imageId()).isEqualTo(temp.engine().images().resolve("busybox").id());
            // stopped containers are unmounted at once
            assertThat(dev.berth.testkit.Mounts.mountPointsUnder(done.paths().rootfs())).isEmpty();
            List<Event> seen = temp.engine().events().recent();
            assertThat(seen).filteredOn(e -> e.actorId().equals(c.id())).extracting(Event::action)
                    .containsSubsequence("create", "start", "die");
            assertThat(seen).filteredOn(e -> e.action().equals("die") && e.actorId().equals(c.id()))
                    .singleElement().satisfies(e -> assertThat(e.attributes()).containsEntry("exitCode", "0"));
        }
    }

    @Test
    void waitReturnsTheExitCode() throws Exception {
        Container c = fx.run(busybox("sh", "-c", "exit 3"));
        assertThat(svc().wait(c.id(), NOT_RUNNING, T)).isEqualTo(3);
        assertThat(svc().inspect(c.name()).state().exitCode()).isEqualTo(3);
    }

    @Test
    void hostnameUserEnvAndWorkdirAreSeenInside() throws Exception {
        Container c = fx.run(busybox("sh", "-c", "hostname; id -u; id -g; echo $FOO; pwd; echo $PATH")
                .hostname("berth-h1").user("nobody").env("FOO=bar").workdir("/tmp"));
        assertThat(svc().wait(c.id(), NOT_RUNNING, T)).isZero();
        assertThat(stdout(c.id())).isEqualTo("berth-h1\n65534\n65534\nbar\n/tmp\n"
                + "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n");
    }

    @Test
    void defaultHostnameIsTheShortIdAndEntrypointResetsTheImageCmd() throws Exception {
        Container c = fx.run(CreateRequest.builder("busybox").entrypoint("hostname"));
        assertThat(c.config().cmd()).isEmpty();
        assertThat(svc().wait(c.id(), NOT_RUNNING, T)).isZero();
        assertThat(stdout(c.id())).isEqualTo(c.shortId() + "\n");
    }

    @Test
    void stopEscalatesToSigkillAfterTheTimeout() throws Exception {
        Container c = fx.run(busybox("sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done"));
        awaitLog(c.id(), "ready");
        long t0 = System.nanoTime();
        Container stopped = svc().stop(c.id(), Duration.ofSeconds(1));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(stopped.state().exitCode()).isEqualTo(137);
        assertThat(stopped.state().status()).isEqualTo(ContainerStatus.EXITED);
        assertThat(ms).isBetween(900L, 10_000L);
    }

    @Test
    void killDeliversTheSignalToATrappingShell() throws Exception {
        Container c = fx.run(busybox("sh", "-c", "trap 'echo got USR1; exit 7' USR1; echo ready; while :; do sleep 0.1; done"));
        awaitLog(c.id(), "ready");
        svc().kill(c.id(), "USR1");
        assertThat(svc().wait(c.id(), NOT_RUNNING, T)).isEqualTo(7);
        assertThat(stdout(c.id())).contains("got USR1");
        assertThatThrownBy(() -> svc().kill(c.id(), "USR1")).isInstanceOf(EngineException.Conflict.class)
                .hasMessageContaining("is not running");
    }

    @Test
    void pauseFreezesAndUnpauseThawsTheCgroup() throws Exception {
        Container c = fx.run(busybox("sh", "-c", "while :; do sleep 0.1; done"));
        Path freezer = Cgroups.host().dir("freezer", Cgroups.containerPath(c.id()));
        Path state = freezer.resolve("freezer.state");
        assertThat(svc().pause(c.id()).state().status()).isEqualTo(ContainerStatus.PAUSED);
        assertThat(Files.readString(state).strip()).isEqualTo("FROZEN");
        assertThatThrownBy(() -> svc().pause(c.id())).isInstanceOf(EngineException.Conflict.class);
        assertThat(svc().unpause(c.id()).state().status()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(Files.readString(state).strip()).isEqualTo("THAWED");
        assertThat(svc().counts().running()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void renameKeepsNamesUniqueAndValid() {
        Container a = fx.create(busybox("true").name("alpha"));
        Container b = fx.create(busybox("true").name("/beta"));
        assertThat(b.name()).isEqualTo("beta");
        assertThatThrownBy(() -> fx.create(busybox("true").name("alpha")))
                .isInstanceOf(EngineException.Conflict.class)
                .hasMessageContaining("The container name \"/alpha\" is already in use by container \"" + a.id() + "\"");
        assertThatThrownBy(() -> svc().rename(b.id(), "alpha")).isInstanceOf(EngineException.Conflict.class);
        for (String bad : List.of("a", "-x", "_x", "has space", "a/b", "é")) {
            assertThatThrownBy(() -> fx.create(busybox("true").name(bad)))
                    .as(bad).isInstanceOf(EngineException.InvalidArgument.class)
                    .hasMessageContaining("Invalid container name");
        }
        Container renamed = svc().rename("beta", "gamma.1_x-y");
        assertThat(renamed.id()).isEqualTo(b.id());
        assertThat(svc().inspect("/gamma.1_x-y").id()).isEqualTo(b.id());
        assertThatThrownBy(() -> svc().inspect("beta")).isInstanceOf(EngineException.NotFound.class)
                .hasMessage("No such container: beta");
        // the new name is on disk: a fresh read of config.json has it
        assertThat(temp.root().resolve("containers").resolve(b.id()).resolve("config.json")).content().contains("gamma.1_x-y");
        assertThat(svc().inspect(a.id().substring(0, 10)).name()).isEqualTo("alpha");
    }

    @Test
    void autoRemoveRemovesTheContainerAfterItExits() throws Exception {
        Container c = fx.run(busybox("echo", "bye").autoRemove(true));
        assertThat(svc().wait(c.id(), REMOVED, T)).isZero();
        assertThatThrownBy(() -> svc().inspect(c.id())).isInstanceOf(EngineException.NotFound.class);
        assertThat(c.paths().dir()).doesNotExist();
    }

    @Test
    void onFailureTwoRestartsTwiceThenStaysExited() throws Exception {
        Container c = fx.run(busybox("sh", "-c", "echo run; exit 1").restartPolicy(RestartPolicy.parse("on-failure:2")));
        long deadline = System.nanoTime() + T.toNanos();
        Container now = svc().inspect(c.id());
        while (!(now.state().status() == ContainerStatus.EXITED && now.state().restartCount() == 2)
                && System.nanoTime() < deadline) {
            ContainerFixture.sleep(50);
            now = svc().inspect(c.id());
        }
        assertThat(now.state().restartCount()).isEqualTo(2);
        ContainerFixture.sleep(1500); // longer than the next backoff step: no third restart
        now = svc().inspect(c.id());
        assertThat(now.state().status()).isEqualTo(ContainerStatus.EXITED);
        assertThat(now.state().restartCount()).isEqualTo(2);
        assertThat(now.state().exitCode()).isEqualTo(1);
        assertThat(stdout(c.id())).isEqualTo("run\nrun\nrun\n");
    }

    @Test
    void logsSelectStreamsTailSinceInOrderAndFollowUntilExit() throws Exception {
        Container c = fx.run(busybox("sh", "-c", "echo one; sleep 0.1; echo two >&2; sleep 0.1; echo three; sleep 1; echo four"));
        List<LogReader.Entry> followed = new CopyOnWriteArrayList<>();
        svc().followLogs(c.id(), ContainerService.LogOptions.ALL, followed::add); // returns when the container stops
        assertThat(text(followed)).isEqualTo("one\ntwo\nthree\nfour\n");
        List<LogReader.Entry> all = svc().logs(c.id(), ContainerService.LogOptions.ALL);
        assertThat(all).extracting(LogReader.Entry::text).containsExactly("one\n", "two\n", "three\n", "four\n");
        assertThat(all).extracting(LogReader.Entry::stream).containsExactly(LogReader.Stream.STDOUT,
                LogReader.Stream.STDERR, LogReader.Stream.STDOUT, LogReader.Stream.STDOUT);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).time()).isAfterOrEqualTo(all.get(i - 1).time());
        }
        assertThat(text(svc().logs(c.id(), ContainerService.LogOptions.ALL.streams(false, true)))).isEqualTo("two\n");
        assertThat(text(svc().logs(c.id(), ContainerService.LogOptions.ALL.withTail(2)))).isEqualTo("three\nfour\n");
        assertThat(text(svc().logs(c.id(), ContainerService.LogOptions.ALL.streams(true, false).withTail(3))))
                .isEqualTo("one\nthree\nfour\n");
        assertThat(text(svc().logs(c.id(), ContainerService.LogOptions.ALL.withSince(all.get(3).time())))).isEqualTo("four\n");
        assertThat(text(svc().logs(c.id(), ContainerService.LogOptions.ALL.withUntil(all.get(2).time()))))
                .isEqualTo("one\ntwo\nthree\n");
        List<LogReader.Entry> tailFollowed = new CopyOnWriteArrayList<>();
        svc().followLogs(c.id(), ContainerService.LogOptions.ALL.withTail(1), tailFollowed::add);
        assertThat(text(tailFollowed)).isEqualTo("four\n");
    }

    @Test
    void restartStopsAndStartsAgain() throws Exception {
        Container c = fx.run(busybox("sh", "-c", "echo started; trap 'exit 0' TERM; while :; do sleep 0.1; done"));
        awaitLog(c.id(), "started");
        Container again = svc().restart(c.id(), Duration.ofSeconds(5));
        assertThat(again.state().status()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(again.state().startedAt()).isAfter(c.state().startedAt());
        assertThat(again.state().pid()).isNotEqualTo(c.state().pid());
        long deadline = System.nanoTime() + T.toNanos();
        while (!stdout(c.id()).equals("started\nstarted\n") && System.nanoTime() < deadline) {
            ContainerFixture.sleep(20);
        }
        assertThat(stdout(c.id())).isEqualTo("started\nstarted\n");
        assertThat(temp.engine().events().recent()).filteredOn(e -> e.actorId().equals(c.id())).extracting(Event::action)
                .containsSubsequence("start", "kill", "die", "start", "restart");
        assertThat(svc().stop(c.id(), Duration.ofSeconds(5)).state().exitCode()).isZero();
    }

    @Test
    void alwaysRestartsWithBackoffUntilStopped() throws Exception {
        Container c = fx.run(busybox("sh", "-c", "exit 1").restartPolicy(RestartPolicy.ALWAYS));
        long deadline = System.nanoTime() + T.toNanos();
        while (svc().inspect(c.id()).state().restartCount() < 3 && System.nanoTime() < deadline) {
            ContainerFixture.sleep(20);
        }
        assertThat(svc().inspect(c.id()).state().restartCount()).isGreaterThanOrEqualTo(3);
        Container stopped = svc().stop(c.id(), Duration.ofSeconds(1));
        assertThat(stopped.state().status()).isEqualTo(ContainerStatus.EXITED);
        int count = stopped.state().restartCount();
        ContainerFixture.sleep(1500); // past the backoff: a stopped container is not restarted
        Container later = svc().inspect(c.id());
        assertThat(later.state().status()).isEqualTo(ContainerStatus.EXITED);
        assertThat(later.state().restartCount()).isEqualTo(count);
        assertThat(later.state().manuallyStopped()).isTrue();
    }

    @Test
    void readOnlyRootfsTmpfsUlimitsAndNoNewPrivilegesReachTheProcess() throws Exception {
        Container c = fx.run(busybox("sh", "-c",
                "touch /x 2>/dev/null && echo rw || echo ro; touch /scratch/y && echo tmpfs-ok; ulimit -n; "
                        + "grep NoNewPrivs /proc/self/status | tr -d ' \\t'")
                .readOnly(true).tmpfs("/scratch", "size=1m").ulimit("nofile", 1000, 1000));
        assertThat(svc().wait(c.id(), NOT_RUNNING, T)).isZero();
        assertThat(stdout(c.id())).isEqualTo("ro\ntmpfs-ok\n1000\nNoNewPrivs:1\n");
        Container off = fx.run(busybox("sh", "-c", "grep NoNewPrivs /proc/self/status | tr -d ' \\t'")
                .securityOpt("no-new-privileges:false"));
        assertThat(svc().wait(off.id(), NOT_RUNNING, T)).isZero();
        assertThat(stdout(off.id())).isEqualTo("NoNewPrivs:0\n");
    }

    @Test
    void memoryLimitKillsAndReportsOomKilled() throws Exception {
        Container c = fx.run(busybox("sh", "-c", "head -c 200m /dev/zero | tail")
                .resources(new RunSpec.Resources(16L * 1024 * 1024, null, null, null, null, null, null, null, null)));
        int code = svc().wait(c.id(), NOT_RUNNING, T);
        Container done = svc().inspect(c.id());
        assertThat(done.state().oomKilled()).isTrue();
        assertThat(code).isNotZero();
        assertThat(temp.engine().events().recent()).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("oom");
            assertThat(e.actorId()).isEqualTo(c.id());
        });
    }

    @Test
    void removeRefusesARunningContainerUnlessForced() throws Exception {
        Container c = fx.run(busybox("sleep", "100").name("busy-one"));
        assertThatThrownBy(() -> svc().remove(c.id(), false, false))
                .isInstanceOf(EngineException.Conflict.class)
                .hasMessage("cannot remove container \"/busy-one\": container is running: stop the container before removing or force remove");
        svc().remove("busy-one", true, true);
        assertThatThrownBy(() -> svc().inspect(c.id())).isInstanceOf(EngineException.NotFound.class);
        assertThat(svc().wait(c.id(), REMOVED, T)).isEqualTo(137);
    }

    @Test
    void unsupportedOptionsAreRefusedClearly() {
        assertThatThrownBy(() -> fx.create(busybox("true").networkMode("nosuchnet")))
                .isInstanceOf(EngineException.NotFound.class).hasMessage("network nosuchnet not found");
        assertThatThrownBy(() -> fx.create(busybox("true").init(true)))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("--init");
        assertThatThrownBy(() -> fx.create(CreateRequest.builder("nosuchimage")))
                .isInstanceOf(EngineException.NotFound.class).hasMessageContaining("No such image");
        assertThatThrownBy(() -> fx.create(busybox("true").securityOpt("seccomp=foo")))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("seccomp=foo");
        assertThatThrownBy(() -> RestartPolicy.parse("sometimes")).isInstanceOf(EngineException.InvalidArgument.class);
        assertThat(svc().list(ContainerFilter.ALL)).isEmpty();
    }

    @Test
    void aHostWithoutARuntimeCreatesButRefusesToStartAndSaysWhy() {
        var e = temp.engine();
        LocalContainerService svc = LocalContainerService.withoutRuntime(work.resolve("no-runtime"), e.images(), e.content(),
                e.snapshots(), "runc is missing", e.events());
        Container c = svc.create(busybox("true").build());
        assertThatThrownBy(() -> svc.start(c.id())).isInstanceOf(EngineException.Unavailable.class)
                .hasMessageContaining("runc is missing");
        assertThat(svc.inspect(c.id()).state().status()).isEqualTo(ContainerStatus.CREATED);
        assertThat(dev.berth.testkit.Mounts.mountPointsUnder(work.resolve("no-runtime"))).isEmpty();
        svc.remove(c.id(), false, false);
        assertThat(svc.list(ContainerFilter.ALL)).isEmpty();
        assertThat(work.resolve("no-runtime").resolve(c.id())).doesNotExist();
    }

    @Test
    void pruneRemovesOnlyStoppedContainers() throws Exception {
        Container running = fx.run(busybox("sleep", "100"));
        Container exited = fx.run(busybox("true"));
        Container created = fx.create(busybox("true"));
        svc().wait(exited.id(), NOT_RUNNING, T);
        ContainerService.PruneReport report = svc().prune(null);
        assertThat(report.deleted()).containsExactlyInAnyOrder(exited.id(), created.id());
        assertThat(svc().list(ContainerFilter.ALL)).extracting(Container::id).containsExactly(running.id());
    }

    @Test
    void listFiltersByStatusNameLabelAncestorIdAndExitCode() throws Exception {
        Container up = fx.run(busybox("sleep", "100").name("web-1").label("tier", "front"));
        Container failed = fx.run(busybox("sh", "-c", "exit 2").name("job-1").label("tier", "back"));
        Container fresh = fx.create(busybox("true").name("web-2"));
        svc().wait(failed.id(), NOT_RUNNING, T);
        assertThat(svc().list(ContainerFilter.RUNNING)).extracting(Container::id).containsExactly(up.id());
        assertThat(svc().list(ContainerFilter.ALL)).extracting(Container::id)
                .containsExactly(fresh.id(), failed.id(), up.id()); // newest first
        assertThat(svc().list(ContainerFilter.ALL.withStatus(ContainerStatus.EXITED))).extracting(Container::id)
                .containsExactly(failed.id());
        assertThat(svc().list(ContainerFilter.ALL.withStatus(ContainerStatus.CREATED))).extracting(Container::id)
                .containsExactly(fresh.id());
        assertThat(svc().list(ContainerFilter.ALL.withName("web"))).extracting(Container::id)
                .containsExactlyInAnyOrder(up.id(), fresh.id());
        assertThat(svc().list(ContainerFilter.ALL.withLabel("tier=back"))).extracting(Container::id).containsExactly(failed.id());
        assertThat(svc().list(ContainerFilter.ALL.withLabel("tier"))).hasSize(2);
        assertThat(svc().list(ContainerFilter.ALL.withAncestor("busybox:latest"))).hasSize(3);
        assertThat(svc().list(ContainerFilter.ALL.withAncestor(up.imageId().toString()))).hasSize(3);
        assertThat(svc().list(ContainerFilter.ALL.withId(fresh.id().substring(0, 8)))).extracting(Container::id)
                .containsExactly(fresh.id());
        assertThat(svc().list(ContainerFilter.ALL.withExited(2))).extracting(Container::id).containsExactly(failed.id());
        assertThat(svc().list(ContainerFilter.ALL.withExited(0))).isEmpty();
        assertThat(svc().containersUsing(up.imageId())).isEqualTo(3);
        assertThat(temp.engine().system().info().containers()).isEqualTo(3);
        assertThat(temp.engine().system().info().containersRunning()).isEqualTo(1);
        assertThat(temp.engine().system().info().containersStopped()).isEqualTo(2);
    }

    private void awaitLog(String id, String text) {
        long deadline = System.nanoTime() + T.toNanos();
        while (!stdout(id).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' in the log of " + id + ": " + stdout(id));
            }
            ContainerFixture.sleep(20);
        }
    }
}
