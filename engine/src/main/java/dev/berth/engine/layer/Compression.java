package dev.berth.engine.layer;

import com.github.luben.zstd.ZstdInputStream;
import dev.berth.engine.errors.EngineException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** A layer blob's compression, told from its first bytes (the media type is not trusted for this). */
public enum Compression {
    NONE, GZIP, ZSTD;

    /**
     * Peeks at the first bytes of {@code in} (which must support mark/reset) and names the compression.
     * Refuses bzip2 and xz, which OCI layers do not use.
     */
    public static Compression detect(InputStream in, String layerName) throws IOException {
        in.mark(8);
        byte[] head = in.readNBytes(6);
        in.reset();
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (head.length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        if (head.length >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
            throw new EngineException.InvalidArgument(layerName + " is bzip2-compressed; layers must be tar, gzip or zstd");
        }
        if (head.length >= 6 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z' && head[3] == 'X'
                && head[4] == 'Z' && head[5] == 0) {
            throw new EngineException.InvalidArgument(layerName + " is xz-compressed; layers must be tar, gzip or zstd");
        }
        return NONE;
    }

    /** A stream of {@code in}'s decompressed bytes. */
    public InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            case GZIP -> new GZIPInputStream(in, 64 * 1024);
            case ZSTD -> new BufferedInputStream(new ZstdInputStream(in), 64 * 1024);
        };
    }
}
