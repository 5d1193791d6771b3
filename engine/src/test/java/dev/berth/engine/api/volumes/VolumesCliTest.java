package dev.berth.engine.api.volumes;

import dev.berth.engine.events.Event;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.volume.LocalVolumeService;
import dev.berth.engine.volume.Volume;
import dev.berth.testkit.DockerCli;
import dev.berth.testkit.EngineExtension;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The installed docker CLI against Berth's volumes routes. */
@RootOnly
class VolumesCliTest {

    static final String CONTAINER = "d".repeat(64);

    @TempDir
    static Path tmp;
    @RegisterExtension
    static final EngineExtension engine = EngineExtension.start().serving();
    static DockerCli docker;

    @BeforeAll
    static void docker() {
        docker = new DockerCli(engine.socket(), tmp);
    }

    @AfterEach
    void removeVolumes() {
        LocalVolumeService volumes = engine.engine().volumes();
        for (Volume v : volumes.list()) {
            for (String user : volumes.users(v.name())) {
                volumes.release(v.name(), user);
            }
            volumes.remove(v.name(), true);
        }
    }

    @Test
    void createWithLabelsThenListInspectAndRemove() throws Exception {
        assertThat(docker.run("volume", "create", "--label", "a=b", "v1").ok().strip()).isEqualTo("v1");
        assertThat(docker.run("volume", "ls").ok()).contains("local").contains("v1");

        String shown = docker.run("volume", "inspect", "--format",
                "{{.Name}} {{.Driver}} {{.Scope}} {{.Labels.a}} {{.Mountpoint}}", "v1").ok().strip();
        Path mountpoint = engine.root().resolve("volumes/v1/_data");
        assertThat(shown).isEqualTo("v1 local local b " + mountpoint);
        assertThat(Files.isDirectory(mountpoint)).isTrue();

        assertThat(docker.run("volume", "rm", "v1").ok().strip()).isEqualTo("v1");
        assertThat(Files.exists(mountpoint)).isFalse();
        assertThat(docker.run("volume", "inspect", "v1").failed()).contains("no such volume");
        assertThat(docker.run("volume", "rm", "v1").failed()).contains("no such volume");
        docker.run("volume", "rm", "-f", "v1").ok();
    }

    @Test
    void aTmpfsVolumeKeepsItsDriverOptions() throws Exception {
        docker.run("volume", "create", "-d", "local", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=8m", "t1").ok();
        assertThat(docker.run("volume", "inspect", "--format",
                "{{.Options.type}} {{.Options.device}} {{.Options.o}}", "t1").ok().strip()).isEqualTo("tmpfs tmpfs size=8m");
        assertThat(docker.run("volume", "create", "-o", "type=ext4", "-o", "device=/dev/sda9", "bad").failed())
                .contains("type=ext4 is not supported");
        assertThat(docker.run("volume", "create", "-d", "nfs-plugin", "bad").failed()).contains("plugin \"nfs-plugin\" not found");
        assertThat(docker.run("volume", "create", "bad/name").failed()).contains("bad/name");
    }

    @Test
    void listFiltersByNameLabelDanglingAndDriver() throws Exception {
        docker.run("volume", "create", "--label", "tier=front", "flt-front").ok();
        docker.run("volume", "create", "--label", "tier=back", "flt-back").ok();
        docker.run("volume", "create", "other").ok();
        engine.engine().volumes().acquire("flt-back", CONTAINER);

        assertThat(names("--filter", "name=flt-")).containsExactly("flt-back", "flt-front");
        assertThat(names("--filter", "label=tier=front")).containsExactly("flt-front");
        assertThat(names("--filter", "label=tier")).containsExactly("flt-back", "flt-front");
        assertThat(names("--filter", "dangling=true")).containsExactly("flt-front", "other");
        assertThat(names("--filter", "dangling=false")).containsExactly("flt-back");
        assertThat(names("--filter", "driver=local")).containsExactly("flt-back", "flt-front", "other");
        assertThat(docker.run("volume", "ls", "--filter", "colour=blue").failed()).contains("invalid filter 'colour'");
    }

    @Test
    void aVolumeInUseIsNotRemovedAndTheErrorNamesTheContainer() throws Exception {
        docker.run("volume", "create", "busy").ok();
        Files.writeString(engine.root().resolve("volumes/busy/_data/keep.txt"), "precious");
        engine.engine().volumes().acquire("busy", CONTAINER);

        assertThat(docker.run("volume", "rm", "busy").failed()).contains("volume is in use").contains(CONTAINER);
        assertThat(docker.run("volume", "rm", "-f", "busy").failed()).contains("volume is in use");
        assertThat(engine.root().resolve("volumes/busy/_data/keep.txt")).hasContent("precious");
    }

    @Test
    void pruneRemovesAnonymousVolumesAndWithAllNamedOnesButNeverUsedOnes() throws Exception {
        String anonymous = docker.run("volume", "create").ok().strip();
        assertThat(anonymous).matches("[0-9a-f]{64}");
        Files.write(engine.root().resolve("volumes/" + anonymous + "/_data/blob"), new byte[4096]);
        docker.run("volume", "create", "named").ok();
        docker.run("volume", "create", "--label", "keep=1", "kept").ok();
        docker.run("volume", "create", "used").ok();
        engine.engine().volumes().acquire("used", CONTAINER);

        String out = docker.run("volume", "prune", "-f").ok();
        assertThat(out).contains(anonymous).contains("Total reclaimed space: 4.096kB");
        assertThat(names()).containsExactly("kept", "named", "used");

        out = docker.run("volume", "prune", "-f", "--all", "--filter", "label!=keep=1").ok();
        assertThat(out).contains("named").doesNotContain("kept").doesNotContain("used");
        assertThat(names()).containsExactly("kept", "used");
    }

    @Test
    void systemDfListsVolumesWithSizeAndUsers() throws Exception {
        docker.run("volume", "create", "sized").ok();
        Files.write(engine.root().resolve("volumes/sized/_data/f"), new byte[10_000]);
        engine.engine().volumes().acquire("sized", CONTAINER);

        String df = docker.run("system", "df", "-v", "--format", "{{range .Volumes}}{{.Name}} {{.Links}} {{.Size}}{{end}}").ok();
        assertThat(df.strip()).isEqualTo("sized 1 10kB");
    }

    @Test
    void createAndRemovePublishVolumeEvents() throws Exception {
        EventBus bus = engine.engine().events();
        try (EventBus.Subscription sub = bus.subscribe(e -> e.type().equals("volume"))) {
            docker.run("volume", "create", "ev-vol").ok();
            docker.run("volume", "rm", "ev-vol").ok();
            List<Event> seen = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Event e = sub.poll(5, TimeUnit.SECONDS);
                assertThat(e).as("event " + i).isNotNull();
                seen.add(e);
            }
            assertThat(seen).extracting(Event::action).containsExactly("create", "destroy");
            assertThat(seen).extracting(Event::actorId).containsOnly("ev-vol");
        }
    }

    private static List<String> names(String... filters) throws Exception {
        List<String> args = new ArrayList<>(List.of("volume", "ls", "--format", "{{.Name}}"));
        args.addAll(List.of(filters));
        return docker.run(args.toArray(String[]::new)).ok().lines().sorted().toList();
    }
}
