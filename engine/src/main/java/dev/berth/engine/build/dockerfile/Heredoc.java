package dev.berth.engine.build.dockerfile;

import java.util.Objects;

/**
 * An inline document of RUN, COPY or ADD ({@code <<EOF ... EOF}). {@code content} ends with a newline
 * per line read; with {@code <<-EOF} ({@code chomp}) leading tabs were stripped from each line and from
 * the terminator. A quoted delimiter ({@code <<"EOF"}, {@code <<'EOF'}) turns off expansion
 * ({@code expand == false}). {@code fd} is the file descriptor written before {@code <<} (e.g.
 * {@code 3<<EOF}), or 0 (standard input) when none is.
 */
public record Heredoc(String name, String content, boolean expand, boolean chomp, int fd) {
    public Heredoc {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(content, "content");
    }
}
