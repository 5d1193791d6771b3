package dev.berth.engine.api.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The installed docker CLI pointed at one socket, with its own empty config directory. */
final class DockerCli {

    static final String DOCKER = "/usr/local/bin/docker";

    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private final Path socket;
    private final Path workDir;

    DockerCli(Path socket, Path workDir) {
        this.socket = socket;
        this.workDir = workDir;
    }

    Run run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(DOCKER, "-H", "unix://" + socket));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("DOCKER_CONFIG", workDir.resolve("docker-config").toString());
        pb.environment().remove("DOCKER_HOST");
        pb.environment().remove("DOCKER_CONTEXT");
        pb.environment().remove("DOCKER_API_VERSION");
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        // stdin at end of file: a CLI that would prompt (a 401 makes it ask for a login) gives up at once
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("docker " + String.join(" ", args) + " did not finish in 60 s");
            }
        } finally {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Runs and requires exit 0, naming the command and its output otherwise. */
    Run ok(String... args) throws IOException, InterruptedException {
        Run r = run(args);
        if (r.exit() != 0) {
            throw new AssertionError("docker " + String.join(" ", args) + " exited " + r.exit() + ":\n" + r.all());
        }
        return r;
    }
}
