package dev.berth.engine.container;

import java.time.Instant;

/**
 * The mutable part of a container (Docker's {@code State}), saved in {@code state.json}.
 *
 * @param status          Docker's status word
 * @param pid             the init process's host pid while running, else 0
 * @param exitCode        the last exit code (0 before the first exit)
 * @param startedAt       when the current or last run started, null before the first start
 * @param finishedAt      when the last run ended, null before the first exit
 * @param oomKilled       the last run was killed by the kernel's OOM killer
 * @param error           why the last start failed, null if it did not
 * @param restartCount    how often the restart policy restarted the container
 * @param manuallyStopped the user stopped it (stop or kill), so {@code unless-stopped} and
 *                        {@code on-failure} leave it stopped
 */
public record ContainerState(ContainerStatus status, long pid, int exitCode, Instant startedAt, Instant finishedAt,
                             boolean oomKilled, String error, int restartCount, boolean manuallyStopped) {

    public static ContainerState created() {
        return new ContainerState(ContainerStatus.CREATED, 0, 0, null, null, false, null, 0, false);
    }

    public boolean running() {
        return status == ContainerStatus.RUNNING || status == ContainerStatus.PAUSED;
    }

    public ContainerState withStatus(ContainerStatus s) {
        return new ContainerState(s, pid, exitCode, startedAt, finishedAt, oomKilled, error, restartCount, manuallyStopped);
    }

    public ContainerState started(long newPid, Instant at) {
        return new ContainerState(ContainerStatus.RUNNING, newPid, 0, at, finishedAt, false, null, restartCount, false);
    }

    public ContainerState exited(int code, Instant at, boolean oom) {
        return new ContainerState(ContainerStatus.EXITED, 0, code, startedAt, at, oom, error, restartCount, manuallyStopped);
    }

    public ContainerState failed(int code, String message, Instant at) {
        return new ContainerState(ContainerStatus.EXITED, 0, code, startedAt, at, false, message, restartCount, manuallyStopped);
    }

    public ContainerState withManuallyStopped(boolean v) {
        return new ContainerState(status, pid, exitCode, startedAt, finishedAt, oomKilled, error, restartCount, v);
    }

    public ContainerState withRestartCount(int n) {
        return new ContainerState(status, pid, exitCode, startedAt, finishedAt, oomKilled, error, n, manuallyStopped);
    }
}
