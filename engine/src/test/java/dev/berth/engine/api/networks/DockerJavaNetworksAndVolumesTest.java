package dev.berth.engine.api.networks;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateNetworkResponse;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.berth.testkit.EngineExtension;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** docker-java's network and volume commands against Berth. */
@RootOnly
class DockerJavaNetworksAndVolumesTest {

    @TempDir
    static Path tmp;
    @RegisterExtension
    static final EngineExtension engine = EngineExtension.start().serving();
    static DockerClient client;

    @BeforeAll
    static void start() {
        Path sock = engine.socket();
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("unix://" + sock)
                .withDockerConfig(tmp.resolve("docker-java-config").toString())
                .build();
        client = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void networksAreCreatedInspectedListedAndRemoved() {
        CreateNetworkResponse created = client.createNetworkCmd().withName("dj-net").withDriver("bridge")
                .withLabels(Map.of("k", "v"))
                .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet("10.99.40.0/24").withGateway("10.99.40.254")))
                .exec();
        Network n = client.inspectNetworkCmd().withNetworkId("dj-net").exec();
        assertThat(n.getId()).isEqualTo(created.getId());
        assertThat(n.getDriver()).isEqualTo("bridge");
        assertThat(n.getLabels()).containsEntry("k", "v");
        assertThat(n.getIpam().getConfig()).singleElement().satisfies(c -> {
            assertThat(c.getSubnet()).isEqualTo("10.99.40.0/24");
            assertThat(c.getGateway()).isEqualTo("10.99.40.254");
        });
        assertThat(client.listNetworksCmd().withNameFilter("dj-").exec()).extracting(Network::getName).containsExactly("dj-net");

        assertThatThrownBy(() -> client.createNetworkCmd().withName("dj-bad")
                .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet("10.99.41.0/24").withGateway("10.99.42.1")))
                .exec()).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("gateway 10.99.42.1 is not a host address of subnet 10.99.41.0/24");
        assertThatThrownBy(() -> client.createNetworkCmd().withName("dj-bad").withDriver("overlay").exec())
                .isInstanceOf(BadRequestException.class).hasMessageContaining("overlay");
        assertThatThrownBy(() -> client.createNetworkCmd().withName("dj-net").exec()).isInstanceOf(ConflictException.class);

        client.removeNetworkCmd("dj-net").exec();
        assertThatThrownBy(() -> client.inspectNetworkCmd().withNetworkId("dj-net").exec()).isInstanceOf(NotFoundException.class);
        client.createNetworkCmd().withName("dj-unused").exec();
        client.pruneCmd(com.github.dockerjava.api.model.PruneType.NETWORKS).exec();
        assertThat(client.listNetworksCmd().exec()).extracting(Network::getName).containsExactlyInAnyOrder("bridge", "host", "none");
    }

    @Test
    void volumesAreCreatedInspectedListedAndRemoved() {
        var created = client.createVolumeCmd().withName("dj-vol").withLabels(Map.of("k", "v"))
                .withDriverOpts(Map.of("type", "tmpfs", "device", "tmpfs")).exec();
        assertThat(created.getName()).isEqualTo("dj-vol");
        assertThat(created.getDriver()).isEqualTo("local");
        InspectVolumeResponse v = client.inspectVolumeCmd("dj-vol").exec();
        assertThat(v.getLabels()).containsEntry("k", "v");
        assertThat(v.getOptions()).containsEntry("type", "tmpfs");
        assertThat(v.getMountpoint()).isEqualTo(engine.root().resolve("volumes/dj-vol/_data").toString());
        assertThat(client.listVolumesCmd().withFilter("label", java.util.List.of("k=v")).exec().getVolumes())
                .extracting(InspectVolumeResponse::getName).containsExactly("dj-vol");

        client.removeVolumeCmd("dj-vol").exec();
        assertThatThrownBy(() -> client.inspectVolumeCmd("dj-vol").exec()).isInstanceOf(NotFoundException.class);
    }
}
