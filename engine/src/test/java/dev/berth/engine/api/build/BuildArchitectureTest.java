package dev.berth.engine.api.build;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The build routes build only through their backend, as the package docs state. */
class BuildArchitectureTest {

    static final JavaClasses BUILD_API = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.berth.engine.api.build");

    @Test
    void theBuildRoutesNeverReachTheEngineTheStoresOrTheRuntime() {
        noClasses().that().resideInAPackage("dev.berth.engine.api.build..")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.berth.engine.Engine")
                .orShould().dependOnClassesThat().resideInAnyPackage("dev.berth.engine.container..",
                        "dev.berth.engine.content..", "dev.berth.engine.snapshot..", "dev.berth.engine.runtime..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.berth.engine.image.ImageStore")
                .check(BUILD_API);
    }
}
