package dev.berth.engine.registry;

import java.net.URI;

/**
 * One HTTP endpoint that serves a registry's API.
 *
 * @param registry      the registry as references name it ({@code docker.io}, {@code 127.0.0.1:5000})
 * @param base          scheme and authority to send requests to ({@code https://registry-1.docker.io})
 * @param credentialKey the {@code auth.json} key whose login applies here
 * @param mirror        true for a pull-through mirror (tried before the registry, never pushed to)
 */
public record RegistryHost(String registry, URI base, String credentialKey, boolean mirror) {

    /** {@code host[:port]} of {@link #base()}, for messages. */
    public String authority() {
        return base.getRawAuthority();
    }

    /** Resolves an API path or an absolute/relative {@code Location} against this host. */
    URI resolve(String pathOrUrl) {
        return base.resolve(pathOrUrl);
    }
}
