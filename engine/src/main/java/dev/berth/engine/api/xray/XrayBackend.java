package dev.berth.engine.api.xray;

import dev.berth.engine.container.inspect.Xray;

/** What the X-ray route needs: one container's X-ray by name or id. */
@FunctionalInterface
public interface XrayBackend {

    /** @throws dev.berth.engine.errors.EngineException.NotFound when there is no such container */
    Xray.Report xray(String nameOrId);
}
