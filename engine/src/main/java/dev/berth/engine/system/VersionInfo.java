package dev.berth.engine.system;

/** The engine's version and the platform it runs on, as {@code docker version} shows them. */
public record VersionInfo(String engineVersion, String gitCommit, String javaVersion, String os, String arch,
                          String kernelVersion, String buildTime) {}
