package dev.berth.engine.runtime.spec;

import dev.berth.engine.errors.EngineException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns Docker's {@code --user} value ({@code name|uid[:group|gid]}) into numeric ids by reading
 * the container's own {@code /etc/passwd} and {@code /etc/group} (resolved inside the rootfs,
 * never through a link to the host's files). Same rules and messages as Docker (runc's user
 * lookup): a name that is not in passwd is an error, a number that is not in passwd is used as is
 * with group 0; without an explicit group, the user's supplementary groups come from
 * {@code /etc/group} membership. As in Docker, the primary group is the first supplementary group.
 */
public final class UserResolver {

    private static final int MAX_FILE = 16 * 1024 * 1024;

    /** The numeric identity a process runs with, and the home directory for {@code HOME}. */
    public record ExecUser(long uid, long gid, List<Long> additionalGids, String home) {
        public ExecUser {
            additionalGids = List.copyOf(additionalGids);
        }
    }

    private record PasswdEntry(String name, long uid, long gid, String home) {}

    private record GroupEntry(String name, long gid, List<String> members) {}

    private UserResolver() {}

    /** Resolves {@code spec} against the files of {@code rootfs}; {@code null} or empty means root. */
    public static ExecUser resolve(Path rootfs, String spec) {
        String userArg = "";
        String groupArg = "";
        if (spec != null && !spec.isBlank()) {
            int colon = spec.indexOf(':');
            userArg = colon < 0 ? spec.strip() : spec.substring(0, colon).strip();
            groupArg = colon < 0 ? "" : spec.substring(colon + 1).strip();
        }
        if (userArg.isEmpty()) {
            userArg = "0";
        }
        List<PasswdEntry> passwd = readPasswd(rootfs);
        List<GroupEntry> groups = readGroups(rootfs);

        Long numericUid = parseId(userArg, "user");
        PasswdEntry entry = null;
        for (PasswdEntry e : passwd) {
            if (e.name().equals(userArg) || (numericUid != null && e.uid() == numericUid)) {
                entry = e;
                break;
            }
        }
        long uid;
        long gid;
        String name;
        String home;
        if (entry != null) {
            uid = entry.uid();
            gid = entry.gid();
            name = entry.name();
            home = entry.home().isEmpty() ? "/" : entry.home();
        } else if (numericUid != null) {
            uid = numericUid;
            gid = 0;
            name = null;
            home = "/";
        } else {
            throw new EngineException.InvalidArgument("unable to find user " + userArg + ": no matching entries in passwd file");
        }

        Set<Long> sgids = new LinkedHashSet<>();
        if (!groupArg.isEmpty()) {
            Long numericGid = parseId(groupArg, "group");
            Optional<GroupEntry> g = Optional.empty();
            for (GroupEntry e : groups) {
                if (e.name().equals(groupArg) || (numericGid != null && e.gid() == numericGid)) {
                    g = Optional.of(e);
                    break;
                }
            }
            if (g.isPresent()) {
                gid = g.get().gid();
            } else if (numericGid != null) {
                gid = numericGid;
            } else {
                throw new EngineException.InvalidArgument("unable to find group " + groupArg + ": no matching entries in group file");
            }
        } else if (name != null) {
            for (GroupEntry e : groups) {
                if (e.members().contains(name)) {
                    sgids.add(e.gid());
                }
            }
        }
        // like Docker: the primary group is also a supplementary group, then the memberships
        List<Long> additional = new ArrayList<>();
        additional.add(gid);
        for (long g : sgids) {
            if (g != gid) {
                additional.add(g);
            }
        }
        return new ExecUser(uid, gid, additional, home);
    }

    private static Long parseId(String s, String what) {
        if (!s.chars().allMatch(Character::isDigit)) {
            return null;
        }
        try {
            long v = Long.parseLong(s);
            if (v > 0xFFFF_FFFEL) {
                throw new EngineException.InvalidArgument(what + " id " + s + " is out of range");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new EngineException.InvalidArgument(what + " id " + s + " is out of range", e);
        }
    }

    private static List<PasswdEntry> readPasswd(Path rootfs) {
        List<PasswdEntry> out = new ArrayList<>();
        for (String[] f : records(rootfs, "/etc/passwd")) {
            // name:password:uid:gid:gecos:home:shell
            Long uid = f.length > 2 ? lenientId(f[2]) : null;
            Long gid = f.length > 3 ? lenientId(f[3]) : null;
            if (f[0].isEmpty() || uid == null || gid == null) {
                continue;
            }
            out.add(new PasswdEntry(f[0], uid, gid, f.length > 5 ? f[5] : ""));
        }
        return out;
    }

    private static List<GroupEntry> readGroups(Path rootfs) {
        List<GroupEntry> out = new ArrayList<>();
        for (String[] f : records(rootfs, "/etc/group")) {
            // name:password:gid:member,member
            Long gid = f.length > 2 ? lenientId(f[2]) : null;
            if (f[0].isEmpty() || gid == null) {
                continue;
            }
            List<String> members = f.length > 3 && !f[3].isBlank()
                    ? List.of(f[3].strip().split("\\s*,\\s*")) : List.of();
            out.add(new GroupEntry(f[0], gid, members));
        }
        return out;
    }

    /** Lines split on ':', skipping blanks and comments; a line that cannot be parsed is skipped like libc does. */
    private static List<String[]> records(Path rootfs, String file) {
        Optional<byte[]> bytes = RootfsPath.readSmallFile(rootfs, file, MAX_FILE);
        if (bytes.isEmpty()) {
            return List.of();
        }
        List<String[]> out = new ArrayList<>();
        for (String line : new String(bytes.get(), StandardCharsets.UTF_8).split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            out.add(l.split(":", -1));
        }
        return out;
    }

    private static Long lenientId(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
