package dev.berth.engine.content;

import dev.berth.engine.state.FileTrees;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.state.AtomicFiles;
import dev.berth.engine.state.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The content store on a local file system:
 * <pre>
 * DIR/blobs/sha256/HEX            committed blobs, mode 0444
 * DIR/ingest/SHA256(REF)/data     bytes written so far
 * DIR/ingest/SHA256(REF)/ref      the ingest's name
 * DIR/ingest/SHA256(REF)/expected announced digest and size (JSON)
 * DIR/ingest/.put-HEX-RANDOM      a small blob being stored by {@link #put} (removed when the store opens)
 * </pre>
 * A commit syncs {@code data}, renames it into {@code blobs/} (atomic, same file system) and
 * syncs the directory, so a blob file either is complete and verified or does not exist.
 * Writers for one ref are exclusive within this store instance; one engine owns one store.
 */
public final class FilesystemContentStore implements ContentStore {

    private static final String DATA = "data";
    private static final String REF = "ref";
    private static final String EXPECTED = "expected";
    private static final String PUT_PREFIX = ".put-";

    /** What the {@code expected} file holds. */
    record Expected(String digest, long size) {}

    private final Path blobs;
    private final Path ingest;
    /** Refs held by a writer (or by gc/abort while they delete). */
    private final ConcurrentHashMap<String, Object> locked = new ConcurrentHashMap<>();

    public FilesystemContentStore(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        this.blobs = root.resolve("blobs");
        this.ingest = root.resolve("ingest");
        try {
            Files.createDirectories(blobs.resolve("sha256"));
            Files.createDirectories(ingest);
            // what a put() cut short by a crash left: never renamed into blobs/, so never a blob
            try (DirectoryStream<Path> left = Files.newDirectoryStream(ingest, PUT_PREFIX + "*")) {
                for (Path p : left) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot create the content store in " + root + ": " + e.getMessage(), e);
        }
    }

    // ---- reader

    @Override
    public boolean exists(Digest digest) {
        return Files.isRegularFile(blobPath(digest), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public Info info(Digest digest) {
        Path p = blobPath(digest);
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return new Info(digest, a.size(), a.lastModifiedTime().toInstant());
        } catch (NoSuchFileException e) {
            throw notFound(digest);
        } catch (IOException e) {
            throw io("cannot read blob " + digest, e);
        }
    }

    @Override
    public InputStream open(Digest digest) {
        try {
            return Files.newInputStream(blobPath(digest), LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw notFound(digest);
        } catch (IOException e) {
            throw io("cannot open blob " + digest, e);
        }
    }

    @Override
    public Path path(Digest digest) {
        Path p = blobPath(digest);
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw notFound(digest);
        }
        return p;
    }

    /** The file a digest names; the Digest record only admits lower-case hex, so this stays in the store. */
    private Path blobPath(Digest digest) {
        return blobs.resolve(digest.algorithm()).resolve(digest.encoded());
    }

    // ---- manager

    @Override
    public List<Info> list() {
        List<Info> out = new ArrayList<>();
        try (DirectoryStream<Path> algorithms = Files.newDirectoryStream(blobs)) {
            for (Path alg : algorithms) {
                if (!Files.isDirectory(alg, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(alg)) {
                    for (Path f : files) {
                        Digest d;
                        try {
                            d = new Digest(alg.getFileName().toString(), f.getFileName().toString());
                        } catch (EngineException.InvalidArgument notABlob) {
                            continue;
                        }
                        try {
                            out.add(info(d));
                        } catch (EngineException.NotFound raced) {
                            // deleted meanwhile
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw io("cannot list blobs in " + blobs, e);
        }
        out.sort(Comparator.comparing(i -> i.digest().toString()));
        return out;
    }

    @Override
    public void delete(Digest digest) {
        Path p = blobPath(digest);
        try {
            if (!Files.deleteIfExists(p)) {
                throw notFound(digest);
            }
            AtomicFiles.fsyncDirectory(p.getParent());
        } catch (IOException e) {
            throw io("cannot delete blob " + digest, e);
        }
    }

    @Override
    public GcResult gc(Set<Digest> roots, Function<Digest, Set<Digest>> children, Duration ingestExpiry) {
        // mark: everything fails before anything is deleted if a root cannot be read
        Set<Digest> marked = new HashSet<>();
        Deque<Digest> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            Digest d = todo.pop();
            if (marked.add(d) && exists(d)) {
                Set<Digest> refs = children.apply(d);
                if (refs != null) {
                    todo.addAll(refs);
                }
            }
        }
        // sweep blobs
        List<Digest> removed = new ArrayList<>();
        long freed = 0;
        for (Info info : list()) {
            if (!marked.contains(info.digest())) {
                try {
                    Files.deleteIfExists(blobPath(info.digest()));
                    removed.add(info.digest());
                    freed += info.size();
                } catch (IOException e) {
                    throw io("cannot delete blob " + info.digest(), e);
                }
            }
        }
        // sweep abandoned ingests
        List<String> removedIngests = new ArrayList<>();
        Instant cutoff = Instant.now().minus(ingestExpiry);
        for (IngestStatus s : ingests()) {
            if (s.active() || !s.updatedAt().isBefore(cutoff)) {
                continue;
            }
            Object token = new Object();
            if (locked.putIfAbsent(s.ref(), token) != null) {
                continue; // a writer just took it
            }
            try {
                deleteTree(ingestDir(s.ref()));
                removedIngests.add(s.ref());
                freed += s.offset();
            } finally {
                locked.remove(s.ref(), token);
            }
        }
        try {
            for (Path alg : List.of(blobs.resolve("sha256"), ingest)) {
                AtomicFiles.fsyncDirectory(alg);
            }
        } catch (IOException e) {
            throw io("cannot sync " + blobs, e);
        }
        return new GcResult(removed, removedIngests, freed);
    }

    // ---- ingester

    @Override
    public List<IngestStatus> ingests() {
        List<IngestStatus> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(ingest)) {
            for (Path d : dirs) {
                String ref;
                try {
                    ref = Files.readString(d.resolve(REF), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    continue; // half-created before a crash: nothing to resume; removed by abort/gc by name only
                }
                Expected exp = readExpected(d);
                Path data = d.resolve(DATA);
                long size;
                Instant updated;
                try {
                    size = Files.isRegularFile(data) ? Files.size(data) : 0;
                    updated = Files.getLastModifiedTime(Files.isRegularFile(data) ? data : d).toInstant();
                } catch (NoSuchFileException raced) {
                    continue; // committed or aborted while we looked
                }
                out.add(new IngestStatus(ref, size, exp == null ? -1 : exp.size(),
                        exp == null || exp.digest() == null ? null : Digest.parse(exp.digest()), updated,
                        locked.containsKey(ref)));
            }
        } catch (IOException e) {
            throw io("cannot list ingests in " + ingest, e);
        }
        out.sort(Comparator.comparing(IngestStatus::ref));
        return out;
    }

    @Override
    public void abort(String ref) {
        checkRef(ref);
        Object token = new Object();
        if (locked.putIfAbsent(ref, token) != null) {
            throw lockedConflict(ref);
        }
        try {
            Path dir = ingestDir(ref);
            if (!Files.isDirectory(dir)) {
                throw new EngineException.NotFound("no ingest named " + ref);
            }
            deleteTree(dir);
        } finally {
            locked.remove(ref, token);
        }
    }

    @Override
    public Writer writer(String ref, long expectedSize, Digest expected) {
        checkRef(ref);
        Object token = new Object();
        if (locked.putIfAbsent(ref, token) != null) {
            throw lockedConflict(ref);
        }
        try {
            return openWriter(ref, expectedSize, expected, token);
        } catch (RuntimeException e) {
            locked.remove(ref, token);
            throw e;
        }
    }

    /**
     * Without an ingest: the bytes go to a temp file under {@code ingest/}, which is synced and renamed into
     * {@code blobs/}, and the directory synced. As atomic and durable as a writer's commit, with two syncs
     * instead of eight (the ingest's {@code expected} and {@code ref} files and their directory), which is
     * what a build step's config and manifest cost. A crash leaves at most the temp file, never a blob.
     */
    @Override
    public Digest put(String ref, byte[] bytes, Digest expected) {
        if (expected != null && !expected.algorithm().equals("sha256")) {
            return ContentStore.super.put(ref, bytes, expected);
        }
        checkRef(ref);
        Digest actual = Digest.sha256(bytes);
        if (expected != null && !expected.equals(actual)) {
            throw new EngineException.InvalidArgument("blob digest mismatch: expected " + expected + ", got " + actual
                    + " (" + bytes.length + " bytes); nothing was stored");
        }
        Path target = blobPath(actual);
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            return actual;
        }
        Path tmp = ingest.resolve(PUT_PREFIX + actual.encoded() + "-"
                + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()));
        try {
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")))) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--r--r--"));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE); // a racing put of the same bytes: same file
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system under " + blobs + " cannot rename atomically", e);
            }
            AtomicFiles.fsyncDirectory(target.getParent());
            return actual;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // removed when the store opens next
            }
            throw io("cannot store blob " + actual + " (" + ref + ")", e);
        }
    }

    private FsWriter openWriter(String ref, long expectedSize, Digest expected, Object token) {
        Path dir = ingestDir(ref);
        try {
            if (Files.isDirectory(dir)) {
                Expected before = readExpected(dir);
                boolean sameBlob = before != null
                        && Files.isRegularFile(dir.resolve(DATA))
                        && (expected == null || expected.toString().equals(before.digest()))
                        && (expectedSize < 0 || expectedSize == before.size());
                if (!sameBlob) {
                    deleteTree(dir); // left by an ingest of other content under this name: start over
                }
            }
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Files.createFile(dir.resolve(DATA));
                Json.write(dir.resolve(EXPECTED), new Expected(expected == null ? null : expected.toString(), expectedSize));
                AtomicFiles.write(dir.resolve(REF), ref.getBytes(StandardCharsets.UTF_8));
                AtomicFiles.fsyncDirectory(ingest);
            }
            FileChannel ch = FileChannel.open(dir.resolve(DATA), StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                String algorithm = expected == null ? "sha256" : expected.algorithm();
                if (expectedSize >= 0 && ch.size() > expectedSize) {
                    ch.truncate(0);
                }
                MessageDigest md = hashPrefix(ch, ch.size(), algorithm);
                ch.position(ch.size());
                return new FsWriter(ref, dir, ch, md, algorithm, expectedSize, expected, token);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException e) {
            throw io("cannot open ingest " + ref, e);
        }
    }

    private static MessageDigest hashPrefix(FileChannel ch, long size, String algorithm) throws IOException {
        MessageDigest md = newDigest(algorithm);
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        long pos = 0;
        while (pos < size) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), size - pos));
            int n = ch.read(buf, pos);
            if (n < 0) {
                break;
            }
            buf.flip();
            md.update(buf);
            pos += n;
        }
        return md;
    }

    private static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(switch (algorithm) {
                case "sha256" -> "SHA-256";
                case "sha512" -> "SHA-512";
                default -> throw new EngineException.InvalidArgument("unsupported digest algorithm " + algorithm);
            });
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }

    private Expected readExpected(Path dir) {
        Path f = dir.resolve(EXPECTED);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            Expected e = Json.read(f, Expected.class);
            if (e.digest() != null) {
                Digest.parse(e.digest());
            }
            return e;
        } catch (UncheckedIOException | EngineException.InvalidArgument broken) {
            return null;
        }
    }

    private Path ingestDir(String ref) {
        return ingest.resolve(Digest.sha256(ref.getBytes(StandardCharsets.UTF_8)).encoded());
    }

    private static void checkRef(String ref) {
        if (ref == null || ref.isBlank()) {
            throw new EngineException.InvalidArgument("an ingest needs a non-empty ref");
        }
    }

    private static EngineException.Conflict lockedConflict(String ref) {
        return new EngineException.Conflict("ref " + ref + " locked: another writer is ingesting it");
    }

    private static EngineException.NotFound notFound(Digest d) {
        return new EngineException.NotFound("blob " + d + " not found in the content store");
    }

    private static EngineException.Unavailable io(String what, IOException e) {
        return new EngineException.Unavailable(what + ": " + e.getMessage(), e);
    }

    private static void deleteTree(Path dir) {
        try {
            FileTrees.deleteTree(dir);
        } catch (IOException e) {
            throw io("cannot delete " + dir, e);
        }
    }

    /** One open ingest. Not thread-safe: one thread writes a blob. */
    private final class FsWriter implements Writer {
        private final String ref;
        private final Path dir;
        private final FileChannel ch;
        private final long expectedSize;
        private final Digest expected;
        private final Object token;
        private String algorithm;
        private MessageDigest md;
        private long offset;
        private boolean closed;

        FsWriter(String ref, Path dir, FileChannel ch, MessageDigest md, String algorithm, long expectedSize,
                 Digest expected, Object token) throws IOException {
            this.ref = ref;
            this.dir = dir;
            this.ch = ch;
            this.md = md;
            this.algorithm = algorithm;
            this.expectedSize = expectedSize;
            this.expected = expected;
            this.token = token;
            this.offset = ch.size();
        }

        @Override
        public String ref() {
            return ref;
        }

        @Override
        public long offset() {
            return offset;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensureOpen();
            if (expectedSize >= 0 && offset + len > expectedSize) {
                long got = offset + len;
                discard();
                throw new EngineException.InvalidArgument("blob " + describeExpected() + " is larger than the expected "
                        + expectedSize + " bytes (got at least " + got + "); the ingest " + ref + " was discarded");
            }
            try {
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            } catch (IOException e) {
                throw io("cannot write ingest " + ref, e);
            }
            md.update(b, off, len);
            offset += len;
        }

        @Override
        public void truncate(long size) {
            ensureOpen();
            if (size < 0 || size > offset) {
                throw new EngineException.InvalidArgument("cannot truncate ingest " + ref + " to " + size
                        + " bytes: it has " + offset);
            }
            try {
                ch.truncate(size);
                md = hashPrefix(ch, size, algorithm);
                ch.position(size);
                offset = size;
            } catch (IOException e) {
                throw io("cannot truncate ingest " + ref, e);
            }
        }

        @Override
        public InputStream openWritten() {
            ensureOpen();
            try {
                return new java.io.BufferedInputStream(java.nio.channels.Channels.newInputStream(
                        FileChannel.open(dir.resolve(DATA), StandardOpenOption.READ)), 1 << 16) {
                    private long left = offset;

                    @Override
                    public synchronized int read(byte[] b, int off, int len) throws IOException {
                        if (left <= 0) {
                            return -1;
                        }
                        int n = super.read(b, off, (int) Math.min(len, left));
                        if (n > 0) {
                            left -= n;
                        }
                        return n;
                    }

                    @Override
                    public synchronized int read() throws IOException {
                        byte[] one = new byte[1];
                        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                    }
                };
            } catch (IOException e) {
                throw io("cannot read back ingest " + ref, e);
            }
        }

        @Override
        public Digest digest() {
            try {
                return Digest.of((MessageDigest) md.clone());
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("the JDK's " + md.getAlgorithm() + " cannot be cloned", e);
            }
        }

        @Override
        public Digest commit(long size, Digest wanted) {
            ensureOpen();
            long wantSize = size >= 0 ? size : expectedSize;
            Digest want = wanted != null ? wanted : expected;
            try {
                ch.force(true);
                if (wantSize >= 0 && offset != wantSize) {
                    long had = offset;
                    discard();
                    throw new EngineException.InvalidArgument("blob " + (want == null ? "for ingest " + ref : want)
                            + " has the wrong size: expected " + wantSize + " bytes, got " + had
                            + "; the download was discarded");
                }
                if (want != null && !want.algorithm().equals(algorithm)) {
                    algorithm = want.algorithm();
                    md = hashPrefix(ch, offset, algorithm);
                }
                Digest actual = digest();
                if (want != null && !want.equals(actual)) {
                    discard();
                    throw new EngineException.InvalidArgument("blob digest mismatch: expected " + want + ", got "
                            + actual + " (" + offset + " bytes); the download was discarded");
                }
                Path target = blobPath(actual);
                Path data = dir.resolve(DATA);
                ch.close();
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    deleteTree(dir); // already there: same bytes, nothing to do
                } else {
                    Files.createDirectories(target.getParent());
                    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("r--r--r--"));
                    Files.setLastModifiedTime(data, FileTime.from(Instant.now()));
                    try {
                        Files.move(data, target, StandardCopyOption.ATOMIC_MOVE);
                    } catch (AtomicMoveNotSupportedException e) {
                        throw new IOException("the file system under " + blobs + " cannot rename atomically", e);
                    }
                    AtomicFiles.fsyncDirectory(target.getParent());
                    deleteTree(dir);
                }
                AtomicFiles.fsyncDirectory(ingest);
                release();
                return actual;
            } catch (IOException e) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // reporting the first failure
                }
                release(); // the bytes stay in the ingest for a retry
                throw io("cannot commit ingest " + ref, e);
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            try {
                ch.close();
            } catch (IOException e) {
                throw io("cannot close ingest " + ref, e);
            } finally {
                release();
            }
        }

        private String describeExpected() {
            return expected == null ? "for ingest " + ref : expected.toString();
        }

        private void discard() {
            try {
                ch.close();
            } catch (IOException ignored) {
                // being deleted anyway
            }
            try {
                deleteTree(dir);
            } finally {
                release();
            }
        }

        private void release() {
            closed = true;
            locked.remove(ref, token);
        }

        private void ensureOpen() {
            if (closed) {
                throw new EngineException.FailedPrecondition("ingest " + ref + " is closed or committed");
            }
        }
    }
}
