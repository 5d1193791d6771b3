package dev.berth.engine.oci;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.berth.engine.errors.EngineException;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest as the OCI image spec writes it: {@code algorithm ":" encoded}, e.g.
 * {@code sha256:e3b0c4...}. Only sha256 and sha512 are accepted; the encoded part is checked
 * for the algorithm's length and lower-case hex, so a digest can safely name a file.
 */
public record Digest(String algorithm, String encoded) {

    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

    public Digest {
        boolean ok = switch (algorithm) {
            case "sha256" -> SHA256.matcher(encoded).matches();
            case "sha512" -> SHA512.matcher(encoded).matches();
            default -> false;
        };
        if (!ok) {
            throw new EngineException.InvalidArgument("invalid digest " + algorithm + ":" + encoded);
        }
    }

    /** Parses {@code sha256:<64 hex>}; throws InvalidArgument naming the input otherwise. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Digest parse(String s) {
        int colon = s == null ? -1 : s.indexOf(':');
        if (colon <= 0) {
            throw new EngineException.InvalidArgument("invalid digest " + s + ": expected algorithm:hex");
        }
        return new Digest(s.substring(0, colon), s.substring(colon + 1));
    }

    /** The sha256 digest of {@code bytes}. */
    public static Digest sha256(byte[] bytes) {
        return new Digest("sha256", HexFormat.of().formatHex(newSha256().digest(bytes)));
    }

    /** A fresh SHA-256 MessageDigest (for hashing while streaming). */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The digest of what {@code md} has hashed so far (consumes it). */
    public static Digest of(MessageDigest md) {
        String alg = switch (md.getAlgorithm()) {
            case "SHA-256" -> "sha256";
            case "SHA-512" -> "sha512";
            default -> throw new IllegalArgumentException("unsupported algorithm " + md.getAlgorithm());
        };
        return new Digest(alg, HexFormat.of().formatHex(md.digest()));
    }

    /** The first 12 hex characters, as Docker shows short ids. */
    public String shortId() {
        return encoded.substring(0, 12);
    }

    /** A fresh MessageDigest of this digest's algorithm, to hash content that should match it. */
    public MessageDigest newMessageDigest() {
        try {
            return MessageDigest.getInstance(algorithm.equals("sha512") ? "SHA-512" : "SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no " + algorithm, e);
        }
    }

    @Override
    @JsonValue
    public String toString() {
        return algorithm + ":" + encoded;
    }
}
