package dev.berth.engine.api.images;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.berth.engine.image.ImageService;

import java.util.List;

/** The small Docker shapes of the images routes, each with its mapping from the engine's records. */
public final class ImageResponses {

    private ImageResponses() {}

    /** One layer of {@code GET /images/{name}/history}: Docker's {@code HistoryResponseItem}. */
    @JsonPropertyOrder({"Id", "Created", "CreatedBy", "Tags", "Size", "Comment"})
    public record HistoryItem(
            @JsonProperty("Id") String id,
            @JsonProperty("Created") long created,
            @JsonProperty("CreatedBy") String createdBy,
            @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("Tags") List<String> tags,
            @JsonProperty("Size") long size,
            @JsonProperty("Comment") String comment) {

        public static HistoryItem of(ImageService.HistoryEntry e) {
            return new HistoryItem(e.id() == null || e.id().isEmpty() ? "<missing>" : e.id(),
                    ImageSummaryResponse.unixSeconds(e.created()), nullToEmpty(e.createdBy()),
                    e.tags() == null || e.tags().isEmpty() ? null : e.tags(), e.size(), nullToEmpty(e.comment()));
        }
    }

    /** One line of {@code DELETE /images/{name}} and of a prune: {@code {"Untagged":..}} or {@code {"Deleted":..}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"Untagged", "Deleted"})
    public record DeleteItem(@JsonProperty("Untagged") String untagged, @JsonProperty("Deleted") String deleted) {

        public static DeleteItem of(ImageService.RemovedImage r) {
            return new DeleteItem(r.untagged(), r.deleted());
        }

        public static List<DeleteItem> of(List<ImageService.RemovedImage> removed) {
            return removed.stream().map(DeleteItem::of).toList();
        }
    }

    /** {@code POST /images/prune}. */
    @JsonPropertyOrder({"ImagesDeleted", "SpaceReclaimed"})
    public record PruneResponse(@JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("ImagesDeleted") List<DeleteItem> imagesDeleted,
                                @JsonProperty("SpaceReclaimed") long spaceReclaimed) {

        public static PruneResponse of(ImageService.PruneReport r) {
            return new PruneResponse(r.removed().isEmpty() ? null : DeleteItem.of(r.removed()), r.spaceReclaimed());
        }
    }

    /** One hit of {@code GET /images/search}. */
    @JsonPropertyOrder({"star_count", "is_official", "name", "is_automated", "description"})
    public record SearchItem(@JsonProperty("star_count") int starCount,
                             @JsonProperty("is_official") boolean official,
                             @JsonProperty("name") String name,
                             @JsonProperty("is_automated") boolean automated,
                             @JsonProperty("description") String description) {

        public static SearchItem of(ImageService.SearchResult r) {
            return new SearchItem(r.starCount(), r.official(), r.name(), false, nullToEmpty(r.description()));
        }
    }

    /** {@code POST /auth}: Berth keeps no identity tokens, so that one is always empty. */
    public record AuthResponse(@JsonProperty("Status") String status, @JsonProperty("IdentityToken") String identityToken) {
        public static final AuthResponse SUCCEEDED = new AuthResponse("Login Succeeded", "");
    }

    /** The {@code aux} object that ends a push: what the docker CLI prints as the pushed digest. */
    @JsonPropertyOrder({"Tag", "Digest", "Size"})
    public record PushAux(@JsonProperty("Tag") String tag, @JsonProperty("Digest") String digest,
                          @JsonProperty("Size") long size) {}

    /** Docker sends "" where the engine has nothing to say. */
    static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
