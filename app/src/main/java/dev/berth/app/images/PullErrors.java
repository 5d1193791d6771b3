package dev.berth.app.images;

import dev.berth.app.i18n.ErrorText;
import dev.berth.app.i18n.Text;
import dev.berth.engine.errors.EngineException;

import java.util.Locale;

/**
 * A failed pull in plain words: an unknown image, credentials needed, a registry that cannot be
 * reached, or a download that did not match its digest. Anything else goes through
 * {@link ErrorText} like every other error in the app. The engine's own sentence is kept as the
 * argument so nothing it said is lost.
 */
public final class PullErrors {

    private PullErrors() {}

    public static Text describe(Throwable t) {
        String message = t.getMessage() == null ? "" : t.getMessage();
        String m = message.toLowerCase(Locale.ROOT);
        if (t instanceof EngineException.Unauthorized) {
            return Text.of("pull.error.auth", message);
        }
        // the engine: "blob sha256:... failed verification: expected ..."; a layer whose DiffID is not the
        // config's; dockerd: "filesystem layer verification failed for digest ..."
        if (m.contains("failed verification") || m.contains("verification failed") || m.contains("diffid")
                || m.contains("digest") && (m.contains("mismatch") || m.contains("does not match"))) {
            return Text.of("pull.error.digest", message);
        }
        if (t instanceof EngineException.NotFound) {
            return Text.of("pull.error.notFound", message);
        }
        if (t instanceof EngineException.Unavailable && (m.contains("connect") || m.contains("unreachable")
                || m.contains("refused") || m.contains("timed out") || m.contains("timeout") || m.contains("no route")
                || m.contains("unknown host") || m.contains("resolve") || m.contains("registry"))) {
            return Text.of("pull.error.unreachable", message);
        }
        return ErrorText.of(t);
    }
}
