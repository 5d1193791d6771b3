package dev.berth.engine.runtime;

import dev.berth.engine.errors.EngineException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs a short-lived helper command (runc's subcommands) and collects its output. */
final class Commands {

    record Result(int exit, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private Commands() {}

    static Result run(List<String> command, Duration timeout) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        }
        CompletableFuture<byte[]> err = readAsync(p.getErrorStream());
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new EngineException.Unavailable(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s");
            }
            return new Result(p.exitValue(), out, new String(err.get(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot read output of " + command.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new EngineException.Unavailable("interrupted while running " + command.getFirst(), e);
        } catch (ExecutionException e) {
            throw new EngineException.Unavailable("cannot read errors of " + command.getFirst() + ": " + e.getCause().getMessage(), e);
        }
    }

    static CompletableFuture<byte[]> readAsync(InputStream in) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread.ofVirtual().name("berth-stream-reader").start(() -> {
            try (in) {
                f.complete(in.readAllBytes());
            } catch (IOException e) {
                f.completeExceptionally(new UncheckedIOException(e));
            }
        });
        return f;
    }
}
