/**
 * OCI and Docker wire formats as records (digests, descriptors, platforms, manifests, indexes,
 * image configs, media types), with their exact JSON names, translated to and from the engine's
 * domain model explicitly by the packages that use them. Pure data: no I/O here.
 *
 * <p>Manifests are addressed by the digest of their exact bytes: {@link dev.berth.engine.oci.Manifest}
 * keeps those bytes next to the parsed record, and nothing here re-serializes a record to find
 * a digest. Unknown JSON fields are ignored on read.
 */
package dev.berth.engine.oci;
