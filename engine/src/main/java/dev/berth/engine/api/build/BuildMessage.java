package dev.berth.engine.api.build;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Map;

/**
 * One line of the classic builder's answer to {@code POST /build} (Docker's {@code jsonmessage.JSONMessage}
 * as the builder fills it): free text in {@code stream}, the image id in {@code aux}, or the failure.
 *
 * @param stream      text the CLI prints as is (lines end with {@code \n})
 * @param aux         {@code {"ID":"sha256:..."}}: the built image
 * @param errorDetail the failure; its {@code code} (a RUN's exit code) becomes the CLI's exit status
 * @param error       the failure's message (the field old clients read)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"stream", "aux", "errorDetail", "error"})
public record BuildMessage(
        @JsonProperty("stream") String stream,
        @JsonProperty("aux") Map<String, String> aux,
        @JsonProperty("errorDetail") ErrorDetail errorDetail,
        @JsonProperty("error") String error) {

    /** {@code code} is left out when null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"code", "message"})
    public record ErrorDetail(@JsonProperty("code") Integer code, @JsonProperty("message") String message) {}

    public static BuildMessage stream(String text) {
        return new BuildMessage(text, null, null, null);
    }

    public static BuildMessage imageId(String id) {
        return new BuildMessage(null, Map.of("ID", id), null, null);
    }

    public static BuildMessage error(Integer code, String message) {
        return new BuildMessage(null, null, new ErrorDetail(code, message), message);
    }
}
