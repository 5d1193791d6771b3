package dev.berth.engine.registry;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.oci.Digest;

import java.io.IOException;

/**
 * Thrown by a blob stream at its end when the bytes do not have the expected digest or size.
 * It is an IOException because it surfaces from {@code read()}; {@link #engineException()} is
 * the same failure as the engine reports it. The caller must discard what it wrote.
 */
public final class BlobVerificationException extends IOException {

    private final transient EngineException engineException;

    BlobVerificationException(String message) {
        super(message);
        this.engineException = new EngineException.Unavailable(message, this);
    }

    /** The bytes of blob {@code expected} hash to {@code actual}: the words every pull path reports. */
    public static BlobVerificationException digestMismatch(Digest expected, Digest actual) {
        return new BlobVerificationException("blob " + expected + " failed verification: got " + actual);
    }

    public EngineException engineException() {
        return engineException;
    }
}
