package dev.berth.engine.api.volumes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.state.Json;
import dev.berth.engine.volume.VolumeCreate;
import dev.berth.testkit.EngineExtension;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /volumes/{name}/files}: the volume browser's listing, which never leaves the volume. */
@RootOnly
class VolumeFilesApiTest {

    @TempDir
    static Path tmp;
    @RegisterExtension
    static final EngineExtension engine = EngineExtension.start().serving();
    static Path sock;
    static Path data;
    static Path outside;

    @BeforeAll
    static void start() throws IOException {
        sock = engine.socket();
        data = engine.engine().volumes().create(VolumeCreate.named("files")).mountpoint();
        Files.createDirectories(data.resolve("etc/conf.d"));
        Files.writeString(data.resolve("etc/app.conf"), "port=8080\n");
        Files.write(data.resolve("big.bin"), new byte[123_456]);
        Files.setPosixFilePermissions(data.resolve("big.bin"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(data.resolve("relative-link"), Path.of("etc/app.conf"));
        // hostile links: absolute and relative, both pointing out of the volume at a secret
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "do not list me");
        Files.createSymbolicLink(data.resolve("escape"), outside);
        Files.createSymbolicLink(data.resolve("etc/up"), Path.of("../../../../../.." + outside));
    }

    @Test
    void theTopListsDirectoriesFirstWithSizesModesAndLinksAsLinks() throws Exception {
        Response r = get("/volumes/files/files?path=/");
        assertThat(r.status).isEqualTo(200);
        List<String> names = new ArrayList<>();
        r.json.forEach(e -> names.add(e.path("Name").asText()));
        assertThat(names).containsExactly("etc", "big.bin", "escape", "relative-link");
        JsonNode big = r.json.get(1);
        assertThat(big.path("Type").asText()).isEqualTo("file");
        assertThat(big.path("Size").asLong()).isEqualTo(123_456);
        assertThat(big.path("Mode").asInt()).isEqualTo(0750);
        assertThat(big.path("Modified").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(r.json.get(0).path("Type").asText()).isEqualTo("directory");
        assertThat(r.json.get(2).path("Type").asText()).isEqualTo("symlink");
        assertThat(get("/volumes/files/files").json).hasSize(4);
    }

    @Test
    void aSubdirectoryIsListedByItsPath() throws Exception {
        Response r = get("/volumes/files/files?path=" + URLEncoder.encode("/etc/", StandardCharsets.UTF_8));
        assertThat(r.status).isEqualTo(200);
        assertThat(r.json).extracting(e -> e.path("Name").asText() + ":" + e.path("Type").asText() + ":" + e.path("Size").asLong())
                .containsExactly("conf.d:directory:0", "app.conf:file:10", "up:symlink:" + Files.readSymbolicLink(data.resolve("etc/up")).toString().length());
        assertThat(get("/volumes/files/files?path=/etc/conf.d").json).isEmpty();
    }

    @Test
    void aLinkOutOfTheVolumeIsNeverFollowed() throws Exception {
        for (String path : List.of("/escape", "/escape/", "/etc/up", "/etc/up/tmp", "/relative-link")) {
            Response r = get("/volumes/files/files?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8));
            assertThat(r.status).as(path).isEqualTo(400);
            assertThat(r.body).as(path).contains("symbolic link").doesNotContain("secret.txt");
        }
        Response dots = get("/volumes/files/files?path=" + URLEncoder.encode("/etc/../../outside", StandardCharsets.UTF_8));
        assertThat(dots.status).isEqualTo(400);
        assertThat(dots.body).contains("must not contain ..").doesNotContain("secret.txt");
        assertThat(get("/volumes/files/files?path=relative").body).contains("must be absolute");
    }

    @Test
    void missingPathsFilesAndVolumesAreClearErrors() throws Exception {
        Response missing = get("/volumes/files/files?path=/nope/deeper");
        assertThat(missing.status).isEqualTo(404);
        assertThat(missing.body).contains("no such directory /nope");
        Response file = get("/volumes/files/files?path=/big.bin");
        assertThat(file.status).isEqualTo(400);
        assertThat(file.body).contains("/big.bin is not a directory");
        Response noVolume = get("/volumes/ghost/files?path=/");
        assertThat(noVolume.status).isEqualTo(404);
        assertThat(noVolume.body).contains("get ghost: no such volume");
    }

    record Response(int status, String body, JsonNode json) {}

    /** One GET on a fresh connection, read to its end. */
    static Response get(String target) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            ch.write(ByteBuffer.wrap(("GET /v1.47" + target + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8)));
            InputStream in = Channels.newInputStream(ch);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String raw = all.toString(StandardCharsets.UTF_8);
            int status = Integer.parseInt(raw.split(" ", 3)[1]);
            String head = raw.substring(0, raw.indexOf("\r\n\r\n"));
            String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            return new Response(status, body, body.isEmpty() ? null : Json.mapper().readTree(body));
        }
    }

    private static String dechunk(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (true) {
            int eol = s.indexOf("\r\n", i);
            int size = Integer.parseInt(s.substring(i, eol).split(";")[0].strip(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(s, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
    }
}
