package dev.berth.app.containers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.app.containers.RunRequest.EnvVar;
import dev.berth.app.containers.RunRequest.Field;
import dev.berth.app.containers.RunRequest.VolumeRow;
import dev.berth.app.i18n.Text;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Run dialog's request without a window: Docker's rules for each field and the create body it sends. */
class RunRequestTest {

    private static RunRequest full() {
        return new RunRequest("busybox:latest", "web-1", "sh -c 'echo \"hi there\"; sleep 300'",
                List.of(new EnvVar("A", "1"), new EnvVar("", ""), new EnvVar("EMPTY", "")), "256m", "1.5",
                "on-failure", "3", true, true, false,
                List.of("127.0.0.1:8080:80", "", "9000-9001:90-91/udp", "53/udp"),
                List.of(new VolumeRow("data", "/data", false), new VolumeRow("/srv/site", "/usr/share/www", true),
                        new VolumeRow("", "/cache", false), new VolumeRow("", "", false)),
                "host");
    }

    @Test
    void everyFieldLandsWhereDockersCreateBodyHasIt() {
        RunRequest r = full();
        assertThat(r.validate()).isEmpty();
        JsonNode body = r.toCreateBody();
        assertThat(body.path("Image").asText()).isEqualTo("busybox:latest");
        assertThat(body.path("Cmd").toString()).isEqualTo("[\"sh\",\"-c\",\"echo \\\"hi there\\\"; sleep 300\"]");
        assertThat(body.path("Env").toString()).isEqualTo("[\"A=1\",\"EMPTY=\"]");
        assertThat(body.path("Tty").asBoolean()).isTrue();
        assertThat(body.path("OpenStdin").asBoolean()).isTrue();
        assertThat(body.path("ExposedPorts").properties()).extracting(e -> e.getKey())
                .containsExactly("80/tcp", "90/udp", "91/udp", "53/udp");
        assertThat(body.path("Volumes").toString()).isEqualTo("{\"/cache\":{}}");
        JsonNode host = body.path("HostConfig");
        assertThat(host.path("PortBindings").toString()).isEqualTo("{"
                + "\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"8080\"}],"
                + "\"90/udp\":[{\"HostIp\":\"\",\"HostPort\":\"9000\"}],"
                + "\"91/udp\":[{\"HostIp\":\"\",\"HostPort\":\"9001\"}],"
                + "\"53/udp\":[{\"HostIp\":\"\",\"HostPort\":\"\"}]}");
        assertThat(host.path("Binds").toString()).isEqualTo("[\"data:/data\",\"/srv/site:/usr/share/www:ro\"]");
        assertThat(host.path("NetworkMode").asText()).isEqualTo("host");
        assertThat(host.path("RestartPolicy").toString()).isEqualTo("{\"Name\":\"on-failure\",\"MaximumRetryCount\":3}");
        assertThat(host.path("Memory").asLong()).isEqualTo(256L * 1024 * 1024);
        assertThat(host.path("NanoCpus").asLong()).isEqualTo(1_500_000_000L);
        assertThat(host.path("AutoRemove").asBoolean()).isFalse();
        assertThat(r.containerName()).isEqualTo("web-1");
    }

    @Test
    void anImageAloneSendsNoCommandNoLimitsAndTheNoRestartPolicy() {
        RunRequest r = RunRequest.of("busybox");
        JsonNode body = r.toCreateBody();
        assertThat(body.has("Cmd")).isFalse();
        assertThat(body.has("Env")).isFalse();
        assertThat(body.has("ExposedPorts")).isFalse();
        JsonNode host = body.path("HostConfig");
        assertThat(host.has("Memory")).isFalse();
        assertThat(host.has("NanoCpus")).isFalse();
        assertThat(host.has("PortBindings")).isFalse();
        assertThat(host.has("Binds")).isFalse();
        assertThat(host.has("NetworkMode")).isFalse();
        assertThat(host.path("RestartPolicy").path("Name").asText()).isEqualTo("no");
        assertThat(r.containerName()).isNull();
    }

    @Test
    void namesFollowDockersRule() {
        assertThat(problem(with("a", "", "", ""), Field.NAME)).isEqualTo(Text.of("run.validation.name", "a"));
        assertThat(problem(with("-web", "", "", ""), Field.NAME).key()).isEqualTo("run.validation.name");
        assertThat(problem(with("my web", "", "", ""), Field.NAME).key()).isEqualTo("run.validation.name");
        assertThat(problem(with("wéb", "", "", ""), Field.NAME).key()).isEqualTo("run.validation.name");
        assertThat(problem(with("web_1.prod-2", "", "", ""), Field.NAME)).isNull();
        assertThat(problem(with("/db", "", "", ""), Field.NAME)).isNull();
        assertThat(with("/db", "", "", "").containerName()).isEqualTo("db");
    }

    @Test
    void memoryTakesDockersUnitsAndRefusesLessThanSixMegabytes() {
        assertThat(ByteSize.parse("512k")).isEqualTo(512L * 1024);
        assertThat(ByteSize.parse("1.5g")).isEqualTo(1536L * 1024 * 1024);
        assertThat(ByteSize.parse("64MiB")).isEqualTo(64L * 1024 * 1024);
        assertThat(ByteSize.parse("7000000")).isEqualTo(7_000_000L);
        assertThat(problem(with("", "", "256x", ""), Field.MEMORY)).isEqualTo(Text.of("run.validation.memory.syntax", "256x"));
        assertThat(problem(with("", "", "m", ""), Field.MEMORY).key()).isEqualTo("run.validation.memory.syntax");
        assertThat(problem(with("", "", "4m", ""), Field.MEMORY)).isEqualTo(Text.of("run.validation.memory.min", "4m"));
        assertThat(problem(with("", "", "6m", ""), Field.MEMORY)).isNull();
    }

    @Test
    void cpusArePositiveDecimals() {
        assertThat(problem(with("", "", "", "0"), Field.CPUS)).isEqualTo(Text.of("run.validation.cpus", "0"));
        assertThat(problem(with("", "", "", "-1"), Field.CPUS).key()).isEqualTo("run.validation.cpus");
        assertThat(problem(with("", "", "", "two"), Field.CPUS).key()).isEqualTo("run.validation.cpus");
        assertThat(problem(with("", "", "", "0.001"), Field.CPUS).key()).isEqualTo("run.validation.cpus");
        assertThat(with("", "", "", "0.25").toCreateBody().path("HostConfig").path("NanoCpus").asLong()).isEqualTo(250_000_000L);
    }

    @Test
    void portSpecsFollowDockersSyntaxAndNameTheBadRow() {
        assertThat(PortSpec.parse("80").bindings()).containsExactly(new PortSpec.Binding("80/tcp", "", ""));
        assertThat(PortSpec.parse("8080:80/udp").bindings()).containsExactly(new PortSpec.Binding("80/udp", "", "8080"));
        assertThat(PortSpec.parse("127.0.0.1::80").bindings()).containsExactly(new PortSpec.Binding("80/tcp", "127.0.0.1", ""));
        assertThat(PortSpec.parse("[::1]:8080:80").bindings()).containsExactly(new PortSpec.Binding("80/tcp", "::1", "8080"));
        assertThat(PortSpec.parse("8000-8010:80").bindings()).containsExactly(new PortSpec.Binding("80/tcp", "", "8000-8010"));
        assertThat(PortSpec.parse("7000-7001:70-71").bindings()).extracting(PortSpec.Binding::hostPort).containsExactly("7000", "7001");

        assertThat(portProblem("80/xyz")).isEqualTo(Text.of("run.validation.port.protocol", "80/xyz", "xyz"));
        assertThat(portProblem("70000")).isEqualTo(Text.of("run.validation.port.number", "70000", "70000"));
        assertThat(portProblem("0:80")).isEqualTo(Text.of("run.validation.port.number", "0:80", "0"));
        assertThat(portProblem("http")).isEqualTo(Text.of("run.validation.port.number", "http", "http"));
        assertThat(portProblem("1.2.3:8080:80")).isEqualTo(Text.of("run.validation.port.ip", "1.2.3:8080:80", "1.2.3"));
        assertThat(portProblem("8080:")).isEqualTo(Text.of("run.validation.port.containerMissing", "8080:"));
        assertThat(portProblem("a:b:c:d")).isEqualTo(Text.of("run.validation.port.syntax", "a:b:c:d"));
        assertThat(portProblem("90-80")).isEqualTo(Text.of("run.validation.port.range", "90-80", "90-80"));
        assertThat(portProblem("8000-8002:80-81")).isEqualTo(Text.of("run.validation.port.rangeMismatch", "8000-8002:80-81"));

        RunRequest r = new RunRequest("busybox", "", "", List.of(), "", "", "no", "", false, false, false,
                List.of("8080:80", "99999"), List.of(), "");
        assertThat(r.problem(Field.PORTS)).isEqualTo(Text.of("run.validation.row", 2, Text.of("run.validation.port.number", "99999", "99999")));
    }

    @Test
    void volumesNeedAnAbsoluteContainerPathAndAVolumeNameOrHostPath() {
        assertThat(volumeProblem(new VolumeRow("data", "data", false))).isEqualTo(Text.of("run.validation.volume.targetRelative", 1, "data"));
        assertThat(volumeProblem(new VolumeRow("data", "", false))).isEqualTo(Text.of("run.validation.volume.targetMissing", 1));
        assertThat(volumeProblem(new VolumeRow("data", "/", false))).isEqualTo(Text.of("run.validation.volume.targetRoot", 1));
        assertThat(volumeProblem(new VolumeRow("my data", "/data", false))).isEqualTo(Text.of("run.validation.volume.source", 1, "my data"));
        assertThat(volumeProblem(new VolumeRow("./rel", "/data", false))).isEqualTo(Text.of("run.validation.volume.source", 1, "./rel"));
        assertThat(volumeProblem(new VolumeRow("", "/data", true))).isEqualTo(Text.of("run.validation.volume.anonymousReadOnly", 1));
        assertThat(volumeProblem(new VolumeRow("/a:b", "/data", false))).isEqualTo(Text.of("run.validation.volume.colon", 1, "/a:b"));
        assertThat(volumeProblem(new VolumeRow("/srv", "/data", true))).isNull();
    }

    @Test
    void restartPolicyRetriesAndRemoveWhenStoppedAreCheckedTogether() {
        RunRequest always = new RunRequest("busybox", "", "", List.of(), "", "", "always", "", false, false, true, List.of(), List.of(), "");
        assertThat(always.problem(Field.RESTART)).isEqualTo(Text.of("run.validation.restart.autoRemove"));
        RunRequest retries = new RunRequest("busybox", "", "", List.of(), "", "", "always", "3", false, false, false, List.of(), List.of(), "");
        assertThat(retries.problem(Field.RESTART)).isEqualTo(Text.of("run.validation.restart.retriesOnlyOnFailure"));
        RunRequest badRetries = new RunRequest("busybox", "", "", List.of(), "", "", "on-failure", "x", false, false, false, List.of(), List.of(), "");
        assertThat(badRetries.problem(Field.RESTART)).isEqualTo(Text.of("run.validation.restart.retries", "x"));
        RunRequest rm = new RunRequest("busybox", "", "", List.of(), "", "", "no", "", false, false, true, List.of(), List.of(), "");
        assertThat(rm.toCreateBody().path("HostConfig").path("AutoRemove").asBoolean()).isTrue();
    }

    @Test
    void commandsSplitLikeAShellAndAnOpenQuoteIsAProblem() {
        assertThat(CommandLine.split("  echo  a\\ b \"c d\" 'e \"f\"' \"g\\\"h\" ")).containsExactly("echo", "a b", "c d", "e \"f\"", "g\"h");
        assertThat(CommandLine.split("sh -c ''")).containsExactly("sh", "-c", "");
        RunRequest open = new RunRequest("busybox", "", "sh -c 'sleep 3", List.of(), "", "", "no", "", false, false, false, List.of(), List.of(), "");
        assertThat(open.problem(Field.COMMAND)).isEqualTo(Text.of("run.validation.command.quote", "'"));
    }

    @Test
    void environmentRowsNeedANameWithoutEquals() {
        RunRequest noName = new RunRequest("busybox", "", "", List.of(new EnvVar("A", "1"), new EnvVar("", "x")), "", "", "no", "", false,
                false, false, List.of(), List.of(), "");
        assertThat(noName.problem(Field.ENV)).isEqualTo(Text.of("run.validation.env.name", 2));
        RunRequest equals = new RunRequest("busybox", "", "", List.of(new EnvVar("A=B", "1")), "", "", "no", "", false,
                false, false, List.of(), List.of(), "");
        assertThat(equals.problem(Field.ENV)).isEqualTo(Text.of("run.validation.env.badName", 1, "A=B"));
    }

    @Test
    void anInvalidRequestIsNeverTurnedIntoABodyAndEveryProblemIsListed() {
        RunRequest bad = new RunRequest(" ", "x", "", List.of(), "1q", "", "no", "", false, false, false, List.of("abc"), List.of(), "");
        assertThat(bad.validate()).extracting(RunRequest.Problem::field)
                .containsExactly(Field.IMAGE, Field.NAME, Field.MEMORY, Field.PORTS);
        assertThatThrownBy(bad::toCreateBody).isInstanceOf(InvalidInput.class)
                .satisfies(e -> assertThat(((InvalidInput) e).text()).isEqualTo(Text.of("run.validation.image.empty")));
    }

    private static RunRequest with(String name, String command, String memory, String cpus) {
        return new RunRequest("busybox", name, command, List.of(), memory, cpus, "no", "", false, false, false, List.of(), List.of(), "");
    }

    private static Text problem(RunRequest r, Field f) {
        return r.problem(f);
    }

    private static Text portProblem(String spec) {
        try {
            PortSpec.parse(spec);
            return null;
        } catch (InvalidInput e) {
            return e.text();
        }
    }

    private static Text volumeProblem(VolumeRow row) {
        return new RunRequest("busybox", "", "", List.of(), "", "", "no", "", false, false, false, List.of(), List.of(row), "")
                .problem(Field.VOLUMES);
    }
}
