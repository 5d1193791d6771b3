package dev.berth.engine.fs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Paths inside a root directory (a snapshot, a container's root file system, a volume) that never
 * lead out of it. Three ways, one for each kind of caller:
 * <ul>
 *   <li>{@link #names}: a path cleaned lexically into its names, with a rule for {@code ..};</li>
 *   <li>{@link #followInside}: a path resolved as a process chrooted to the root sees it, every
 *       symbolic link followed, but an absolute target or a {@code ..} above the root stays at the root;</li>
 *   <li>an instance ({@link #in}) walks names with no-follow calls: each must be a real directory,
 *       never a link, missing ones made on request; and {@link #openDirectory} does the same with
 *       directory handles ({@code openat} with {@code O_NOFOLLOW}), so a link swapped in while
 *       walking cannot lead out either.</li>
 * </ul>
 * What is refused comes back as {@link Refused} with the {@link Problem} and the name where it
 * was met (relative to the root, {@code /}-separated), so that each caller can say it in its own words.
 */
public final class RootedPath {

    /** Linux's own limit on links followed in one lookup is 40; a chroot walk allows as many as Docker. */
    static final int MAX_LINKS = 255;

    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    /** What a {@code ..} that would climb above the root means. */
    public enum DotDot {
        /** It stays at the root, as {@code /..} is {@code /} (container paths, {@code docker cp}). */
        STOP_AT_ROOT,
        /** The whole path is refused ({@link ClimbsOut}); a {@code ..} below that is taken lexically (archive entries). */
        REFUSE_ABOVE_ROOT,
        /** Any {@code ..} at all is refused (paths a user types for a browser). */
        REFUSE
    }

    /** Why a path was refused; {@code at} is the relative path where it happened. */
    public sealed interface Problem permits ClimbsOut, InvalidName, ThroughLink, NotADirectory, Missing, TooManyLinks {
        String at();
    }

    /** A {@code ..} would climb above the root (or any {@code ..}, under {@link DotDot#REFUSE}). */
    public record ClimbsOut(String at) implements Problem {}

    /** A name holds a NUL character. */
    public record InvalidName(String at) implements Problem {}

    /** A name on the way is a symbolic link, which a no-follow walk does not go through. */
    public record ThroughLink(String at) implements Problem {}

    /** A name on the way is a file, device or other non-directory. */
    public record NotADirectory(String at) implements Problem {}

    /** A name on the way does not exist (and was not to be made). */
    public record Missing(String at) implements Problem {}

    /** Following links went round more than {@value #MAX_LINKS} times (a loop). */
    public record TooManyLinks(String at) implements Problem {}

    /** A refused path; {@link #problem()} says why and where. */
    public static final class Refused extends Exception {
        private final transient Problem problem;

        public Refused(Problem problem) {
            super(describe(problem));
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }

        private static String describe(Problem p) {
            String at = "\"" + (p.at().isEmpty() ? "/" : p.at()) + "\"";
            return switch (p) {
                case ClimbsOut c -> at + " climbs out of the root with \"..\"";
                case InvalidName i -> at + " contains a NUL character";
                case ThroughLink t -> at + " is a symbolic link";
                case NotADirectory n -> at + " is not a directory";
                case Missing m -> at + " does not exist";
                case TooManyLinks t -> "too many levels of symbolic links at " + at;
            };
        }
    }

    /** Makes one missing directory of a walk (say, {@code mkdir} then a fixed mode). */
    @FunctionalInterface
    public interface DirectoryMaker {
        void make(Path dir) throws IOException;
    }

    private final Path root;
    private final Set<String> knownDirectories = new HashSet<>();

    private RootedPath(Path root) {
        this.root = root;
    }

    /**
     * A walker under {@code root} (taken as it is, not resolved). It remembers the directories it
     * has checked, so a long run of walks (a layer's entries) checks each once; use a fresh one
     * where something else may change the tree between walks (a running container).
     */
    public static RootedPath in(Path root) {
        return new RootedPath(root);
    }

    public Path root() {
        return root;
    }

    // ---- lexical ------------------------------------------------------------------------------

    /**
     * The names of {@code path} (absolute or relative, both taken from the root): empty names and
     * {@code .} dropped, {@code ..} removing the name before it, as {@code rule} says at the root.
     */
    public static List<String> names(String path, DotDot rule) throws Refused {
        List<String> out = new ArrayList<>();
        for (String p : path.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.indexOf('\0') >= 0) {
                throw new Refused(new InvalidName(join(out, p)));
            }
            if (p.equals("..")) {
                if (rule == DotDot.REFUSE || (out.isEmpty() && rule == DotDot.REFUSE_ABOVE_ROOT)) {
                    throw new Refused(new ClimbsOut(join(out, p)));
                }
                if (!out.isEmpty()) {
                    out.removeLast();
                }
                continue;
            }
            out.add(p);
        }
        return out;
    }

    // ---- following links, kept inside ----------------------------------------------------------

    /**
     * The host path of {@code path} inside {@code root} as a process chrooted there would reach
     * it: every symbolic link on the way (the last name too) is followed, an absolute target
     * starts again at the root and {@code ..} stops at it. The result may not exist; no link is
     * left in the part of it that exists, so it is a path inside the root.
     */
    public static Path followInside(Path root, String path) throws Refused, IOException {
        Path top = root.toAbsolutePath().normalize();
        Deque<String> todo = new ArrayDeque<>();
        push(todo, path);
        Deque<String> done = new ArrayDeque<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pop();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                done.pollLast();
                continue;
            }
            if (part.indexOf('\0') >= 0) {
                throw new Refused(new InvalidName(join(done, part)));
            }
            Path candidate = resolve(top, done).resolve(part);
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    throw new Refused(new TooManyLinks(join(done, part)));
                }
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) {
                    done.clear();
                }
                push(todo, target);
                continue;
            }
            done.addLast(part);
        }
        return resolve(top, done);
    }

    // ---- no-follow walks ------------------------------------------------------------------------

    /**
     * The directory {@code names} under the root, each name checked with {@code lstat}: a real
     * directory, never a symbolic link. Nothing is made.
     */
    public Path existingDirectory(List<String> names) throws Refused, IOException {
        return walk(names, null);
    }

    /** As {@link #existingDirectory}, but a missing name is made by {@code maker} (then checked like the others). */
    public Path directory(List<String> names, DirectoryMaker maker) throws Refused, IOException {
        return walk(names, maker);
    }

    /** Forgets what is known of {@code rel} and everything under it (it is about to be removed or replaced). */
    public void forget(String rel) {
        knownDirectories.removeIf(k -> k.equals(rel) || k.startsWith(rel + "/"));
    }

    private Path walk(List<String> names, DirectoryMaker maker) throws Refused, IOException {
        Path dir = root;
        StringBuilder rel = new StringBuilder();
        for (String name : names) {
            rel.append(rel.isEmpty() ? "" : "/").append(name);
            dir = dir.resolve(name);
            String key = rel.toString();
            if (knownDirectories.contains(key)) {
                continue;
            }
            BasicFileAttributes a = lstat(dir);
            if (a == null && maker != null) {
                maker.make(dir);
                a = lstat(dir);
            }
            if (a == null) {
                throw new Refused(new Missing(key));
            }
            if (a.isSymbolicLink()) {
                throw new Refused(new ThroughLink(key));
            }
            if (!a.isDirectory()) {
                throw new Refused(new NotADirectory(key));
            }
            knownDirectories.add(key);
        }
        return dir;
    }

    /**
     * A handle on the directory {@code names} under {@code root}, reached one name at a time
     * through directory handles opened without following links, so neither a link on the way nor
     * one swapped in meanwhile leads out. The caller closes it.
     *
     * @throws IOException when {@code root} cannot be read or its file system gives no such handles
     */
    public static SecureDirectoryStream<Path> openDirectory(Path root, List<String> names) throws Refused, IOException {
        if (Files.isSymbolicLink(root)) {
            throw new Refused(new ThroughLink(""));
        }
        DirectoryStream<Path> top = Files.newDirectoryStream(root);
        if (!(top instanceof SecureDirectoryStream<Path> dir)) {
            top.close();
            throw new IOException("the file system of " + root + " gives no safe (no-follow) directory handles");
        }
        StringBuilder rel = new StringBuilder();
        boolean ok = false;
        try {
            for (String name : names) {
                Path child = Path.of(name);
                rel.append(rel.isEmpty() ? "" : "/").append(name);
                String key = rel.toString();
                BasicFileAttributes a;
                try {
                    a = dir.getFileAttributeView(child, BasicFileAttributeView.class, NOFOLLOW).readAttributes();
                } catch (NoSuchFileException e) {
                    throw new Refused(new Missing(key));
                }
                if (a.isSymbolicLink()) {
                    throw new Refused(new ThroughLink(key));
                }
                if (!a.isDirectory()) {
                    throw new Refused(new NotADirectory(key));
                }
                SecureDirectoryStream<Path> next;
                try {
                    next = dir.newDirectoryStream(child, NOFOLLOW);
                } catch (NoSuchFileException e) {
                    throw new Refused(new Missing(key)); // removed after the check
                } catch (NotDirectoryException e) {
                    throw new Refused(new NotADirectory(key)); // replaced after the check
                } catch (IOException e) {
                    throw new Refused(new ThroughLink(key)); // ELOOP: a link put in its place after the check
                }
                dir.close();
                dir = next;
            }
            ok = true;
            return dir;
        } finally {
            if (!ok) {
                dir.close();
            }
        }
    }

    private static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void push(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            todo.push(parts[i]);
        }
    }

    private static Path resolve(Path top, Iterable<String> names) {
        Path p = top;
        for (String name : names) {
            p = p.resolve(name);
        }
        return p;
    }

    private static String join(Iterable<String> before, String last) {
        StringBuilder b = new StringBuilder();
        for (String s : before) {
            b.append(s).append('/');
        }
        return b.append(last).toString();
    }
}
