package dev.berth.engine.volume;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.events.Event;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.state.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Create, inspect, list, remove, prune and in-use tracking of local volumes, on the real file system. */
class LocalVolumeServiceTest {

    @TempDir
    Path root;

    private static final String CTR_A = "a".repeat(64);
    private static final String CTR_B = "b".repeat(64);

    @Test
    void createdVolumeHasDockersShapeAndItsDataAndMetadataOnDisk() throws Exception {
        LocalVolumeService volumes = new LocalVolumeService(root);
        Volume v = volumes.create(new VolumeCreate("appdata", "local", Map.of(), Map.of("team", "blue")));

        Path data = root.resolve("volumes/appdata/_data");
        assertThat(v.name()).isEqualTo("appdata");
        assertThat(v.driver()).isEqualTo("local");
        assertThat(v.scope()).isEqualTo("local");
        assertThat(v.mountpoint()).isEqualTo(data);
        assertThat(v.labels()).isEqualTo(Map.of("team", "blue"));
        assertThat(v.options()).isEmpty();
        assertThat(v.anonymous()).isFalse();
        assertThat(v.usageData()).isNull();
        assertThat(v.createdAt()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(Files.isDirectory(data)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwxr-xr-x");
        LocalVolumeService.VolumeRecord rec = Json.read(root.resolve("volumes/appdata/volume.json"), LocalVolumeService.VolumeRecord.class);
        assertThat(rec.name()).isEqualTo("appdata");
        assertThat(rec.labels()).containsEntry("team", "blue");
        assertThat(volumes.inspect("appdata")).isEqualTo(v);
    }

    @Test
    void creatingAnExistingNameReturnsTheExistingVolume() {
        LocalVolumeService volumes = new LocalVolumeService(root);
        Volume first = volumes.create(new VolumeCreate("same", null, Map.of(), Map.of("n", "1")));
        Volume second = volumes.create(new VolumeCreate("same", null, Map.of(), Map.of("n", "2")));
        assertThat(second).isEqualTo(first);
        assertThat(volumes.list()).hasSize(1);
    }

    @Test
    void anonymousVolumesGetA64HexNameAndDockersLabel() {
        LocalVolumeService volumes = new LocalVolumeService(root);
        Volume a = volumes.create(VolumeCreate.anonymous());
        Volume b = volumes.create(VolumeCreate.anonymous());
        assertThat(a.name()).matches("[0-9a-f]{64}").isNotEqualTo(b.name());
        assertThat(a.labels()).containsEntry(Volume.ANONYMOUS_LABEL, "");
        assertThat(a.anonymous()).isTrue();
    }

    @Test
    void badNamesDriversAndOptionsAreRefusedInDockersWords() {
        LocalVolumeService volumes = new LocalVolumeService(root);
        assertThatThrownBy(() -> volumes.create(VolumeCreate.named("x")))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("volume name is too short, names should be at least two alphanumeric characters");
        assertThatThrownBy(() -> volumes.create(VolumeCreate.named("../escape")))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("\"../escape\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" "
                        + "are allowed. If you intended to pass a host directory, use absolute path");
        assertThatThrownBy(() -> volumes.create(new VolumeCreate("v1", "nfsplugin", Map.of(), Map.of())))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("error looking up volume plugin nfsplugin: plugin \"nfsplugin\" not found");
        assertThatThrownBy(() -> volumes.create(new VolumeCreate("v1", null, Map.of("colour", "red"), Map.of())))
                .hasMessage("invalid option: \"colour\"");
        assertThatThrownBy(() -> volumes.create(new VolumeCreate("v1", null, Map.of("type", "tmpfs"), Map.of())))
                .hasMessage("missing required option: \"device\"");
        assertThatThrownBy(() -> volumes.create(new VolumeCreate("v1", null, Map.of("o", "size=1m", "device", "tmpfs"), Map.of())))
                .hasMessage("missing required option: \"type\"");
        assertThatThrownBy(() -> volumes.create(new VolumeCreate("v1", null, Map.of("size", "10g"), Map.of())))
                .hasMessage("quota size requested but no quota support");
        assertThatThrownBy(() -> volumes.create(new VolumeCreate("v1", null, Map.of("type", "ext4", "device", "/dev/sdz1"), Map.of())))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("type=ext4 is not supported");
        assertThatThrownBy(() -> volumes.create(new VolumeCreate("v1", null, Map.of("type", "none", "device", "/srv"), Map.of())))
                .hasMessageContaining("type=none needs o=bind");
        assertThatThrownBy(() -> volumes.create(new VolumeCreate("v1", null, Map.of("type", "none", "device", "srv", "o", "bind"), Map.of())))
                .hasMessageContaining("must be an absolute host path");
        assertThat(volumes.list()).isEmpty();
        assertThat(root.resolve("volumes")).isEmptyDirectory();
    }

    @Test
    void listFiltersByNameLabelDanglingAndDriver() {
        LocalVolumeService volumes = new LocalVolumeService(root);
        volumes.create(new VolumeCreate("web-data", null, Map.of(), Map.of("app", "web", "tier", "front")));
        volumes.create(new VolumeCreate("db-data", null, Map.of(), Map.of("app", "db")));
        volumes.create(new VolumeCreate("scratch", null, Map.of(), Map.of()));
        volumes.acquire("db-data", CTR_A);

        assertThat(names(volumes.list(Map.of(), false))).containsExactly("db-data", "scratch", "web-data");
        assertThat(names(volumes.list(Map.of("name", List.of("data")), false))).containsExactly("db-data", "web-data");
        assertThat(names(volumes.list(Map.of("name", List.of("^web", "scr")), false))).containsExactly("scratch", "web-data");
        assertThat(names(volumes.list(Map.of("label", List.of("app")), false))).containsExactly("db-data", "web-data");
        assertThat(names(volumes.list(Map.of("label", List.of("app=web", "tier")), false))).containsExactly("web-data");
        assertThat(names(volumes.list(Map.of("label", List.of("app=none")), false))).isEmpty();
        assertThat(names(volumes.list(Map.of("dangling", List.of("true")), false))).containsExactly("scratch", "web-data");
        assertThat(names(volumes.list(Map.of("dangling", List.of("0")), false))).containsExactly("db-data");
        assertThat(names(volumes.list(Map.of("driver", List.of("local")), false))).hasSize(3);
        assertThat(names(volumes.list(Map.of("driver", List.of("other")), false))).isEmpty();
        assertThatThrownBy(() -> volumes.list(Map.of("dangling", List.of("maybe")), false))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessage("invalid filter 'dangling=maybe'");
        assertThatThrownBy(() -> volumes.list(Map.of("colour", List.of("red")), false))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessage("invalid filter 'colour'");
    }

    private static List<String> names(List<Volume> vs) {
        return vs.stream().map(Volume::name).toList();
    }

    @Test
    void removingAVolumeInUseIsRefusedNamingTheContainers() {
        LocalVolumeService volumes = new LocalVolumeService(root);
        volumes.create(VolumeCreate.named("shared"));
        volumes.acquire("shared", CTR_A);
        volumes.acquire("shared", CTR_B);
        volumes.acquire("shared", CTR_A);

        assertThat(volumes.users("shared")).containsExactlyInAnyOrder(CTR_A, CTR_B);
        assertThatThrownBy(() -> volumes.remove("shared", false))
                .isInstanceOf(EngineException.Conflict.class)
                .hasMessage("remove shared: volume is in use - [" + CTR_A + ", " + CTR_B + "]");
        assertThatThrownBy(() -> volumes.remove("shared", true))
                .as("force does not override in use").isInstanceOf(EngineException.Conflict.class);

        volumes.release("shared", CTR_A);
        assertThatThrownBy(() -> volumes.remove("shared", false)).hasMessage("remove shared: volume is in use - [" + CTR_B + "]");
        volumes.release("shared", CTR_B);
        volumes.remove("shared", false);
        assertThat(root.resolve("volumes/shared")).doesNotExist();
        assertThatThrownBy(() -> volumes.inspect("shared"))
                .isInstanceOf(EngineException.NotFound.class).hasMessage("get shared: no such volume");
    }

    @Test
    void removeOfAMissingVolumeFailsUnlessForced() {
        LocalVolumeService volumes = new LocalVolumeService(root);
        assertThatThrownBy(() -> volumes.remove("ghost", false))
                .isInstanceOf(EngineException.NotFound.class).hasMessage("get ghost: no such volume");
        volumes.remove("ghost", true);
    }

    @Test
    void dataAndInUseSurviveReleaseAcquireAndANewServiceOnTheSameRoot() throws Exception {
        LocalVolumeService first = new LocalVolumeService(root);
        first.create(VolumeCreate.named("keep"));
        Path src = first.acquire("keep", CTR_A);
        Files.writeString(src.resolve("note.txt"), "still here");
        first.release("keep", CTR_A);
        Path again = first.acquire("keep", CTR_A);
        assertThat(again.resolve("note.txt")).hasContent("still here");

        LocalVolumeService restarted = new LocalVolumeService(root); // the engine restarted
        assertThat(restarted.users("keep")).containsExactly(CTR_A);
        assertThat(restarted.mountSource("keep").resolve("note.txt")).hasContent("still here");
        assertThatThrownBy(() -> restarted.remove("keep", false))
                .isInstanceOf(EngineException.Conflict.class).hasMessageContaining(CTR_A);
        restarted.release("keep", CTR_A);
        assertThat(new LocalVolumeService(root).users("keep")).isEmpty();
    }

    @Test
    void usageCountsBytesOnceForHardLinksAndTheUsers() throws Exception {
        LocalVolumeService volumes = new LocalVolumeService(root);
        volumes.create(VolumeCreate.named("sized"));
        Path data = volumes.acquire("sized", CTR_A);
        Files.write(data.resolve("a"), new byte[1000]);
        Files.createDirectories(data.resolve("sub"));
        Files.write(data.resolve("sub/b"), new byte[234]);
        Files.createLink(data.resolve("sub/a-again"), data.resolve("a"));
        Files.createSymbolicLink(data.resolve("outside"), Path.of("/etc"));

        assertThat(volumes.usage("sized")).isEqualTo(new Volume.UsageData(1234, 1));
        assertThat(volumes.inspect("sized", true).usageData()).isEqualTo(new Volume.UsageData(1234, 1));
        assertThat(volumes.list(Map.of(), true).getFirst().usageData().size()).isEqualTo(1234);
    }

    @Test
    void pruneRemovesUnusedAnonymousVolumesAndNamedOnesOnlyWithAll() throws Exception {
        EventBus events = new EventBus();
        LocalVolumeService volumes = new LocalVolumeService(root, events);
        String anonUnused = volumes.create(VolumeCreate.anonymous()).name();
        String anonUsed = volumes.create(VolumeCreate.anonymous()).name();
        volumes.acquire(anonUsed, CTR_A);
        volumes.create(new VolumeCreate("named-keep", null, Map.of(), Map.of("keep", "yes")));
        volumes.create(VolumeCreate.named("named-drop"));
        volumes.acquire("named-drop", CTR_B);
        volumes.release("named-drop", CTR_B);
        Files.write(volumes.mountSource(anonUnused).resolve("blob"), new byte[4096]);

        PruneReport first = volumes.prune(Map.of());
        assertThat(first.volumesDeleted()).containsExactly(anonUnused);
        assertThat(first.spaceReclaimed()).isEqualTo(4096);

        PruneReport labelled = volumes.prune(Map.of("all", List.of("true"), "label!", List.of("keep=yes")));
        assertThat(labelled.volumesDeleted()).containsExactly("named-drop");
        assertThat(names(volumes.list())).containsExactlyInAnyOrder(anonUsed, "named-keep");

        assertThat(volumes.prune(Map.of("all", List.of("1"), "label", List.of("keep"))).volumesDeleted()).containsExactly("named-keep");
        assertThat(names(volumes.list())).containsExactly(anonUsed);
        assertThatThrownBy(() -> volumes.prune(Map.of("dangling", List.of("true"))))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessage("invalid filter 'dangling'");
        assertThat(events.recent()).extracting(Event::action).contains("create", "destroy", "prune");
    }

    @Test
    void aHalfCreatedVolumeDirectoryWithoutMetadataIsNotListed() throws Exception {
        Files.createDirectories(root.resolve("volumes/crashed/_data"));
        LocalVolumeService volumes = new LocalVolumeService(root);
        assertThat(volumes.list()).isEmpty();
        assertThat(volumes.create(VolumeCreate.named("crashed")).name()).isEqualTo("crashed");
        assertThat(new LocalVolumeService(root).list()).extracting(Volume::name).containsExactly("crashed");
    }
}
