package dev.berth.engine.api.http;

import dev.berth.engine.errors.EngineException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FiltersTest {

    @Test
    void modernAndLegacyShapesParseToTheSameValues() {
        Filters modern = Filters.parse("{\"label\":[\"a=b\",\"c\"],\"dangling\":[\"true\"]}");
        Filters legacy = Filters.parse("{\"label\":{\"a=b\":true,\"c\":true,\"off\":false},\"dangling\":{\"true\":true}}");
        assertThat(modern.values()).isEqualTo(Map.of("label", List.of("a=b", "c"), "dangling", List.of("true")));
        assertThat(legacy.values()).isEqualTo(modern.values());
    }

    @Test
    void absentOrBlankMeansNoFilters() {
        assertThat(Filters.parse(null).isEmpty()).isTrue();
        assertThat(Filters.parse("  ").isEmpty()).isTrue();
        assertThat(Filters.parse("{}").isEmpty()).isTrue();
    }

    @Test
    void malformedFiltersAreInvalidArguments() {
        assertThatThrownBy(() -> Filters.parse("{nope")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageStartingWith("invalid filters: not JSON");
        assertThatThrownBy(() -> Filters.parse("[\"a\"]")).isInstanceOf(EngineException.InvalidArgument.class);
        assertThatThrownBy(() -> Filters.parse("{\"label\":\"a\"}")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("'label'");
        assertThatThrownBy(() -> Filters.parse("{\"label\":[1]}")).isInstanceOf(EngineException.InvalidArgument.class);
        assertThatThrownBy(() -> Filters.parse("{\"x\":[\"1\"]}").acceptOnly(List.of("label")))
                .hasMessage("invalid filter 'x'");
    }

    @Test
    void matchesFollowDockersRules() {
        Filters f = Filters.parse("{\"name\":[\"we\"],\"id\":[\"abc\"],\"label\":[\"k\",\"x=1\"]}");
        assertThat(f.fuzzyMatch("name", "web")).isTrue();
        assertThat(f.fuzzyMatch("name", "db")).isFalse();
        assertThat(f.exactMatch("id", "abc")).isTrue();
        assertThat(f.exactMatch("id", "abcd")).isFalse();
        assertThat(f.exactMatch("absent", "anything")).isTrue();
        assertThat(f.matchKeyValues("label", Map.of("k", "", "x", "1"))).isTrue();
        assertThat(f.matchKeyValues("label", Map.of("k", "", "x", "2"))).isFalse();
        assertThat(f.matchKeyValues("label", Map.of("x", "1"))).isFalse();
    }
}
