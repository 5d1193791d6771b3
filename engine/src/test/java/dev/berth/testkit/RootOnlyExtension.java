package dev.berth.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Fails (never skips) {@link RootOnly} tests when the JVM is not running as root. */
public final class RootOnlyExtension implements BeforeAllCallback, BeforeEachCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        requireRoot(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        requireRoot(context);
    }

    private static void requireRoot(ExtensionContext context) {
        requireRoot(context.getDisplayName(), effectiveUid());
    }

    static void requireRoot(String test, long uid) {
        if (uid != 0) {
            throw new AssertionError(test + " needs root (mounts, namespaces, cgroups) but runs as uid "
                    + uid + ": run the tests as root, e.g. sudo ./berth test");
        }
    }

    /** The effective uid of this process, from {@code /proc/self/status}. */
    public static long effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    // Uid: real effective saved fs
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/status", e);
        }
        throw new IllegalStateException("no Uid line in /proc/self/status");
    }

    /** Whether this process runs as root. */
    public static boolean isRoot() {
        return effectiveUid() == 0;
    }
}
