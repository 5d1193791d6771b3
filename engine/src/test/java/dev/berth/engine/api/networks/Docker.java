package dev.berth.engine.api.networks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The installed docker CLI pointed at one Berth socket, with its own empty config directory. */
public final class Docker {

    static final String CLI = "/usr/local/bin/docker";

    /** One finished command. */
    public record Run(int exit, String out, String err) {
        /** Requires exit 0 and returns stdout. */
        public String ok() {
            assertThat(exit).as("out: " + out + "\nerr: " + err).isZero();
            return out;
        }

        /** Requires a failure and returns stderr. */
        public String failed() {
            assertThat(exit).as("expected a failure; out: " + out).isNotZero();
            return err;
        }
    }

    private final Path socket;
    private final Path workDir;

    public Docker(Path socket, Path workDir) {
        this.socket = socket;
        this.workDir = workDir;
    }

    public Run run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(CLI, "-H", "unix://" + socket));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("DOCKER_CONFIG", workDir.resolve("docker-config").toString());
        pb.environment().remove("DOCKER_HOST");
        pb.environment().remove("DOCKER_CONTEXT");
        pb.environment().remove("DOCKER_API_VERSION");
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
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
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
