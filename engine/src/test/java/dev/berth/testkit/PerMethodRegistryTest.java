package dev.berth.testkit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.RepeatedTest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@WithRegistry(scope = RegistryExtension.Scope.PER_METHOD)
class PerMethodRegistryTest {

    private static final List<Long> PIDS = Collections.synchronizedList(new ArrayList<>());

    @RepeatedTest(2)
    void eachMethodGetsAFreshRegistry(LocalRegistry registry) {
        assertThat(Http.get(registry.url() + "/v2/_catalog").body()).asString().contains("\"repositories\":[]");
        PIDS.add(registry.pid());
    }

    @AfterAll
    static void registriesWereDistinctAndAreStopped() {
        assertThat(PIDS).hasSize(2).doesNotHaveDuplicates();
        for (long pid : PIDS) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
    }
}
