package dev.berth.engine.container.inspect;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.engine.layer.Changeset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code docker diff} ({@code GET /containers/{id}/changes}): the changes a container's writable
 * layer makes to its image, from the overlay upper directory against the image's layers.
 *
 * <p>Docker keeps the files its runtime creates for a container (mount targets such as
 * {@code /etc/hosts}, {@code /etc/hostname}, {@code /etc/resolv.conf}, {@code /.dockerenv},
 * {@code /dev/console}, {@code /proc}, {@code /sys}) in a separate "init" layer below the
 * writable one, so they never show in its diff. Berth has no init layer: runc creates a missing
 * mount target in the writable layer. {@link #changes(List, Path, Set)} therefore hides the
 * mount targets it is given when they were <em>added</em> (a target the image already had and
 * the container modified still shows), and hides a directory reported as modified only because
 * such a target was created in it (e.g. {@code C /etc} for a new {@code /etc/hosts}). Everything
 * else the container did is reported.
 */
public final class ContainerDiff {

    /** Mount targets runtimes create in a container's root: what Docker's init layer holds. */
    public static final Set<String> RUNTIME_MOUNT_TARGETS = Set.of("/etc/hosts", "/etc/hostname", "/etc/resolv.conf",
            "/.dockerenv", "/dev", "/dev/console", "/dev/pts", "/dev/shm", "/proc", "/sys");

    private ContainerDiff() {}

    /** Docker's change kinds: 0 modified, 1 added, 2 deleted. */
    public enum Kind {
        MODIFIED(0, 'C'), ADDED(1, 'A'), DELETED(2, 'D');

        private final int code;
        private final char letter;

        Kind(int code, char letter) {
            this.code = code;
            this.letter = letter;
        }

        /** The number the API sends ({@code Kind} in {@code /changes}). */
        public int code() {
            return code;
        }

        /** The letter {@code docker diff} prints. */
        public char letter() {
            return letter;
        }
    }

    /** One entry of {@code /changes}: {@code {"Path": "/tmp/x", "Kind": 1}}. */
    public record Change(@JsonProperty("Path") String path, @JsonProperty("Kind") int kind) {
        public Kind kindName() {
            return Kind.values()[kind];
        }

        @Override
        public String toString() {
            return kindName().letter() + " " + path;
        }
    }

    /**
     * The container's changes, sorted by path.
     *
     * @param lowerDirs    the image's layer directories, newest first (overlay's {@code lowerdir} order)
     * @param upperDir     the container's writable layer
     * @param mountTargets paths (inside the container) the engine's runtime mounts over, hidden
     *                     when created only for that (see the class comment); usually
     *                     {@link #RUNTIME_MOUNT_TARGETS} plus the container's volume and bind targets
     */
    public static List<Change> changes(List<Path> lowerDirs, Path upperDir, Set<String> mountTargets) {
        List<Changeset.Change> all = Changeset.changes(lowerDirs, upperDir);
        Set<String> hidden = hidden(all, mountTargets);
        List<Change> out = new ArrayList<>();
        for (Changeset.Change c : all) {
            if (hidden.contains(c.path())) {
                continue;
            }
            out.add(new Change(c.path(), switch (c.kind()) {
                case MODIFIED -> Kind.MODIFIED.code();
                case ADDED -> Kind.ADDED.code();
                case DELETED -> Kind.DELETED.code();
            }));
        }
        out.sort(Comparator.comparing(Change::path));
        return List.copyOf(out);
    }

    /**
     * The paths of {@code all} that exist only because the runtime mounted over them: mount
     * targets that were added, what lies below them, and directories modified only by those.
     */
    static Set<String> hidden(List<Changeset.Change> all, Set<String> mountTargets) {
        Set<String> targets = new HashSet<>();
        for (Changeset.Change c : all) {
            if (c.kind() == Changeset.Kind.ADDED && mountTargets.contains(c.path())) {
                targets.add(c.path());
            }
        }
        Set<String> hidden = new HashSet<>();
        for (Changeset.Change c : all) {
            if (targets.contains(c.path()) || isUnderHidden(c.path(), targets)) {
                hidden.add(c.path());
            } else if (c.kind() == Changeset.Kind.MODIFIED && onlyHiddenBelow(c.path(), all, targets)) {
                hidden.add(c.path());
            }
        }
        return hidden;
    }

    /** As {@link #changes(List, Path, Set)} with {@link #RUNTIME_MOUNT_TARGETS}. */
    public static List<Change> changes(List<Path> lowerDirs, Path upperDir) {
        return changes(lowerDirs, upperDir, RUNTIME_MOUNT_TARGETS);
    }

    private static boolean isUnderHidden(String path, Set<String> hidden) {
        for (String h : hidden) {
            if (path.startsWith(h + "/")) {
                return true;
            }
        }
        return false;
    }

    private static boolean onlyHiddenBelow(String dir, List<Changeset.Change> all, Set<String> hidden) {
        boolean anyHidden = false;
        String prefix = dir.equals("/") ? "/" : dir + "/";
        for (Changeset.Change c : all) {
            if (!c.path().startsWith(prefix)) {
                continue;
            }
            if (hidden.contains(c.path()) || isUnderHidden(c.path(), hidden)) {
                anyHidden = true;
            } else if (!(c.kind() == Changeset.Kind.MODIFIED && isDirAncestorOfHiddenOnly(c.path(), all, hidden))) {
                return false;
            }
        }
        return anyHidden;
    }

    private static boolean isDirAncestorOfHiddenOnly(String path, List<Changeset.Change> all, Set<String> hidden) {
        return onlyHiddenBelow(path, all, hidden);
    }
}
