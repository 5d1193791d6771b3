package dev.berth.engine.image;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.oci.Digest;

import java.util.regex.Pattern;

/**
 * A normalised image reference, following the distribution reference grammar and Docker's
 * normalisation: {@code busybox} is {@code docker.io/library/busybox:latest}, {@code user/repo}
 * is on {@code docker.io}, and the first path component is a registry host when it contains a
 * {@code .} or a {@code :}, is {@code localhost}, or has upper-case letters.
 *
 * @param domain the registry host, with port if any ({@code docker.io}, {@code 127.0.0.1:5000})
 * @param path   the repository path inside the registry ({@code library/busybox})
 * @param tag    the tag, or null when only a digest was given
 * @param digest the digest, or null
 */
public record Reference(String domain, String path, String tag, Digest digest) {

    /** Docker Hub's canonical domain. */
    public static final String DOCKER_HUB = "docker.io";
    public static final String DEFAULT_TAG = "latest";
    /** Longest repository name (domain and path) the distribution spec allows. */
    public static final int NAME_MAX = 255;
    public static final int TAG_MAX = 128;

    private static final String LEGACY_HUB = "index.docker.io";
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*"
                    + "|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]*");
    private static final Pattern DIGEST_SHAPE = Pattern.compile(
            "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
    private static final Pattern ID = Pattern.compile("[a-f0-9]{64}");

    /** Validates every part; use {@link #parse} for user input. */
    public Reference {
        if (domain == null || !DOMAIN.matcher(domain).matches()) {
            throw invalid("invalid registry host \"" + domain + "\"");
        }
        if (path == null || path.isEmpty()) {
            throw invalid("repository name must have at least one component");
        }
        if (!path.toLowerCase(java.util.Locale.ROOT).equals(path)) {
            throw invalid("repository name (" + path + ") must be lowercase");
        }
        for (String component : path.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                throw invalid("repository name component \"" + component + "\" in \"" + path + "\" may only hold "
                        + "lowercase letters, digits and single separators (. _ __ -) between them");
            }
        }
        int nameLength = domain.length() + 1 + path.length();
        if (nameLength > NAME_MAX) {
            throw invalid("repository name must not be more than " + NAME_MAX + " characters (" + nameLength + ")");
        }
        if (tag != null) {
            checkTag(tag);
        }
    }

    /**
     * Parses what a user or client typed, the way {@code docker pull} does.
     *
     * @throws EngineException.InvalidArgument naming what is wrong ("invalid reference format: ...")
     */
    public static Reference parse(String s) {
        if (s == null || s.isEmpty()) {
            throw invalid("empty reference");
        }
        if (ID.matcher(s).matches()) {
            throw new EngineException.InvalidArgument("invalid repository name (" + s
                    + "), cannot specify 64-byte hexadecimal strings");
        }
        String rest = s;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = parseDigest(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            checkTag(tag);
        }
        if (rest.isEmpty()) {
            throw invalid("repository name must have at least one component");
        }
        String domain;
        String path;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? rest : rest.substring(0, slash);
        if (slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost")
                || !first.toLowerCase(java.util.Locale.ROOT).equals(first))) {
            domain = first;
            path = rest.substring(slash + 1);
        } else {
            domain = DOCKER_HUB;
            path = rest;
        }
        if (domain.equals(LEGACY_HUB)) {
            domain = DOCKER_HUB;
        }
        if (domain.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        if (tag == null && digest == null) {
            tag = DEFAULT_TAG;
        }
        return new Reference(domain, path, tag, digest);
    }

    private static Digest parseDigest(String s) {
        if (!DIGEST_SHAPE.matcher(s).matches()) {
            throw invalid("invalid digest \"" + s + "\": expected algorithm:hex");
        }
        try {
            return Digest.parse(s);
        } catch (EngineException.InvalidArgument e) {
            throw invalid("invalid digest \"" + s + "\": only sha256 (64 hex) and sha512 (128 hex) in lower case");
        }
    }

    private static void checkTag(String tag) {
        if (tag.isEmpty()) {
            throw invalid("empty tag");
        }
        if (tag.length() > TAG_MAX) {
            throw invalid("tag is longer than " + TAG_MAX + " characters (" + tag.length() + ")");
        }
        if (!TAG.matcher(tag).matches()) {
            throw invalid("invalid tag \"" + tag + "\": only letters, digits, _ . and - (not first)");
        }
    }

    private static EngineException.InvalidArgument invalid(String why) {
        return new EngineException.InvalidArgument("invalid reference format: " + why);
    }

    /** {@code domain/path}, e.g. {@code docker.io/library/busybox}. */
    public String name() {
        return domain + "/" + path;
    }

    /** The name as Docker shows it: {@code busybox}, {@code user/repo}, {@code 127.0.0.1:5000/x}. */
    public String familiarName() {
        if (!domain.equals(DOCKER_HUB)) {
            return name();
        }
        if (path.startsWith("library/") && path.indexOf('/', "library/".length()) < 0) {
            return path.substring("library/".length());
        }
        return path;
    }

    /** Docker's short form: {@code busybox:latest}, {@code user/repo:tag}, {@code 127.0.0.1:5000/x:y}. */
    public String familiar() {
        return familiarName() + suffix();
    }

    /** Whether this names a repository on Docker Hub. */
    public boolean isDockerHub() {
        return domain.equals(DOCKER_HUB);
    }

    /** The same repository with this tag (and no digest). */
    public Reference withTag(String newTag) {
        return new Reference(domain, path, newTag, null);
    }

    /** The same repository pinned to this digest (and no tag). */
    public Reference withDigest(Digest newDigest) {
        return new Reference(domain, path, null, newDigest);
    }

    /** What to ask the registry's manifests endpoint for: the digest if pinned, else the tag. */
    public String manifestKey() {
        return digest != null ? digest.toString() : tag;
    }

    private String suffix() {
        return (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    /** The full form: {@code docker.io/library/busybox:latest}. */
    @Override
    public String toString() {
        return name() + suffix();
    }
}
