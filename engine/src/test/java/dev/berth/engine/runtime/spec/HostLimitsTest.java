package dev.berth.engine.runtime.spec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HostLimitsTest {

    private static final String SAMPLE = """
            Limit                     Soft Limit           Hard Limit           Units
            Max cpu time              unlimited            unlimited            seconds
            Max stack size            8388608              unlimited            bytes
            Max processes             96365                96365                processes
            Max open files            1024                 20000                files
            Max realtime timeout      unlimited            unlimited            us
            """;

    @Test
    void parsesProcLimitsIncludingUnlimited() {
        HostLimits l = HostLimits.parse(SAMPLE);
        assertThat(l.get("RLIMIT_NOFILE")).contains(new HostLimits.Limit(1024, 20000));
        assertThat(l.get("RLIMIT_STACK")).contains(new HostLimits.Limit(8388608, OciConfig.Rlimit.UNLIMITED));
        assertThat(l.get("RLIMIT_RTTIME")).contains(new HostLimits.Limit(-1, -1));
        assertThat(l.get("RLIMIT_MEMLOCK")).isEmpty();
    }

    @Test
    void clampsToTheHardLimitComparingUnsigned() {
        HostLimits l = HostLimits.parse(SAMPLE);
        assertThat(l.clamp("RLIMIT_NOFILE", 1 << 20)).isEqualTo(20000);
        assertThat(l.clamp("RLIMIT_NOFILE", OciConfig.Rlimit.UNLIMITED)).isEqualTo(20000);
        assertThat(l.clamp("RLIMIT_NOFILE", 100)).isEqualTo(100);
        assertThat(l.clamp("RLIMIT_CPU", OciConfig.Rlimit.UNLIMITED)).isEqualTo(OciConfig.Rlimit.UNLIMITED);
        assertThat(l.clamp("RLIMIT_MEMLOCK", 5)).isEqualTo(5);
    }

    @Test
    void readsThisProcesssLimits() {
        assertThat(HostLimits.current().get("RLIMIT_NOFILE")).isPresent();
    }
}
