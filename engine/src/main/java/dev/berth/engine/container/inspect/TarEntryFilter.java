package dev.berth.engine.container.inspect;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * Passes a POSIX tar stream through and drops the entries whose name a predicate refuses,
 * block by block: a kept entry's bytes (its PAX header included) are copied unchanged, a dropped
 * entry is skipped with its PAX header and its content. Names are as written in the archive
 * ({@code etc/hosts}, {@code etc/} for a directory); the PAX {@code path} and {@code size}
 * records win over the header's fields. Used on layer tars that {@code layer.TarWriter} wrote.
 */
final class TarEntryFilter extends FilterOutputStream {

    private static final int BLOCK = 512;

    private final Predicate<String> keep;
    private final byte[] block = new byte[BLOCK];
    private int filled;
    private final ByteArrayOutputStream pendingPax = new ByteArrayOutputStream();
    private String paxPath;
    private Long paxSize;
    private long paxDataLeft = -1;   // >= 0 while reading a PAX header's data blocks
    private long contentLeft;        // bytes of the current entry's content (padded) still to come
    private boolean dropping;
    private boolean ended;

    TarEntryFilter(OutputStream out, Predicate<String> keep) {
        super(out);
        this.keep = keep;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (ended) {
                out.write(b, off, len);
                return;
            }
            if (contentLeft > 0) {
                int n = (int) Math.min(len, contentLeft);
                if (!dropping) {
                    out.write(b, off, n);
                }
                contentLeft -= n;
                off += n;
                len -= n;
                continue;
            }
            int n = Math.min(len, BLOCK - filled);
            System.arraycopy(b, off, block, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == BLOCK) {
                filled = 0;
                onBlock();
            }
        }
    }

    private void onBlock() throws IOException {
        if (paxDataLeft >= 0) {
            pendingPax.write(block);
            paxDataLeft -= BLOCK;
            if (paxDataLeft <= 0) {
                paxDataLeft = -1;
                parsePax();
            }
            return;
        }
        if (isZero(block)) {
            ended = true; // the end-of-archive blocks and anything after pass unchanged
            out.write(block);
            return;
        }
        char flag = (char) block[156];
        long size = octal(124, 12);
        if (flag == 'x') {
            pendingPax.reset();
            pendingPax.write(block);
            paxDataLeft = padded(size);
            paxDataHeaderSize = size;
            if (paxDataLeft == 0) {
                paxDataLeft = -1;
            }
            return;
        }
        String name = paxPath != null ? paxPath : header();
        long contentSize = paxSize != null ? paxSize : size;
        dropping = !keep.test(name);
        if (!dropping) {
            out.write(pendingPax.toByteArray());
            out.write(block);
        }
        contentLeft = (flag == '0' || flag == '\0' || flag == '7') ? padded(contentSize) : 0;
        pendingPax.reset();
        paxPath = null;
        paxSize = null;
    }

    private long paxDataHeaderSize;

    private void parsePax() {
        byte[] all = pendingPax.toByteArray();
        int p = BLOCK;
        int end = (int) (BLOCK + paxDataHeaderSize);
        while (p < end) {
            int sp = p;
            while (sp < end && all[sp] != ' ') {
                sp++;
            }
            int len = Integer.parseInt(new String(all, p, sp - p, StandardCharsets.US_ASCII));
            int eq = sp + 1;
            while (all[eq] != '=') {
                eq++;
            }
            String key = new String(all, sp + 1, eq - sp - 1, StandardCharsets.UTF_8);
            String value = new String(all, eq + 1, p + len - eq - 2, StandardCharsets.UTF_8);
            if (key.equals("path")) {
                paxPath = value;
            } else if (key.equals("size")) {
                paxSize = Long.parseLong(value);
            }
            p += len;
        }
    }

    private String header() {
        String name = cString(0, 100);
        String prefix = cString(345, 155);
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private String cString(int off, int len) {
        int end = off;
        while (end < off + len && block[end] != 0) {
            end++;
        }
        return new String(block, off, end - off, StandardCharsets.UTF_8);
    }

    /** An octal header field; leading spaces or NULs are skipped, the first other non-digit ends it. */
    private long octal(int off, int len) {
        long v = 0;
        boolean any = false;
        for (int i = off; i < off + len; i++) {
            byte c = block[i];
            if (c >= '0' && c <= '7') {
                v = v * 8 + (c - '0');
                any = true;
            } else if (any) {
                break;
            }
        }
        return v;
    }

    private static long padded(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
