/**
 * OCI and Docker wire formats as records (digests, descriptors, manifests, indexes, image
 * configs, media types), translated to and from the engine's domain model explicitly by the
 * packages that use them. Pure data: no I/O here.
 */
package dev.berth.engine.oci;
