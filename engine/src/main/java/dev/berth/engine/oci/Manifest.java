package dev.berth.engine.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.state.Json;

import java.io.IOException;
import java.util.Arrays;

/**
 * A manifest as read from a registry or a store: its exact bytes, the digest of those bytes and
 * the parsed form. The digest is always computed from {@link #bytes()}; the parsed record is never
 * re-serialized to find it.
 */
public sealed interface Manifest permits Manifest.Image, Manifest.Index {

    String mediaType();

    /** The exact bytes; callers must not modify the array. */
    byte[] bytes();

    Digest digest();

    /** A descriptor of this manifest. */
    default Descriptor descriptor() {
        return Descriptor.of(mediaType(), digest(), bytes().length);
    }

    /** An image manifest (OCI or Docker v2 schema 2). */
    record Image(String mediaType, ImageManifest manifest, byte[] bytes, Digest digest) implements Manifest {
        @Override
        public String toString() {
            return "Manifest.Image[" + mediaType + ", " + digest + ", " + bytes.length + " bytes]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Image i && i.digest.equals(digest) && i.mediaType.equals(mediaType);
        }

        @Override
        public int hashCode() {
            return digest.hashCode();
        }
    }

    /** An OCI image index or Docker manifest list. */
    record Index(String mediaType, ImageIndex index, byte[] bytes, Digest digest) implements Manifest {
        @Override
        public String toString() {
            return "Manifest.Index[" + mediaType + ", " + digest + ", " + bytes.length + " bytes]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Index i && i.digest.equals(digest) && i.mediaType.equals(mediaType);
        }

        @Override
        public int hashCode() {
            return digest.hashCode();
        }
    }

    /**
     * The media type of a manifest: the {@code Content-Type} it came with when that is specific,
     * else its own {@code mediaType} field, else guessed from its shape (schemaVersion 1 → Docker
     * schema 1; {@code manifests} → OCI index; {@code config} → OCI manifest).
     *
     * @throws EngineException.InvalidArgument when the bytes are not a JSON object
     */
    static String detectMediaType(String contentType, byte[] bytes) {
        String header = MediaTypes.normalize(contentType);
        if (MediaTypes.isImageManifest(header) || MediaTypes.isIndex(header) || MediaTypes.isSchema1(header)) {
            return header;
        }
        JsonNode tree = tree(bytes);
        String field = tree.path("mediaType").asText("");
        if (!field.isEmpty()) {
            return MediaTypes.normalize(field);
        }
        if (tree.path("schemaVersion").asInt(0) == 1) {
            return MediaTypes.DOCKER_SCHEMA1_MANIFEST;
        }
        if (tree.has("manifests")) {
            return MediaTypes.OCI_INDEX;
        }
        if (tree.has("config") || tree.has("layers")) {
            return MediaTypes.OCI_MANIFEST;
        }
        return header.isEmpty() ? "unknown" : header;
    }

    /**
     * Parses an image manifest or index of the given media type (see {@link #detectMediaType}).
     *
     * @throws EngineException.InvalidArgument for malformed JSON, schema 1 or a media type that is
     *         not a manifest; the message names the digest
     */
    static Manifest parse(String mediaType, byte[] bytes) {
        byte[] copy = Arrays.copyOf(bytes, bytes.length);
        Digest digest = Digest.sha256(copy);
        String mt = MediaTypes.normalize(mediaType);
        try {
            if (MediaTypes.isImageManifest(mt)) {
                ImageManifest m = Json.mapper().readValue(copy, ImageManifest.class);
                if (m.config() == null) {
                    throw new EngineException.InvalidArgument("manifest " + digest + " has no config descriptor");
                }
                return new Image(mt, m, copy, digest);
            }
            if (MediaTypes.isIndex(mt)) {
                return new Index(mt, Json.mapper().readValue(copy, ImageIndex.class), copy, digest);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new EngineException.InvalidArgument("manifest " + digest + " is not valid " + mt + ": "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (MediaTypes.isSchema1(mt)) {
            throw new EngineException.InvalidArgument("manifest " + digest
                    + " uses the Docker image manifest v2 schema 1 format, which is no longer supported");
        }
        throw new EngineException.InvalidArgument("manifest " + digest + " has media type " + mt
                + ", which is not an image manifest or index");
    }

    private static JsonNode tree(byte[] bytes) {
        try {
            JsonNode tree = Json.mapper().readTree(bytes);
            if (tree == null || !tree.isObject()) {
                throw new EngineException.InvalidArgument("manifest " + Digest.sha256(bytes) + " is not a JSON object");
            }
            return tree;
        } catch (IOException e) {
            throw new EngineException.InvalidArgument("manifest " + Digest.sha256(bytes) + " is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
