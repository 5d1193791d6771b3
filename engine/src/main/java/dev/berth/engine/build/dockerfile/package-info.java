/**
 * The Dockerfile language with Docker's semantics. {@link dev.berth.engine.build.dockerfile.DockerfileParser}
 * reads parser directives ({@code # escape=}, {@code # syntax=}), comments, line continuations and
 * heredocs, and returns a {@link dev.berth.engine.build.dockerfile.Dockerfile}: the global {@code ARG}s
 * and the {@link dev.berth.engine.build.dockerfile.Stage}s, each a list of sealed
 * {@link dev.berth.engine.build.dockerfile.Instruction} records that keep their words as written and
 * their source {@link dev.berth.engine.build.dockerfile.Position}. {@link dev.berth.engine.build.dockerfile.BuildScope}
 * and {@link dev.berth.engine.build.dockerfile.StageScope} apply Docker's variable scoping and expand
 * the words of the instructions Docker expands, step by step, as the builder asks;
 * {@link dev.berth.engine.build.dockerfile.Expander} is the word processor ({@code $V}, {@code ${V:-x}},
 * quotes, the escape character).
 *
 * <p>Every problem is an {@link dev.berth.engine.errors.EngineException.InvalidArgument} whose message
 * starts with {@code file:line:column:} and whose cause carries a {@link dev.berth.engine.build.dockerfile.DockerfileError}
 * record for callers that highlight the line.
 *
 * <p>Where Berth is stricter than Docker (and why): text that starts like a JSON array ({@code ["})
 * but is not valid JSON is an error here, where Docker silently runs it as a shell command.
 *
 * <p>Must never: read files, touch the network, run commands, or know about images beyond the
 * environment a caller hands to a scope.
 */
package dev.berth.engine.build.dockerfile;
