package dev.berth.engine.api.images;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One line of Docker's JSON progress stream ({@code jsonmessage.JSONMessage}): what
 * {@code POST /images/create}, {@code /push} and {@code /load} write, one object per line, and
 * what the docker CLI renders as per-layer progress bars.
 *
 * @param status         the step in words ({@code Downloading}, {@code Pull complete}, ...)
 * @param progressDetail byte counts of the step, for a client that draws its own bar
 * @param progress       the bar as Docker's server renders it ({@code [==>   ] 1.2MB/3.4MB})
 * @param id             the layer's 12-character short digest, or the tag for the "Pulling from" line
 * @param stream         free text ({@code Loaded image: busybox:latest\n})
 * @param aux            structured result (the pushed tag, digest and size)
 * @param errorDetail    the failure, once the stream has begun
 * @param error          the failure's message (the deprecated field old clients read)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"status", "progressDetail", "progress", "id", "stream", "aux", "errorDetail", "error"})
public record JsonMessage(
        @JsonProperty("status") String status,
        @JsonProperty("progressDetail") ProgressDetail progressDetail,
        @JsonProperty("progress") String progress,
        @JsonProperty("id") String id,
        @JsonProperty("stream") String stream,
        @JsonProperty("aux") Object aux,
        @JsonProperty("errorDetail") ErrorDetail errorDetail,
        @JsonProperty("error") String error) {

    /** Byte counts; zero values are left out as Docker does ({@code "progressDetail":{}}). */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    @JsonPropertyOrder({"current", "total"})
    public record ProgressDetail(@JsonProperty("current") long current, @JsonProperty("total") long total) {
        public static final ProgressDetail EMPTY = new ProgressDetail(0, 0);
    }

    public record ErrorDetail(@JsonProperty("message") String message) {}

    /** {@code {"status": "..."}}. */
    public static JsonMessage status(String status) {
        return new JsonMessage(status, null, null, null, null, null, null, null);
    }

    /** {@code {"status": "...", "id": "..."}}. */
    public static JsonMessage status(String status, String id) {
        return new JsonMessage(status, null, null, id, null, null, null, null);
    }

    /** A step of one layer: {@code {"status":"Pull complete","progressDetail":{},"id":"a1b2c3d4e5f6"}}. */
    public static JsonMessage layer(String id, String status) {
        return new JsonMessage(status, ProgressDetail.EMPTY, null, id, null, null, null, null);
    }

    /** A step of one layer with byte counts and Docker's rendered bar. */
    public static JsonMessage layer(String id, String status, long current, long total) {
        return new JsonMessage(status, new ProgressDetail(Math.max(0, current), Math.max(0, total)),
                ProgressBar.render(current, total), id, null, null, null, null);
    }

    /** {@code {"stream": "..."}}. */
    public static JsonMessage stream(String text) {
        return new JsonMessage(null, null, null, null, text, null, null, null);
    }

    /** {@code {"progressDetail":{},"aux":{...}}}. */
    public static JsonMessage aux(Object aux) {
        return new JsonMessage(null, ProgressDetail.EMPTY, null, null, null, aux, null, null);
    }

    /** {@code {"errorDetail":{"message":"..."},"error":"..."}}: a failure after the stream began. */
    public static JsonMessage error(String message) {
        return new JsonMessage(null, null, null, null, null, null, new ErrorDetail(message), message);
    }
}
