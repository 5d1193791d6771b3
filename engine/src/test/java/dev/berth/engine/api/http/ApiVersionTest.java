package dev.berth.engine.api.http;

import dev.berth.engine.errors.EngineException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiVersionTest {

    @Test
    void versionsCompareNumericallyNotAsText() {
        assertThat(ApiVersion.parse("1.9")).isLessThan(ApiVersion.parse("1.10"));
        assertThat(ApiVersion.parse("1.47").isAtLeast(ApiVersion.parse("1.24"))).isTrue();
        assertThat(ApiVersion.negotiate("1.24")).isEqualTo(ApiVersion.MINIMUM);
        assertThat(ApiVersion.negotiate("1.47")).isEqualTo(ApiVersion.CURRENT);
    }

    @Test
    void outOfRangeAndMalformedVersionsAreRefusedInDockersWords() {
        assertThatThrownBy(() -> ApiVersion.negotiate("1.48")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("client version 1.48 is too new. Maximum supported API version is 1.47");
        assertThatThrownBy(() -> ApiVersion.negotiate("1.4")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("client version 1.4 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version");
        assertThatThrownBy(() -> ApiVersion.negotiate("1.2.3")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("invalid API version 1.2.3");
    }

    @Test
    void routePatternsCaptureSegmentsAndGreedyNames() {
        Route.Compiled c = Route.Compiled.of(Route.get("/images/{name*}/tag", ex -> { }));
        assertThat(c.match("/images/registry:5000/team/app:1/tag")).containsEntry("name", "registry:5000/team/app:1");
        assertThat(c.match("/images/tag")).isNull();
        Route.Compiled one = Route.Compiled.of(Route.get("/containers/{id}/json", ex -> { }));
        assertThat(one.match("/containers/abc/json")).containsEntry("id", "abc");
        assertThat(one.match("/containers/a/b/json")).isNull();
        assertThat(Dispatcher.decodePath("a%2Fb%3Ac+d%zz")).isEqualTo("a/b:c+d%zz");
    }
}
