package dev.berth.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The installed {@code docker} CLI pointed at one socket, with its own empty config directory
 * under {@code workDir} (so no login or context of the host leaks in) and stdin at end of file
 * (a CLI that would prompt, say for a login after a 401, gives up at once):
 * <pre>{@code
 * DockerCli docker = new DockerCli(engine.socket(), tmp);
 * String id = docker.run("network", "create", "n1").ok().strip();
 * String why = docker.run("network", "rm", "bridge").failed();
 * }</pre>
 * A command that has not finished after 60 s is killed and fails the test.
 */
public final class DockerCli {

    /** Where the Debian package puts the CLI. */
    public static final String DOCKER = "/usr/local/bin/docker";

    /** One finished command. */
    public record Run(int exit, String out, String err) {

        /** Stdout then stderr. */
        public String all() {
            return out + err;
        }

        /** Requires exit 0 and returns stdout. */
        public String ok() {
            if (exit != 0) {
                throw new AssertionError("docker exited " + exit + "\nout: " + out + "\nerr: " + err);
            }
            return out;
        }

        /** Requires a failure and returns stderr. */
        public String failed() {
            if (exit == 0) {
                throw new AssertionError("expected docker to fail; out: " + out);
            }
            return err;
        }
    }

    private final Path socket;
    private final Path workDir;

    public DockerCli(Path socket, Path workDir) {
        this.socket = socket;
        this.workDir = workDir;
    }

    /** Runs {@code docker -H unix://SOCKET args...} and waits for it. */
    public Run run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(DOCKER, "-H", "unix://" + socket));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("DOCKER_CONFIG", workDir.resolve("docker-config").toString());
        pb.environment().remove("DOCKER_HOST");
        pb.environment().remove("DOCKER_CONTEXT");
        pb.environment().remove("DOCKER_API_VERSION");
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        try {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    throw new AssertionError("docker " + String.join(" ", args) + " did not finish in 60 s");
                }
            } finally {
                p.destroyForcibly();
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** As {@link #run}, for callers that declare no checked exceptions. */
    public Run runUnchecked(String... args) {
        try {
            return run(args);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs and requires exit 0, naming the command and its output otherwise. */
    public Run ok(String... args) throws IOException, InterruptedException {
        Run r = run(args);
        if (r.exit() != 0) {
            throw new AssertionError("docker " + String.join(" ", args) + " exited " + r.exit() + ":\n" + r.all());
        }
        return r;
    }
}
