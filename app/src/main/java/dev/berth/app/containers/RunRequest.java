package dev.berth.app.containers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.app.backend.ApiClient;
import dev.berth.app.i18n.Text;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the Run dialog holds, as typed, checked with Docker's rules and turned into Docker's
 * create body. No JavaFX here: the dialog copies its fields into one of these on every change.
 *
 * @param image         the image reference
 * @param name          the container's name, blank for a generated one
 * @param command       the command line (shell-like quoting), blank for the image's default
 * @param env           environment variables, in order; rows with a blank name and value are skipped
 * @param memory        memory limit as {@code --memory} takes it ({@code 256m}), blank for none
 * @param cpus          CPU limit as {@code --cpus} takes it ({@code 1.5}), blank for none
 * @param restartPolicy {@code no}, {@code on-failure}, {@code always} or {@code unless-stopped}
 * @param maxRetries    with {@code on-failure}: how many times at most, blank for no limit
 * @param ports         {@code -p} values, one a row; blank rows are skipped
 * @param volumes       {@code -v} values, one a row; rows with blank source and target are skipped
 * @param network       the network to join ({@code bridge}, {@code host}, {@code none} or a network's name)
 */
public record RunRequest(String image, String name, String command, List<EnvVar> env, String memory, String cpus,
                         String restartPolicy, String maxRetries, boolean interactive, boolean tty, boolean autoRemove,
                         List<String> ports, List<VolumeRow> volumes, String network) {

    /** The parts of the dialog a problem belongs to. */
    public enum Field { IMAGE, NAME, COMMAND, ENV, MEMORY, CPUS, RESTART, PORTS, VOLUMES, NETWORK }

    /** Something to fix before the container can be created. */
    public record Problem(Field field, Text text) {}

    /** One environment variable row. */
    public record EnvVar(String key, String value) {}

    /**
     * One volume row: {@code source} is a volume's name, a host path (starting with {@code /}), or
     * blank for a new anonymous volume; {@code target} is the path inside the container.
     */
    public record VolumeRow(String source, String target, boolean readOnly) {}

    public static final List<String> RESTART_POLICIES = List.of("no", "on-failure", "always", "unless-stopped");
    /** Docker's rule for container names (and volume names): at least two characters. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    /** Docker refuses memory limits below 6 MiB. */
    public static final long MIN_MEMORY = 6L * 1024 * 1024;

    public RunRequest {
        image = strip(image);
        name = strip(name);
        command = command == null ? "" : command;
        env = env == null ? List.of() : List.copyOf(env);
        memory = strip(memory);
        cpus = strip(cpus);
        restartPolicy = restartPolicy == null || restartPolicy.isBlank() ? "no" : restartPolicy.strip();
        maxRetries = strip(maxRetries);
        ports = ports == null ? List.of() : List.copyOf(ports);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        network = strip(network);
    }

    /** Just an image, everything else as {@code docker run IMAGE} leaves it. */
    public static RunRequest of(String image) {
        return new RunRequest(image, "", "", List.of(), "", "", "no", "", false, false, false, List.of(), List.of(), "");
    }

    private static String strip(String s) {
        return s == null ? "" : s.strip();
    }

    // ---- validation ------------------------------------------------------------------------------

    /** Every problem, at most one per field, in the dialog's order; empty when the request can be sent. */
    public List<Problem> validate() {
        List<Problem> out = new ArrayList<>();
        check(out, Field.IMAGE, this::checkImage);
        check(out, Field.NAME, () -> {
            if (!name.isEmpty() && !NAME.matcher(name.startsWith("/") ? name.substring(1) : name).matches()) {
                throw new InvalidInput("run.validation.name", name);
            }
        });
        check(out, Field.COMMAND, () -> CommandLine.split(command));
        check(out, Field.ENV, this::envList);
        check(out, Field.MEMORY, this::memoryBytes);
        check(out, Field.CPUS, this::nanoCpus);
        check(out, Field.RESTART, this::restart);
        check(out, Field.PORTS, this::portBindings);
        check(out, Field.VOLUMES, this::volumeSpecs);
        check(out, Field.NETWORK, () -> {
            if (!network.isEmpty() && network.chars().anyMatch(Character::isWhitespace)) {
                throw new InvalidInput("run.validation.network", network);
            }
        });
        return out;
    }

    /** The first problem with {@code field}, or null. */
    public Text problem(Field field) {
        return validate().stream().filter(p -> p.field() == field).map(Problem::text).findFirst().orElse(null);
    }

    private interface Check {
        void run();
    }

    private static void check(List<Problem> out, Field field, Check check) {
        try {
            check.run();
        } catch (InvalidInput e) {
            out.add(new Problem(field, e.text()));
        }
    }

    private void checkImage() {
        if (image.isEmpty()) {
            throw new InvalidInput("run.validation.image.empty");
        }
        if (image.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidInput("run.validation.image.spaces", image);
        }
    }

    private List<String> envList() {
        List<String> out = new ArrayList<>();
        int row = 0;
        for (EnvVar v : env) {
            row++;
            String key = v.key() == null ? "" : v.key().strip();
            String value = v.value() == null ? "" : v.value();
            if (key.isEmpty() && value.isEmpty()) {
                continue;
            }
            if (key.isEmpty()) {
                throw new InvalidInput("run.validation.env.name", row);
            }
            if (key.contains("=") || key.chars().anyMatch(Character::isWhitespace)) {
                throw new InvalidInput("run.validation.env.badName", row, key);
            }
            out.add(key + "=" + value);
        }
        return out;
    }

    private Long memoryBytes() {
        if (memory.isEmpty()) {
            return null;
        }
        long bytes = ByteSize.parse(memory);
        if (bytes < MIN_MEMORY) {
            throw new InvalidInput("run.validation.memory.min", memory);
        }
        return bytes;
    }

    private Long nanoCpus() {
        if (cpus.isEmpty()) {
            return null;
        }
        BigDecimal value;
        try {
            value = new BigDecimal(cpus);
        } catch (NumberFormatException e) {
            throw new InvalidInput("run.validation.cpus", cpus);
        }
        BigDecimal nanos = value.movePointRight(9);
        if (value.signum() <= 0 || nanos.compareTo(BigDecimal.valueOf(10_000_000)) < 0 || value.compareTo(BigDecimal.valueOf(1024)) > 0) {
            throw new InvalidInput("run.validation.cpus", cpus);
        }
        return nanos.longValue();
    }

    private ObjectNode restart() {
        if (!RESTART_POLICIES.contains(restartPolicy)) {
            throw new InvalidInput("run.validation.restart.policy", restartPolicy);
        }
        int retries = 0;
        if (!maxRetries.isEmpty()) {
            if (!restartPolicy.equals("on-failure")) {
                throw new InvalidInput("run.validation.restart.retriesOnlyOnFailure");
            }
            if (!maxRetries.matches("\\d{1,6}")) {
                throw new InvalidInput("run.validation.restart.retries", maxRetries);
            }
            retries = Integer.parseInt(maxRetries);
        }
        if (autoRemove && !restartPolicy.equals("no")) {
            throw new InvalidInput("run.validation.restart.autoRemove");
        }
        ObjectNode policy = ApiClient.JSON.createObjectNode();
        policy.put("Name", restartPolicy);
        policy.put("MaximumRetryCount", retries);
        return policy;
    }

    /** Container port ({@code 80/tcp}) → its host bindings, in the rows' order. */
    private Map<String, List<PortSpec.Binding>> portBindings() {
        Map<String, List<PortSpec.Binding>> out = new LinkedHashMap<>();
        int row = 0;
        for (String spec : ports) {
            row++;
            if (spec == null || spec.isBlank()) {
                continue;
            }
            PortSpec parsed;
            try {
                parsed = PortSpec.parse(spec);
            } catch (InvalidInput e) {
                throw new InvalidInput("run.validation.row", row, e.text());
            }
            for (PortSpec.Binding b : parsed.bindings()) {
                out.computeIfAbsent(b.containerPort(), k -> new ArrayList<>()).add(b);
            }
        }
        return out;
    }

    /** The volume rows as {@code Binds} strings ({@code source:target[:ro]}) and anonymous volume paths. */
    private record Volumes(List<String> binds, List<String> anonymous) {}

    private Volumes volumeSpecs() {
        List<String> binds = new ArrayList<>();
        List<String> anonymous = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        int row = 0;
        for (VolumeRow v : volumes) {
            row++;
            String source = v.source() == null ? "" : v.source().strip();
            String target = v.target() == null ? "" : v.target().strip();
            if (source.isEmpty() && target.isEmpty()) {
                continue;
            }
            if (target.isEmpty()) {
                throw new InvalidInput("run.validation.volume.targetMissing", row);
            }
            if (!target.startsWith("/")) {
                throw new InvalidInput("run.validation.volume.targetRelative", row, target);
            }
            if (target.equals("/")) {
                throw new InvalidInput("run.validation.volume.targetRoot", row);
            }
            if (target.contains(":")) {
                throw new InvalidInput("run.validation.volume.colon", row, target);
            }
            if (targets.contains(target)) {
                throw new InvalidInput("run.validation.volume.duplicate", row, target);
            }
            targets.add(target);
            if (source.isEmpty()) {
                if (v.readOnly()) {
                    throw new InvalidInput("run.validation.volume.anonymousReadOnly", row);
                }
                anonymous.add(target);
                continue;
            }
            if (source.contains(":")) {
                throw new InvalidInput("run.validation.volume.colon", row, source);
            }
            if (!source.startsWith("/") && !NAME.matcher(source).matches()) {
                throw new InvalidInput("run.validation.volume.source", row, source);
            }
            binds.add(source + ":" + target + (v.readOnly() ? ":ro" : ""));
        }
        return new Volumes(binds, anonymous);
    }

    // ---- the create body ------------------------------------------------------------------------

    /** The container's name as the create call takes it; null for a generated one. */
    public String containerName() {
        return name.isEmpty() ? null : name.startsWith("/") ? name.substring(1) : name;
    }

    /**
     * Docker's create body ({@code POST /containers/create}): {@code Image}, {@code Cmd}, {@code Env},
     * {@code Tty}, {@code OpenStdin}, {@code ExposedPorts}, {@code Volumes} and a {@code HostConfig}
     * with {@code PortBindings}, {@code Binds}, {@code NetworkMode}, {@code RestartPolicy},
     * {@code Memory}, {@code NanoCpus} and {@code AutoRemove}.
     *
     * @throws InvalidInput the first problem, when {@link #validate()} finds any
     */
    public ObjectNode toCreateBody() {
        List<Problem> problems = validate();
        if (!problems.isEmpty()) {
            throw new InvalidInput(problems.getFirst().text().key(), problems.getFirst().text().args().toArray());
        }
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.put("Image", image);
        List<String> cmd = CommandLine.split(command);
        if (!cmd.isEmpty()) {
            ArrayNode a = body.putArray("Cmd");
            cmd.forEach(a::add);
        }
        List<String> envList = envList();
        if (!envList.isEmpty()) {
            ArrayNode a = body.putArray("Env");
            envList.forEach(a::add);
        }
        body.put("Tty", tty);
        body.put("OpenStdin", interactive);
        body.put("AttachStdin", false);
        body.put("AttachStdout", false);
        body.put("AttachStderr", false);
        Map<String, List<PortSpec.Binding>> bindings = portBindings();
        Volumes vols = volumeSpecs();
        if (!bindings.isEmpty()) {
            ObjectNode exposed = body.putObject("ExposedPorts");
            bindings.keySet().forEach(exposed::putObject);
        }
        if (!vols.anonymous().isEmpty()) {
            ObjectNode v = body.putObject("Volumes");
            vols.anonymous().forEach(v::putObject);
        }
        ObjectNode host = body.putObject("HostConfig");
        if (!bindings.isEmpty()) {
            ObjectNode pb = host.putObject("PortBindings");
            bindings.forEach((port, list) -> {
                ArrayNode a = pb.putArray(port);
                for (PortSpec.Binding b : list) {
                    a.addObject().put("HostIp", b.hostIp()).put("HostPort", b.hostPort());
                }
            });
        }
        if (!vols.binds().isEmpty()) {
            ArrayNode a = host.putArray("Binds");
            vols.binds().forEach(a::add);
        }
        if (!network.isEmpty()) {
            host.put("NetworkMode", network);
        }
        host.set("RestartPolicy", restart());
        Long mem = memoryBytes();
        if (mem != null) {
            host.put("Memory", mem);
        }
        Long nanos = nanoCpus();
        if (nanos != null) {
            host.put("NanoCpus", nanos);
        }
        host.put("AutoRemove", autoRemove);
        return body;
    }
}
