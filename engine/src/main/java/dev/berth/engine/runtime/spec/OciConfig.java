package dev.berth.engine.runtime.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The OCI runtime-spec {@code config.json} (version 1.0.2), as records whose component names are
 * the spec's JSON names. Only the fields Berth sets are modelled; absent ({@code null}) fields are
 * not written. Hooks and seccomp are not used yet.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OciConfig(String ociVersion, Process process, Root root, String hostname, List<Mount> mounts,
                        Linux linux, Map<String, String> annotations) {

    public static final String VERSION = "1.0.2";

    /** The container's (or an exec's) process. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Process(boolean terminal, ConsoleSize consoleSize, User user, List<String> args, List<String> env,
                          String cwd, Capabilities capabilities, List<Rlimit> rlimits, Boolean noNewPrivileges,
                          Integer oomScoreAdj) {}

    public record ConsoleSize(int height, int width) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record User(long uid, long gid, Integer umask, List<Long> additionalGids) {}

    /** Capability names with their {@code CAP_} prefix. */
    public record Capabilities(List<String> bounding, List<String> effective, List<String> inheritable,
                               List<String> permitted, List<String> ambient) {}

    /**
     * A resource limit; {@code hard} and {@code soft} are unsigned 64-bit on the wire, so
     * {@link #UNLIMITED} ({@code -1L}) is written as 18446744073709551615.
     */
    public record Rlimit(String type,
                         @JsonSerialize(using = Unsigned.Writer.class) @JsonDeserialize(using = Unsigned.Reader.class) long hard,
                         @JsonSerialize(using = Unsigned.Writer.class) @JsonDeserialize(using = Unsigned.Reader.class) long soft) {
        public static final long UNLIMITED = -1L;
    }

    public record Root(String path, boolean readonly) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Mount(String destination, String type, String source, List<String> options) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Linux(List<Namespace> namespaces, Resources resources, String cgroupsPath, Map<String, String> sysctl,
                        List<String> maskedPaths, List<String> readonlyPaths, List<Device> devices,
                        String rootfsPropagation) {}

    /** A namespace to create ({@code path == null}) or to join. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Namespace(String type, String path) {
        public static Namespace create(String type) {
            return new Namespace(type, null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Resources(List<DeviceRule> devices, Memory memory, Cpu cpu, Pids pids,
                            @JsonProperty("blockIO") BlockIo blockIO) {}

    /** A device cgroup rule; {@code type} a, b or c; {@code null} major/minor mean any. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeviceRule(boolean allow, String type, Long major, Long minor, String access) {}

    /** Bytes; {@code swap} is memory plus swap (runc converts it for cgroup v2); -1 is unlimited. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Memory(Long limit, Long reservation, Long swap) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cpu(Long shares, Long quota, Long period, String cpus, String mems) {}

    public record Pids(long limit) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BlockIo(Integer weight) {}

    /** A device node to create in the container. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Device(String path, String type, long major, long minor, Integer fileMode, Long uid, Long gid) {}

    /** Writes and reads a Java {@code long} as an unsigned 64-bit JSON number. */
    static final class Unsigned {
        private Unsigned() {}

        static final class Writer extends JsonSerializer<Long> {
            @Override
            public void serialize(Long value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeNumber(new java.math.BigInteger(Long.toUnsignedString(value)));
            }
        }

        static final class Reader extends JsonDeserializer<Long> {
            @Override
            public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return p.getBigIntegerValue().longValue();
            }
        }
    }
}
