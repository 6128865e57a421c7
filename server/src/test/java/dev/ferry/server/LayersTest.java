package dev.ferry.server;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's packages form a stack with no cycles (README "How Ferry is built"; each package's
 * package-info says what it may use). Checked on the compiled main classes.
 */
class LayersTest {

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.ferry.server");
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.ferry.server.(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("values").definedBy("dev.ferry.server.address..", "dev.ferry.server.config..")
                .layer("rules").definedBy("dev.ferry.server.access..", "dev.ferry.server.auth..")
                .layer("services").definedBy("dev.ferry.server.protocol..", "dev.ferry.server.tls..",
                        "dev.ferry.server.net..", "dev.ferry.server.transfer..", "dev.ferry.server.log..",
                        "dev.ferry.server.metrics..", "dev.ferry.server.listing..")
                .layer("session").definedBy("dev.ferry.server.session..")
                .layer("commands").definedBy("dev.ferry.server.command..")
                .layer("server").definedBy("dev.ferry.server")
                .whereLayer("server").mayNotBeAccessedByAnyLayer()
                .whereLayer("commands").mayOnlyBeAccessedByLayers("server")
                .whereLayer("session").mayOnlyBeAccessedByLayers("commands", "server")
                .whereLayer("services").mayOnlyBeAccessedByLayers("session", "commands", "server")
                .whereLayer("rules").mayOnlyBeAccessedByLayers("services", "session", "commands", "server")
                .check(main);
    }

    @Test
    void theProtocolLayerIsWireFormatAndTheCommandTableOnly() {
        // protocol sits at the bottom of the services: replies, the reader, the writer and the Verb
        // table as data; the handlers and the dispatcher live in command
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
                .that().resideInAPackage("dev.ferry.server.protocol..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.ferry.server.tls..", "dev.ferry.server.net..",
                        "dev.ferry.server.transfer..", "dev.ferry.server.log..", "dev.ferry.server.metrics..",
                        "dev.ferry.server.listing..", "dev.ferry.server.access..", "dev.ferry.server.auth..")
                .check(main);
    }
}
