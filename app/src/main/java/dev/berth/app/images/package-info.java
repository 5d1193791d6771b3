/**
 * The Images pane: {@code ImagesView} bound to {@code ImagesViewModel} (one row per tag, filter,
 * dangling switch, commands), the Pull dialog over {@code PullViewModel} (reference checked by the
 * backend with the engine's own rules, per-layer progress folded by {@code PullProgressModel},
 * cancel by interrupting the task), and the Tag, Remove, Inspect (searchable {@code JsonTree}),
 * Layers and Prune dialogs. The list is read again on the engine's image events, never on a timer.
 * Never: engine calls from views or dialogs (everything goes through the view models and the
 * {@code Backend}), blocking calls on the JavaFX thread, or a password in any text shown.
 */
package dev.berth.app.images;
