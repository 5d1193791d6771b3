package dev.berth.engine.container.inspect;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.runtime.spec.Cgroups;
import dev.berth.engine.runtime.spec.HostFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code docker top} ({@code GET /containers/{id}/top}): the processes in a container's cgroup,
 * read from {@code cgroup.procs} and each process's {@code /proc/<pid>/stat}, {@code status} and
 * {@code cmdline}. PIDs are the host's and user names come from the host's {@code /etc/passwd},
 * as Docker shows them (Docker runs the host's {@code ps} and keeps the container's pids).
 *
 * <p>Supported {@code ps_args} (anything else is refused with the list below):
 * <ul>
 *   <li>empty, {@code -ef}, {@code ef}, {@code -f}: {@code UID PID PPID C STIME TTY TIME CMD}
 *   <li>{@code aux}, {@code -aux}, {@code au}, {@code -au}: {@code USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND}
 *   <li>{@code -o F,F,...} (also {@code -eo}) with fields {@code pid ppid uid user comm args cmd pcpu %cpu pmem %mem
 *       vsz rss tty stat time etime}: those columns, titled as {@code ps} titles them
 * </ul>
 * {@code C} and {@code %CPU} are CPU time over the process's lifetime, as {@code ps} computes them.
 */
public final class ProcessTable {

    /** Docker's {@code ContainerTopOKBody}. */
    public record Top(@JsonProperty("Titles") List<String> titles, @JsonProperty("Processes") List<List<String>> processes) {}

    /** What one process looks like in {@code /proc}. */
    record Proc(long pid, long ppid, long uid, String comm, String args, char state, long pgrp, long session, int ttyNr,
                long tpgid, long utime, long stime, long nice, long threads, long startTicks, long vszKb, long rssKb) {}

    private static final long HZ = 100;
    private static final List<String> FIELDS = List.of("pid", "ppid", "uid", "user", "comm", "args", "cmd", "pcpu", "%cpu",
            "pmem", "%mem", "vsz", "rss", "tty", "stat", "time", "etime");

    private final Path proc;
    private final Path passwd;
    private final ZoneId zone;

    public ProcessTable(Path proc, Path passwd, ZoneId zone) {
        this.proc = proc;
        this.passwd = passwd;
        this.zone = zone;
    }

    /** The host's {@code /proc} and {@code /etc/passwd}, in the system time zone. */
    public static ProcessTable host() {
        return new ProcessTable(Path.of("/proc"), Path.of("/etc/passwd"), ZoneId.systemDefault());
    }

    /**
     * The processes of the container whose cgroup is {@code cgroupPath}, sorted by pid.
     *
     * @throws EngineException.InvalidArgument for {@code ps_args} this class does not support
     * @throws EngineException.FailedPrecondition when the cgroup has no processes (the container is not running)
     */
    public Top top(Cgroups cgroups, String cgroupPath, String psArgs) {
        List<String> fields = fieldsFor(psArgs == null ? "" : psArgs.strip());
        List<Long> pids = new ArrayList<>(cgroups.procs(cgroupPath));
        if (pids.isEmpty()) {
            throw new EngineException.FailedPrecondition("the container's cgroup " + cgroupPath + " has no processes: it is not running");
        }
        pids.sort(Long::compare);
        List<Proc> procs = new ArrayList<>();
        for (long pid : pids) {
            Proc p = read(pid);
            if (p != null) {
                procs.add(p);
            }
        }
        return table(fields, procs);
    }

    Top table(List<String> fields, List<Proc> procs) {
        Map<Long, String> users = users();
        double uptime = uptime();
        long btime = bootTime();
        long memTotalKb = memTotalKb();
        List<String> titles = fields.stream().map(ProcessTable::title).toList();
        List<List<String>> rows = new ArrayList<>();
        for (Proc p : procs) {
            double elapsed = Math.max(0, uptime - (double) p.startTicks() / HZ);
            double cpuSeconds = (double) (p.utime() + p.stime()) / HZ;
            double pcpu = elapsed > 0 ? cpuSeconds * 100 / elapsed : 0;
            List<String> row = new ArrayList<>();
            for (String f : fields) {
                row.add(switch (f) {
                    case "pid" -> Long.toString(p.pid());
                    case "ppid" -> Long.toString(p.ppid());
                    case "uid" -> Long.toString(p.uid());
                    case "user", "uname" -> users.getOrDefault(p.uid(), Long.toString(p.uid()));
                    case "c" -> Integer.toString((int) Math.min(99, pcpu));
                    case "pcpu", "%cpu" -> String.format(Locale.ROOT, "%.1f", pcpu);
                    case "pmem", "%mem" -> String.format(Locale.ROOT, "%.1f", memTotalKb == 0 ? 0.0 : p.rssKb() * 100.0 / memTotalKb);
                    case "vsz" -> Long.toString(p.vszKb());
                    case "rss" -> Long.toString(p.rssKb());
                    case "tty" -> tty(p.ttyNr());
                    case "stat" -> stat(p);
                    case "stime", "start" -> startTime(btime + p.startTicks() / HZ);
                    case "time" -> time((p.utime() + p.stime()) / HZ);
                    case "bsdtime" -> bsdTime((p.utime() + p.stime()) / HZ);
                    case "etime" -> etime((long) elapsed);
                    case "comm" -> p.comm();
                    case "args", "cmd" -> p.args().isEmpty() ? "[" + p.comm() + "]" : p.args();
                    default -> throw new IllegalStateException(f);
                });
            }
            rows.add(List.copyOf(row));
        }
        return new Top(titles, List.copyOf(rows));
    }

    static List<String> fieldsFor(String psArgs) {
        switch (psArgs) {
            case "", "-ef", "ef", "-f", "-e" -> {
                return List.of("uname", "pid", "ppid", "c", "stime", "tty", "time", "cmd");
            }
            case "aux", "-aux", "au", "-au", "ax", "-ax" -> {
                return List.of("user", "pid", "%cpu", "%mem", "vsz", "rss", "tty", "stat", "start", "bsdtime", "args");
            }
            default -> { }
        }
        String[] words = psArgs.split("\\s+");
        if (words.length == 2 && (words[0].equals("-o") || words[0].equals("-eo") || words[0].equals("-ao"))) {
            List<String> out = new ArrayList<>();
            for (String f : words[1].split(",")) {
                String field = f.toLowerCase(Locale.ROOT);
                if (!FIELDS.contains(field)) {
                    throw unsupported(psArgs);
                }
                out.add(field);
            }
            return List.copyOf(out);
        }
        throw unsupported(psArgs);
    }

    private static EngineException unsupported(String psArgs) {
        return new EngineException.InvalidArgument("unsupported ps_args \"" + psArgs + "\": use -ef (default), aux, or -o with "
                + String.join(",", FIELDS));
    }

    private static String title(String field) {
        return switch (field) {
            case "uname" -> "UID"; // ps -ef titles the user name UID
            case "pcpu" -> "%CPU";
            case "pmem" -> "%MEM";
            case "bsdtime" -> "TIME";
            case "args", "comm" -> "COMMAND";
            case "etime" -> "ELAPSED";
            default -> field.toUpperCase(Locale.ROOT);
        };
    }

    /** Reads one process; null when it exited meanwhile. */
    Proc read(long pid) {
        try {
            String stat = HostFiles.read(proc.resolve(pid + "/stat"));
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            String comm = stat.substring(open + 1, close);
            String[] f = stat.substring(close + 2).trim().split(" ");
            // f[0] is field 3 (state) of proc(5)
            char state = f[0].charAt(0);
            long ppid = Long.parseLong(f[1]);
            long pgrp = Long.parseLong(f[2]);
            long session = Long.parseLong(f[3]);
            int tty = Integer.parseInt(f[4]);
            long tpgid = Long.parseLong(f[5]);
            long utime = Long.parseLong(f[11]);
            long stime = Long.parseLong(f[12]);
            long nice = Long.parseLong(f[16]);
            long threads = Long.parseLong(f[17]);
            long start = Long.parseLong(f[19]);
            long uid = 0;
            long vsz = 0;
            long rss = 0;
            for (String line : HostFiles.read(proc.resolve(pid + "/status")).split("\n")) {
                if (line.startsWith("Uid:")) {
                    uid = Long.parseLong(line.substring(4).trim().split("\\s+")[1]); // effective uid, as ps shows
                } else if (line.startsWith("VmSize:")) {
                    vsz = Long.parseLong(line.replaceAll("[^0-9]", ""));
                } else if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            String cmdline = HostFiles.read(proc.resolve(pid + "/cmdline"));
            String args = String.join(" ", Arrays.stream(cmdline.split("\0")).filter(s -> !s.isEmpty()).toList());
            return new Proc(pid, ppid, uid, comm, args, state, pgrp, session, tty, tpgid, utime, stime, nice, threads, start, vsz, rss);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** {@code ps}'s TTY column: {@code pts/N}, {@code ttyN}, {@code ttySN} or {@code ?}. */
    static String tty(int ttyNr) {
        if (ttyNr == 0) {
            return "?";
        }
        int major = (ttyNr >> 8) & 0xfff;
        int minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
        if (major >= 136 && major <= 143) {
            return "pts/" + ((major - 136) * 256 + minor);
        }
        if (major == 4) {
            return minor < 64 ? "tty" + minor : "ttyS" + (minor - 64);
        }
        return "?";
    }

    private static String stat(Proc p) {
        StringBuilder s = new StringBuilder().append(p.state());
        if (p.nice() < 0) {
            s.append('<');
        } else if (p.nice() > 0) {
            s.append('N');
        }
        if (p.session() == p.pid()) {
            s.append('s');
        }
        if (p.threads() > 1) {
            s.append('l');
        }
        if (p.tpgid() == p.pgrp() && p.ttyNr() != 0) {
            s.append('+');
        }
        return s.toString();
    }

    private String startTime(long epochSecond) {
        ZonedDateTime t = Instant.ofEpochSecond(epochSecond).atZone(zone);
        ZonedDateTime now = ZonedDateTime.now(zone);
        if (now.toEpochSecond() - epochSecond < 24 * 3600) {
            return t.format(DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT));
        }
        if (t.getYear() == LocalDate.now(zone).getYear()) {
            return t.format(DateTimeFormatter.ofPattern("MMMdd", Locale.ROOT));
        }
        return Integer.toString(t.getYear());
    }

    /** {@code [DD-]HH:MM:SS}. */
    static String time(long seconds) {
        long d = seconds / 86400;
        String hms = String.format(Locale.ROOT, "%02d:%02d:%02d", (seconds / 3600) % 24, (seconds / 60) % 60, seconds % 60);
        return d > 0 ? d + "-" + hms : hms;
    }

    /** BSD's {@code M:SS}. */
    static String bsdTime(long seconds) {
        return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    /** {@code [[DD-]HH:]MM:SS}. */
    static String etime(long seconds) {
        long d = seconds / 86400;
        long h = (seconds / 3600) % 24;
        String ms = String.format(Locale.ROOT, "%02d:%02d", (seconds / 60) % 60, seconds % 60);
        if (d > 0) {
            return String.format(Locale.ROOT, "%d-%02d:%s", d, h, ms);
        }
        return h > 0 ? String.format(Locale.ROOT, "%02d:%s", h, ms) : ms;
    }

    private Map<Long, String> users() {
        Map<Long, String> out = new HashMap<>();
        try {
            for (String line : HostFiles.read(passwd).split("\n")) {
                String[] f = line.split(":");
                if (f.length >= 3 && !line.startsWith("#")) {
                    try {
                        out.putIfAbsent(Long.parseLong(f[2]), f[0]);
                    } catch (NumberFormatException ignored) {
                        // a malformed line names no uid
                    }
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    private double uptime() {
        try {
            return Double.parseDouble(HostFiles.read(proc.resolve("uptime")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private long bootTime() {
        try {
            for (String line : HostFiles.read(proc.resolve("stat")).split("\n")) {
                if (line.startsWith("btime ")) {
                    return Long.parseLong(line.substring(6).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    private long memTotalKb() {
        try {
            for (String line : HostFiles.read(proc.resolve("meminfo")).split("\n")) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
