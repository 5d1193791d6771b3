package dev.berth.engine.image;

import dev.berth.engine.build.dockerfile.DockerfileParser;
import dev.berth.engine.build.dockerfile.Instruction;
import dev.berth.engine.build.dockerfile.KeyValue;
import dev.berth.engine.build.dockerfile.StageScope;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.oci.ImageConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code docker commit --change} (and {@code docker import --change}): Dockerfile instructions
 * applied to an image config. Supported, as in Docker: {@code CMD}, {@code ENTRYPOINT},
 * {@code ENV}, {@code EXPOSE}, {@code LABEL}, {@code ONBUILD}, {@code STOPSIGNAL}, {@code USER},
 * {@code VOLUME}, {@code WORKDIR}. Each change is parsed by the Dockerfile parser
 * ({@link DockerfileParser#parseInstruction}) and its words expanded against the config's
 * environment, as Docker does; the shell form of {@code CMD}/{@code ENTRYPOINT} runs through
 * {@code /bin/sh -c} (or the config's {@code Shell}).
 *
 * <p>{@link Editor} is the part the builder shares: it applies expanded instructions to a config
 * with Docker's rules (ENV replaces a variable in place, ENTRYPOINT clears the command unless a CMD
 * came before it, a relative WORKDIR is joined to the current one).
 */
public final class ConfigChanges {

    private static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");
    /** The instructions a change may use, as Docker lists them. */
    private static final List<String> KEYWORDS = List.of("CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "ONBUILD",
            "STOPSIGNAL", "USER", "VOLUME", "WORKDIR");

    private ConfigChanges() {}

    /** Applies {@code changes} in order to {@code config} (may be null) and returns the result. */
    public static ImageConfig.Config apply(ImageConfig.Config config, List<String> changes) {
        Editor editor = new Editor(config);
        for (String change : changes) {
            if (change == null || change.isBlank()) {
                continue;
            }
            String line = change.strip();
            int sp = indexOfSpace(line);
            String keyword = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
            if (!KEYWORDS.contains(keyword)) {
                throw new EngineException.InvalidArgument(keyword + " is not a valid change command");
            }
            Instruction parsed = DockerfileParser.parseInstruction(line, "change \"" + change + "\"");
            editor.apply(StageScope.forEnvironment(editor.env).apply(parsed));
        }
        return editor.config();
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * An image config being edited by instructions whose words are already expanded (from
     * {@link StageScope#apply}). Instructions that do not touch the config (RUN, COPY, ADD, ARG, FROM,
     * MAINTAINER) are ignored here.
     */
    public static final class Editor {
        private final ImageConfig.Config base;
        private String user;
        private final Map<String, Object> exposedPorts;
        private final List<String> env;
        private List<String> entrypoint;
        private List<String> cmd;
        private final Map<String, Object> volumes;
        private String workingDir;
        private final Map<String, String> labels;
        private String stopSignal;
        private ImageConfig.Healthcheck healthcheck;
        private final List<String> onBuild;
        private List<String> shell;
        private boolean cmdSet;

        /** Starts from {@code c} (null: an empty config). */
        public Editor(ImageConfig.Config c) {
            base = c;
            user = c == null ? null : c.user();
            exposedPorts = c == null || c.exposedPorts() == null ? new TreeMap<>() : new TreeMap<>(c.exposedPorts());
            env = c == null || c.env() == null ? new ArrayList<>() : new ArrayList<>(c.env());
            entrypoint = c == null ? null : c.entrypoint();
            cmd = c == null ? null : c.cmd();
            volumes = c == null || c.volumes() == null ? new TreeMap<>() : new TreeMap<>(c.volumes());
            workingDir = c == null ? null : c.workingDir();
            labels = c == null || c.labels() == null ? new TreeMap<>() : new TreeMap<>(c.labels());
            stopSignal = c == null ? null : c.stopSignal();
            healthcheck = c == null ? null : c.healthcheck();
            onBuild = c == null || c.onBuild() == null ? new ArrayList<>() : new ArrayList<>(c.onBuild());
            shell = c == null ? null : c.shell();
        }

        /** Applies one expanded instruction. */
        public void apply(Instruction instruction) {
            switch (instruction) {
                case Instruction.Cmd c -> {
                    cmd = c.command().argv(shellOrDefault());
                    cmdSet = true;
                }
                case Instruction.Entrypoint e -> {
                    entrypoint = e.command().argv(shellOrDefault());
                    if (!cmdSet) {
                        cmd = null;
                    }
                }
                case Instruction.Env e -> e.pairs().forEach(this::setEnv);
                case Instruction.Label l -> l.labels().forEach(kv -> labels.put(kv.key(), kv.value()));
                case Instruction.Expose x -> x.ports().forEach(p -> exposedPorts.put(p, Map.of()));
                case Instruction.OnBuild o -> onBuild.add(o.trigger().text());
                case Instruction.StopSignal s -> stopSignal = s.signal();
                case Instruction.User u -> user = u.user();
                case Instruction.Volume v -> v.paths().forEach(p -> volumes.put(p, Map.of()));
                case Instruction.Workdir w -> {
                    String dir = w.path();
                    if (!dir.startsWith("/")) {
                        String from = workingDir == null || workingDir.isEmpty() ? "/" : workingDir;
                        dir = from.endsWith("/") ? from + dir : from + "/" + dir;
                    }
                    workingDir = dir;
                }
                case Instruction.Shell s -> shell = s.shell();
                case Instruction.Healthcheck h -> healthcheck = healthcheck(h);
                default -> { } // RUN, COPY, ADD, ARG, FROM, MAINTAINER: not part of the config
            }
        }

        private List<String> shellOrDefault() {
            return shell == null || shell.isEmpty() ? DEFAULT_SHELL : shell;
        }

        private void setEnv(KeyValue kv) {
            String entry = kv.key() + "=" + kv.value();
            for (int i = 0; i < env.size(); i++) {
                String e = env.get(i);
                if (e.equals(kv.key()) || e.startsWith(kv.key() + "=")) {
                    env.set(i, entry);
                    return;
                }
            }
            env.add(entry);
        }

        private static ImageConfig.Healthcheck healthcheck(Instruction.Healthcheck h) {
            if (h.none()) {
                return new ImageConfig.Healthcheck(List.of("NONE"), null, null, null, null, null);
            }
            List<String> test = new ArrayList<>();
            if (h.test().shellForm()) {
                test.add("CMD-SHELL");
            } else {
                test.add("CMD");
            }
            test.addAll(h.test().args());
            return new ImageConfig.Healthcheck(List.copyOf(test), nanos(h.interval()), nanos(h.timeout()),
                    nanos(h.startPeriod()), nanos(h.startInterval()), h.retries());
        }

        private static Long nanos(Duration d) {
            return d == null || d.isZero() ? null : d.toNanos();
        }

        /** The config as edited so far. */
        public ImageConfig.Config config() {
            return new ImageConfig.Config(user, exposedPorts.isEmpty() ? null : exposedPorts, env.isEmpty() ? null : List.copyOf(env),
                    entrypoint, cmd, volumes.isEmpty() ? null : volumes, workingDir, labels.isEmpty() ? null : labels, stopSignal,
                    base == null ? null : base.argsEscaped(), healthcheck,
                    onBuild.isEmpty() ? null : List.copyOf(onBuild), shell);
        }
    }
}
