package dev.berth.engine.oci;

import java.util.List;
import java.util.Set;

/** Media types of the OCI image spec and of Docker's image manifest v2 formats. */
public final class MediaTypes {

    private MediaTypes() {}

    // OCI image spec
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    public static final String OCI_LAYER_NONDISTRIBUTABLE_TAR = "application/vnd.oci.image.layer.nondistributable.v1.tar";
    public static final String OCI_LAYER_NONDISTRIBUTABLE_GZIP = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    public static final String OCI_LAYER_NONDISTRIBUTABLE_ZSTD = "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

    // Docker image manifest v2, schema 2
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String DOCKER_LAYER_ZSTD = "application/vnd.docker.image.rootfs.diff.tar.zstd";
    public static final String DOCKER_LAYER_TAR = "application/vnd.docker.image.rootfs.diff.tar";
    public static final String DOCKER_LAYER_FOREIGN_GZIP = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    public static final String DOCKER_PLUGIN_CONFIG = "application/vnd.docker.plugin.v1+json";

    // Docker image manifest v2, schema 1: recognised only to be refused
    public static final String DOCKER_SCHEMA1_MANIFEST = "application/vnd.docker.distribution.manifest.v1+json";
    public static final String DOCKER_SCHEMA1_SIGNED_MANIFEST = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    /** The annotation buildkit puts on attestation entries of an index (SBOM, provenance). */
    public static final String DOCKER_REFERENCE_TYPE_ANNOTATION = "vnd.docker.reference.type";
    public static final String DOCKER_ATTESTATION_MANIFEST = "attestation-manifest";

    /** What a client accepts when fetching a manifest, most specific first. */
    public static final List<String> MANIFEST_ACCEPT = List.of(OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST);

    private static final Set<String> IMAGE_MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);
    private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);
    private static final Set<String> SCHEMA1 = Set.of(DOCKER_SCHEMA1_MANIFEST, DOCKER_SCHEMA1_SIGNED_MANIFEST);
    private static final Set<String> GZIP_LAYERS = Set.of(OCI_LAYER_GZIP, DOCKER_LAYER_GZIP,
            OCI_LAYER_NONDISTRIBUTABLE_GZIP, DOCKER_LAYER_FOREIGN_GZIP);
    private static final Set<String> ZSTD_LAYERS = Set.of(OCI_LAYER_ZSTD, DOCKER_LAYER_ZSTD, OCI_LAYER_NONDISTRIBUTABLE_ZSTD);
    private static final Set<String> TAR_LAYERS = Set.of(OCI_LAYER_TAR, DOCKER_LAYER_TAR, OCI_LAYER_NONDISTRIBUTABLE_TAR);
    private static final Set<String> FOREIGN_LAYERS = Set.of(DOCKER_LAYER_FOREIGN_GZIP, OCI_LAYER_NONDISTRIBUTABLE_TAR,
            OCI_LAYER_NONDISTRIBUTABLE_GZIP, OCI_LAYER_NONDISTRIBUTABLE_ZSTD);

    /** Strips parameters ({@code ; charset=utf-8}) and lower-cases, so header values compare to the constants. */
    public static String normalize(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(java.util.Locale.ROOT);
    }

    public static boolean isImageManifest(String mediaType) {
        return IMAGE_MANIFESTS.contains(normalize(mediaType));
    }

    public static boolean isIndex(String mediaType) {
        return INDEXES.contains(normalize(mediaType));
    }

    public static boolean isSchema1(String mediaType) {
        return SCHEMA1.contains(normalize(mediaType));
    }

    /** How a layer blob is compressed, judged by its media type. */
    public enum Compression { NONE, GZIP, ZSTD }

    /** The compression of a layer media type, or null when it is not a known layer type. */
    public static Compression layerCompression(String mediaType) {
        String m = normalize(mediaType);
        if (GZIP_LAYERS.contains(m)) {
            return Compression.GZIP;
        }
        if (ZSTD_LAYERS.contains(m)) {
            return Compression.ZSTD;
        }
        if (TAR_LAYERS.contains(m)) {
            return Compression.NONE;
        }
        return null;
    }

    /** Foreign (Docker) or non-distributable (OCI) layers: fetched from their {@code urls}, never pushed. */
    public static boolean isForeignLayer(String mediaType) {
        return FOREIGN_LAYERS.contains(normalize(mediaType));
    }
}
