package dev.berth.engine.registry;

import dev.berth.engine.errors.EngineException;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * Answers registry auth challenges. Remembers each host's challenge so later requests carry
 * credentials up front; keeps bearer tokens per host and scope set until they expire; uses
 * Basic credentials from the credential store. Never logs or echoes a secret.
 */
final class Authenticator {

    private final Function<String, Optional<Credentials>> credentials;
    private final ConcurrentMap<String, AuthChallenge> challenges = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Endpoints.Token> tokens = new ConcurrentHashMap<>();
    private volatile RegistryCaller caller;

    Authenticator(Function<String, Optional<Credentials>> credentials) {
        this.credentials = credentials;
    }

    void attach(RegistryCaller c) {
        this.caller = c;
    }

    /** The Authorization to send before any challenge, from what the host asked for last time; null for none. */
    String preemptive(RegistryHost host, List<String> scopes) {
        AuthChallenge c = challenges.get(hostKey(host));
        if (c == null) {
            return null;
        }
        if (c.isBasic()) {
            return credentials.apply(host.credentialKey()).map(Credentials::basicHeader).orElse(null);
        }
        if (c.isBearer()) {
            Endpoints.Token t = tokens.get(tokenKey(host, scopes));
            if (t != null && Instant.now().isBefore(t.expiresAt())) {
                return "Bearer " + t.value();
            }
            return "Bearer " + fetchToken(host, c, scopes).value();
        }
        return null;
    }

    /**
     * The Authorization that answers {@code challenge} for a request needing {@code scopes}; a bearer
     * token is always fetched anew (the one sent, if any, was just refused).
     *
     * @throws EngineException.Unauthorized when the registry wants Basic and there is no login, or an
     *         unknown scheme
     */
    String answer(RegistryHost host, AuthChallenge challenge, List<String> scopes, String what) {
        challenges.put(hostKey(host), challenge);
        if (challenge.isBasic()) {
            return credentials.apply(host.credentialKey()).map(Credentials::basicHeader).orElseThrow(() ->
                    new EngineException.Unauthorized(what + " requires a login: log in to " + host.credentialKey() + " first"));
        }
        if (challenge.isBearer()) {
            return "Bearer " + fetchToken(host, challenge, scopes).value();
        }
        throw new EngineException.Unauthorized(host.authority() + " asks for " + challenge.scheme()
                + " authentication, which is not supported");
    }

    /** Drops what is known about a host (after a login or logout changed its credentials). */
    void forget(String credentialKey) {
        challenges.keySet().removeIf(k -> k.endsWith("|" + credentialKey));
        tokens.keySet().removeIf(k -> k.contains("|" + credentialKey + "|"));
    }

    private Endpoints.Token fetchToken(RegistryHost host, AuthChallenge c, List<String> scopes) {
        String realm = c.param("realm");
        if (realm == null || realm.isEmpty()) {
            throw new EngineException.Unavailable(host.authority() + " asked for a bearer token without naming a realm");
        }
        URI realmUri;
        try {
            realmUri = host.base().resolve(realm);
        } catch (IllegalArgumentException e) {
            throw new EngineException.Unavailable(host.authority() + " named an invalid token realm");
        }
        TreeSet<String> wanted = new TreeSet<>(scopes);
        String challengeScope = c.param("scope");
        if (challengeScope != null && !challengeScope.isBlank()) {
            for (String s : challengeScope.strip().split("\\s+")) {
                wanted.add(s);
            }
        }
        Optional<Credentials> creds = credentials.apply(host.credentialKey());
        Endpoints.TokenFetch fetch = new Endpoints.TokenFetch(host.registry(), realmUri, c.param("service"),
                List.copyOf(wanted), creds.map(Credentials::basicHeader).orElse(null));
        RegistryHost realmHost = new RegistryHost(host.registry(), URI.create(realmUri.getScheme() + "://"
                + realmUri.getRawAuthority()), host.credentialKey(), host.mirror());
        Endpoints.Token token;
        try {
            token = caller.call(realmHost, fetch);
        } catch (EngineException.Unauthorized e) {
            throw new EngineException.Unauthorized(creds.isPresent()
                    ? host.credentialKey() + " refused the stored login; log in again"
                    : "access to " + String.join(" ", wanted) + " on " + host.credentialKey()
                            + " requires a login: log in to " + host.credentialKey() + " first");
        }
        tokens.put(tokenKey(host, scopes), token);
        return token;
    }

    private static String hostKey(RegistryHost host) {
        return host.base() + "|" + host.credentialKey();
    }

    private static String tokenKey(RegistryHost host, List<String> scopes) {
        return host.base() + "|" + host.credentialKey() + "|" + new TreeSet<>(scopes);
    }

    @Override
    public String toString() {
        return "Authenticator[" + challenges.size() + " hosts, " + tokens.size() + " tokens]";
    }
}
