package dev.berth.engine.volume;

import dev.berth.engine.errors.EngineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The -v, --mount, --tmpfs and --volumes-from syntaxes, and Docker's messages for bad ones. */
class MountSpecsTest {

    @TempDir
    Path dir;

    @Test
    void volumeFlagMakesNamedAnonymousAndBindMounts() {
        assertThat(MountSpecs.parseVolumeFlag("data:/srv/data"))
                .isEqualTo(new MountSpec.VolumeMount("data", "/srv/data", false));
        assertThat(MountSpecs.parseVolumeFlag("data:/srv/data/:ro,nocopy"))
                .isEqualTo(new MountSpec.VolumeMount("data", "/srv/data", true, true, null, Map.of(), Map.of()));
        assertThat(MountSpecs.parseVolumeFlag("/var/lib/x"))
                .isEqualTo(new MountSpec.VolumeMount(null, "/var/lib/x", false));
        assertThat(MountSpecs.parseVolumeFlag("/host/dir:/ctr:ro"))
                .isEqualTo(new MountSpec.Bind("/host/dir", "/ctr", true, "rprivate", true));
        assertThat(MountSpecs.parseVolumeFlag("/host//dir/../d2:/ctr:rw,Z,rshared"))
                .isEqualTo(new MountSpec.Bind("/host/d2", "/ctr", false, "rshared", true));
        assertThat(MountSpecs.parseVolumeFlag("vol:/x:z").readOnly()).isFalse();
    }

    @ParameterizedTest(name = "-v {0}")
    @CsvSource(delimiter = '|', value = {
            ":/data| invalid volume specification: ':/data'",
            "/foo:rw| invalid volume specification: '/foo:rw'",
            "a:/b:ro:extra| invalid volume specification: 'a:/b:ro:extra'",
            "data:/x:rx| invalid mode: rx",
            "data:/x:ro,rw| invalid mode: ro,rw",
            "data:relative| invalid volume specification: 'data:relative': invalid mount config for type \"volume\": invalid mount path: 'relative' mount path must be absolute",
            "/host:/| invalid volume specification: '/host:/': invalid mount config for type \"bind\": invalid specification: destination can't be '/'",
            "relative| invalid volume specification: 'relative': invalid mount config for type \"volume\": invalid mount path: 'relative' mount path must be absolute",
            "/host:/x:nocopy| invalid volume specification: '/host:/x:nocopy': invalid mount config for type \"bind\": field VolumeOptions must not be specified",
            "vol:/x:shared| invalid volume specification: 'vol:/x:shared': invalid mount config for type \"volume\": field BindOptions must not be specified",
            "a:/x| volume name is too short, names should be at least two alphanumeric characters",
            "my~vol:/x| \"my~vol\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path",
    })
    void badVolumeFlagsAreRefusedInDockersWords(String raw, String message) {
        assertThatThrownBy(() -> MountSpecs.parseVolumeFlag(raw))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessage(message.strip());
    }

    @Test
    void mountFlagMakesBindVolumeAndTmpfsMounts() {
        String src = dir.toString();
        assertThat(MountSpecs.parseMountFlag("type=bind,source=" + src + ",target=/app,readonly,bind-propagation=rslave"))
                .isEqualTo(new MountSpec.Bind(src, "/app", true, "rslave", false));
        assertThat(MountSpecs.parseMountFlag("type=volume,src=cache,dst=/cache,volume-opt=type=tmpfs,volume-opt=device=tmpfs,"
                + "\"volume-opt=o=size=10m,uid=1000\",volume-label=team=a,volume-nocopy"))
                .isEqualTo(new MountSpec.VolumeMount("cache", "/cache", false, true, null,
                        Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=10m,uid=1000"), Map.of("team", "a")));
        assertThat(MountSpecs.parseMountFlag("target=/anon"))
                .as("the type defaults to volume, no source is anonymous")
                .isEqualTo(new MountSpec.VolumeMount(null, "/anon", false));
        assertThat(MountSpecs.parseMountFlag("type=volume,source=v1,destination=/d,ro=true").readOnly()).isTrue();
        assertThat(MountSpecs.parseMountFlag("type=tmpfs,target=/run/x,tmpfs-size=64m,tmpfs-mode=1770"))
                .isEqualTo(new MountSpec.Tmpfs("/run/x", "mode=1770,size=64m"));
        assertThat(MountSpecs.parseMountFlag("type=tmpfs,dst=/t,tmpfs-size=1000,readonly"))
                .isEqualTo(new MountSpec.Tmpfs("/t", "ro,size=1000"));
    }

    @ParameterizedTest(name = "--mount {0}")
    @CsvSource(delimiter = '|', value = {
            "type=bind,source=/nope-berth-missing,target=/x| invalid mount config for type \"bind\": bind source path does not exist: /nope-berth-missing",
            "type=bind,target=/x| invalid mount config for type \"bind\": field Source must not be empty",
            "type=bind,source=rel,target=/x| invalid mount config for type \"bind\": invalid mount path: 'rel' mount path must be absolute",
            "type=bind,source=/,target=/x,bind-propagation=sideways| invalid mount config for type \"bind\": invalid propagation mode: sideways",
            "type=tmpfs,source=foo,target=/x| invalid mount config for type \"tmpfs\": field Source must not be specified",
            "type=volume,source=v1,target=/| invalid mount config for type \"volume\": invalid specification: destination can't be '/'",
            "type=volume,source=v1,target=x| invalid mount config for type \"volume\": invalid mount path: 'x' mount path must be absolute",
            "type=floppy,target=/x| invalid mount config for type \"floppy\": mount type unknown",
            "type=volume,source=v1| target is required",
            "type=volume,target=/x,colour=red| unexpected key 'colour' in 'colour=red'",
            "type=volume,target=/x,shiny| invalid field 'shiny' must be a key=value pair",
            "type=volume,target=/x,readonly=maybe| invalid value for readonly: maybe",
            "type=tmpfs,target=/x,tmpfs-size=lots| invalid value for tmpfs-size: lots",
            "type=tmpfs,target=/x,tmpfs-mode=999| invalid value for tmpfs-mode: 999",
            "type=bind,source=/,target=/x,volume-nocopy| cannot mix 'volume-*' options with mount type 'bind'",
            "type=volume,target=/x,bind-propagation=shared| cannot mix 'bind-*' options with mount type 'volume'",
            "type=volume,target=/x,tmpfs-size=1m| cannot mix 'tmpfs-*' options with mount type 'volume'",
    })
    void badMountFlagsAreRefusedInDockersWords(String raw, String message) {
        assertThatThrownBy(() -> MountSpecs.parseMountFlag(raw))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessage(message.strip());
    }

    @Test
    void tmpfsFlagTakesAPathAndOptions() {
        assertThat(MountSpecs.parseTmpfsFlag("/run")).isEqualTo(new MountSpec.Tmpfs("/run", ""));
        assertThat(MountSpecs.parseTmpfsFlag("/run/app/:rw,noexec,size=65536k"))
                .isEqualTo(new MountSpec.Tmpfs("/run/app", "rw,noexec,size=65536k"));
        assertThat(MountSpecs.parseTmpfsFlag("/ro:ro,size=1m").readOnly()).isTrue();
        assertThatThrownBy(() -> MountSpecs.parseTmpfsFlag("run:size=1m")).hasMessage("invalid mount path: 'run' mount path must be absolute");
        assertThatThrownBy(() -> MountSpecs.parseTmpfsFlag("/")).hasMessage("invalid specification: destination can't be '/'");
    }

    @Test
    void twoMountsAtOnePlaceAreRefused() {
        List<MountSpec> mounts = List.of(MountSpecs.parseVolumeFlag("a1:/data"), MountSpecs.parseTmpfsFlag("/run"),
                MountSpecs.parseMountFlag("type=tmpfs,target=/data/"));
        assertThatThrownBy(() -> MountSpecs.checkDuplicates(mounts))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessage("duplicate mount point: /data");
        MountSpecs.checkDuplicates(mounts.subList(0, 2));
    }

    @Test
    void imageVolumesBecomeAnonymousVolumesUnlessMountedExplicitly() {
        List<MountSpec> explicit = List.of(MountSpecs.parseVolumeFlag("named:/var/lib/db"));
        assertThat(MountSpecs.imageVolumes(List.of("/var/lib/db/", "/logs", "relative"), explicit))
                .containsExactly(new MountSpec.VolumeMount(null, "/logs", false));
    }

    @Test
    void sizesAreParsedInBinaryUnits() {
        assertThat(MountSpecs.parseSize("64m")).hasValue(64L << 20);
        assertThat(MountSpecs.parseSize("1.5g")).hasValue(3L << 29);
        assertThat(MountSpecs.parseSize("10MiB")).hasValue(10L << 20);
        assertThat(MountSpecs.parseSize("512")).hasValue(512L);
        assertThat(MountSpecs.parseSize("m64")).isEmpty();
    }

    @Test
    void volumesFromParsesTheModeWithDockersRules() {
        assertThat(VolumesFrom.parse("data")).isEqualTo(new VolumesFrom("data", false));
        assertThat(VolumesFrom.parse("data:ro")).isEqualTo(new VolumesFrom("data", true));
        assertThat(VolumesFrom.parse("data:rw")).isEqualTo(new VolumesFrom("data", false));
        assertThatThrownBy(() -> VolumesFrom.parse("")).hasMessage("volumes-from specification cannot be an empty string");
        assertThatThrownBy(() -> VolumesFrom.parse("data:nocopy")).hasMessage("invalid mode: nocopy");
        assertThatThrownBy(() -> VolumesFrom.parse("data:rshared")).hasMessage("invalid mode: rshared");
        assertThatThrownBy(() -> VolumesFrom.parse("data:ro,rw")).hasMessage("invalid mode: ro,rw");
    }

    @Test
    void volumesFromCopiesTheOtherContainersMountsAndOwnMountsWin() {
        List<MountSpec> theirs = List.of(
                new MountSpec.VolumeMount("dbdata", "/var/lib/db", false),
                new MountSpec.VolumeMount("3f" + "0".repeat(62), "/logs", false),
                new MountSpec.Bind("/srv/conf", "/etc/app", true, null, true),
                new MountSpec.Tmpfs("/run", "size=1m"));
        List<MountSpec> own = List.of(new MountSpec.VolumeMount("mine", "/logs", false));

        assertThat(VolumesFrom.parse("db").resolve(theirs, own)).containsExactly(
                new MountSpec.VolumeMount("dbdata", "/var/lib/db", false, true, null, Map.of(), Map.of()),
                new MountSpec.Bind("/srv/conf", "/etc/app", true, "rprivate", false),
                new MountSpec.Tmpfs("/run", "size=1m"));
        assertThat(VolumesFrom.parse("db:ro").resolve(theirs, List.of()))
                .allMatch(MountSpec::readOnly)
                .extracting(MountSpec::target).containsExactly("/var/lib/db", "/logs", "/etc/app", "/run");
        assertThatThrownBy(() -> VolumesFrom.parse("db").resolve(List.of(new MountSpec.VolumeMount(null, "/x", false)), List.of()))
                .isInstanceOf(EngineException.FailedPrecondition.class).hasMessageContaining("anonymous volume at /x");
    }

    @Test
    void resolvedMountsRoundTripThroughTheEnginesJson() throws Exception {
        List<MountSpec> mounts = List.of(
                new MountSpec.VolumeMount("dbdata", "/var/lib/db", true, true, null, Map.of("type", "tmpfs"), Map.of("a", "b")),
                new MountSpec.Bind("/srv", "/srv", false, "rslave", true),
                new MountSpec.Tmpfs("/run", "ro,size=1m"));
        var mapper = dev.berth.engine.state.Json.mapper();
        String json = mapper.writerFor(new com.fasterxml.jackson.core.type.TypeReference<List<MountSpec>>() {}).writeValueAsString(mounts);
        assertThat(json).contains("\"type\":\"volume\"", "\"type\":\"bind\"", "\"type\":\"tmpfs\"");
        List<MountSpec> back = mapper.readValue(json, new com.fasterxml.jackson.core.type.TypeReference<List<MountSpec>>() {});
        assertThat(back).isEqualTo(mounts);
    }
}
