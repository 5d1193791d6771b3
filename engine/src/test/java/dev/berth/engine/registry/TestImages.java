package dev.berth.engine.registry;

import dev.berth.engine.oci.Descriptor;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.oci.MediaTypes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates image content (layer blobs, configs, manifests, indexes) and pushes it with the client.
 * Manifest JSON is written by hand, with the odd spacing real tools produce, so digests are of
 * exact bytes and never of a re-serialization.
 */
final class TestImages {

    private TestImages() {}

    /** A pushed image manifest: its bytes, digest, config and layers. */
    record Pushed(String mediaType, byte[] manifest, Digest digest, Descriptor config, List<Descriptor> layers,
                  List<byte[]> layerBytes) {
        Descriptor descriptor() {
            return Descriptor.of(mediaType, digest, manifest.length);
        }
    }

    static byte[] randomBytes(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] config(String arch, String variant) {
        return ("""
                {"architecture":"%s",%s"config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],\
                "Cmd":["sh"],"WorkingDir":"/","Labels":{"org.opencontainers.image.title":"berth-test"}},\
                "created":"2024-09-26T21:31:42Z","history":[{"created":"2024-09-26T21:31:42Z",\
                "created_by":"ADD file:abc in / "},{"created":"2024-09-26T21:31:42Z","created_by":"CMD [\\"sh\\"]",\
                "empty_layer":true}],"os":"linux","rootfs":{"type":"layers","diff_ids":["%s"]}}""")
                .formatted(arch, variant == null ? "" : "\"variant\":\"" + variant + "\",",
                        Digest.sha256(arch.getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Pushes config and layers, then a manifest of {@code mediaType} under {@code tag} (or only by digest when null). */
    static Pushed pushImage(RegistryClient client, RegistryRepository repo, String tag, String mediaType, String arch,
                            String variant, long seed, int... layerSizes) {
        boolean oci = mediaType.equals(MediaTypes.OCI_MANIFEST);
        byte[] config = config(arch, variant);
        Descriptor configDesc = Descriptor.of(oci ? MediaTypes.OCI_CONFIG : MediaTypes.DOCKER_CONFIG,
                Digest.sha256(config), config.length);
        client.pushBlob(repo, configDesc.digest(), config.length, BlobContent.of(config), null, null);
        List<Descriptor> layers = new ArrayList<>();
        List<byte[]> layerBytes = new ArrayList<>();
        for (int i = 0; i < layerSizes.length; i++) {
            byte[] layer = randomBytes(seed * 31 + i, layerSizes[i]);
            Descriptor d = Descriptor.of(oci ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.DOCKER_LAYER_GZIP,
                    Digest.sha256(layer), layer.length);
            client.pushBlob(repo, d.digest(), layer.length, BlobContent.of(layer), null, null);
            layers.add(d);
            layerBytes.add(layer);
        }
        StringBuilder json = new StringBuilder("{\n   \"schemaVersion\": 2,\n   \"mediaType\": \"" + mediaType + "\",\n"
                + "   \"config\": " + descriptorJson(configDesc, null) + ",\n   \"layers\": [");
        for (int i = 0; i < layers.size(); i++) {
            json.append(i == 0 ? "\n      " : ",\n      ").append(descriptorJson(layers.get(i), null));
        }
        json.append("\n   ]");
        if (oci) {
            json.append(",\n   \"annotations\": {\"org.opencontainers.image.created\": \"2024-09-26T21:31:42Z\"}");
        }
        json.append("\n}");
        byte[] manifest = json.toString().getBytes(StandardCharsets.UTF_8);
        Digest d = client.putManifest(repo, tag != null ? tag : Digest.sha256(manifest).toString(), mediaType, manifest);
        return new Pushed(mediaType, manifest, d, configDesc, layers, layerBytes);
    }

    static String descriptorJson(Descriptor d, String platformJson) {
        return descriptorJson(d, platformJson, Map.of());
    }

    static String descriptorJson(Descriptor d, String platformJson, Map<String, String> annotations) {
        StringBuilder s = new StringBuilder("{\"mediaType\": \"" + d.mediaType() + "\", \"size\": " + d.size()
                + ", \"digest\": \"" + d.digest() + "\"");
        if (platformJson != null) {
            s.append(", \"platform\": ").append(platformJson);
        }
        if (!annotations.isEmpty()) {
            s.append(", \"annotations\": {");
            s.append(String.join(", ", annotations.entrySet().stream()
                    .map(e -> "\"" + e.getKey() + "\": \"" + e.getValue() + "\"").toList()));
            s.append("}");
        }
        return s.append("}").toString();
    }

    /** An OCI index over {@code entries} (descriptor JSON strings), pushed under {@code tag}. */
    static byte[] indexJson(String mediaType, List<String> entries) {
        return ("{\n  \"schemaVersion\": 2,\n  \"mediaType\": \"" + mediaType + "\",\n  \"manifests\": [\n    "
                + String.join(",\n    ", entries) + "\n  ]\n}").getBytes(StandardCharsets.UTF_8);
    }
}
