package dev.berth.app.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Docker's documented response shapes (Engine API v1.47 reference) mapped to the app's records. */
class RemoteBackendJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void dockerdVersionAndInfoGiveProductVersionAndRuntimeWithItsVersion() throws Exception {
        JsonNode version = json("""
                {"Platform":{"Name":"Docker Engine - Community"},
                 "Components":[{"Name":"Engine","Version":"27.3.1"},{"Name":"containerd","Version":"1.7.22"},
                               {"Name":"runc","Version":"1.1.14","Details":{"GitCommit":"v1.1.14-0-g2c9f560"}}],
                 "Version":"27.3.1","ApiVersion":"1.47","MinAPIVersion":"1.24","GitCommit":"41ca978",
                 "Os":"linux","Arch":"amd64","KernelVersion":"6.1.0-26-amd64"}""");
        JsonNode info = json("""
                {"ID":"7TRN:IPZB","Containers":14,"ContainersRunning":3,"ContainersPaused":1,"ContainersStopped":10,
                 "Images":508,"Driver":"overlay2","KernelVersion":"6.1.0-26-amd64","OperatingSystem":"Debian GNU/Linux 12 (bookworm)",
                 "OSType":"linux","Architecture":"x86_64","NCPU":4,"MemTotal":2095882240,"DockerRootDir":"/var/lib/docker",
                 "Name":"node5","ServerVersion":"27.3.1","DefaultRuntime":"runc","CgroupVersion":"2",
                 "RuncCommit":{"ID":"v1.1.14-0-g2c9f560"}}""");
        EngineVersion v = RemoteBackend.parseVersion(version, new ApiVersion(1, 47));
        assertThat(v).isEqualTo(new EngineVersion("Docker Engine - Community", "27.3.1", "1.47", "41ca978", "linux", "amd64", "6.1.0-26-amd64"));
        EngineInfo i = RemoteBackend.parseInfo(info, version);
        assertThat(i.runtime()).isEqualTo("runc 1.1.14");
        assertThat(i.containers()).isEqualTo(14);
        assertThat(i.containersRunning()).isEqualTo(3);
        assertThat(i.images()).isEqualTo(508);
        assertThat(i.storageDriver()).isEqualTo("overlay2");
        assertThat(i.memoryBytes()).isEqualTo(2095882240L);
        assertThat(i.cgroupVersion()).isEqualTo("2");
    }

    @Test
    void runtimeVersionFallsBackToRuncCommitWhenNoComponentNamesIt() throws Exception {
        JsonNode info = json("""
                {"DefaultRuntime":"runc","RuncCommit":{"ID":"1.1.5"}}""");
        assertThat(RemoteBackend.runtime(info, json("{}"))).isEqualTo("runc 1.1.5");
        assertThat(RemoteBackend.runtime(json("{\"DefaultRuntime\":\"crun\"}"), json("{}"))).isEqualTo("crun");
        assertThat(RemoteBackend.runtime(json("{\"DefaultRuntime\":\"crun\",\"RuncCommit\":{\"ID\":\"1.8.1\"}}"), json("{}")))
                .isEqualTo("crun 1.8.1");
        assertThat(RemoteBackend.runtime(json("{}"), json("{}"))).isEmpty();
    }

    @Test
    void eventsUseNanosecondTimeAndActorAttributes() throws Exception {
        EngineEvent e = RemoteBackend.parseEvent(json("""
                {"Type":"container","Action":"start","Actor":{"ID":"ede54ee1afda366ab42f824e8a5ffd195155d853ceaec74a927f249ea270c743",
                 "Attributes":{"image":"alpine:latest","name":"my-container"}},"scope":"local",
                 "time":1461943101,"timeNano":1461943101381709551}"""));
        assertThat(e.type()).isEqualTo("container");
        assertThat(e.action()).isEqualTo("start");
        assertThat(e.actorLabel()).isEqualTo("my-container");
        assertThat(e.attributes()).containsEntry("image", "alpine:latest");
        assertThat(e.time()).isEqualTo(Instant.ofEpochSecond(1461943101L, 381709551L));
    }

    @Test
    void actorWithoutANameShowsItsShortId() throws Exception {
        EngineEvent e = RemoteBackend.parseEvent(json("""
                {"Type":"container","Action":"die","Actor":{"ID":"ede54ee1afda366ab42f824e8a5ffd195155d853ceaec74a927f249ea270c743"},"time":1}"""));
        assertThat(e.actorLabel()).isEqualTo("ede54ee1afda");
    }
}
