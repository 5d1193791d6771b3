package dev.berth.engine;

import dev.berth.engine.errors.EngineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The default bridge's subnet and the bridge names from {@code <root>/config.json}. */
class EngineConfigNetworkTest {

    @TempDir
    Path root;

    private EngineConfig read(String json) throws Exception {
        Files.writeString(root.resolve(EngineConfig.CONFIG_FILE), json);
        return new EngineConfig(root, root.resolve("s.sock")).withConfigFile();
    }

    @Test
    void bipGivesTheSubnetOfTheBridgeAddress() throws Exception {
        EngineConfig c = read("{\"bip\": \"10.66.5.1/24\"}");
        assertThat(c.bridgeSubnet()).isEqualTo("10.66.5.0/24");
        assertThat(c.networkConfig().defaultSubnet()).isEqualTo("10.66.5.0/24");
        assertThat(c.networkConfig().interfacePrefix()).isEqualTo("berth");
    }

    @Test
    void defaultBridgeSubnetAndBridgePrefixAreTakenAsGiven() throws Exception {
        EngineConfig c = read("{\"default-bridge-subnet\": \"10.66.0.0/16\", \"bridge-prefix\": \"bx\"}");
        assertThat(c.networkConfig().defaultSubnet()).isEqualTo("10.66.0.0/16");
        assertThat(c.networkConfig().interfacePrefix()).isEqualTo("bx");
        // the other settings survive
        assertThat(c.withInsecureRegistries(java.util.List.of("r:5000")).bridgePrefix()).isEqualTo("bx");
    }

    @Test
    void badNetworkSettingsAreRefusedNamingTheFileAndKey() {
        assertThatThrownBy(() -> read("{\"bip\": \"10.66.5.1\"}"))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("\"bip\"").hasMessageContaining("config.json");
        assertThatThrownBy(() -> read("{\"default-bridge-subnet\": \"10.66.5.1/24\"}"))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("host bits");
        assertThatThrownBy(() -> read("{\"bip\": \"10.66.5.1/24\", \"default-bridge-subnet\": \"10.66.5.0/24\"}"))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> read("{\"bridge-prefix\": \"Way-Too-Long-Name\"}"))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("bridge-prefix");
        assertThatThrownBy(() -> read("{\"bip\": 42}"))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("must be a string");
    }

    @Test
    void withoutSettingsTheNetworkDefaultsApply() throws Exception {
        EngineConfig c = read("{}");
        assertThat(c.bridgeSubnet()).isNull();
        assertThat(c.networkConfig().defaultSubnet()).isEqualTo("10.88.0.0/16");
    }
}
