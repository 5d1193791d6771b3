/**
 * Paths inside a root directory that never lead out of it: lexical cleaning with a rule for
 * {@code ..}, chroot-like resolution that follows symbolic links but keeps them inside, and
 * no-follow walks (by path or by directory handle) that refuse a link on the way. The layer
 * extractor, container {@code cp} and the volume browser all resolve their paths here.
 *
 * <p>Must never: follow a symbolic link out of the root; create anything but the directories a
 * caller asks for; know about layers, containers or volumes (callers turn a
 * {@link dev.berth.engine.fs.RootedPath.Refused} into their own words and error types).
 */
package dev.berth.engine.fs;
