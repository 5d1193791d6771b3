package dev.berth.engine.system;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Version facts stamped into the jar at build time ({@code berth-build.properties}). */
public final class BuildInfo {

    private static final Properties PROPS = load();

    private BuildInfo() {}

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/dev/berth/engine/berth-build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // defaults below
        }
        return p;
    }

    public static String version() {
        return PROPS.getProperty("version", "0.0.0-dev");
    }

    public static String gitCommit() {
        return PROPS.getProperty("gitCommit", "unknown");
    }

    public static String buildTime() {
        return PROPS.getProperty("buildTime", "");
    }
}
