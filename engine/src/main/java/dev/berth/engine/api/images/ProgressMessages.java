package dev.berth.engine.api.images;

import dev.berth.engine.image.ImageService.Phase;
import dev.berth.engine.image.ImageService.Progress;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the engine's progress reports into the lines of Docker's JSON progress stream, with
 * Docker's words for each step of a pull, a push or a load. One instance per operation (it
 * remembers which layers it has announced); not thread-safe, the caller serializes.
 */
public final class ProgressMessages {

    /** Which operation the messages describe: the same phase has different words in each. */
    public enum Operation { PULL, PUSH, LOAD }

    private static final Pattern HEX = Pattern.compile("[a-f0-9]{12,}");

    private final Operation operation;
    private final Set<String> announced = new HashSet<>();
    /** The last uncounted step each layer showed, so that two reports of one step make one line. */
    private final Map<String, String> last = new HashMap<>();

    public ProgressMessages(Operation operation) {
        this.operation = operation;
    }

    /**
     * Docker's short form of a layer id: the first 12 hex digits of a digest
     * ({@code sha256:a1b2...} → {@code a1b2c3d4e5f6}); anything else is kept as it is.
     */
    public static String shortId(String id) {
        if (id == null) {
            return null;
        }
        String hex = id.contains(":") ? id.substring(id.indexOf(':') + 1) : id;
        return HEX.matcher(hex).matches() ? hex.substring(0, 12) : id;
    }

    /** The lines for one report; empty for reports Docker has no line for. */
    public List<JsonMessage> translate(Progress p) {
        String id = p.id() == null || p.id().isBlank() ? null : shortId(p.id());
        String message = p.message() == null ? "" : p.message();
        List<JsonMessage> out = new ArrayList<>(2);
        if (p.phase() == Phase.STATUS) {
            if (!message.isEmpty()) {
                // "latest: digest: ..." already names its id; the CLI would print "latest: latest: digest: ..."
                boolean named = p.id() != null && message.startsWith(p.id() + ":");
                out.add(JsonMessage.status(message, named ? null : p.id() == null || p.id().isBlank() ? null : p.id()));
            }
            return out;
        }
        if (id == null) {
            // whole-operation reports: only those that carry words of their own become a line
            if (p.phase() != Phase.RESOLVING && p.phase() != Phase.DONE && p.phase() != Phase.FAILED
                    && !message.isEmpty()) {
                out.add(JsonMessage.status(message));
            }
            return out;
        }
        if (operation == Operation.PULL && announced.add(id) && p.phase() != Phase.ALREADY_EXISTS) {
            out.add(JsonMessage.layer(id, "Pulling fs layer"));
        }
        String words = words(p.phase(), message);
        if (words == null) {
            return out;
        }
        boolean counted = p.phase() == Phase.DOWNLOADING || p.phase() == Phase.EXTRACTING
                || p.phase() == Phase.PUSHING || p.phase() == Phase.LOADING;
        if (counted) {
            last.remove(id);
            out.add(JsonMessage.layer(id, words, p.current(), p.total()));
        } else if (!words.equals(last.put(id, words))) {
            out.add(JsonMessage.layer(id, words));
        }
        return out;
    }

    private String words(Phase phase, String message) {
        return switch (phase) {
            case WAITING -> "Waiting";
            case DOWNLOADING -> "Downloading";
            case VERIFYING -> "Verifying Checksum";
            case EXTRACTING -> "Extracting";
            case ALREADY_EXISTS -> operation == Operation.PUSH ? "Layer already exists" : "Already exists";
            case PULL_COMPLETE -> "Pull complete";
            case PREPARING -> "Preparing";
            case PUSHING -> "Pushing";
            case PUSHED -> "Pushed";
            case MOUNTED -> message.startsWith("Mounted from") ? message
                    : message.isEmpty() ? "Mounted" : "Mounted from " + message;
            case LOADING -> "Loading layer";
            case DONE -> switch (operation) {
                case PULL -> "Download complete";
                case PUSH -> "Pushed";
                case LOAD -> null;
            };
            // a failed layer is reported once, as the error that ends the stream
            case RESOLVING, FAILED, STATUS -> null;
        };
    }
}
