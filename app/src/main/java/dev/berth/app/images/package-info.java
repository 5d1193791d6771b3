/**
 * The Images pane: {@code ImagesView} bound to {@code ImagesViewModel} (one row per tag, filter,
 * dangling switch, commands), the Pull dialog over {@code PullViewModel} (reference checked with
 * the engine's own rules, per-layer progress folded by {@code PullProgressModel}, cancel by
 * interrupting the task), and the Tag, Remove, Inspect (searchable {@code JsonTree}), Layers and
 * Prune dialogs. Every engine call goes through {@code ImagesClient}, the Docker API's
 * {@code /images} routes over {@code Backend.api()}, for the embedded engine and a remote one alike;
 * registry logins the app keeps travel as {@code X-Registry-Auth}. The list is read again on the
 * engine's image events ({@code task.LiveList}), never on a timer.
 * Never: engine calls from views or dialogs, blocking calls on the JavaFX thread, or a password
 * in any text shown.
 */
package dev.berth.app.images;
