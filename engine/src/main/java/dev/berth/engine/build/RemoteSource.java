package dev.berth.engine.build;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.oci.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * ADD's download of an {@code http(s)} source, with the classic builder's rules: the file is named after the
 * URL path's last component (else the response's {@code Content-Disposition} file name), is 0600, takes its
 * modification time from {@code Last-Modified}, and is never extracted. Its content digest is computed once the
 * file is complete; with {@code --checksum} a mismatch deletes the file and fails, naming both digests. A cancel
 * (the thread interrupted) aborts the transfer.
 */
final class RemoteSource {

    /** A downloaded file: where it is, its name in the image (empty when the URL gives none), digest, time. */
    record Download(Path file, String name, Digest digest, long size, FileTime mtime, String lastModified) {}

    private final HttpClient client;

    RemoteSource() {
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
    }

    /**
     * Downloads {@code url} into the empty directory {@code dir}.
     *
     * @param expected the {@code --checksum} digest, or null
     * @throws EngineException.InvalidArgument for a malformed URL
     * @throws EngineException.FailedPrecondition for an error status, a failed transfer, a checksum mismatch
     */
    Download fetch(String url, String expected, Path dir, Instant now) throws InterruptedException {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new EngineException.InvalidArgument("invalid URL " + url + ": " + e.getReason());
        }
        Path file = dir.resolve("content");
        String[] errorText = {""};
        HttpResponse.BodyHandler<Path> handler = info -> info.statusCode() >= 400
                ? HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8), text -> {
                    errorText[0] = text.length() > 512 ? text.substring(0, 512) : text;
                    return null;
                })
                : HttpResponse.BodySubscribers.ofFile(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        java.util.concurrent.CompletableFuture<HttpResponse<Path>> pending;
        try {
            pending = client.sendAsync(HttpRequest.newBuilder(uri).GET().build(), handler);
        } catch (IllegalArgumentException e) {
            throw new EngineException.InvalidArgument("invalid URL " + url + ": " + e.getMessage());
        }
        HttpResponse<Path> response;
        try {
            response = pending.get(); // a cancel (interrupt) aborts the exchange below
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new EngineException.FailedPrecondition("failed to GET " + url + ": " + cause.getMessage(), cause);
        }
        if (response.statusCode() >= 400) {
            String text = errorText[0].strip();
            throw new EngineException.FailedPrecondition("failed to GET " + url + " with status " + response.statusCode()
                    + (text.isEmpty() ? "" : ": " + text));
        }
        try {
            String name = fileName(uri.getRawPath(), response.headers().firstValue("Content-Disposition").orElse(null));
            String algorithm = expected == null ? "sha256" : expected.substring(0, expected.indexOf(':'));
            MessageDigest md = messageDigest(algorithm);
            MessageDigest sha256 = algorithm.equals("sha256") ? md : messageDigest("sha256");
            long size = 0;
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    md.update(buf, 0, n);
                    if (sha256 != md) {
                        sha256.update(buf, 0, n);
                    }
                    size += n;
                }
            }
            String actual = algorithm + ":" + HexFormat.of().formatHex(md.digest());
            Digest content = sha256 == md ? Digest.parse(actual) : Digest.of(sha256);
            if (expected != null && !expected.equals(actual)) {
                Files.deleteIfExists(file);
                throw new EngineException.FailedPrecondition("checksum mismatch for " + url + ": expected " + expected
                        + ", downloaded " + actual);
            }
            Files.setAttribute(file, "unix:mode", 0600);
            String lastModified = response.headers().firstValue("Last-Modified").orElse(null);
            FileTime mtime = FileTime.from(lastModified(lastModified).orElse(now));
            Files.setLastModifiedTime(file, mtime);
            return new Download(file, name, content, size, mtime, lastModified);
        } catch (IOException e) {
            throw new EngineException.FailedPrecondition("failed to read the download of " + url + ": " + e.getMessage(), e);
        }
    }

    /**
     * The classic builder's file name for a download: the URL path's last component, else the
     * {@code filename} of {@code Content-Disposition}; empty when neither gives one.
     */
    static String fileName(String rawPath, String contentDisposition) {
        if (rawPath != null && !rawPath.isEmpty() && !rawPath.endsWith("/")) {
            String last = rawPath.substring(rawPath.lastIndexOf('/') + 1);
            String decoded = java.net.URLDecoder.decode(last.replace("+", "%2B"), StandardCharsets.UTF_8);
            if (!decoded.isEmpty() && !decoded.equals(".") && !decoded.equals("..") && !decoded.contains("/")) {
                return decoded;
            }
        }
        if (contentDisposition != null) {
            for (String part : contentDisposition.split(";")) {
                String p = part.strip();
                if (p.toLowerCase(Locale.ROOT).startsWith("filename=")) {
                    String v = p.substring("filename=".length()).strip();
                    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                        v = v.substring(1, v.length() - 1);
                    }
                    if (!v.isEmpty() && !v.endsWith("/")) {
                        String base = v.substring(v.lastIndexOf('/') + 1);
                        if (!base.equals(".") && !base.equals("..")) {
                            return base;
                        }
                    }
                }
            }
        }
        return "";
    }

    private static Optional<Instant> lastModified(String header) {
        if (header == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty(); // as Docker: an unreadable date leaves the download time
        }
    }

    private static MessageDigest messageDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(switch (algorithm) {
                case "sha384" -> "SHA-384";
                case "sha512" -> "SHA-512";
                default -> "SHA-256";
            });
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
