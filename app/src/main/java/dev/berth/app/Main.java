package dev.berth.app;

import dev.berth.app.backend.BackendOptions;
import dev.berth.engine.errors.EngineException;
import javafx.application.Application;

import java.util.List;

/** Entry point of the desktop app (a plain class, so JavaFX can run from the class path). */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(BackendOptions.USAGE);
            return;
        }
        try {
            BackendOptions.parse(args, System.getenv());
        } catch (EngineException e) {
            System.err.println("berth: " + e.getMessage());
            System.err.println(BackendOptions.USAGE);
            System.exit(2);
        }
        Application.launch(BerthApp.class, args);
    }
}
