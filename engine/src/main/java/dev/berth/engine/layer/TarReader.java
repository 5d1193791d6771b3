package dev.berth.engine.layer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A streaming tar reader for layers: POSIX ustar, PAX extended and global headers, GNU long
 * names and long link names, base-256 numbers. Checksums are verified. Extended attribute
 * values from {@code SCHILY.xattr.*} are kept as raw bytes. Sparse files and other exotic
 * entry types are refused as {@link TarFormatException}: layers do not use them.
 *
 * <p>Reads exactly the blocks it needs from the stream; the caller drains what follows the
 * end-of-archive marker (the DiffID covers the whole stream). Public for the build context, which
 * reads an uploaded context tar with the same rules.
 */
public final class TarReader {

    /** The archive is malformed (bad checksum, truncated entry, unsupported entry type). */
    public static final class TarFormatException extends IOException {
        TarFormatException(String message) {
            super(message);
        }
    }

    private static final int BLOCK = 512;

    private final InputStream in;
    private final byte[] block = new byte[BLOCK];
    private final Map<String, byte[]> globalPax = new HashMap<>();
    private long remaining;   // content bytes of the current entry not yet read
    private long padding;     // padding after the current entry's content
    private long entryIndex;
    private boolean done;

    public TarReader(InputStream in) {
        this.in = in;
    }

    /** The next entry, or null at the end of the archive. Skips any unread content of the previous one. */
    public TarEntry next() throws IOException {
        if (done) {
            return null;
        }
        skipRest();
        Map<String, byte[]> pax = new LinkedHashMap<>();
        String longName = null;
        String longLink = null;
        while (true) {
            if (!readBlockOrEof()) {
                done = true; // a stream that ends cleanly on a header boundary without the zero blocks
                return null;
            }
            if (isZero(block)) {
                done = true;
                return null;
            }
            verifyChecksum();
            char flag = (char) (block[156] & 0xff);
            long size = number(124, 12, "size");
            if (size < 0) {
                throw new TarFormatException("entry " + (entryIndex + 1) + " has a negative size");
            }
            switch (flag) {
                case 'x' -> pax.putAll(parsePax(readMeta(size)));
                case 'g' -> globalPax.putAll(parsePax(readMeta(size)));
                case 'L' -> longName = cString(readMeta(size));
                case 'K' -> longLink = cString(readMeta(size));
                default -> {
                    entryIndex++;
                    return entry(flag, size, pax, longName, longLink);
                }
            }
        }
    }

    /** The content of the current entry; reading past its size returns end of stream. */
    public InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw new EOFException("the layer ends in the middle of entry " + entryIndex);
                }
                remaining -= n;
                return n;
            }
        };
    }

    private TarEntry entry(char flag, long headerSize, Map<String, byte[]> pax, String longName, String longLink)
            throws IOException {
        Map<String, byte[]> all = new HashMap<>(globalPax);
        all.putAll(pax);
        TarEntry.Type type = switch (flag) {
            case '0', '\0', '7' -> TarEntry.Type.FILE;
            case '1' -> TarEntry.Type.HARDLINK;
            case '2' -> TarEntry.Type.SYMLINK;
            case '3' -> TarEntry.Type.CHAR_DEVICE;
            case '4' -> TarEntry.Type.BLOCK_DEVICE;
            case '5' -> TarEntry.Type.DIRECTORY;
            case '6' -> TarEntry.Type.FIFO;
            case 'S' -> throw new TarFormatException("entry " + entryIndex + " is a GNU sparse file, which layers do not use");
            default -> throw new TarFormatException("entry " + entryIndex + " has the unsupported type '" + flag + "'");
        };
        if (all.keySet().stream().anyMatch(k -> k.startsWith("GNU.sparse."))) {
            throw new TarFormatException("entry " + entryIndex + " is a PAX sparse file, which layers do not use");
        }
        String name = headerName();
        if (longName != null) {
            name = longName;
        }
        if (all.containsKey("path")) {
            name = utf8(all.get("path"));
        }
        String link = cString(block, 157, 100);
        if (longLink != null) {
            link = longLink;
        }
        if (all.containsKey("linkpath")) {
            link = utf8(all.get("linkpath"));
        }
        long size = all.containsKey("size") ? paxLong(all, "size") : headerSize;
        long uid = all.containsKey("uid") ? paxLong(all, "uid") : number(108, 8, "uid");
        long gid = all.containsKey("gid") ? paxLong(all, "gid") : number(116, 8, "gid");
        FileTime mtime = all.containsKey("mtime") ? paxTime(all, "mtime")
                : FileTime.from(Instant.ofEpochSecond(number(136, 12, "mtime")));
        FileTime atime = all.containsKey("atime") ? paxTime(all, "atime") : null;
        int mode = (int) (number(100, 8, "mode") & 07777);
        long major = 0;
        long minor = 0;
        if (type == TarEntry.Type.CHAR_DEVICE || type == TarEntry.Type.BLOCK_DEVICE) {
            major = number(329, 8, "devmajor");
            minor = number(337, 8, "devminor");
        }
        Map<String, byte[]> xattrs = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : all.entrySet()) {
            if (e.getKey().startsWith("SCHILY.xattr.")) {
                xattrs.put(e.getKey().substring("SCHILY.xattr.".length()), e.getValue());
            } else if (e.getKey().startsWith("LIBARCHIVE.xattr.")) {
                String xname = URLDecoder.decode(e.getKey().substring("LIBARCHIVE.xattr.".length()), StandardCharsets.UTF_8);
                try {
                    xattrs.putIfAbsent(xname, Base64.getDecoder().decode(utf8(e.getValue()).trim()));
                } catch (IllegalArgumentException bad) {
                    throw new TarFormatException("entry " + name + " has a malformed LIBARCHIVE.xattr value");
                }
            }
        }
        // as Go's archive/tar does (and Docker writes): only regular files have data blocks
        long onDisk = type == TarEntry.Type.FILE ? size : 0;
        remaining = onDisk;
        padding = (BLOCK - (onDisk % BLOCK)) % BLOCK;
        return new TarEntry(name, type, mode, uid, gid, type == TarEntry.Type.FILE ? size : 0, mtime, atime, link,
                major, minor, xattrs);
    }

    private String headerName() {
        String name = cString(block, 0, 100);
        boolean posixUstar = block[257] == 'u' && block[258] == 's' && block[259] == 't' && block[260] == 'a'
                && block[261] == 'r' && block[262] == 0;
        if (posixUstar) {
            String prefix = cString(block, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
        }
        return name;
    }

    private void skipRest() throws IOException {
        long toSkip = remaining + padding;
        remaining = 0;
        padding = 0;
        byte[] buf = new byte[8192];
        while (toSkip > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, toSkip));
            if (n < 0) {
                throw new EOFException("the layer ends in the middle of entry " + entryIndex);
            }
            toSkip -= n;
        }
    }

    private byte[] readMeta(long size) throws IOException {
        if (size > (16 << 20)) {
            throw new TarFormatException("an extended header of " + size + " bytes is too large");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length != size) {
            throw new EOFException("the layer ends in the middle of an extended header");
        }
        long pad = (BLOCK - (size % BLOCK)) % BLOCK;
        if (in.readNBytes((int) pad).length != pad) {
            throw new EOFException("the layer ends in the middle of an extended header");
        }
        return data;
    }

    private boolean readBlockOrEof() throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n != BLOCK) {
            throw new EOFException("the layer ends in the middle of a tar header");
        }
        return true;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private void verifyChecksum() throws TarFormatException {
        long stored = number(148, 8, "checksum");
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = (i >= 148 && i < 156) ? ' ' : block[i];
            unsigned += b & 0xff;
            signed += (i >= 148 && i < 156) ? ' ' : block[i];
        }
        if (stored != unsigned && stored != signed) {
            throw new TarFormatException("tar header " + (entryIndex + 1) + " has a bad checksum (not a tar stream, or corrupt)");
        }
    }

    private long number(int off, int len, String field) throws TarFormatException {
        if ((block[off] & 0x80) != 0) {
            if ((block[off] & 0xff) == 0xff) {
                throw new TarFormatException("tar header field " + field + " is negative");
            }
            long v = block[off] & 0x7f;
            for (int i = 1; i < len; i++) {
                if ((v >>> 55) != 0) {
                    throw new TarFormatException("tar header field " + field + " is too large");
                }
                v = (v << 8) | (block[off + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        boolean any = false;
        for (int i = off; i < off + len; i++) {
            int c = block[i] & 0xff;
            if (c == 0 || c == ' ') {
                if (any) {
                    break;
                }
                continue;
            }
            if (c < '0' || c > '7') {
                throw new TarFormatException("tar header field " + field + " is not an octal number");
            }
            any = true;
            v = (v << 3) | (c - '0');
        }
        return v;
    }

    private static Map<String, byte[]> parsePax(byte[] data) throws TarFormatException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        int pos = 0;
        while (pos < data.length) {
            if (data[pos] == 0) {
                break; // some writers pad with NULs
            }
            int sp = pos;
            int len = 0;
            while (sp < data.length && data[sp] != ' ') {
                if (data[sp] < '0' || data[sp] > '9' || len > 100_000_000) {
                    throw new TarFormatException("malformed PAX extended header");
                }
                len = len * 10 + (data[sp] - '0');
                sp++;
            }
            int end = pos + len;
            if (sp >= data.length || len <= 0 || end > data.length || data[end - 1] != '\n') {
                throw new TarFormatException("malformed PAX extended header");
            }
            int eq = sp + 1;
            while (eq < end && data[eq] != '=') {
                eq++;
            }
            if (eq >= end) {
                throw new TarFormatException("malformed PAX extended header record");
            }
            String key = new String(data, sp + 1, eq - sp - 1, StandardCharsets.UTF_8);
            byte[] value = java.util.Arrays.copyOfRange(data, eq + 1, end - 1);
            out.put(key, value);
            pos = end;
        }
        return out;
    }

    private static long paxLong(Map<String, byte[]> pax, String key) throws TarFormatException {
        try {
            return Long.parseLong(utf8(pax.get(key)).trim());
        } catch (NumberFormatException e) {
            throw new TarFormatException("PAX header " + key + " is not a number");
        }
    }

    private static FileTime paxTime(Map<String, byte[]> pax, String key) throws TarFormatException {
        String s = utf8(pax.get(key)).trim();
        try {
            int dot = s.indexOf('.');
            if (dot < 0) {
                return FileTime.from(Instant.ofEpochSecond(Long.parseLong(s)));
            }
            long sec = Long.parseLong(s.substring(0, dot));
            String frac = (s.substring(dot + 1) + "000000000").substring(0, 9);
            long nanos = Long.parseLong(frac);
            if (s.startsWith("-")) {
                nanos = -nanos;
            }
            return FileTime.from(Instant.ofEpochSecond(sec, nanos));
        } catch (NumberFormatException e) {
            throw new TarFormatException("PAX header " + key + " is not a time");
        }
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String cString(byte[] b) {
        return cString(b, 0, b.length);
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }
}
