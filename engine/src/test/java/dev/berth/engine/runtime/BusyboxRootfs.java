package dev.berth.engine.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** A minimal root filesystem made of the host's static busybox, with users root, app (1000) and nobody. */
public final class BusyboxRootfs {

    public static final List<String> APPLETS = List.of("sh", "echo", "cat", "sleep", "id", "hostname", "ls", "grep",
            "env", "pwd", "true", "false", "ps", "wc", "stty", "touch", "seq", "head", "tr", "mkdir", "test", "kill", "printf");

    private BusyboxRootfs() {}

    public static Path create(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String applet : APPLETS) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), """
                root:x:0:0:root:/root:/bin/sh
                app:x:1000:1000:app user:/home/app:/bin/sh
                nobody:x:65534:65534:nobody:/nonexistent:/bin/false
                """);
        Files.writeString(etc.resolve("group"), """
                root:x:0:
                wheel:x:10:root
                app:x:1000:
                audio:x:29:app
                video:x:44:app,nobody
                nogroup:x:65534:
                """);
        for (String d : List.of("proc", "sys", "dev", "root", "home/app")) {
            Files.createDirectories(dir.resolve(d));
        }
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Files.setAttribute(tmp, "unix:mode", 01777);
        return dir;
    }
}
