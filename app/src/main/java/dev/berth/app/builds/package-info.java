/**
 * The Builds pane: {@code docker build} from the app, every build of the session and the saved past ones. {@link
 * dev.berth.app.builds.BuildsClient} sends a context folder (tarred while it is sent, {@code .dockerignore}
 * honoured by the engine's own {@code ContextArchive}) to {@code POST /build} and turns the classic
 * builder's JSON lines into {@link dev.berth.app.builds.BuildEvent}s; {@link dev.berth.app.builds.BuildsViewModel}
 * runs builds in the background and feeds each {@link dev.berth.app.builds.BuildRun} (status, steps with
 * timings and cache hits, log, failing Dockerfile line, found with the engine's Dockerfile parser) on the
 * UI thread; {@link dev.berth.app.builds.BuildsView} shows them. The Build dialog and dropping a Dockerfile
 * onto the window start builds through {@link dev.berth.app.builds.BuildsViewModel#start}. {@link
 * dev.berth.app.builds.BuildHistory} keeps the newest 50 finished builds in {@code builds.json} next to the
 * settings (atomic writes, off the UI thread; an unreadable file is set aside as {@code .corrupt}).
 * Never: engine calls from the view, or a build engine of its own (the engine builds, over its API).
 */
package dev.berth.app.builds;
