package dev.berth.engine.image;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.oci.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReferenceTest {

    private static final String HEX = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            busybox                               | docker.io/library/busybox:latest          | busybox:latest
            busybox:1.36                          | docker.io/library/busybox:1.36            | busybox:1.36
            library/busybox                       | docker.io/library/busybox:latest          | busybox:latest
            docker.io/busybox                     | docker.io/library/busybox:latest          | busybox:latest
            index.docker.io/library/busybox:musl  | docker.io/library/busybox:musl            | busybox:musl
            user/repo                             | docker.io/user/repo:latest                | user/repo:latest
            user/repo:tag                         | docker.io/user/repo:tag                   | user/repo:tag
            user/deep/repo:v1                     | docker.io/user/deep/repo:v1               | user/deep/repo:v1
            library/a/b                           | docker.io/library/a/b:latest              | library/a/b:latest
            host:5000/repo:tag                    | host:5000/repo:tag                        | host:5000/repo:tag
            127.0.0.1:5000/x:y                    | 127.0.0.1:5000/x:y                        | 127.0.0.1:5000/x:y
            quay.io/org/app                       | quay.io/org/app:latest                    | quay.io/org/app:latest
            localhost/repo                        | localhost/repo:latest                     | localhost/repo:latest
            localhost:5000/a/b_c__d-e.f:1.0-rc_1  | localhost:5000/a/b_c__d-e.f:1.0-rc_1      | localhost:5000/a/b_c__d-e.f:1.0-rc_1
            Foo/bar                               | Foo/bar:latest                            | Foo/bar:latest
            [::1]:5000/repo                       | [::1]:5000/repo:latest                    | [::1]:5000/repo:latest
            localhost:5000                        | docker.io/library/localhost:5000          | localhost:5000
            a--b/c                                | docker.io/a--b/c:latest                   | a--b/c:latest
            busybox:Latest_1                      | docker.io/library/busybox:Latest_1        | busybox:Latest_1
            """)
    void normalisesLikeDocker(String input, String full, String familiar) {
        Reference ref = Reference.parse(input);
        assertThat(ref.toString()).isEqualTo(full);
        assertThat(ref.familiar()).isEqualTo(familiar);
        assertThat(Reference.parse(ref.toString())).isEqualTo(ref);
        assertThat(Reference.parse(ref.familiar())).isEqualTo(ref);
    }

    @Test
    void digestOnlyReferenceHasNoTag() {
        Reference ref = Reference.parse("busybox@sha256:" + HEX);
        assertThat(ref.tag()).isNull();
        assertThat(ref.digest()).isEqualTo(Digest.parse("sha256:" + HEX));
        assertThat(ref.toString()).isEqualTo("docker.io/library/busybox@sha256:" + HEX);
        assertThat(ref.familiar()).isEqualTo("busybox@sha256:" + HEX);
        assertThat(ref.manifestKey()).isEqualTo("sha256:" + HEX);
    }

    @Test
    void tagAndDigestAreBothKept() {
        Reference ref = Reference.parse("127.0.0.1:5000/repo:tag@sha256:" + HEX);
        assertThat(ref.domain()).isEqualTo("127.0.0.1:5000");
        assertThat(ref.path()).isEqualTo("repo");
        assertThat(ref.tag()).isEqualTo("tag");
        assertThat(ref.digest().encoded()).isEqualTo(HEX);
        assertThat(ref.toString()).isEqualTo("127.0.0.1:5000/repo:tag@sha256:" + HEX);
        assertThat(ref.manifestKey()).isEqualTo("sha256:" + HEX);
    }

    @Test
    void partsAreExposedForTheRegistryClient() {
        Reference ref = Reference.parse("busybox");
        assertThat(ref.domain()).isEqualTo("docker.io");
        assertThat(ref.path()).isEqualTo("library/busybox");
        assertThat(ref.name()).isEqualTo("docker.io/library/busybox");
        assertThat(ref.familiarName()).isEqualTo("busybox");
        assertThat(ref.isDockerHub()).isTrue();
        assertThat(ref.manifestKey()).isEqualTo("latest");
        assertThat(ref.withTag("1.0").toString()).isEqualTo("docker.io/library/busybox:1.0");
        assertThat(ref.withDigest(Digest.parse("sha256:" + HEX)).toString())
                .isEqualTo("docker.io/library/busybox@sha256:" + HEX);
        assertThat(Reference.parse("localhost/x").isDockerHub()).isFalse();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                  | empty reference
            Busybox                             | repository name (library/Busybox) must be lowercase
            docker.io/User/repo                 | repository name (User/repo) must be lowercase
            localhost/Repo                      | repository name (Repo) must be lowercase
            busybox:                            | empty tag
            busybox:-bad                        | invalid tag "-bad"
            busybox:a/b                         | invalid registry host "busybox:a"
            busybox:tag!                        | invalid tag "tag!"
            busybox@sha256:abc                  | invalid digest "sha256:abc"
            busybox@md5:d41d8cd98f00b204e9800998ecf8427e | invalid digest "md5:d41d8cd98f00b204e9800998ecf8427e"
            busybox@sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855 | only sha256 (64 hex) and sha512 (128 hex) in lower case
            :tag                                | repository name must have at least one component
            /busybox                            | repository name component "" in "/busybox"
            busybox/                            | repository name component ""
            a//b                                | repository name component ""
            -busybox                            | repository name component "-busybox"
            bus..ybox                           | repository name component "bus..ybox"
            bus___ybox                          | repository name component "bus___ybox"
            user/repo_                          | repository name component "repo_"
            host:port/repo                      | invalid registry host "host:port"
            -host.com/repo                      | invalid registry host "-host.com"
            with space                          | repository name component "with space"
            """)
    void rejectsInvalidReferencesSayingWhy(String input, String why) {
        assertThatThrownBy(() -> Reference.parse(input))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageStartingWith("invalid reference format: ")
                .hasMessageContaining(why);
    }

    @Test
    void rejectsTagsLongerThan128Characters() {
        String ok = "t".repeat(128);
        assertThat(Reference.parse("busybox:" + ok).tag()).isEqualTo(ok);
        assertThatThrownBy(() -> Reference.parse("busybox:" + ok + "t"))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("invalid reference format: tag is longer than 128 characters (129)");
    }

    @Test
    void rejectsNamesLongerThan255Characters() {
        // domain "localhost" + "/" + path = 255 is the limit
        String path = "a".repeat(255 - "localhost/".length());
        assertThat(Reference.parse("localhost/" + path).name()).hasSize(255);
        assertThatThrownBy(() -> Reference.parse("localhost/" + path + "a"))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("must not be more than 255 characters (256)");
    }

    @Test
    void rejectsBareImageIdsAsNames() {
        assertThatThrownBy(() -> Reference.parse(HEX))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("cannot specify 64-byte hexadecimal strings");
        // a 64-hex name with a tag is a legal (if odd) repository name, as in Docker
        assertThat(Reference.parse(HEX + ":tag").path()).isEqualTo("library/" + HEX);
    }

    @Test
    void constructorValidatesToo() {
        assertThatThrownBy(() -> new Reference("docker.io", "library/Busybox", "latest", null))
                .isInstanceOf(EngineException.InvalidArgument.class);
        assertThatThrownBy(() -> new Reference("bad host", "x", null, null))
                .isInstanceOf(EngineException.InvalidArgument.class);
        assertThatThrownBy(() -> Reference.parse("busybox").withTag("no spaces"))
                .isInstanceOf(EngineException.InvalidArgument.class);
    }
}
