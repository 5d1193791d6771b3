package dev.berth.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.runtime.spec.BundleSpecBuilder;
import dev.berth.engine.runtime.spec.Cgroups;
import dev.berth.engine.runtime.spec.HostFiles;
import dev.berth.engine.runtime.spec.OciConfig;
import dev.berth.engine.runtime.spec.UserResolver;
import dev.berth.engine.state.FileTrees;
import dev.berth.engine.state.Json;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs containers from prepared bundles: created through conmon (so they outlive the engine),
 * then driven with runc's subcommands. runc keeps its state under the engine's root, not
 * {@code /run/runc}; conmon writes exit codes to one exit directory. Containers are named by id
 * only; this class keeps no state of its own, so an engine that restarts finds its containers
 * again with {@link #state} and {@link #exitCode}.
 *
 * <p>Errors: an unknown id is {@link EngineException.NotFound}; an operation the container's state
 * does not allow (start a running one, kill a stopped one) is {@link EngineException.FailedPrecondition};
 * a runtime failure is {@link EngineException.Unavailable} with runc's message.
 */
public final class OciRuntime {

    private static final System.Logger LOG = System.getLogger(OciRuntime.class.getName());
    private static final Duration RUNC_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern RUNC_MSG = Pattern.compile("msg=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern PRECONDITION = Pattern.compile(
            "not (running|stopped|paused|created)|cannot (start|kill|pause|resume|delete)|is (paused|stopped|running)|already (started|running|paused)|stopped container");

    /** runc's container states. */
    public enum Status { CREATED, RUNNING, PAUSED, STOPPED }

    /** What runc reports for a container. {@code pid} is 0 once stopped. */
    public record State(String id, Status status, long pid, Path bundle) {}

    /** A created container: its init process (waiting for start) and its conmon. */
    public record Created(long pid, long conmonPid) {}

    /**
     * A command to run in a running container ({@code docker exec}, without a terminal: runc's
     * foreground TTY mode needs a controlling terminal on the engine's side); {@code null} fields
     * take the container's values; {@code env} entries are added to (and override) the container's.
     */
    public record ExecRequest(List<String> args, List<String> env, String user, String workdir) {
        public ExecRequest {
            args = List.copyOf(args);
            env = env == null ? List.of() : List.copyOf(env);
        }

        public static ExecRequest of(String... args) {
            return new ExecRequest(List.of(args), List.of(), null, null);
        }
    }

    /** The collected result of a non-interactive exec. */
    public record ExecResult(int exitCode, byte[] stdout, byte[] stderr) {
        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        public String stderrText() {
            return new String(stderr, StandardCharsets.UTF_8);
        }
    }

    /** How {@link #stop} ended. */
    public sealed interface StopOutcome {
        /** The container was not running (already stopped, or never started); its exit code if known. */
        record NotRunning(OptionalInt exitCode) implements StopOutcome {}

        /** The container exited after the stop signal, within the timeout. */
        record Exited(int exitCode) implements StopOutcome {}

        /** The container ignored the stop signal and was killed with SIGKILL after the timeout. */
        record Killed(int exitCode) implements StopOutcome {}
    }

    /** How often a waiter looks again without an inotify event (conmon died without an exit file, a missed event). */
    private static final Duration EXIT_POLL = Duration.ofMillis(100);

    private final Conmon.Paths paths;
    private final Cgroups cgroups;
    private final ExitWatch exits;

    /**
     * @param runtime the runc binary
     * @param conmon  the conmon binary
     * @param root    a directory of the engine's state root for runc's state ({@code runc/}), exit
     *                codes ({@code exits/}) and conmon's socket directory ({@code sockets/})
     * @param cgroups the host's cgroup layout
     */
    public OciRuntime(Path runtime, Path conmon, Path root, Cgroups cgroups) {
        Path r = root.toAbsolutePath().normalize();
        this.paths = new Conmon.Paths(conmon, runtime, r.resolve("runc"), r.resolve("exits"), r.resolve("sockets"));
        this.cgroups = cgroups;
        try {
            Files.createDirectories(paths.runtimeRoot());
            Files.createDirectories(paths.exitDir());
            Files.createDirectories(paths.socketDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create runtime directories under " + r + ": " + e.getMessage(), e);
        }
        this.exits = new ExitWatch(paths.exitDir());
    }

    /**
     * The runtime and conmon the detector found on this host.
     *
     * @throws EngineException.Unavailable when no runtime works here or conmon is missing
     */
    public static OciRuntime forHost(HostTools tools, Path root) {
        HostTools.Tool runtime = tools.runtime().orElseThrow(() ->
                new EngineException.Unavailable("no working OCI runtime: " + tools.summary()));
        HostTools.Tool conmon = tools.conmon().orElseThrow(() ->
                new EngineException.Unavailable("conmon is not installed (Debian package conmon)"));
        return new OciRuntime(Path.of(runtime.path()), Path.of(conmon.path()), root, Cgroups.host());
    }

    public Conmon.Paths paths() {
        return paths;
    }

    /** The file conmon writes the exit code of {@code id} to. */
    public Path exitFile(String id) {
        return paths.exitDir().resolve(id);
    }

    /**
     * Creates the container with conmon and returns once runc has created it (its init waits for
     * {@link #start}). Stale pid and exit files of an earlier run of the same id are removed first.
     *
     * @throws EngineException.AlreadyExists when runc already has a container with this id
     * @throws EngineException.Unavailable   with runc's message when creation fails
     */
    public Created create(CreateRequest request) {
        Path bundle = request.bundle().toAbsolutePath();
        OciConfig config = Bundles.readConfig(bundle);
        if (config.process() == null || config.process().terminal() != request.tty()) {
            throw new EngineException.InvalidArgument("the bundle's process.terminal must match the request's tty ("
                    + request.tty() + ") in " + bundle);
        }
        if (known(request.id())) {
            // before touching anything: the existing container's exit code must survive
            throw new EngineException.AlreadyExists("container " + request.id() + " already exists in the runtime");
        }
        try {
            for (String f : List.of(Conmon.PIDFILE, Conmon.CONMON_PIDFILE, Conmon.RUNTIME_LOG, Conmon.CONMON_OUTPUT)) {
                Files.deleteIfExists(bundle.resolve(f));
            }
            Files.deleteIfExists(exitFile(request.id()));
            Files.createDirectories(request.logPath().toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot prepare " + bundle + ": " + e.getMessage(), e);
        }
        List<String> command = Conmon.command(paths, request);
        try (AutoCloseable watch = exits.watch(bundle)) {
            return launch(request, bundle, command);
        } catch (EngineException e) {
            throw e;
        } catch (Exception e) {
            throw new EngineException.Unavailable("cannot create " + request.id() + ": " + e.getMessage(), e);
        }
    }

    /** Runs conmon and waits (woken by the bundle's watch) for runc's pid file or its failure. */
    private Created launch(CreateRequest request, Path bundle, List<String> command) {
        Process launcher;
        try {
            // conmon daemonizes; it must hold none of our pipes, or the engine's exit would affect it
            launcher = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.to(bundle.resolve(Conmon.CONMON_OUTPUT).toFile()))
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot run conmon: " + e.getMessage(), e);
        }
        try {
            if (!launcher.waitFor(CREATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                launcher.destroyForcibly();
                throw new EngineException.Unavailable("conmon did not detach within " + CREATE_TIMEOUT.toSeconds() + " s");
            }
            if (launcher.exitValue() != 0) {
                throw new EngineException.Unavailable("conmon failed (exit status " + launcher.exitValue() + "): "
                        + readText(bundle.resolve(Conmon.CONMON_OUTPUT)).strip());
            }
            long conmonPid = readPid(bundle.resolve(Conmon.CONMON_PIDFILE)).orElseThrow(() ->
                    new EngineException.Unavailable("conmon wrote no pid file in " + bundle));
            long deadline = System.nanoTime() + CREATE_TIMEOUT.toNanos();
            while (true) {
                long seen = exits.generation();
                OptionalLong pid = readPid(bundle.resolve(Conmon.PIDFILE));
                if (pid.isPresent()) {
                    return new Created(pid.getAsLong(), conmonPid);
                }
                Optional<String> runcError = runtimeCreateError(bundle);
                boolean conmonAlive = isAlive(conmonPid);
                if (runcError.isPresent() || !conmonAlive) {
                    pid = readPid(bundle.resolve(Conmon.PIDFILE));
                    if (pid.isPresent()) {
                        return new Created(pid.getAsLong(), conmonPid);
                    }
                    String msg = runcError.orElseGet(() -> "conmon exited before the container was created: "
                            + readText(bundle.resolve(Conmon.CONMON_OUTPUT)).strip());
                    EngineException failure = classify("create", request.id(), msg);
                    if (!(failure instanceof EngineException.AlreadyExists)) {
                        abandon(request.id(), conmonPid);
                    }
                    throw failure;
                }
                if (System.nanoTime() > deadline) {
                    abandon(request.id(), conmonPid);
                    throw new EngineException.Unavailable("container " + request.id() + " was not created within "
                            + CREATE_TIMEOUT.toSeconds() + " s");
                }
                exits.awaitChange(seen, 20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException.Unavailable("interrupted while creating " + request.id(), e);
        }
    }

    /** After a failed create: removes what runc may have left and stops our conmon (by pid, if it is still conmon). */
    private void abandon(String id, long conmonPid) {
        try {
            runc("delete", "--force", id);
        } catch (EngineException e) {
            // nothing was left
        }
        if (isAlive(conmonPid) && isConmon(conmonPid)) {
            ProcessHandle.of(conmonPid).ifPresent(ProcessHandle::destroyForcibly);
        }
        cgroups.remove(Cgroups.containerPath(id));
    }

    /** The last error runc logged while creating, if any. */
    private static Optional<String> runtimeCreateError(Path bundle) {
        String log = readText(bundle.resolve(Conmon.RUNTIME_LOG));
        String found = null;
        for (String line : log.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode n = Json.mapper().readTree(line);
                if ("error".equals(n.path("level").asText()) || "fatal".equals(n.path("level").asText())) {
                    found = n.path("msg").asText();
                }
            } catch (IOException e) {
                // a line being written: look again on the next round
            }
        }
        return Optional.ofNullable(found);
    }

    /** Starts a created container ({@code runc start}). */
    public void start(String id) {
        runc("start", id);
    }

    /** runc's view of the container. */
    public State state(String id) {
        Commands.Result r = runc("state", id);
        try {
            JsonNode n = Json.mapper().readTree(r.stdout());
            return new State(n.path("id").asText(id),
                    Status.valueOf(n.path("status").asText().toUpperCase(Locale.ROOT)),
                    n.path("pid").asLong(),
                    Path.of(n.path("bundle").asText()));
        } catch (IOException | IllegalArgumentException e) {
            throw new EngineException.Unavailable("cannot understand runc state of " + id + ": " + r.out(), e);
        }
    }

    /** Every container runc knows under this runtime root (for recovery after an engine restart). */
    public List<State> list() {
        Commands.Result r = runc("list", "--format", "json");
        List<State> out = new ArrayList<>();
        try {
            JsonNode arr = Json.mapper().readTree(r.stdout());
            if (arr != null && arr.isArray()) {
                for (JsonNode n : arr) {
                    out.add(new State(n.path("id").asText(), Status.valueOf(n.path("status").asText().toUpperCase(Locale.ROOT)),
                            n.path("pid").asLong(), Path.of(n.path("bundle").asText())));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new EngineException.Unavailable("cannot understand runc list: " + r.out(), e);
        }
        return out;
    }

    /**
     * Whether runc has state for {@code id} (its state directory under the runtime root exists):
     * what {@link #find} says without running runc.
     */
    public boolean known(String id) {
        return Files.isDirectory(paths.runtimeRoot().resolve(id), LinkOption.NOFOLLOW_LINKS);
    }

    /** runc's state, or empty when runc does not know the id. */
    public Optional<State> find(String id) {
        try {
            return Optional.of(state(id));
        } catch (EngineException.NotFound e) {
            return Optional.empty();
        }
    }

    /** Sends a signal to the container's init: a name with or without {@code SIG} ({@code TERM}, {@code SIGKILL}) or a number. */
    public void kill(String id, String signal) {
        runc("kill", id, normalizeSignal(signal));
    }

    /** Freezes every process of the container (the freezer cgroup). */
    public void pause(String id) {
        runc("pause", id);
    }

    public void resume(String id) {
        runc("resume", id);
    }

    /**
     * Removes the container from runc (and its cgroups) and forgets its exit code. Without
     * {@code force}, a running container is refused; with it, it is killed first. An id runc does
     * not know is not an error (deleting is idempotent).
     */
    public void delete(String id, boolean force) {
        try {
            if (!known(id)) {
                // nothing for runc to do: no process spawned (a removal right after the exit's delete)
            } else if (exitCode(id).isPresent() && initGone(id)) {
                // exited, and conmon recorded it: what runc delete does for a stopped container
                // without hooks (its cgroups are removed below), without starting runc
                FileTrees.deleteTree(paths.runtimeRoot().resolve(id));
            } else if (force) {
                runc("delete", "--force", id);
            } else {
                runc("delete", id);
            }
        } catch (EngineException.NotFound e) {
            // already gone
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot remove runc's state of " + id + ": " + e.getMessage(), e);
        }
        List<Path> left = cgroups.remove(Cgroups.containerPath(id));
        if (!left.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "cgroups of " + id + " still busy: " + left);
        }
        try {
            Files.deleteIfExists(exitFile(id));
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot remove " + exitFile(id) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the container's init process is gone, read from runc's own {@code state.json}
     * (its {@code init_process_pid} and start time, so a recycled pid is not taken for it).
     */
    private boolean initGone(String id) {
        Path state = paths.runtimeRoot().resolve(id).resolve("state.json");
        try {
            JsonNode n = Json.mapper().readTree(Files.readAllBytes(state));
            long pid = n.path("init_process_pid").asLong(0);
            long start = n.path("init_process_start").asLong(-1);
            if (pid <= 0) {
                return true;
            }
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.UTF_8);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            char st = f[0].charAt(0);
            // field 22 (starttime) is the 20th after the command
            return st == 'Z' || st == 'X' || (start >= 0 && Long.parseLong(f[19]) != start);
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // unsure: let runc decide
        }
    }

    /** The exit code conmon recorded, if the container has exited (128 + n when killed by signal n). */
    public OptionalInt exitCode(String id) {
        String text = readText(exitFile(id)).strip();
        if (text.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            throw new EngineException.Unavailable("unreadable exit file " + exitFile(id) + ": " + text);
        }
    }

    /**
     * Waits up to {@code timeout} for the container's exit code. Returns early (empty) when
     * neither the container nor its conmon is alive any more and no exit code was written.
     */
    public OptionalInt waitForExit(String id, Duration timeout) throws InterruptedException {
        return waitForExit(id, null, timeout);
    }

    /**
     * {@link #waitForExit(String, Duration)} for a container whose bundle the caller knows (no
     * {@code runc state} to find it). Woken by the exit directory's inotify watch the moment
     * conmon writes the exit file; polls only as a fallback.
     */
    public OptionalInt waitForExit(String id, Path knownBundle, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path bundle = knownBundle;
        boolean looked = knownBundle != null;
        while (true) {
            long seen = exits.generation();
            OptionalInt code = exitCode(id);
            if (code.isPresent()) {
                return code;
            }
            if (!looked) {
                bundle = find(id).map(State::bundle).orElse(null);
                looked = true;
            }
            if (bundle != null) {
                OptionalLong conmon = readPid(bundle.resolve(Conmon.CONMON_PIDFILE));
                if (conmon.isPresent() && !isAlive(conmon.getAsLong())) {
                    return exitCode(id); // conmon writes the file before it exits
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return OptionalInt.empty();
            }
            exits.awaitChange(seen, Math.min(EXIT_POLL.toMillis(), Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
        }
    }

    /**
     * Docker's stop: {@code signal}, then SIGKILL once {@code timeout} has passed. Without a
     * signal, the bundle's stop signal (see {@link BundleSpecBuilder#STOP_SIGNAL_ANNOTATION}) or
     * SIGTERM. A paused container is resumed after the signal so that it can act on it.
     */
    public StopOutcome stop(String id, String signal, Duration timeout) throws InterruptedException {
        State s = state(id);
        if (s.status() == Status.STOPPED || s.status() == Status.CREATED) {
            return new StopOutcome.NotRunning(exitCode(id));
        }
        String sig = signal;
        if (sig == null || sig.isBlank()) {
            Map<String, String> annotations = Bundles.readConfig(s.bundle()).annotations();
            sig = annotations == null ? null : annotations.get(BundleSpecBuilder.STOP_SIGNAL_ANNOTATION);
        }
        try {
            kill(id, sig == null || sig.isBlank() ? "TERM" : sig);
            if (s.status() == Status.PAUSED) {
                resume(id);
            }
        } catch (EngineException.FailedPrecondition e) {
            return new StopOutcome.NotRunning(waitForExit(id, Duration.ofSeconds(5)));
        }
        OptionalInt code = waitForExit(id, timeout);
        if (code.isPresent()) {
            return new StopOutcome.Exited(code.getAsInt());
        }
        try {
            kill(id, "KILL");
        } catch (EngineException.FailedPrecondition e) {
            // it exited just now
        }
        code = waitForExit(id, Duration.ofSeconds(30));
        if (code.isEmpty()) {
            throw new EngineException.Unavailable("container " + id + " did not exit after SIGKILL");
        }
        return new StopOutcome.Killed(code.getAsInt());
    }

    /** The host pids of every process in the container (its cgroup's {@code cgroup.procs}). */
    public List<Long> ps(String id) {
        return cgroups.procs(Cgroups.containerPath(id));
    }

    /** conmon's pid for the container, from its pid file in the bundle. */
    public OptionalLong conmonPid(String id) {
        return readPid(state(id).bundle().resolve(Conmon.CONMON_PIDFILE));
    }

    /** Connects to the container's attach socket (see {@link AttachSocket}). */
    public AttachSocket attach(String id) {
        return AttachSocket.connect(state(id).bundle().resolve(Conmon.ATTACH));
    }

    /** Resizes the container's terminal (only for containers created with a TTY). */
    public void resize(String id, int height, int width) {
        Conmon.resize(state(id).bundle(), height, width);
    }

    /**
     * A prepared {@code runc exec}: the command line and the process file it reads (delete it
     * once the command has ended). With a terminal, run the command inside a pseudo-terminal of
     * the caller's (pty4j, {@code script}): runc's foreground TTY mode needs a controlling
     * terminal, creates the container's terminal and relays between the two (resizing it when
     * the caller's terminal is resized).
     */
    public record ExecCommand(List<String> command, Path processFile) {}

    /** Prepares an exec in a running container; {@code tty} gives the command a terminal. */
    public ExecCommand prepareExec(String id, ExecRequest request, boolean tty) {
        State s = state(id);
        if (s.status() != Status.RUNNING) {
            throw new EngineException.FailedPrecondition("container " + id + " is not running");
        }
        if (request.args().isEmpty()) {
            throw new EngineException.InvalidArgument("no command specified");
        }
        OciConfig config = Bundles.readConfig(s.bundle());
        OciConfig.Process base = config.process();
        OciConfig.User user = base.user();
        if (request.user() != null && !request.user().isBlank()) {
            UserResolver.ExecUser u = UserResolver.resolve(Bundles.rootfs(s.bundle(), config), request.user());
            user = new OciConfig.User(u.uid(), u.gid(), null, u.additionalGids().isEmpty() ? null : u.additionalGids());
        }
        String cwd = request.workdir() != null && !request.workdir().isBlank() ? request.workdir() : base.cwd();
        if (!cwd.startsWith("/")) {
            throw new EngineException.InvalidArgument("the working directory '" + cwd + "' is invalid, it needs to be an absolute path");
        }
        List<String> env = mergeEnv(base.env(), request.env());
        if (tty && env.stream().noneMatch(e -> e.startsWith("TERM="))) {
            env.add("TERM=xterm");
        }
        OciConfig.Process process = new OciConfig.Process(tty, null, user, request.args(), env,
                cwd, base.capabilities(), base.rlimits(), base.noNewPrivileges(), null);
        Path processFile = s.bundle().resolve("exec-" + UUID.randomUUID() + ".json");
        Json.write(processFile, process);
        return new ExecCommand(List.of(paths.runtime().toString(), "--root", paths.runtimeRoot().toString(),
                "exec", "--process", processFile.toString(), id), processFile);
    }

    /**
     * Starts {@code runc exec} (without a terminal) in a running container and returns the
     * process: what is written to its stdin reaches the command (close it to end the command's
     * input), its stdout and stderr are the command's. The exit value is the command's exit code;
     * {@link #exec} maps runc's own failure to start it to 126/127 as Docker does. runc keeps
     * running with the command, as a child of the engine.
     */
    public Process startExec(String id, ExecRequest request) {
        ExecCommand cmd = prepareExec(id, request, false);
        try {
            Process p = new ProcessBuilder(cmd.command()).start();
            p.onExit().whenComplete((x, e) -> deleteQuietly(cmd.processFile()));
            return p;
        } catch (IOException e) {
            deleteQuietly(cmd.processFile());
            throw new EngineException.Unavailable("cannot run " + paths.runtime() + " exec: " + e.getMessage(), e);
        }
    }

    /**
     * Runs a command in a running container and collects its output (at most
     * {@link Commands#MAX_OUTPUT} bytes per stream) and exit code.
     */
    public ExecResult exec(String id, ExecRequest request) throws InterruptedException {
        Process p = startExec(id, request);
        try {
            p.getOutputStream().close(); // no input
        } catch (IOException e) {
            Commands.killTree(p);
            throw new EngineException.Unavailable("cannot close the input of exec in " + id + ": " + e.getMessage(), e);
        }
        // no time limit: an exec runs as long as its command does; output is drained while it runs
        Commands.Result r;
        try {
            r = Commands.await(p, "exec in " + id, null);
        } catch (EngineException.Unavailable e) {
            if (Thread.interrupted()) { // the process is killed; the caller sees the interrupt as before
                throw new InterruptedException("interrupted while running exec in " + id);
            }
            throw e;
        }
        int code = r.exit();
        String errText = r.err();
        if (code == 255 && errText.contains("exec failed")) {
            // runc could not start the command itself: Docker's codes
            code = errText.contains("not found") || errText.contains("no such file") ? 127 : 126;
        }
        return new ExecResult(code, r.stdout(), r.stderr());
    }

    private static List<String> mergeEnv(List<String> base, List<String> extra) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (List<String> list : List.of(base == null ? List.<String>of() : base, extra)) {
            for (String e : list) {
                int eq = e.indexOf('=');
                if (eq <= 0) {
                    throw new EngineException.InvalidArgument("invalid environment variable: " + e);
                }
                byName.put(e.substring(0, eq), e);
            }
        }
        return new ArrayList<>(byName.values());
    }

    private Commands.Result runc(String... args) {
        List<String> cmd = new ArrayList<>(List.of(paths.runtime().toString(), "--root", paths.runtimeRoot().toString()));
        cmd.addAll(List.of(args));
        Commands.Result r = Commands.run(cmd, RUNC_TIMEOUT);
        if (r.exit() != 0) {
            throw classify(args[0], args[idIndex(args)], runcMessage(r.err(), r.out()));
        }
        return r;
    }

    /** The id is the first argument after the subcommand that is not an option. */
    private static int idIndex(String[] args) {
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("-")) {
                return i;
            }
        }
        return 0;
    }

    private static String runcMessage(String stderr, String stdout) {
        String text = stderr.isBlank() ? stdout : stderr;
        String msg = null;
        Matcher m = RUNC_MSG.matcher(text);
        while (m.find()) {
            msg = m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return (msg != null ? msg : text).strip();
    }

    private static EngineException classify(String op, String id, String msg) {
        String lower = msg.toLowerCase(Locale.ROOT);
        if (lower.contains("does not exist") || lower.contains("container not found")) {
            return new EngineException.NotFound("no such container: " + id);
        }
        if (lower.contains("exists")) {
            return new EngineException.AlreadyExists("container " + id + " already exists in the runtime");
        }
        if (PRECONDITION.matcher(lower).find()) {
            return new EngineException.FailedPrecondition("cannot " + op + " container " + id + ": " + msg);
        }
        return new EngineException.Unavailable("runtime failed to " + op + " container " + id + ": " + msg);
    }

    private static String normalizeSignal(String signal) {
        String s = signal.strip().toUpperCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw new EngineException.InvalidArgument("empty signal");
        }
        if (s.chars().allMatch(Character::isDigit)) {
            int n = Integer.parseInt(s);
            if (n < 1 || n > 64) {
                throw new EngineException.InvalidArgument("invalid signal: " + signal);
            }
            return s;
        }
        if (!s.matches("(SIG)?[A-Z0-9+-]+")) {
            throw new EngineException.InvalidArgument("invalid signal: " + signal);
        }
        return s.startsWith("SIG") ? s : "SIG" + s;
    }

    static OptionalLong readPid(Path file) {
        String s = readText(file).strip();
        if (s.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static boolean isConmon(long pid) {
        try {
            return HostFiles.read(Path.of("/proc/" + pid + "/comm")).strip().equals("conmon");
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether {@code pid} is a live (not zombie) process. */
    static boolean isAlive(long pid) {
        try {
            String stat = HostFiles.read(Path.of("/proc/" + pid + "/stat"));
            int close = stat.lastIndexOf(')');
            char state = close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot remove " + p + ": " + e.getMessage());
        }
    }
}
