package dev.berth.engine.layer;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes layer tars: POSIX ustar headers, with a PAX extended header in front of an entry
 * only when the entry needs one (long path or link target, numbers too large for the
 * header, sub-second times, extended attributes, kept as raw bytes). Closing writes the
 * end-of-archive marker but leaves the underlying stream open.
 */
public final class TarWriter implements Closeable {

    private static final int BLOCK = 512;
    private static final long MAX_OCTAL_8 = 07777777L;
    private static final long MAX_OCTAL_12 = 077777777777L;

    private final OutputStream out;
    private boolean closed;

    public TarWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes {@code entry}; for a regular file {@code content} must supply exactly {@code entry.size()} bytes. */
    public void write(TarEntry entry, InputStream content) throws IOException {
        byte[] name = entry.name().getBytes(StandardCharsets.UTF_8);
        byte[] link = entry.linkName().getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> pax = new LinkedHashMap<>();
        String headerName = entry.name();
        String prefix = "";
        if (name.length > 100) {
            int split = splitForPrefix(entry.name());
            if (split > 0) {
                prefix = entry.name().substring(0, split);
                headerName = entry.name().substring(split + 1);
            } else {
                pax.put("path", name);
                headerName = truncate(entry.name(), 100);
            }
        }
        if (link.length > 100) {
            pax.put("linkpath", link);
        }
        long size = entry.type() == TarEntry.Type.FILE ? entry.size() : 0;
        if (size > MAX_OCTAL_12) {
            pax.put("size", ascii(Long.toString(size)));
        }
        if (entry.uid() > MAX_OCTAL_8) {
            pax.put("uid", ascii(Long.toString(entry.uid())));
        }
        if (entry.gid() > MAX_OCTAL_8) {
            pax.put("gid", ascii(Long.toString(entry.gid())));
        }
        Instant mtime = entry.mtime().toInstant();
        if (mtime.getNano() != 0 || mtime.getEpochSecond() < 0 || mtime.getEpochSecond() > MAX_OCTAL_12) {
            pax.put("mtime", ascii(time(mtime)));
        }
        if (entry.atime() != null) {
            pax.put("atime", ascii(time(entry.atime().toInstant())));
        }
        for (Map.Entry<String, byte[]> x : entry.xattrs().entrySet()) {
            pax.put("SCHILY.xattr." + x.getKey(), x.getValue());
        }
        if (!pax.isEmpty()) {
            byte[] records = paxRecords(pax);
            String paxName = truncate("PaxHeaders.0/" + lastComponent(entry.name()), 100);
            writeHeader(paxName, "", 'x', 0644, 0, 0, records.length, 0, "", 0, 0);
            out.write(records);
            pad(records.length);
        }
        char flag = switch (entry.type()) {
            case FILE -> '0';
            case HARDLINK -> '1';
            case SYMLINK -> '2';
            case CHAR_DEVICE -> '3';
            case BLOCK_DEVICE -> '4';
            case DIRECTORY -> '5';
            case FIFO -> '6';
        };
        writeHeader(headerName, prefix, flag, entry.mode(), Math.min(entry.uid(), MAX_OCTAL_8),
                Math.min(entry.gid(), MAX_OCTAL_8), Math.min(size, MAX_OCTAL_12),
                Math.clamp(mtime.getEpochSecond(), 0, MAX_OCTAL_12), truncate(entry.linkName(), 100),
                entry.devMajor(), entry.devMinor());
        if (size > 0) {
            long copied = 0;
            byte[] buf = new byte[64 * 1024];
            while (copied < size) {
                int n = content.read(buf, 0, (int) Math.min(buf.length, size - copied));
                if (n < 0) {
                    throw new IOException("the content of " + entry.name() + " ended after " + copied + " of " + size + " bytes");
                }
                out.write(buf, 0, n);
                copied += n;
            }
            pad(size);
        }
    }

    /** Writes the two zero blocks that end an archive. Does not close the underlying stream. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            out.write(new byte[2 * BLOCK]);
            out.flush();
        }
    }

    private void writeHeader(String name, String prefix, char flag, int mode, long uid, long gid, long size, long mtime,
                             String link, long major, long minor) throws IOException {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        octal(h, 100, 8, mode & 07777);
        octal(h, 108, 8, uid);
        octal(h, 116, 8, gid);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        h[156] = (byte) flag;
        put(h, 157, 100, link.getBytes(StandardCharsets.UTF_8));
        put(h, 257, 6, new byte[] {'u', 's', 't', 'a', 'r', 0});
        put(h, 263, 2, new byte[] {'0', '0'});
        octal(h, 329, 8, major);
        octal(h, 337, 8, minor);
        put(h, 345, 155, prefix.getBytes(StandardCharsets.UTF_8));
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        byte[] chk = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(chk, 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
        out.write(h);
    }

    private void pad(long size) throws IOException {
        int p = (int) ((BLOCK - (size % BLOCK)) % BLOCK);
        if (p > 0) {
            out.write(new byte[p]);
        }
    }

    private static void put(byte[] h, int off, int len, byte[] v) {
        System.arraycopy(v, 0, h, off, Math.min(len, v.length));
    }

    private static void octal(byte[] h, int off, int len, long v) {
        String s = Long.toOctalString(v);
        String padded = "0".repeat(Math.max(0, len - 1 - s.length())) + s;
        put(h, off, len - 1, padded.getBytes(StandardCharsets.US_ASCII));
        h[off + len - 1] = 0;
    }

    /** The index of a '/' that splits {@code name} into a prefix of at most 155 and a name of at most 100 bytes, or -1. */
    private static int splitForPrefix(String name) {
        for (int i = name.length() - 1; i > 0; i--) {
            if (name.charAt(i) == '/') {
                int pre = name.substring(0, i).getBytes(StandardCharsets.UTF_8).length;
                int rest = name.substring(i + 1).getBytes(StandardCharsets.UTF_8).length;
                if (pre <= 155 && rest <= 100 && rest > 0) {
                    return i;
                }
                if (rest > 100) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static byte[] paxRecords(Map<String, byte[]> pax) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> e : pax.entrySet()) {
            byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
            int body = 1 + key.length + 1 + e.getValue().length + 1; // ' ' key '=' value '\n'
            int len = body + Integer.toString(body).length();
            if (Integer.toString(len).length() != Integer.toString(body).length()) {
                len = body + Integer.toString(len).length();
            }
            b.writeBytes(ascii(Integer.toString(len)));
            b.write(' ');
            b.writeBytes(key);
            b.write('=');
            b.writeBytes(e.getValue());
            b.write('\n');
        }
        return b.toByteArray();
    }

    private static String time(Instant t) {
        if (t.getNano() == 0) {
            return Long.toString(t.getEpochSecond());
        }
        return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
    }

    private static String lastComponent(String name) {
        String n = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        return n.substring(n.lastIndexOf('/') + 1);
    }

    private static String truncate(String s, int maxBytes) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= maxBytes) {
            return s;
        }
        int end = maxBytes;
        while (end > 0 && (b[end] & 0xc0) == 0x80) {
            end--; // do not cut a UTF-8 sequence
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
