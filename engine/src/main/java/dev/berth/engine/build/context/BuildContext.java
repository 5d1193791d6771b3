package dev.berth.engine.build.context;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.state.FileTrees;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files a build may copy: a directory on disk (a folder the user dropped, or an uploaded tar that
 * {@link #fromTar} extracted), seen through its {@code .dockerignore}.
 *
 * <p>Sources are looked up without ever leaving the context. A symbolic link on the way to a source
 * (or the source itself) is followed only while it stays inside the context; one that is absolute or
 * climbs out with {@code ..} is refused with an error naming it. Docker resolves such a link as if the
 * context were the file system root, so it never reads outside either but fails obscurely or picks
 * another file ({@code foo -> /tmp/foo} gives {@code "/tmp/foo" not found}, lima-vm/lima#1338); Berth
 * refuses with a message that names the link, as issue #6 asks. A link that is merely present, or that
 * sits inside a copied directory, is fine: as with Docker (moby/moby#39810) it is copied as a link, never
 * followed; only a source named explicitly (or matched by a wildcard) is followed.
 *
 * <p>{@link #checksum} is the content key of COPY/ADD sources for the layer cache: a SHA-256 over each
 * entry's path, type, permission bits, owner, size, link target and content, in name order, computed
 * while streaming. Modification times are left out, as Docker's classic builder leaves them out of its
 * tarsum (version 1) file hashes: touching a file does not invalidate the cache, editing it does.
 */
public final class BuildContext implements AutoCloseable {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final int MAX_LINKS = 40;

    private final Path root;
    private final DockerIgnore ignore;
    private final boolean owned;

    private BuildContext(Path root, DockerIgnore ignore, boolean owned) {
        this.root = root;
        this.ignore = ignore;
        this.owned = owned;
    }

    /**
     * The directory {@code dir} as a context, with its {@code .dockerignore} if it has one. Lookups check
     * every component with no-follow calls, but a directory that someone else can change while the build
     * reads it could swap a checked directory for a link in between; the API therefore always extracts the
     * uploaded tar ({@link #fromTar}) into a directory only the engine writes.
     */
    public static BuildContext fromDirectory(Path dir) {
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            throw new EngineException.InvalidArgument("build context " + dir + " cannot be read: " + e.getMessage());
        }
        if (!Files.isDirectory(real)) {
            throw new EngineException.InvalidArgument("build context " + dir + " is not a directory");
        }
        return new BuildContext(real, readIgnore(real), false);
    }

    /**
     * Extracts an uploaded context tar (plain, gzip, bzip2 or zstd, as {@code POST /build} receives it)
     * into {@code scratch}, a directory that does not exist yet or is empty, and owned by this context from
     * now on: {@link #close()} deletes it. Entries are refused as {@link ContextTar} describes.
     */
    public static BuildContext fromTar(InputStream tar, Path scratch) {
        ContextTar.extract(tar, scratch);
        try {
            Path real = scratch.toRealPath();
            return new BuildContext(real, readIgnore(real), true);
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot use the extracted context in " + scratch + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@code .dockerignore}; a link to it is followed only inside the context, like any source. */
    private static DockerIgnore readIgnore(Path root) {
        if (!Files.exists(root.resolve(".dockerignore"), NOFOLLOW)) {
            return DockerIgnore.none();
        }
        List<String> parts;
        try {
            parts = new BuildContext(root, DockerIgnore.none(), false).resolve(".dockerignore", ".dockerignore", false);
        } catch (EngineException.NotFound dangling) {
            return DockerIgnore.none();
        }
        Path f = root.resolve(String.join("/", parts));
        if (!Files.isRegularFile(f, NOFOLLOW)) {
            throw new EngineException.InvalidArgument(".dockerignore is not a regular file");
        }
        try {
            return DockerIgnore.parse(Files.readString(f, StandardCharsets.UTF_8), ".dockerignore");
        } catch (IOException e) {
            throw new EngineException.InvalidArgument(".dockerignore cannot be read: " + e.getMessage());
        }
    }

    /** The context directory. */
    public Path root() {
        return root;
    }

    /** The context's {@code .dockerignore} rules (none when it has no such file). */
    public DockerIgnore dockerignore() {
        return ignore;
    }

    /**
     * The Dockerfile's bytes: {@code name} relative to the context (null or empty: {@code Dockerfile},
     * else {@code dockerfile}, as Docker falls back). It is read even when {@code .dockerignore} excludes
     * it; a link to it must stay inside the context.
     */
    public byte[] dockerfile(String name) {
        List<String> candidates = name == null || name.isEmpty() ? List.of("Dockerfile", "dockerfile") : List.of(name);
        for (String c : candidates) {
            List<String> parts;
            try {
                parts = resolve(c, "the Dockerfile", false);
            } catch (EngineException.NotFound missing) {
                continue;
            }
            Path p = root.resolve(String.join("/", parts));
            if (!Files.isRegularFile(p, NOFOLLOW)) {
                throw new EngineException.InvalidArgument("the Dockerfile " + c + " is not a regular file");
            }
            try (InputStream in = Files.newInputStream(p, NOFOLLOW)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new EngineException.Unavailable("cannot read the Dockerfile " + c + ": " + e.getMessage(), e);
            }
        }
        throw new EngineException.NotFound("cannot find the Dockerfile " + candidates.getFirst() + " in the build context");
    }

    /**
     * The context entries a COPY or ADD source names: one path, or every match of a wildcard pattern
     * ({@code *}, {@code ?}, {@code [...]} in any component), in name order. Excluded paths do not exist.
     *
     * @throws EngineException.NotFound when nothing matches (the message names the source)
     * @throws EngineException.InvalidArgument when the path climbs out of the context, or a link on its
     *         way leads out of it (the message names the link)
     */
    public List<ContextSource> sources(String source) {
        String cleaned = DockerIgnore.clean(source);
        if (cleaned.startsWith("/")) {
            cleaned = cleaned.substring(1);
        }
        if (cleaned.equals("..") || cleaned.startsWith("../")) {
            throw new EngineException.InvalidArgument("COPY source " + source + " is outside the build context");
        }
        List<String> parts = cleaned.equals(".") || cleaned.isEmpty() ? List.of() : List.of(cleaned.split("/"));
        List<String> matches = new ArrayList<>();
        expand(source, new ArrayList<>(), parts, 0, matches);
        if (matches.isEmpty()) {
            throw notFound(source);
        }
        boolean wildcard = parts.stream().anyMatch(BuildContext::hasWildcard);
        List<ContextSource> out = new ArrayList<>();
        for (String m : matches) {
            List<String> resolved;
            try {
                resolved = resolve(m, "COPY source " + source, true);
            } catch (EngineException.NotFound excludedOrMissing) {
                if (wildcard) {
                    continue; // a match that is excluded, or a deeper component that is not there
                }
                throw excludedOrMissing;
            }
            String path = String.join("/", resolved);
            Path file = path.isEmpty() ? root : root.resolve(path);
            out.add(new ContextSource(m, path, file, Files.isDirectory(file, NOFOLLOW)));
        }
        if (out.isEmpty()) {
            throw notFound(source);
        }
        return out;
    }

    /** Whether a source path (or one of its components) is a wildcard pattern: {@code *}, {@code ?} or {@code [...]}. */
    public static boolean hasWildcard(String part) {
        return part.indexOf('*') >= 0 || part.indexOf('?') >= 0 || part.indexOf('[') >= 0;
    }

    /**
     * One component of a COPY/ADD source pattern as a regular expression over names (Go's {@code filepath.Match}:
     * {@code *}, {@code ?}, {@code [...]}, {@code \} escapes) — the same matching for context and image sources.
     *
     * @throws IllegalArgumentException when the pattern is malformed (the message says how)
     */
    public static Pattern componentPattern(String part) {
        return Pattern.compile(DockerIgnore.regex(part));
    }

    /** Expands wildcard components into concrete context paths (links in the prefix followed safely). */
    private void expand(String source, List<String> prefix, List<String> parts, int k, List<String> out) {
        if (k == parts.size()) {
            out.add(String.join("/", prefix));
            return;
        }
        String part = parts.get(k);
        if (!hasWildcard(part)) {
            prefix.add(part);
            expand(source, prefix, parts, k + 1, out);
            prefix.removeLast();
            return;
        }
        Pattern glob;
        try {
            glob = componentPattern(part);
        } catch (IllegalArgumentException e) {
            throw new EngineException.InvalidArgument("COPY source " + source + " is not a valid pattern: " + e.getMessage());
        }
        List<String> dirParts;
        try {
            dirParts = resolve(String.join("/", prefix), "COPY source " + source, false);
        } catch (EngineException.NotFound e) {
            return;
        }
        Path dir = dirParts.isEmpty() ? root : root.resolve(String.join("/", dirParts));
        if (!Files.isDirectory(dir, NOFOLLOW)) {
            return;
        }
        List<String> names;
        try (Stream<Path> s = Files.list(dir)) {
            names = s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot list " + dir + ": " + e.getMessage(), e);
        }
        for (String name : names) {
            if (glob.matcher(name).matches()) {
                prefix.add(name);
                expand(source, prefix, parts, k + 1, out);
                prefix.removeLast();
            }
        }
    }

    /**
     * Resolves a context-relative path component by component with no-follow lookups, following symbolic
     * links only while they stay inside the context; returns the components of the real path.
     */
    private List<String> resolve(String path, String what, boolean checkIgnored) {
        Deque<String> todo = new ArrayDeque<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty() && !p.equals(".")) {
                todo.add(p);
            }
        }
        List<String> cur = new ArrayList<>();
        int links = 0;
        String via = null;
        while (!todo.isEmpty()) {
            String p = todo.removeFirst();
            if (p.equals("..")) {
                if (cur.isEmpty()) {
                    throw new EngineException.InvalidArgument(what + " is outside the build context"
                            + (via == null ? "" : ": the symbolic link " + via + " leads out of it"));
                }
                cur.removeLast();
                continue;
            }
            cur.add(p);
            String rel = String.join("/", cur);
            Path here = root.resolve(rel);
            if (!Files.exists(here, NOFOLLOW)) {
                throw notFound(path);
            }
            if (Files.isSymbolicLink(here)) {
                if (++links > MAX_LINKS) {
                    throw new EngineException.InvalidArgument(what + ": too many levels of symbolic links at " + rel);
                }
                String target;
                try {
                    target = Files.readSymbolicLink(here).toString();
                } catch (IOException e) {
                    throw new EngineException.Unavailable("cannot read the symbolic link " + rel + ": " + e.getMessage(), e);
                }
                if (target.startsWith("/")) {
                    throw new EngineException.InvalidArgument(what + " goes through the symbolic link " + rel + " -> " + target
                            + ", an absolute path outside the build context");
                }
                via = rel + " -> " + target;
                cur.removeLast();
                String[] t = target.split("/");
                for (int i = t.length - 1; i >= 0; i--) {
                    if (!t[i].isEmpty() && !t[i].equals(".")) {
                        todo.addFirst(t[i]);
                    }
                }
                continue;
            }
            if (!todo.isEmpty() && !Files.isDirectory(here, NOFOLLOW)) {
                throw notFound(path);
            }
        }
        if (checkIgnored && !cur.isEmpty() && ignore.excludes(String.join("/", cur)) && !holdsIncluded(cur)) {
            throw notFound(path);
        }
        return cur;
    }

    /**
     * Whether an excluded directory still holds a file that a {@code !} exception re-includes: the docker
     * CLI sends such a file, so the directory exists in the context Docker's builder sees.
     */
    private boolean holdsIncluded(List<String> dir) {
        if (!ignore.hasExceptions()) {
            return false;
        }
        String rel = String.join("/", dir);
        Path p = root.resolve(rel);
        if (!Files.isDirectory(p, NOFOLLOW)) {
            return false;
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.anyMatch(f -> !f.equals(p) && !ignore.excludes(root.relativize(f).toString()));
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot read " + rel + " in the build context: " + e.getMessage(), e);
        }
    }

    private static EngineException notFound(String source) {
        return new EngineException.NotFound("file not found in build context or excluded by .dockerignore: " + source);
    }

    /**
     * Visits {@code source} and, for a directory, everything under it that {@code .dockerignore} does not
     * exclude, parents before children, names in order. Links are reported, never followed.
     *
     * @throws EngineException.InvalidArgument for a device, FIFO or socket (a context holds files,
     *         directories and links only)
     */
    public void walk(ContextSource source, Consumer<ContextEntry> visitor) {
        try {
            visit(source.file(), source.path(), "", visitor, true);
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot read " + source.path() + " in the build context: " + e.getMessage(), e);
        }
    }

    private void visit(Path file, String path, String relative, Consumer<ContextEntry> visitor, boolean top) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(file, "unix:mode,uid,gid,size,lastModifiedTime", NOFOLLOW);
        } catch (NoSuchFileException gone) {
            throw new EngineException.NotFound("file not found in build context: " + path + " disappeared while the build read it");
        }
        int mode = (Integer) a.get("mode");
        int fmt = mode & 0170000;
        ContextEntry.Type type = switch (fmt) {
            case 0100000 -> ContextEntry.Type.FILE;
            case 0040000 -> ContextEntry.Type.DIRECTORY;
            case 0120000 -> ContextEntry.Type.SYMLINK;
            default -> throw new EngineException.InvalidArgument("build context entry " + path
                    + " is a device, FIFO or socket; a build context may hold files, directories and symbolic links only");
        };
        boolean excluded = !path.isEmpty() && ignore.excludes(path);
        if (!excluded || top) {
            String link = type == ContextEntry.Type.SYMLINK ? Files.readSymbolicLink(file).toString() : "";
            long size = type == ContextEntry.Type.FILE ? (Long) a.get("size") : 0;
            visitor.accept(new ContextEntry(path, relative, type, mode & 07777, ((Integer) a.get("uid")).longValue(),
                    ((Integer) a.get("gid")).longValue(), size, link, (FileTime) a.get("lastModifiedTime"), file));
        }
        if (type != ContextEntry.Type.DIRECTORY || (excluded && !top && !ignore.hasExceptions())) {
            return;
        }
        List<Path> children;
        try (Stream<Path> s = Files.list(file)) {
            children = s.sorted((x, y) -> x.getFileName().toString().compareTo(y.getFileName().toString())).toList();
        }
        for (Path c : children) {
            String name = c.getFileName().toString();
            visit(c, path.isEmpty() ? name : path + "/" + name, relative.isEmpty() ? name : relative + "/" + name, visitor, false);
        }
    }

    /**
     * The cache key of these sources' content (see the class comment), read in one streaming pass.
     *
     * @throws EngineException.Unavailable when a file changes size while it is read
     */
    public Digest checksum(List<ContextSource> sources) {
        MessageDigest md = Digest.newSha256();
        byte[] buf = new byte[64 * 1024];
        for (ContextSource s : sources) {
            field(md, "source");
            field(md, s.path());
            walk(s, e -> {
                field(md, e.relative());
                field(md, e.type().name());
                field(md, Integer.toOctalString(e.mode()));
                field(md, e.uid() + ":" + e.gid());
                field(md, Long.toString(e.size()));
                field(md, e.linkTarget());
                if (e.type() == ContextEntry.Type.FILE) {
                    long total = 0;
                    try (InputStream in = Files.newInputStream(e.file(), NOFOLLOW)) {
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            md.update(buf, 0, n);
                            total += n;
                        }
                    } catch (IOException io) {
                        throw new EngineException.Unavailable("cannot read build context file " + e.path() + ": " + io.getMessage(), io);
                    }
                    if (total != e.size()) {
                        throw new EngineException.Unavailable("build context file " + e.path() + " changed while the build read it");
                    }
                }
            });
        }
        return Digest.of(md);
    }

    private static void field(MessageDigest md, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        md.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
        md.update((byte) ':');
        md.update(b);
    }

    /** Deletes the directory of an extracted tar; a context on the user's disk is left alone. */
    @Override
    public void close() {
        if (owned) {
            try {
                FileTrees.deleteTree(root);
            } catch (IOException e) {
                throw new EngineException.Unavailable("cannot delete the extracted build context " + root + ": " + e.getMessage(), e);
            }
        }
    }
}
