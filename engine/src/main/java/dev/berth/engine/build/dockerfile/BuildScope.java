package dev.berth.engine.build.dockerfile;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The variables of one build, with Docker's scoping.
 *
 * <ul>
 *   <li>Global ARGs (before the first FROM) take the build arg of the same name, else their default
 *       (expanded with the global ARGs above them). They are usable in FROM lines only; inside a stage a
 *       global ARG is visible only after the stage declares it again ({@code ARG NAME}, which then takes
 *       the global value).</li>
 *   <li>A build arg that no ARG declares is not visible anywhere; {@link #unusedBuildArgs()} lists them
 *       (Docker warns about them). The proxy settings ({@link #PREDEFINED}) are the exception: RUN sees
 *       them without an ARG.</li>
 * </ul>
 * Stage by stage, {@link #enter} hands out a {@link StageScope} for the instructions of that stage.
 */
public final class BuildScope {

    /**
     * Docker's predefined build args: usable by RUN without an ARG (proxy settings), never reported
     * as unused, and, as in Docker, not visible to the expansion of Dockerfile words unless declared.
     */
    public static final Set<String> PREDEFINED = Set.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
            "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");

    private final Dockerfile dockerfile;
    private final Map<String, String> buildArgs;
    private final Map<String, String> globals = new LinkedHashMap<>();
    private final Set<String> declared = new HashSet<>();
    private final Expander expander;

    /** Evaluates the global ARGs of {@code dockerfile} with {@code buildArgs} ({@code --build-arg NAME=VALUE}). */
    public BuildScope(Dockerfile dockerfile, Map<String, String> buildArgs) {
        this.dockerfile = dockerfile;
        this.buildArgs = Map.copyOf(buildArgs);
        this.expander = new Expander(dockerfile.escape());
        for (Instruction.Arg arg : dockerfile.globalArgs()) {
            Map<String, String> values = new LinkedHashMap<>();
            for (ArgDecl a : arg.args()) {
                declared.add(a.name());
                String value = buildArgs.containsKey(a.name()) ? buildArgs.get(a.name())
                        : a.hasDefault() ? word(a.defaultValue(), arg.position()) : null;
                values.put(a.name(), value);
            }
            globals.putAll(values);
        }
    }

    /** The global ARGs and their values (null for one declared without a value and not given). */
    public Map<String, String> globalArgs() {
        return Collections.unmodifiableMap(globals);
    }

    /**
     * The stage's FROM with its image and {@code --platform} expanded with the global ARGs; a platform
     * that expands to nothing is no platform.
     */
    public Instruction.From from(Stage stage) {
        Instruction.From f = stage.from();
        String image = word(f.image(), f.position());
        if (image.isEmpty()) {
            throw new DockerfileError(f.position(), "the base image name \"" + f.image() + "\" is empty after expansion"
                    + " (is the ARG declared before the first FROM and given a value?)").toException();
        }
        String platform = f.platform() == null ? null : word(f.platform(), f.position());
        if (platform != null && platform.isEmpty()) {
            platform = null; // e.g. --platform=$BUILDPLATFORM, which only BuildKit predefines: no platform asked for
        }
        return new Instruction.From(f.position(), f.text(), image, f.stageName(), platform);
    }

    /**
     * A scope for {@code stage}'s instructions, starting from the base image's environment
     * ({@code baseEnv}, {@code NAME=VALUE} entries; empty for scratch).
     */
    public StageScope enter(Stage stage, List<String> baseEnv) {
        if (!dockerfile.stages().contains(stage)) {
            throw new IllegalArgumentException("stage " + stage.index() + " is not a stage of " + dockerfile.file());
        }
        return new StageScope(this, baseEnv);
    }

    /** Build args that no ARG (global or in an entered stage) declared, sorted. */
    public Set<String> unusedBuildArgs() {
        Set<String> out = new TreeSet<>(buildArgs.keySet());
        out.removeAll(declared);
        out.removeAll(PREDEFINED);
        return out;
    }

    Dockerfile dockerfile() {
        return dockerfile;
    }

    Expander expander() {
        return expander;
    }

    Map<String, String> buildArgs() {
        return buildArgs;
    }

    void declared(String name) {
        declared.add(name);
    }

    private String word(String w, Position at) {
        try {
            return expander.word(w, globals::get);
        } catch (Expander.Problem p) {
            throw new DockerfileError(at, p.getMessage()).toException();
        }
    }
}
