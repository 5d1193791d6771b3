package dev.berth.testkit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class or method that needs root (mounts, namespaces, cgroups, runc). Run as
 * another user it <em>fails</em> with a message saying to run the tests as root; it never
 * skips, so a non-root run cannot look green while proving nothing.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RootOnlyExtension.class)
public @interface RootOnly {
}
