package dev.berth.engine.registry;

/** What pushing one blob did. */
public enum PushOutcome {
    /** The repository had it already; nothing was sent. */
    ALREADY_EXISTS,
    /** The registry linked it from another repository (cross-repository mount); nothing was sent. */
    MOUNTED,
    /** The bytes were uploaded. */
    UPLOADED
}
