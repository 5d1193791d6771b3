package dev.berth.app.networks;

import dev.berth.app.i18n.Text;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NetworkFormTest {

    private static String key(String name, String subnet, String gateway, String range, String labels) {
        Text t = NetworkForm.problem(name, subnet, gateway, range, labels);
        return t == null ? null : t.key();
    }

    @Test
    void aCompleteFormHasNoProblem() {
        assertThat(NetworkForm.problem("n1", "10.99.0.0/24", "10.99.0.1", "10.99.0.128/25", "a=b\n\nc=")).isNull();
        assertThat(NetworkForm.problem("plain", "", "", "", "")).isNull();
    }

    @Test
    void eachMistakeIsNamed() {
        assertThat(key(" ", "", "", "", "")).isEqualTo("networks.validation.nameEmpty");
        assertThat(key("-bad", "", "", "", "")).isEqualTo("networks.validation.name");
        assertThat(key("n", "10.99.0.1/24", "", "", "")).isEqualTo("networks.validation.subnet");
        assertThat(key("n", "10.99.0.0/33", "", "", "")).isEqualTo("networks.validation.subnet");
        assertThat(key("n", "10.999.0.0/24", "", "", "")).isEqualTo("networks.validation.subnet");
        assertThat(key("n", "", "10.99.0.1", "", "")).isEqualTo("networks.validation.needsSubnet");
        assertThat(key("n", "10.99.0.0/24", "10.99.1.1", "", "")).isEqualTo("networks.validation.gateway");
        assertThat(key("n", "10.99.0.0/24", "10.99.0.0", "", "")).isEqualTo("networks.validation.gateway");
        assertThat(key("n", "10.99.0.0/24", "10.99.0.255", "", "")).isEqualTo("networks.validation.gateway");
        assertThat(key("n", "10.99.0.0/24", "", "10.99.0.0/23", "")).isEqualTo("networks.validation.ipRange");
        assertThat(key("n", "", "", "", "=value")).isEqualTo("networks.validation.label");
        assertThat(NetworkForm.problem("n", "10.99.0.0/24", "10.99.1.1", "", "").args()).containsExactly("10.99.1.1", "10.99.0.0/24");
    }

    @Test
    void labelsAreKeyValueLines() {
        assertThat(NetworkForm.labels(" a = b \nflag\n\nc=d=e")).containsExactly(Map.entry("a", "b"), Map.entry("flag", ""),
                Map.entry("c", "d=e"));
        assertThatThrownBy(() -> NetworkForm.labels("ok=1\n=nokey")).hasMessage("=nokey");
    }
}
