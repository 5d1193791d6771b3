package dev.berth.engine.system;

import dev.berth.engine.runtime.HostTools;

import java.nio.file.Path;
import java.util.function.Supplier;

/** Answers "what is this engine and what is it running on": the data behind {@code /version} and {@code /info}. */
public final class SystemService {

    /** Container and image counts, supplied by whoever owns those records. */
    public record Counts(int containers, int running, int paused, int stopped, int images) {}

    private final String engineId;
    private final HostInfo host;
    private final HostTools tools;
    private final Path rootDir;
    private final Supplier<Counts> counts;

    public SystemService(String engineId, HostInfo host, HostTools tools, Path rootDir, Supplier<Counts> counts) {
        this.engineId = engineId;
        this.host = host;
        this.tools = tools;
        this.rootDir = rootDir;
        this.counts = counts;
    }

    public VersionInfo version() {
        return new VersionInfo(BuildInfo.version(), BuildInfo.gitCommit(), Runtime.version().toString(),
                host.osType(), host.architecture(), host.kernelVersion(), BuildInfo.buildTime());
    }

    public SystemInfo info() {
        Counts c = counts.get();
        return new SystemInfo(engineId, BuildInfo.version(), host, tools, rootDir, "overlayfs",
                c.containers(), c.running(), c.paused(), c.stopped(), c.images());
    }

    /** This state root's stable engine id (Docker's daemon ID). */
    public String engineId() {
        return engineId;
    }

    public HostInfo host() {
        return host;
    }

    public HostTools tools() {
        return tools;
    }
}
