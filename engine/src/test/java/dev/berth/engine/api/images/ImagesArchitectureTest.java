package dev.berth.engine.api.images;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The images router stays a mapping layer: it reaches the engine only through its backend. */
class ImagesArchitectureTest {

    static final JavaClasses API = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.berth.engine.api.images", "dev.berth.engine.api.system");

    @Test
    void theImagesRouterNeverTouchesStoresRegistriesOrTheEngine() {
        noClasses().that().resideInAnyPackage("dev.berth.engine.api.images..", "dev.berth.engine.api.system..")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.berth.engine.Engine")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.berth.engine.image.ImageStore")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.berth.engine.registry.RegistryClient")
                .orShould().dependOnClassesThat().resideInAnyPackage("dev.berth.engine.content..",
                        "dev.berth.engine.snapshot..", "dev.berth.engine.layer..", "io.netty..")
                .check(API);
    }
}
