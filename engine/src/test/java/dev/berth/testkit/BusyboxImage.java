package dev.berth.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdOutputStream;
import dev.berth.engine.oci.Digest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * A busybox test image made from the host's static {@code /bin/busybox} (Debian's
 * busybox-static), written as an OCI image layout directory ({@code oci-layout},
 * {@code index.json}, {@code blobs/sha256/...}) with the tag {@link #LAYOUT_TAG}. The output is
 * deterministic: the same busybox binary and options give the same digests.
 *
 * <p>The base layer holds {@code /bin/busybox}, symlinks to it for the common applets,
 * {@code /etc/passwd} and {@code /etc/group} (root and nobody) and the usual directories
 * ({@code /tmp} is 1777). Options add layers, switch to Docker v2 schema 2 media types,
 * change the layer compression, or make an index with an amd64 and an arm64/v8 image.
 *
 * <p>Docker-typed images are written into the same layout (OCI allows any descriptor media
 * type) and pushed from a {@code dir:} copy, because skopeo's {@code oci:} transport reads
 * only OCI manifests; either way the registry serves exactly the bytes and digests described
 * here ({@code --preserve-digests}).
 *
 * <pre>{@code
 * BusyboxImage image = BusyboxImage.builder().build(tempDir);
 * image.pushTo(registry, "library/busybox:latest");
 * }</pre>
 */
public final class BusyboxImage {

    /** The host binary the image is made of. */
    public static final Path HOST_BUSYBOX = Path.of("/bin/busybox");
    /** The tag (ref name annotation) of the image inside the layout directory. */
    public static final String LAYOUT_TAG = "latest";
    public static final String PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** Applets linked to {@code /bin/busybox} in the base layer. */
    public static final List<String> APPLETS = List.of(
            "[", "awk", "basename", "cat", "chmod", "chown", "cp", "cut", "date", "dd", "df", "dirname", "du",
            "echo", "env", "expr", "false", "find", "grep", "gunzip", "gzip", "head", "hostname", "httpd", "id",
            "ifconfig", "ip", "kill", "ln", "ls", "mkdir", "mount", "mv", "nc", "nslookup", "ping", "printf",
            "ps", "pwd", "readlink", "rm", "rmdir", "sed", "seq", "sh", "sleep", "sort", "stat", "tail", "tar",
            "tee", "test", "top", "touch", "tr", "true", "umount", "uname", "uniq", "vi", "wc", "wget",
            "whoami", "xargs", "yes");

    public static final String PASSWD = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n";
    public static final String GROUP = "root:x:0:\nnogroup:x:65534:\n";

    /** Which family of media types the manifests, config and layers use. */
    public enum MediaTypes { OCI, DOCKER }

    /** How layer blobs are compressed. Docker v2 schema 2 has no zstd type. */
    public enum Compression { GZIP, ZSTD, NONE }

    /** A content descriptor: media type, digest, size. */
    public record Descriptor(String mediaType, Digest digest, long size) {}

    /** A layer blob and the digest of its uncompressed tar. */
    public record LayerBlob(String mediaType, Digest digest, long size, Digest diffId) {}

    /** One platform's image: manifest, config and layers. */
    public record PlatformImage(String os, String architecture, String variant, Descriptor manifest,
                                byte[] manifestBytes, Descriptor config, byte[] configBytes, List<LayerBlob> layers) {
        /** {@code linux/amd64} or {@code linux/arm64/v8}. */
        public String platform() {
            return os + "/" + architecture + (variant == null ? "" : "/" + variant);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path layout;
    private final MediaTypes mediaTypes;
    private final List<PlatformImage> images;
    private final Optional<Descriptor> index;
    private final Optional<byte[]> indexBytes;

    private BusyboxImage(Path layout, MediaTypes mediaTypes, List<PlatformImage> images,
                         Optional<Descriptor> index, Optional<byte[]> indexBytes) {
        this.layout = layout;
        this.mediaTypes = mediaTypes;
        this.images = List.copyOf(images);
        this.index = index;
        this.indexBytes = indexBytes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The plain image (OCI, gzip, one layer) in {@code dir}. */
    public static BusyboxImage build(Path dir) {
        return builder().build(dir);
    }

    /** The base layer: busybox, its applet symlinks, passwd, group and the usual directories. */
    public static Layer baseLayer() {
        byte[] busybox;
        try {
            busybox = Files.readAllBytes(HOST_BUSYBOX);
        } catch (IOException e) {
            throw new UncheckedIOException(HOST_BUSYBOX + " is missing: install the Debian package busybox-static", e);
        }
        Layer.Builder b = Layer.builder().createdBy("ADD busybox /bin/busybox # berth testkit");
        for (String d : List.of("/bin", "/dev", "/etc", "/home", "/proc", "/root", "/sys", "/usr", "/usr/bin",
                "/usr/sbin", "/sbin", "/var")) {
            b.dir(d, d.equals("/root") ? 0700 : 0755);
        }
        b.dir("/tmp", 01777);
        b.file("/bin/busybox", busybox, 0755);
        for (String applet : APPLETS) {
            b.symlink("/bin/" + applet, "/bin/busybox");
        }
        b.file("/etc/passwd", PASSWD);
        b.file("/etc/group", GROUP);
        return b.build();
    }

    // ---- results

    /** The OCI image layout directory. */
    public Path layout() {
        return layout;
    }

    public MediaTypes mediaTypes() {
        return mediaTypes;
    }

    /** The linux/amd64 image (the only one unless built with {@link Builder#multiPlatform()}). */
    public PlatformImage image() {
        return images.getFirst();
    }

    /** Every platform's image; amd64 first. */
    public List<PlatformImage> images() {
        return images;
    }

    public Descriptor manifest() {
        return image().manifest();
    }

    public byte[] manifestBytes() {
        return image().manifestBytes().clone();
    }

    public Descriptor config() {
        return image().config();
    }

    public byte[] configBytes() {
        return image().configBytes().clone();
    }

    public List<LayerBlob> layers() {
        return image().layers();
    }

    /** The image index (manifest list for Docker types), when multi-platform. */
    public Optional<Descriptor> index() {
        return index;
    }

    public Optional<byte[]> indexBytes() {
        return indexBytes.map(byte[]::clone);
    }

    /** What a tag points to: the index when multi-platform, the manifest otherwise. */
    public Descriptor top() {
        return index.orElse(manifest());
    }

    /** A blob's bytes, read from the layout. */
    public byte[] blob(Digest digest) {
        try {
            return Files.readAllBytes(blobPath(layout, digest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Pushes the image (every platform, for an index) to {@code registry} as {@code repo:tag} with
     * {@code skopeo copy} over plain HTTP, authenticating when the registry wants Basic auth.
     *
     * @return the digest of the manifest (or index) that the tag now points to, as skopeo reports it
     */
    public Digest pushTo(LocalRegistry registry, String repoAndTag) {
        return pushTo(registry.host(), registry.credentials(), repoAndTag);
    }

    /** Pushes to {@code host} (plain HTTP) with the given credentials, or none. */
    public Digest pushTo(String host, Optional<LocalRegistry.Credentials> credentials, String repoAndTag) {
        Path digestFile;
        try {
            digestFile = Files.createTempFile(layout.toAbsolutePath().getParent(), "pushed-", ".digest");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy", "copy", "--quiet",
                "--dest-tls-verify=false", "--preserve-digests", "--digestfile", digestFile.toString()));
        credentials.ifPresent(c -> {
            cmd.add("--dest-creds");
            cmd.add(c.username() + ":" + c.password());
        });
        if (mediaTypes == MediaTypes.DOCKER) {
            cmd.add("--format");
            cmd.add("v2s2");
        }
        if (index.isPresent()) {
            cmd.add("--all");
        }
        Path dirView = null;
        try {
            if (mediaTypes == MediaTypes.DOCKER) {
                // skopeo's oci: transport only reads OCI manifests; its dir: transport keeps any type byte for byte
                dirView = writeDirTransportView();
                cmd.add("dir:" + dirView);
            } else {
                cmd.add("oci:" + layout + ":" + LAYOUT_TAG);
            }
            cmd.add("docker://" + host + "/" + repoAndTag);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("skopeo copy to " + host + " did not finish in 120 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("skopeo copy to " + host + "/" + repoAndTag
                        + " failed (exit " + p.exitValue() + "): " + out.strip());
            }
            return Digest.parse(Files.readString(digestFile, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("push with skopeo failed (is the Debian package skopeo installed?): "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pushing", e);
        } finally {
            TestFiles.deleteTree(dirView);
            TestFiles.deleteTree(digestFile);
        }
    }

    /**
     * The same image in skopeo's {@code dir:} format: {@code manifest.json} (the tag's target),
     * {@code HEX.manifest.json} for each platform's manifest under an index, {@code HEX} for blobs.
     */
    private Path writeDirTransportView() throws IOException {
        Path view = Files.createTempDirectory(layout.toAbsolutePath().getParent(), layout.getFileName() + ".dir-");
        Files.writeString(view.resolve("version"), "Directory Transport Version: 1.1\n", StandardCharsets.UTF_8);
        Files.write(view.resolve("manifest.json"), blob(top().digest()));
        for (PlatformImage img : images) {
            if (index.isPresent()) {
                Files.write(view.resolve(img.manifest().digest().encoded() + ".manifest.json"), img.manifestBytes());
            }
            Files.copy(blobPath(layout, img.config().digest()), view.resolve(img.config().digest().encoded()),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            for (LayerBlob l : img.layers()) {
                Files.copy(blobPath(layout, l.digest()), view.resolve(l.digest().encoded()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return view;
    }

    static Path blobPath(Path layout, Digest d) {
        return layout.resolve("blobs").resolve(d.algorithm()).resolve(d.encoded());
    }

    // ---- building

    /** Options; {@link #build(Path)} writes the layout. */
    public static final class Builder {
        private MediaTypes mediaTypes = MediaTypes.OCI;
        private Compression compression = Compression.GZIP;
        private boolean multiPlatform;
        private final List<Layer> extraLayers = new ArrayList<>();
        private List<String> cmd = List.of("sh");
        private List<String> entrypoint;
        private final List<String> env = new ArrayList<>(List.of(PATH_ENV));
        private String workingDir;
        private String user;
        private final Map<String, String> labels = new TreeMap<>();
        private final List<String> exposedPorts = new ArrayList<>();
        private final List<String> volumes = new ArrayList<>();

        private Builder() {}

        public Builder mediaTypes(MediaTypes types) {
            this.mediaTypes = types;
            return this;
        }

        public Builder compression(Compression c) {
            this.compression = c;
            return this;
        }

        /** An index (manifest list) with linux/amd64 (busybox) and linux/arm64/v8 (a one-file layer). */
        public Builder multiPlatform() {
            this.multiPlatform = true;
            return this;
        }

        /** Adds a layer on top of the base layer (of the amd64 image). */
        public Builder layer(Layer layer) {
            extraLayers.add(layer);
            return this;
        }

        public Builder cmd(String... cmd) {
            this.cmd = List.of(cmd);
            return this;
        }

        public Builder entrypoint(String... entrypoint) {
            this.entrypoint = List.of(entrypoint);
            return this;
        }

        /** Adds {@code KEY=value} to the config's Env (after PATH). */
        public Builder env(String keyEqualsValue) {
            env.add(keyEqualsValue);
            return this;
        }

        public Builder workingDir(String dir) {
            this.workingDir = dir;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        /** E.g. {@code 80/tcp}. */
        public Builder exposedPort(String port) {
            exposedPorts.add(port);
            return this;
        }

        public Builder volume(String path) {
            volumes.add(path);
            return this;
        }

        /** Writes the OCI image layout into {@code dir} (created if missing) and describes it. */
        public BusyboxImage build(Path dir) {
            if (mediaTypes == MediaTypes.DOCKER && compression == Compression.ZSTD) {
                throw new IllegalArgumentException("Docker v2 schema 2 has no zstd layer media type");
            }
            try {
                Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
                Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}", StandardCharsets.UTF_8);
                List<Layer> layers = new ArrayList<>();
                layers.add(baseLayer());
                layers.addAll(extraLayers);
                List<PlatformImage> images = new ArrayList<>();
                images.add(writeImage(dir, "amd64", null, layers));
                if (multiPlatform) {
                    Layer arm = Layer.builder().createdBy("ADD arch /etc/arch # berth testkit")
                            .file("/etc/arch", "linux/arm64/v8\n").build();
                    images.add(writeImage(dir, "arm64", "v8", List.of(arm)));
                }
                Optional<Descriptor> index = Optional.empty();
                Optional<byte[]> indexBytes = Optional.empty();
                Descriptor top = images.getFirst().manifest();
                if (multiPlatform) {
                    List<Object> manifests = new ArrayList<>();
                    for (PlatformImage img : images) {
                        Map<String, Object> platform = new LinkedHashMap<>();
                        platform.put("architecture", img.architecture());
                        platform.put("os", img.os());
                        if (img.variant() != null) {
                            platform.put("variant", img.variant());
                        }
                        Map<String, Object> m = descriptorJson(img.manifest());
                        m.put("platform", platform);
                        manifests.add(m);
                    }
                    Map<String, Object> idx = new LinkedHashMap<>();
                    idx.put("schemaVersion", 2);
                    idx.put("mediaType", indexType());
                    idx.put("manifests", manifests);
                    byte[] bytes = JSON.writeValueAsBytes(idx);
                    top = writeBlob(dir, indexType(), bytes);
                    index = Optional.of(top);
                    indexBytes = Optional.of(bytes);
                }
                Map<String, Object> ref = descriptorJson(top);
                ref.put("annotations", Map.of("org.opencontainers.image.ref.name", LAYOUT_TAG));
                Map<String, Object> layoutIndex = new LinkedHashMap<>();
                layoutIndex.put("schemaVersion", 2);
                layoutIndex.put("mediaType", "application/vnd.oci.image.index.v1+json");
                layoutIndex.put("manifests", List.of(ref));
                Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(layoutIndex));
                return new BusyboxImage(dir, mediaTypes, images, index, indexBytes);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the image layout in " + dir + ": " + e.getMessage(), e);
            }
        }

        private PlatformImage writeImage(Path dir, String arch, String variant, List<Layer> layers) throws IOException {
            List<LayerBlob> blobs = new ArrayList<>();
            List<Object> history = new ArrayList<>();
            for (Layer layer : layers) {
                byte[] tar = layer.tar();
                Descriptor d = writeBlob(dir, layerType(), compress(tar));
                blobs.add(new LayerBlob(d.mediaType(), d.digest(), d.size(), Digest.sha256(tar)));
                Map<String, Object> h = new LinkedHashMap<>();
                h.put("created", Layer.FIXED_TIME.toString());
                h.put("created_by", layer.createdBy());
                history.add(h);
            }
            Map<String, Object> runConfig = new LinkedHashMap<>();
            if (user != null) {
                runConfig.put("User", user);
            }
            if (!exposedPorts.isEmpty()) {
                Map<String, Object> ports = new TreeMap<>();
                exposedPorts.forEach(p -> ports.put(p, Map.of()));
                runConfig.put("ExposedPorts", ports);
            }
            runConfig.put("Env", env);
            if (entrypoint != null) {
                runConfig.put("Entrypoint", entrypoint);
            }
            runConfig.put("Cmd", cmd);
            if (!volumes.isEmpty()) {
                Map<String, Object> vols = new TreeMap<>();
                volumes.forEach(v -> vols.put(v, Map.of()));
                runConfig.put("Volumes", vols);
            }
            if (workingDir != null) {
                runConfig.put("WorkingDir", workingDir);
            }
            if (!labels.isEmpty()) {
                runConfig.put("Labels", labels);
            }
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("architecture", arch);
            if (variant != null) {
                config.put("variant", variant);
            }
            config.put("config", runConfig);
            config.put("created", Layer.FIXED_TIME.toString());
            config.put("history", history);
            config.put("os", "linux");
            config.put("rootfs", Map.of("type", "layers",
                    "diff_ids", blobs.stream().map(b -> b.diffId().toString()).toList()));
            byte[] configBytes = JSON.writeValueAsBytes(config);
            Descriptor configDesc = writeBlob(dir, configType(), configBytes);

            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("schemaVersion", 2);
            manifest.put("mediaType", manifestType());
            manifest.put("config", descriptorJson(configDesc));
            manifest.put("layers", blobs.stream()
                    .map(b -> (Object) descriptorJson(new Descriptor(b.mediaType(), b.digest(), b.size()))).toList());
            byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
            Descriptor manifestDesc = writeBlob(dir, manifestType(), manifestBytes);
            return new PlatformImage("linux", arch, variant, manifestDesc, manifestBytes, configDesc, configBytes,
                    List.copyOf(blobs));
        }

        private static Map<String, Object> descriptorJson(Descriptor d) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mediaType", d.mediaType());
            m.put("digest", d.digest().toString());
            m.put("size", d.size());
            return m;
        }

        private static Descriptor writeBlob(Path dir, String mediaType, byte[] bytes) throws IOException {
            Digest d = Digest.sha256(bytes);
            Path p = blobPath(dir, d);
            if (!Files.exists(p)) {
                Files.write(p, bytes);
            }
            return new Descriptor(mediaType, d, bytes.length);
        }

        private byte[] compress(byte[] tar) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            OutputStream z = switch (compression) {
                case GZIP -> new GZIPOutputStream(out);
                case ZSTD -> new ZstdOutputStream(out, 3);
                case NONE -> out;
            };
            try (z) {
                z.write(tar);
            }
            return out.toByteArray();
        }

        private String manifestType() {
            return mediaTypes == MediaTypes.OCI ? "application/vnd.oci.image.manifest.v1+json"
                    : "application/vnd.docker.distribution.manifest.v2+json";
        }

        private String indexType() {
            return mediaTypes == MediaTypes.OCI ? "application/vnd.oci.image.index.v1+json"
                    : "application/vnd.docker.distribution.manifest.list.v2+json";
        }

        private String configType() {
            return mediaTypes == MediaTypes.OCI ? "application/vnd.oci.image.config.v1+json"
                    : "application/vnd.docker.container.image.v1+json";
        }

        private String layerType() {
            if (mediaTypes == MediaTypes.DOCKER) {
                return compression == Compression.NONE ? "application/vnd.docker.image.rootfs.diff.tar"
                        : "application/vnd.docker.image.rootfs.diff.tar.gzip";
            }
            return switch (compression) {
                case GZIP -> "application/vnd.oci.image.layer.v1.tar+gzip";
                case ZSTD -> "application/vnd.oci.image.layer.v1.tar+zstd";
                case NONE -> "application/vnd.oci.image.layer.v1.tar";
            };
        }
    }
}
