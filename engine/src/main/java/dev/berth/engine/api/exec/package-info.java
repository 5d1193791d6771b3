/**
 * The Docker Engine API's exec routes: {@code POST /containers/{id}/exec} and
 * {@code /exec/{id}/start|resize|json}, mapped onto the exec part of
 * {@link dev.berth.engine.container.ContainerService}. It streams the command's stdio over the
 * hijacked connection (multiplexed without a TTY); it never starts processes itself.
 */
package dev.berth.engine.api.exec;
