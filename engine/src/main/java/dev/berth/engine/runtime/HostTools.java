package dev.berth.engine.runtime;

import java.util.List;
import java.util.Optional;

/**
 * What the engine found on this host to run containers with: the OCI runtime that passed a
 * real start-to-exit probe, the per-container monitor (conmon), and Podman's network stack
 * (netavark, aardvark-dns). Shown in {@code /info} and in the app's status bar.
 *
 * @param runtime the runtime in use, if any candidate worked
 * @param candidates every runtime found, with the probe's verdict
 * @param conmon conmon, if found
 * @param netavark netavark, if found
 * @param aardvarkDns aardvark-dns, if found
 */
public record HostTools(Optional<Tool> runtime, List<Candidate> candidates, Optional<Tool> conmon,
                        Optional<Tool> netavark, Optional<Tool> aardvarkDns) {

    /** A binary and the version it reports. */
    public record Tool(String name, String path, String version) {}

    /** A runtime that was found, and whether it actually ran a container here (and why not). */
    public record Candidate(Tool tool, boolean works, String problem) {}

    /** A one-line description for logs and the status bar, e.g. {@code runc 1.1.5 (crun 1.8.1 refused: ...)}. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(runtime.map(t -> t.name() + " " + t.version()).orElse("no working OCI runtime"));
        for (Candidate c : candidates) {
            if (!c.works()) {
                sb.append("; ").append(c.tool().name()).append(" not usable: ").append(c.problem());
            }
        }
        return sb.toString();
    }
}
