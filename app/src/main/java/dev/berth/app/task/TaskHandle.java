package dev.berth.app.task;

/** A running background task: its work reports progress here, and a Cancel button cancels it. */
public interface TaskHandle {

    /**
     * Interrupts the task's thread; its work stops at the next blocking call or check and the
     * failure callback gets the {@code InterruptedException}.
     */
    void cancel();

    boolean cancelled();

    /** Reports how far the work is, from 0 to 1 (negative: unknown); callable from any thread. */
    void progress(double fraction);
}
