package dev.berth.engine.runtime.spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads kernel files ({@code /proc}, {@code /sys}, cgroupfs) by streaming to end of file. The
 * JDK's {@code Files.readString} trusts the size such files report and was seen returning "4" for
 * {@code /proc/sys/kernel/cap_last_cap} ("40"); streaming reads them whole.
 */
public final class HostFiles {

    private HostFiles() {}

    public static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
