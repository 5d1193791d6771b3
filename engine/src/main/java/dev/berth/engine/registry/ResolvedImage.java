package dev.berth.engine.registry;

import dev.berth.engine.oci.Descriptor;
import dev.berth.engine.oci.Manifest;

/**
 * An image reference resolved to the one image manifest to run.
 *
 * @param root     what the reference named: the index, or the image manifest itself
 * @param image    the image manifest for the chosen platform (same as root when root is one)
 * @param platformEntry the index entry chosen, or null when root is an image manifest
 */
public record ResolvedImage(Manifest root, Manifest.Image image, Descriptor platformEntry) {
}
