package dev.berth.engine.build.dockerfile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The variables of one stage, applied instruction by instruction as the builder executes them.
 *
 * <p>{@link #apply(Instruction)} returns the instruction with its words expanded as Docker expands them
 * (see {@link Instruction}) and then records what an ARG or ENV adds to the scope. All words of one
 * instruction are expanded with the scope as it was before it ({@code ENV A=1 B=$A} gives B the old A).
 * ENV, from the base image or the stage, overrides an ARG of the same name; a stage ARG takes the build
 * arg, else its own default, else the global ARG of that name.
 */
public final class StageScope {

    private static final Pattern SIGNAL = Pattern.compile("(?i)(SIG)?[A-Z][A-Z0-9+-]*|\\d+");

    private final BuildScope build;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, String> args = new LinkedHashMap<>();

    StageScope(BuildScope build, List<String> baseEnv) {
        this.build = build;
        for (String e : baseEnv) {
            int eq = e.indexOf('=');
            if (eq > 0) {
                env.put(e.substring(0, eq), e.substring(eq + 1));
            } else if (!e.isEmpty()) {
                env.put(e, "");
            }
        }
    }

    /**
     * A scope outside any Dockerfile, holding only {@code env} ({@code NAME=VALUE} entries): how
     * {@code docker commit --change} expands its instructions against the container's environment.
     */
    public static StageScope forEnvironment(List<String> env) {
        return new StageScope(new BuildScope(new Dockerfile("change", '\\', null, List.of(), List.of()), Map.of()), env);
    }

    /** The value {@code name} has for expansion here: the ENV value, else the ARG value; null when unset. */
    public String lookup(String name) {
        String v = env.get(name);
        return v != null ? v : args.get(name);
    }

    /** The stage's environment (base image, then ENV instructions), in Docker's order. */
    public Map<String, String> env() {
        return Collections.unmodifiableMap(env);
    }

    /** The environment as an image config writes it: {@code NAME=VALUE}. */
    public List<String> imageEnv() {
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    /** The ARGs declared in this stage so far and their values (null when declared without one). */
    public Map<String, String> args() {
        return Collections.unmodifiableMap(args);
    }

    /**
     * The environment a RUN sees: the proxy build args ({@link BuildScope#PREDEFINED}), the ARGs with a
     * value (neither stored in the image), then the ENV, which wins over an ARG of the same name.
     */
    public List<String> runEnv() {
        Map<String, String> all = new LinkedHashMap<>();
        build.buildArgs().forEach((k, v) -> {
            if (BuildScope.PREDEFINED.contains(k) && !args.containsKey(k) && !env.containsKey(k)) {
                all.put(k, v);
            }
        });
        args.forEach((k, v) -> {
            if (v != null && !env.containsKey(k)) {
                all.put(k, v);
            }
        });
        all.putAll(env);
        return all.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    /**
     * The ARGs that a RUN sees and that Docker records in the cache key and history of a RUN ({@code |N a=1 b=2 cmd}),
     * sorted by name; an ARG that an ENV of the same name hides is left out, as Docker does (observed against
     * dockerd 20.10).
     */
    public Map<String, String> runArgs() {
        Map<String, String> out = new java.util.TreeMap<>();
        args.forEach((k, v) -> {
            if (v != null && !env.containsKey(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Expands {@code ins} with the scope as it is now, then applies it (ARG and ENV change the scope). */
    public Instruction apply(Instruction ins) {
        Instruction out = expand(ins);
        switch (out) {
            case Instruction.Env e -> e.pairs().forEach(kv -> env.put(kv.key(), kv.value()));
            case Instruction.Arg a -> {
                for (ArgDecl d : a.args()) {
                    build.declared(d.name());
                    String value;
                    if (build.buildArgs().containsKey(d.name())) {
                        value = build.buildArgs().get(d.name());
                    } else if (d.hasDefault()) {
                        value = d.defaultValue();
                    } else {
                        value = build.globalArgs().get(d.name());
                    }
                    args.put(d.name(), value);
                }
            }
            default -> { }
        }
        return out;
    }

    /** Expands one word with the scope as it is now (for the builder's own needs). */
    public String expand(String word, Position at) {
        return word(word, at);
    }

    private Instruction expand(Instruction ins) {
        Position at = ins.position();
        return switch (ins) {
            case Instruction.Env e -> new Instruction.Env(at, e.text(), pairs(e.pairs(), at));
            case Instruction.Label l -> new Instruction.Label(at, l.text(), pairs(l.labels(), at));
            case Instruction.Arg a -> {
                List<ArgDecl> out = new ArrayList<>();
                for (ArgDecl d : a.args()) {
                    out.add(new ArgDecl(d.name(), d.hasDefault() ? word(d.defaultValue(), at) : null));
                }
                yield new Instruction.Arg(at, a.text(), out);
            }
            case Instruction.Expose x -> {
                List<String> ports = new ArrayList<>();
                for (String p : x.ports()) {
                    for (String w : words(p, at)) {
                        String n = Ports.normalize(w);
                        if (n == null) {
                            throw new DockerfileError(at, Ports.problem(w)).toException();
                        }
                        ports.addAll(Ports.each(n));
                    }
                }
                yield new Instruction.Expose(at, x.text(), ports);
            }
            case Instruction.Volume v -> new Instruction.Volume(at, v.text(), nonEmpty(words(v.paths(), at), "VOLUME", at));
            case Instruction.Workdir w -> new Instruction.Workdir(at, w.text(), nonEmpty(word(w.path(), at), "WORKDIR", at));
            case Instruction.User u -> new Instruction.User(at, u.text(), nonEmpty(word(u.user(), at), "USER", at));
            case Instruction.StopSignal s -> {
                String sig = word(s.signal(), at);
                if (!SIGNAL.matcher(sig).matches()) {
                    throw new DockerfileError(at, "invalid STOPSIGNAL \"" + sig + "\": expected a signal name such as SIGTERM or a number")
                            .toException();
                }
                yield new Instruction.StopSignal(at, s.text(), sig);
            }
            case Instruction.Copy c -> new Instruction.Copy(at, c.text(), words(c.sources(), at),
                    nonEmpty(word(c.destination(), at), "the COPY destination", at), heredocs(c.heredocs(), at),
                    opt(c.from(), at), opt(c.chown(), at), chmod(opt(c.chmod(), at), at), c.link(), c.parents(),
                    words(c.excludes(), at));
            case Instruction.Add a -> new Instruction.Add(at, a.text(), words(a.sources(), at),
                    nonEmpty(word(a.destination(), at), "the ADD destination", at), heredocs(a.heredocs(), at),
                    opt(a.chown(), at), chmod(opt(a.chmod(), at), at), a.link(), checksum(opt(a.checksum(), at), at),
                    a.keepGitDir(), words(a.excludes(), at));
            case Instruction.From f -> throw new IllegalArgumentException("FROM starts a stage: use BuildScope.from");
            default -> ins; // RUN, CMD, ENTRYPOINT, HEALTHCHECK, SHELL, MAINTAINER, ONBUILD: not expanded
        };
    }

    private List<KeyValue> pairs(List<KeyValue> in, Position at) {
        List<KeyValue> out = new ArrayList<>();
        for (KeyValue kv : in) {
            out.add(new KeyValue(word(kv.key(), at), word(kv.value(), at)));
        }
        return out;
    }

    private List<Heredoc> heredocs(List<Heredoc> in, Position at) {
        List<Heredoc> out = new ArrayList<>();
        for (Heredoc h : in) {
            if (!h.expand()) {
                out.add(h);
                continue;
            }
            try {
                out.add(new Heredoc(h.name(), build.expander().heredoc(h.content(), this::lookup), true, h.chomp(), h.fd()));
            } catch (Expander.Problem p) {
                throw new DockerfileError(at, "heredoc " + h.name() + ": " + p.getMessage()).toException();
            }
        }
        return out;
    }

    private static String chmod(String mode, Position at) {
        if (mode != null && !DockerfileParser.OCTAL_MODE.matcher(mode).matches()) {
            throw new DockerfileError(at, "invalid --chmod=" + mode + " after expansion: expected an octal mode such as 0755")
                    .toException();
        }
        return mode;
    }

    private static String checksum(String digest, Position at) {
        if (digest != null && !DockerfileParser.CHECKSUM.matcher(digest).matches()) {
            throw new DockerfileError(at, "invalid --checksum=" + digest
                    + " after expansion: expected sha256:<64 hex digits> (or sha384, sha512)").toException();
        }
        return digest;
    }

    private static String nonEmpty(String v, String keyword, Position at) {
        if (v.isEmpty()) {
            throw new DockerfileError(at, keyword + " is empty after expansion").toException();
        }
        return v;
    }

    private static List<String> nonEmpty(List<String> v, String keyword, Position at) {
        if (v.isEmpty() || v.stream().anyMatch(String::isEmpty)) {
            throw new DockerfileError(at, keyword + " has an empty path after expansion").toException();
        }
        return v;
    }

    private String opt(String w, Position at) {
        return w == null ? null : word(w, at);
    }

    private List<String> words(List<String> ws, Position at) {
        List<String> out = new ArrayList<>();
        for (String w : ws) {
            out.add(word(w, at));
        }
        return out;
    }

    private List<String> words(String text, Position at) {
        try {
            return build.expander().words(text, this::lookup);
        } catch (Expander.Problem p) {
            throw new DockerfileError(at, p.getMessage()).toException();
        }
    }

    private String word(String w, Position at) {
        try {
            return build.expander().word(w, this::lookup);
        } catch (Expander.Problem p) {
            throw new DockerfileError(at, p.getMessage()).toException();
        }
    }
}
