package dev.berth.engine.container;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the container runs ({@code exposedPorts}: the image's and {@code --expose}'s, {@code 80/tcp}), merged from the image's config and the create request (Docker's
 * {@code Config}); immutable after create.
 */
public record ContainerConfig(String hostname, String user, List<String> env, List<String> cmd, List<String> entrypoint,
                              String workingDir, Map<String, String> labels, String stopSignal, Integer stopTimeout,
                              boolean tty, boolean openStdin, boolean stdinOnce, List<String> exposedPorts) {

    public ContainerConfig {
        exposedPorts = exposedPorts == null ? List.of() : List.copyOf(exposedPorts);
        env = env == null ? List.of() : List.copyOf(env);
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** Without {@code stdinOnce} (false). */
    public ContainerConfig(String hostname, String user, List<String> env, List<String> cmd, List<String> entrypoint,
                           String workingDir, Map<String, String> labels, String stopSignal, Integer stopTimeout,
                           boolean tty, boolean openStdin) {
        this(hostname, user, env, cmd, entrypoint, workingDir, labels, stopSignal, stopTimeout, tty, openStdin, false, List.of());
    }

    /** The process's argv: entrypoint followed by cmd. */
    public List<String> args() {
        List<String> out = new ArrayList<>(entrypoint);
        out.addAll(cmd);
        return List.copyOf(out);
    }
}
