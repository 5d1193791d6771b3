/**
 * The shared test kit, shipped in the engine's test-jar so the app's tests use it too: a real
 * {@code docker-registry} on 127.0.0.1 ({@link dev.berth.testkit.LocalRegistry},
 * {@link dev.berth.testkit.RegistryExtension}, {@link dev.berth.testkit.WithRegistry}), busybox
 * test images built from the host's static busybox as OCI layouts and pushed with skopeo
 * ({@link dev.berth.testkit.BusyboxImage}, {@link dev.berth.testkit.Layer}), an engine on a
 * temp root ({@link dev.berth.testkit.TempEngine}; for a whole test class, with the busybox image
 * and the API served, {@link dev.berth.testkit.EngineExtension}), the installed docker CLI pointed at a socket
 * ({@link dev.berth.testkit.DockerCli}) and the root-only guard ({@link dev.berth.testkit.RootOnly}).
 *
 * <p>It never mocks the kernel or the registry, talks only to 127.0.0.1, stops only the
 * processes it started (by pid) and unmounts before it deletes.
 */
package dev.berth.testkit;
