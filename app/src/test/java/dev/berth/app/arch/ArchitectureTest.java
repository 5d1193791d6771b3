package dev.berth.app.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/** The layering DESIGN.md asks for, checked on the compiled classes. */
class ArchitectureTest {

    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.berth.engine");
    private static final JavaClasses APP = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.berth.app");

    @Test
    void engineNeverDependsOnJavaFx() {
        assertThat(ENGINE).as("engine classes on the class path").hasSizeGreaterThan(10);
        noClasses().should().dependOnClassesThat().resideInAnyPackage("javafx..")
                .because("the engine runs headless and as a library")
                .check(ENGINE);
    }

    @Test
    void viewsNeverImportTheEngine() {
        ArchRule rule = noClasses().that().haveSimpleNameEndingWith("View")
                .should().dependOnClassesThat().resideInAnyPackage("dev.berth.engine..")
                .because("views bind to view models; only view models and the backend talk to the engine");
        assertThat(APP.stream().filter(c -> c.getSimpleName().endsWith("View"))).hasSizeGreaterThan(8);
        rule.check(APP);
    }

    @Test
    void viewModelsNeverTouchNodes() {
        noClasses().that().haveSimpleNameEndingWith("ViewModel")
                .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..")
                .because("view models hold state; views own the nodes")
                .check(APP);
    }

    @Test
    void onlyTheUiExecutorCallsPlatformRunLater() {
        noClasses().that().doNotHaveFullyQualifiedName("dev.berth.app.task.UiExecutor")
                .should().callMethod(javafx.application.Platform.class, "runLater", Runnable.class)
                .check(APP);
    }

    @Test
    void theBackendSeamHasNoJavaFx() {
        classes().that().resideInAPackage("dev.berth.app.backend..")
                .should().onlyDependOnClassesThat().resideOutsideOfPackage("javafx..")
                .check(APP);
    }
}
