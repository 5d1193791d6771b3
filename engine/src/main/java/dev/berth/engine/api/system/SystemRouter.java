package dev.berth.engine.api.system;

import dev.berth.engine.api.http.ApiVersion;
import dev.berth.engine.api.http.Exchange;
import dev.berth.engine.api.http.Route;
import dev.berth.engine.api.http.Router;

import java.util.List;

/** {@code /_ping}, {@code /version} and {@code /info}. */
public final class SystemRouter implements Router {

    private final SystemBackend backend;

    public SystemRouter(SystemBackend backend) {
        this.backend = backend;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/_ping", this::ping),
                Route.head("/_ping", this::ping),
                Route.get("/version", this::version),
                Route.get("/info", this::info));
    }

    private void ping(Exchange ex) {
        ex.setHeader("API-Version", ApiVersion.CURRENT.toString())
                .setHeader("OSType", "linux")
                .setHeader("Docker-Experimental", "false")
                .setHeader("Builder-Version", "1")
                .setHeader("Cache-Control", "no-cache, no-store, must-revalidate")
                .setHeader("Pragma", "no-cache");
        ex.respondText(200, "OK");
    }

    private void version(Exchange ex) {
        ex.respondJson(VersionResponse.of(backend.version()));
    }

    private void info(Exchange ex) {
        ex.respondJson(InfoResponse.of(backend.info(), backend.eventListeners()));
    }
}
