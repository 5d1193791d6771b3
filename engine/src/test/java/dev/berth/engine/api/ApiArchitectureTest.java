package dev.berth.engine.api;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The seams of the api package, as its package docs state them. */
class ApiArchitectureTest {

    static final JavaClasses API = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.berth.engine.api");

    @Test
    void theHttpLayerKnowsNothingOfTheEnginesServices() {
        noClasses().that().resideInAPackage("dev.berth.engine.api.http..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.berth.engine", "dev.berth.engine.system..",
                        "dev.berth.engine.events..", "dev.berth.engine.runtime..", "dev.berth.engine.api.system..",
                        "dev.berth.engine.api.events..")
                .check(API);
    }

    @Test
    void routersReachTheEngineOnlyThroughTheirBackends() {
        noClasses().that().resideInAnyPackage("dev.berth.engine.api.system..", "dev.berth.engine.api.events..")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.berth.engine.Engine")
                .check(API);
    }

    @Test
    void nettyStaysInsideTheHttpLayer() {
        noClasses().that().resideOutsideOfPackage("dev.berth.engine.api.http..")
                .and().resideOutsideOfPackage("dev.berth.engine.api")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .check(API);
    }
}
