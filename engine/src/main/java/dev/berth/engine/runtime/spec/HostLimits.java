package dev.berth.engine.runtime.spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's own resource limits, read from {@code /proc/self/limits}. A container cannot get
 * a hard limit above the engine's (runc fails with EPERM without CAP_SYS_RESOURCE in the initial
 * namespace to raise it), so requested limits are clamped to these.
 */
public final class HostLimits {

    /** A soft and hard limit; {@link OciConfig.Rlimit#UNLIMITED} (-1) means unlimited. */
    public record Limit(long soft, long hard) {}

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("Max cpu time", "RLIMIT_CPU"),
            Map.entry("Max file size", "RLIMIT_FSIZE"),
            Map.entry("Max data size", "RLIMIT_DATA"),
            Map.entry("Max stack size", "RLIMIT_STACK"),
            Map.entry("Max core file size", "RLIMIT_CORE"),
            Map.entry("Max resident set", "RLIMIT_RSS"),
            Map.entry("Max processes", "RLIMIT_NPROC"),
            Map.entry("Max open files", "RLIMIT_NOFILE"),
            Map.entry("Max locked memory", "RLIMIT_MEMLOCK"),
            Map.entry("Max address space", "RLIMIT_AS"),
            Map.entry("Max file locks", "RLIMIT_LOCKS"),
            Map.entry("Max pending signals", "RLIMIT_SIGPENDING"),
            Map.entry("Max msgqueue size", "RLIMIT_MSGQUEUE"),
            Map.entry("Max nice priority", "RLIMIT_NICE"),
            Map.entry("Max realtime priority", "RLIMIT_RTPRIO"),
            Map.entry("Max realtime timeout", "RLIMIT_RTTIME"));

    private final Map<String, Limit> limits;

    private HostLimits(Map<String, Limit> limits) {
        this.limits = Map.copyOf(limits);
    }

    /** The limits of this process. */
    public static HostLimits current() {
        try {
            return parse(HostFiles.read(Path.of("/proc/self/limits")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/limits: " + e.getMessage(), e);
        }
    }

    /** Parses the text of a {@code /proc/<pid>/limits} file. */
    public static HostLimits parse(String text) {
        Map<String, Limit> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            for (Map.Entry<String, String> e : NAMES.entrySet()) {
                if (line.startsWith(e.getKey() + " ")) {
                    String[] cols = line.substring(e.getKey().length()).strip().split("\\s+");
                    if (cols.length >= 2) {
                        out.put(e.getValue(), new Limit(value(cols[0]), value(cols[1])));
                    }
                }
            }
        }
        return new HostLimits(out);
    }

    private static long value(String s) {
        return s.equals("unlimited") ? OciConfig.Rlimit.UNLIMITED : Long.parseUnsignedLong(s);
    }

    /** The limit for an OCI type such as {@code RLIMIT_NOFILE}, when this kernel reports it. */
    public Optional<Limit> get(String type) {
        return Optional.ofNullable(limits.get(type));
    }

    /** {@code requested} lowered to the engine's hard limit for {@code type} (unsigned comparison). */
    public long clamp(String type, long requested) {
        return get(type).map(l -> Long.compareUnsigned(requested, l.hard()) > 0 ? l.hard() : requested).orElse(requested);
    }
}
