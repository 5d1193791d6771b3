package dev.berth.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Optional;

/**
 * JUnit 5 extension that runs a real {@code docker-registry} ({@link LocalRegistry}) for a
 * test class (default) or for each test method, injects it into fields and parameters of type
 * {@link LocalRegistry}, and stops it (by pid) and deletes its storage afterwards.
 *
 * <p>Use it declaratively with {@link WithRegistry}, or programmatically:
 * <pre>{@code
 * @RegisterExtension
 * static RegistryExtension registry = RegistryExtension.basicAuth();
 * ... registry.get().host() ...
 * }</pre>
 * Nested test classes share the registry of their enclosing class.
 */
public final class RegistryExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    /** User name accepted by a {@code basicAuth} registry. */
    public static final String USERNAME = "berth";
    /** Password accepted by a {@code basicAuth} registry. */
    public static final String PASSWORD = "s3cret-berth-pass";

    /** How long one registry lives. */
    public enum Scope { PER_CLASS, PER_METHOD }

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RegistryExtension.class);
    private static final String KEY = "registry";

    private final Boolean basicAuthOverride;
    private final Scope scopeOverride;
    private volatile LocalRegistry last;

    /** Used by {@link WithRegistry} / {@code @ExtendWith}: settings come from the annotation. */
    public RegistryExtension() {
        this(null, null);
    }

    private RegistryExtension(Boolean basicAuth, Scope scope) {
        this.basicAuthOverride = basicAuth;
        this.scopeOverride = scope;
    }

    /** An anonymous registry per class. */
    public static RegistryExtension anonymous() {
        return new RegistryExtension(false, Scope.PER_CLASS);
    }

    /** A Basic-auth registry per class ({@link #USERNAME} / {@link #PASSWORD}). */
    public static RegistryExtension basicAuth() {
        return new RegistryExtension(true, Scope.PER_CLASS);
    }

    /** This extension, with a fresh registry for every test method. */
    public RegistryExtension perMethod() {
        return new RegistryExtension(basicAuthOverride, Scope.PER_METHOD);
    }

    /** The registry currently running for this extension (for {@code @RegisterExtension} users). */
    public LocalRegistry get() {
        LocalRegistry r = last;
        if (r == null) {
            throw new IllegalStateException("no registry is running: use it from a test or lifecycle method");
        }
        return r;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (scope(context) == Scope.PER_CLASS && find(context).isEmpty()) {
            startInto(context);
        }
        injectStatic(context, context.getRequiredTestClass());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopOwned(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (scope(context) == Scope.PER_METHOD) {
            startInto(context);
            injectStatic(context, context.getRequiredTestClass());
        }
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            injectFields(context, instance.getClass(), instance, false);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stopOwned(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == LocalRegistry.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return find(extensionContext).orElseThrow(() -> new IllegalStateException(
                "no registry for " + extensionContext.getDisplayName()
                        + ": a PER_METHOD registry cannot be injected into @BeforeAll"));
    }

    private void startInto(ExtensionContext context) {
        LocalRegistry registry = basicAuth(context)
                ? LocalRegistry.startWithBasicAuth(USERNAME, PASSWORD)
                : LocalRegistry.start();
        context.getStore(NS).put(KEY, registry);
        context.getStore(NS).put(ownerKey(context), Boolean.TRUE);
        last = registry;
    }

    private void stopOwned(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NS);
        if (store.remove(ownerKey(context)) != null) {
            LocalRegistry registry = store.remove(KEY, LocalRegistry.class);
            if (registry != null) {
                registry.close();
            }
        }
    }

    private static String ownerKey(ExtensionContext context) {
        return "owner:" + context.getUniqueId();
    }

    private static Optional<LocalRegistry> find(ExtensionContext context) {
        return Optional.ofNullable(context.getStore(NS).get(KEY, LocalRegistry.class));
    }

    private Optional<WithRegistry> annotation(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            Optional<Class<?>> type = c.get().getTestClass();
            if (type.isPresent()) {
                Optional<WithRegistry> a = AnnotationSupport.findAnnotation(type.get(), WithRegistry.class);
                if (a.isPresent()) {
                    return a;
                }
            }
        }
        return Optional.empty();
    }

    private boolean basicAuth(ExtensionContext context) {
        return basicAuthOverride != null ? basicAuthOverride
                : annotation(context).map(WithRegistry::basicAuth).orElse(false);
    }

    private Scope scope(ExtensionContext context) {
        return scopeOverride != null ? scopeOverride
                : annotation(context).map(WithRegistry::scope).orElse(Scope.PER_CLASS);
    }

    private void injectStatic(ExtensionContext context, Class<?> type) throws IllegalAccessException {
        injectFields(context, type, null, true);
    }

    private void injectFields(ExtensionContext context, Class<?> type, Object instance, boolean statics)
            throws IllegalAccessException {
        Optional<LocalRegistry> registry = find(context);
        if (registry.isEmpty()) {
            return;
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType() != LocalRegistry.class || Modifier.isStatic(f.getModifiers()) != statics
                        || Modifier.isFinal(f.getModifiers())) {
                    continue;
                }
                f.setAccessible(true);
                f.set(instance, registry.get());
            }
        }
    }
}
