package dev.berth.testkit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a test class a real registry on 127.0.0.1 (see {@link RegistryExtension}):
 * fields of type {@link LocalRegistry} are filled in, and test and lifecycle methods may take
 * a {@link LocalRegistry} parameter.
 *
 * <pre>{@code
 * @WithRegistry(basicAuth = true)
 * class PushTest {
 *     LocalRegistry registry;
 *     @Test void pushAsksForCredentials() { ... registry.host() ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RegistryExtension.class)
public @interface WithRegistry {

    /** Require HTTP Basic auth ({@link RegistryExtension#USERNAME} / {@link RegistryExtension#PASSWORD}). */
    boolean basicAuth() default false;

    /** One registry for the whole class (default) or a fresh one for every test method. */
    RegistryExtension.Scope scope() default RegistryExtension.Scope.PER_CLASS;
}
