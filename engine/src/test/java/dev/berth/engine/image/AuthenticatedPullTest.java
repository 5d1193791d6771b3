package dev.berth.engine.image;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.registry.Credentials;
import dev.berth.testkit.BusyboxImage;
import dev.berth.testkit.LocalRegistry;
import dev.berth.testkit.RegistryExtension;
import dev.berth.testkit.RootOnly;
import dev.berth.testkit.TempEngine;
import dev.berth.testkit.WithRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Credentials given with one pull or push (Docker's X-Registry-Auth) are used and never stored. */
@RootOnly
@WithRegistry(basicAuth = true)
class AuthenticatedPullTest {

    LocalRegistry registry;

    @TempDir
    Path tmp;

    @Test
    void credentialsGivenWithAPullOrPushAreUsedAndNotStored() throws Exception {
        BusyboxImage image = BusyboxImage.build(tmp.resolve("img"));
        image.pushTo(registry, "auth/private:latest");
        Credentials creds = new Credentials(RegistryExtension.USERNAME, RegistryExtension.PASSWORD);
        Reference ref = Reference.parse(registry.reference("auth/private:latest"));
        try (TempEngine t = TempEngine.start()) {
            ImageService images = t.engine().imageService();
            assertThatThrownBy(() -> images.pull(ref, ImageService.PullOptions.defaults(), null))
                    .isInstanceOf(EngineException.Unauthorized.class);

            ImageRecord r = images.pull(ref, new ImageService.PullOptions(Optional.empty(), Optional.of(creds)), null);
            assertThat(r.id()).isEqualTo(image.config().digest());
            assertThat(t.root().resolve("auth.json")).as("not stored").doesNotExist();

            Reference copy = Reference.parse(registry.reference("auth/copy:1"));
            images.tag(ref.toString(), copy);
            assertThatThrownBy(() -> images.push(copy, Optional.empty(), null))
                    .isInstanceOf(EngineException.Unauthorized.class);
            assertThat(images.push(copy, Optional.of(creds), null).digest()).isEqualTo(image.manifest().digest());
        }
    }
}
