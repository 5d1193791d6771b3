package dev.berth.app.backend;

import java.util.List;

/**
 * How the engine reaches registries, as Docker's daemon.json names it.
 *
 * @param mirrors            {@code registry-mirrors}: Docker Hub mirrors tried first for pulls
 * @param insecureRegistries {@code insecure-registries}: hosts and CIDRs spoken to over plain http
 * @param editable           whether the app can change them (an embedded engine's config file)
 * @param configFile         where they are kept, when the app knows (empty otherwise)
 */
public record RegistrySettings(List<String> mirrors, List<String> insecureRegistries, boolean editable, String configFile) {

    public RegistrySettings {
        mirrors = mirrors == null ? List.of() : List.copyOf(mirrors);
        insecureRegistries = insecureRegistries == null ? List.of() : List.copyOf(insecureRegistries);
        configFile = configFile == null ? "" : configFile;
    }
}
