package dev.berth.engine.registry;

import dev.berth.engine.oci.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * A blob's bytes as they arrive, hashed on the way through. At end of stream it compares size
 * and digest with what was asked for and throws {@link BlobVerificationException} on a
 * mismatch, so a caller that copies until EOF never mistakes corrupt content for good.
 * Bytes beyond the expected size fail at once. Without a hasher (a caller that hashes the bytes
 * itself, see {@link RegistryClient#openBlobUnverified}) only the size is checked.
 */
final class VerifyingInputStream extends InputStream {

    private final InputStream in;
    private final Digest expected;
    private final long expectedSize;
    private final MessageDigest hasher;
    private final BlobProgress progress;
    private final long total;
    private long count;
    private boolean verified;

    /**
     * @param hasher   hashes what passes, or null when the caller verifies the digest itself
     * @param count    bytes already hashed into {@code hasher} (a resumed download's prefix)
     * @param expectedSize the blob's full size, or -1 when unknown
     */
    VerifyingInputStream(InputStream in, Digest expected, long expectedSize, MessageDigest hasher, long count,
                         BlobProgress progress, long total) {
        this.in = in;
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.hasher = hasher;
        this.count = count;
        this.progress = progress;
        this.total = total;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (verified) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            throw new IOException("blob " + expected + " download interrupted after " + count + " bytes: "
                    + RegistryErrors.describe(e), e);
        }
        if (n < 0) {
            verify();
            return -1;
        }
        if (hasher != null) {
            hasher.update(b, off, n);
        }
        count += n;
        if (expectedSize >= 0 && count > expectedSize) {
            verified = true;
            throw new BlobVerificationException("blob " + expected + " failed verification: expected "
                    + expectedSize + " bytes, got more");
        }
        progress.update(count, total);
        return n;
    }

    private void verify() throws BlobVerificationException {
        verified = true;
        if (expectedSize >= 0 && count != expectedSize) {
            throw new BlobVerificationException("blob " + expected + " failed verification: expected "
                    + expectedSize + " bytes, got " + count);
        }
        if (hasher != null) {
            Digest actual = Digest.of(hasher);
            if (!actual.equals(expected)) {
                throw BlobVerificationException.digestMismatch(expected, actual);
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
