package dev.berth.testkit;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@WithRegistry
class LocalRegistryTest {

    LocalRegistry registry;

    @Test
    void registryAnswersV2OnLoopback() {
        assertThat(registry.host()).matches("127\\.0\\.0\\.1:\\d+");
        HttpResponse<byte[]> r = Http.get(registry.url() + "/v2/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Docker-Distribution-Api-Version")).contains("registry/2.0");
    }

    @Test
    void fieldAndParameterInjectionGiveTheSameRunningRegistry(LocalRegistry parameter) {
        assertThat(parameter).isSameAs(registry);
        assertThat(ProcessHandle.of(registry.pid())).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        assertThat(registry.root()).isDirectory();
        assertThat(registry.credentials()).isEmpty();
    }

    @Test
    void closeStopsTheRegistryProcessAndDeletesItsStorage() {
        LocalRegistry own = LocalRegistry.start();
        long pid = own.pid();
        Path root = own.root();
        assertThat(own.port()).isNotEqualTo(registry.port());
        own.close();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(Files.exists(root)).isFalse();
    }

    @Nested
    class InANestedClass {

        LocalRegistry nested;

        @Test
        void theEnclosingClassRegistryIsShared() {
            assertThat(nested).isSameAs(registry);
            assertThat(Http.get(nested.url() + "/v2/").statusCode()).isEqualTo(200);
        }
    }
}
