package dev.berth.engine.api.networks;

import dev.berth.engine.network.NetworkCreateRequest;
import dev.berth.engine.network.NetworkInspect;
import dev.berth.engine.network.NetworkRecord;
import dev.berth.engine.network.NetworkService;

import java.util.List;
import java.util.Map;

/**
 * What the networks router needs from the engine, with {@link NetworkService}'s contracts.
 * Wired in {@code EngineBackends}.
 */
public interface NetworksBackend {

    /** Networks matching Docker's list filters (name, id, label, driver, type, dangling, scope). */
    List<NetworkInspect> list(Map<String, List<String>> filters);

    /** One network by name, id or unique id prefix. */
    NetworkInspect inspect(String idOrName);

    NetworkRecord create(NetworkCreateRequest request);

    /** Removes a user-defined network; refused while containers are attached. */
    void remove(String idOrName);

    /** Removes unused user-defined networks; returns their names. */
    List<String> prune(Map<String, List<String>> filters);

    /** Every method delegating to {@code service}. */
    static NetworksBackend of(NetworkService service) {
        return new NetworksBackend() {
            @Override
            public List<NetworkInspect> list(Map<String, List<String>> filters) {
                return service.list(filters);
            }

            @Override
            public NetworkInspect inspect(String idOrName) {
                return service.inspect(idOrName);
            }

            @Override
            public NetworkRecord create(NetworkCreateRequest request) {
                return service.create(request);
            }

            @Override
            public void remove(String idOrName) {
                service.remove(idOrName);
            }

            @Override
            public List<String> prune(Map<String, List<String>> filters) {
                return service.prune(filters);
            }
        };
    }
}
