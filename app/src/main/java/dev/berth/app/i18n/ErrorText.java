package dev.berth.app.i18n;

import dev.berth.engine.errors.EngineException;

/** Turns a failure into one plain sentence, the same way everywhere in the app. */
public final class ErrorText {

    private ErrorText() {}

    public static Text of(Throwable t) {
        String message = t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
        String key = switch (t) {
            case EngineException.NotFound e -> "error.notFound";
            case EngineException.AlreadyExists e -> "error.alreadyExists";
            case EngineException.Conflict e -> "error.conflict";
            case EngineException.InvalidArgument e -> "error.invalidArgument";
            case EngineException.FailedPrecondition e -> "error.failedPrecondition";
            case EngineException.Unauthorized e -> "error.unauthorized";
            case EngineException.Unavailable e -> "error.unavailable";
            default -> "error.unexpected";
        };
        return Text.of(key, message);
    }
}
