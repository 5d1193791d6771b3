package dev.berth.app.backend;

/**
 * What {@code docker version} shows for the server side.
 *
 * @param product    the engine's product name ("Berth", "Docker Engine - Community", ...)
 * @param version    the engine's version
 * @param apiVersion the Docker API version the app speaks with it
 * @param gitCommit  the commit the engine was built from, or empty
 * @param os         the engine's OS (linux)
 * @param arch       the engine's architecture as Docker names it
 * @param kernelVersion the host kernel's release
 */
public record EngineVersion(String product, String version, String apiVersion, String gitCommit, String os,
                            String arch, String kernelVersion) {}
