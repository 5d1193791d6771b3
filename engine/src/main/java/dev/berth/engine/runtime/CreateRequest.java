package dev.berth.engine.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link OciRuntime#create} needs: a bundle directory whose {@code config.json} is written
 * (see {@link Bundles#writeConfig}), and how conmon should hold the container's stdio.
 *
 * @param id             the container id (runc's id, also conmon's)
 * @param name           the container name, for conmon's logs
 * @param bundle         the bundle directory; conmon's attach socket, ctl FIFO and pid files go here
 * @param tty            the process has a terminal ({@code config.json}'s {@code process.terminal} must agree)
 * @param stdin          keep the container's stdin open for attach (Docker's {@code -i})
 * @param leaveStdinOpen do not close the container's stdin when an attached client ends its input
 * @param logPath        the k8s-file log conmon appends to
 * @param logSizeMax     rotate the log beyond this many bytes, {@code <= 0} for never
 */
public record CreateRequest(String id, String name, Path bundle, boolean tty, boolean stdin, boolean leaveStdinOpen,
                            Path logPath, long logSizeMax) {
    public CreateRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(logPath, "logPath");
        name = name == null || name.isEmpty() ? id : name;
    }
}
