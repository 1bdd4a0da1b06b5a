package dev.nanodb.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of docs/ARCHITECTURE.md, enforced: capabilities depend downwards only
 * ({@code http → records/auth/rules → schema → store → filter}, and records → auth → rules inside the layer), backends are reached only through the store interface,
 * and no LMDB, JDBC or Vert.x type escapes its package.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.nanodb");
    }

    @Test
    void layersDependDownwardsOnly() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Main").definedBy("dev.nanodb")
                .layer("Http").definedBy("dev.nanodb.http..")
                .layer("Capabilities").definedBy("dev.nanodb.records..", "dev.nanodb.collections..", "dev.nanodb.auth..", "dev.nanodb.rules..",
                        "dev.nanodb.realtime..", "dev.nanodb.batch..", "dev.nanodb.ratelimit..", "dev.nanodb.backups..",
                        "dev.nanodb.files..", "dev.nanodb.mail..", "dev.nanodb.settings..", "dev.nanodb.accounts..",
                        "dev.nanodb.crons..", "dev.nanodb.logs..")
                .layer("Schema").definedBy("dev.nanodb.schema..")
                .layer("StoreApi").definedBy("dev.nanodb.store")
                .layer("Backends").definedBy("dev.nanodb.store.lmdb..", "dev.nanodb.store.postgres..")
                .layer("Foundation").definedBy("dev.nanodb.filter..", "dev.nanodb.json..", "dev.nanodb.error..",
                        "dev.nanodb.config..")
                .whereLayer("Main").mayNotBeAccessedByAnyLayer()
                .whereLayer("Http").mayOnlyBeAccessedByLayers("Main")
                .whereLayer("Capabilities").mayOnlyBeAccessedByLayers("Main", "Http")
                .whereLayer("Schema").mayOnlyBeAccessedByLayers("Main", "Http", "Capabilities")
                .whereLayer("Backends").mayOnlyBeAccessedByLayers("Main")
                .whereLayer("StoreApi").mayOnlyBeAccessedByLayers("Main", "Http", "Capabilities", "Schema", "Backends")
                .check(classes);
    }

    /** Inside the capabilities layer dependencies flow realtime → records → auth → rules and batch → records, never back. */
    @Test
    void capabilitiesDoNotFormCycles() {
        noClasses().that().resideInAPackage("dev.nanodb.rules..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.nanodb.auth..", "dev.nanodb.records..",
                        "dev.nanodb.realtime..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.nanodb.auth..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.nanodb.records..", "dev.nanodb.realtime..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.nanodb.records..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.nanodb.realtime..", "dev.nanodb.batch..")
                .check(classes);
        noClasses().that().resideInAnyPackage("dev.nanodb.rules..", "dev.nanodb.auth..", "dev.nanodb.realtime..")
                .should().dependOnClassesThat().resideInAPackage("dev.nanodb.batch..")
                .check(classes);
    }

    /**
     * Collections are the one owner of definitions: records, realtime and batch build on them, never the reverse,
     * and the rules they compile know nothing of their owner.
     */
    @Test
    void collectionsSitBelowTheRecordCapabilities() {
        noClasses().that().resideInAPackage("dev.nanodb.collections..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.nanodb.records..", "dev.nanodb.realtime..",
                        "dev.nanodb.batch..", "dev.nanodb.auth..", "dev.nanodb.backups..")
                .check(classes);
        noClasses().that().resideInAnyPackage("dev.nanodb.rules..", "dev.nanodb.schema..")
                .should().dependOnClassesThat().resideInAPackage("dev.nanodb.collections..")
                .check(classes);
    }

    /** Only the collections capability saves or deletes a collection, so its invariants hold for every entry point. */
    @Test
    void onlyCollectionsSaveOrDeleteACollection() {
        noClasses().that().resideOutsideOfPackages("dev.nanodb.collections..", "dev.nanodb.store..")
                .should().callMethod(dev.nanodb.store.Store.class, "saveCollection", dev.nanodb.store.CollectionDef.class)
                .orShould().callMethod(dev.nanodb.store.Store.class, "deleteCollection", String.class)
                .orShould().callMethod(dev.nanodb.store.Store.class, "applyCollections", java.util.List.class, java.util.List.class)
                .check(classes);
    }

    /** The batch use case sits on records and the store; only http (and the wiring) may call it, never the reverse. */
    /**
     * Files own storage and thumbnails below the record capabilities: records use files, never the other
     * way; a storage backend is reached only through {@code FileStorage}, and object-storage SDK types stay in their
     * backend's package.
     */
    @Test
    void filesSitBelowTheRecordCapabilities() {
        noClasses().that().resideInAPackage("dev.nanodb.files..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.nanodb.records..", "dev.nanodb.realtime..",
                        "dev.nanodb.batch..", "dev.nanodb.collections..", "dev.nanodb.auth..", "dev.nanodb.http..",
                        "dev.nanodb.store.lmdb..", "dev.nanodb.store.postgres..")
                .check(classes);
        noClasses().that().resideOutsideOfPackages("dev.nanodb.files.local..", "dev.nanodb")
                .should().dependOnClassesThat().resideInAPackage("dev.nanodb.files.local..")
                .check(classes);
        noClasses().that().resideOutsideOfPackage("dev.nanodb.files.s3..")
                .should().dependOnClassesThat().resideInAPackage("software.amazon..")
                .check(classes);
    }

    /**
     * Mail knows messages and SMTP servers only: no store, no records, no HTTP. Jakarta Mail (SMTP) types stay
     * inside it, and the settings reach the store only through its API and the collections' names.
     */
    @Test
    void mailAndSettingsStayInTheirPlace() {
        noClasses().that().resideInAPackage("dev.nanodb.mail..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.nanodb.mail..", "java..", "jakarta.mail..",
                        "org.slf4j..")
                .check(classes);
        noClasses().that().resideOutsideOfPackage("dev.nanodb.mail..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.mail..", "org.eclipse.angus..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.nanodb.settings..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.nanodb.http..", "io.vertx..", "dev.nanodb.records..",
                        "dev.nanodb.store.lmdb..", "dev.nanodb.store.postgres..")
                .check(classes);
    }

    /**
     * The OAuth2/OIDC protocol core is self-contained so the routes can be wired to it and it can be tested
     * against a real provider alone: no HTTP server types, no records, collections or store backends.
     */
    @Test
    void oauth2CoreDependsOnNoServerRecordsOrStorage() {
        noClasses().that().resideInAPackage("dev.nanodb.accounts.oauth2..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..", "dev.nanodb.http..",
                        "dev.nanodb.records..", "dev.nanodb.collections..", "dev.nanodb.store..")
                .check(classes);
    }

    @Test
    void batchDoesNotDependOnHttp() {
        noClasses().that().resideInAPackage("dev.nanodb.batch..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.nanodb.http..", "io.vertx..", "io.netty..")
                .check(classes);
    }

    /** The rate limiter knows rules, counters and addresses: the store API and the configuration, nothing of HTTP. */
    @Test
    void rateLimiterDependsOnStoreAndConfigOnly() {
        noClasses().that().resideInAPackage("dev.nanodb.ratelimit..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.nanodb.ratelimit..", "dev.nanodb.store",
                        "dev.nanodb.config..", "java..", "org.slf4j..")
                .check(classes);
    }

    /**
     * Backups see the store API (its Snapshots capability), the files service (a backup holds the records' files;
     * not a storage backend) and the error type: no backend, no HTTP, no other capability.
     */
    @Test
    void backupsDependOnStoreFilesAndErrorOnly() {
        noClasses().that().resideInAPackage("dev.nanodb.backups..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.nanodb.backups..", "dev.nanodb.store",
                        "dev.nanodb.files", "dev.nanodb.error..", "java..")
                .check(classes);
    }

    /**
     * The request logs are a capability of their own: the filter language, JSON and the error type, nothing of HTTP,
     * the records' store or the settings (the wiring hands them the policy). Their LMDB store ({@code logs.lmdb}) is
     * reached only from the wiring, like a store backend.
     */
    @Test
    void logsDependOnFoundationOnly() {
        noClasses().that().resideInAPackage("dev.nanodb.logs")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.nanodb.logs", "dev.nanodb.filter..",
                        "dev.nanodb.json..", "dev.nanodb.error..", "java..", "org.slf4j..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.nanodb.logs.lmdb..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.nanodb.logs..", "org.lmdbjava..", "java..",
                        "org.slf4j..")
                .check(classes);
        noClasses().that().resideOutsideOfPackages("dev.nanodb.logs.lmdb..", "dev.nanodb")
                .should().dependOnClassesThat().resideInAPackage("dev.nanodb.logs.lmdb..")
                .check(classes);
    }

    /**
     * The scheduler knows jobs, cron expressions and the store's node registry (claims of runs): no other capability,
     * no backend, no HTTP; the jobs themselves are registered by the wiring. Only it sees the cron library.
     */
    @Test
    void cronsDependOnStoreNodesOnly() {
        noClasses().that().resideInAPackage("dev.nanodb.crons..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.nanodb.crons..", "dev.nanodb.store",
                        "java..", "org.slf4j..", "com.cronutils..")
                .check(classes);
        noClasses().that().resideOutsideOfPackage("dev.nanodb.crons..")
                .should().dependOnClassesThat().resideInAPackage("com.cronutils..")
                .check(classes);
    }

    @Test
    void filterDependsOnNothingElse() {
        noClasses().that().resideInAPackage("dev.nanodb.filter..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.nanodb.filter..", "java..")
                .check(classes);
    }

    @Test
    void storeInterfaceHasNoBackendOrHttpTypes() {
        noClasses().that().resideInAPackage("dev.nanodb.store")
                .should().dependOnClassesThat().resideInAnyPackage("org.lmdbjava..", "java.sql..", "com.zaxxer..",
                        "io.vertx..", "io.netty..", "dev.nanodb.http..", "dev.nanodb.records..", "dev.nanodb.schema..")
                .check(classes);
    }

    @Test
    void lmdbStaysInItsBackend() {
        noClasses().that().resideOutsideOfPackages("dev.nanodb.store.lmdb..", "dev.nanodb.logs.lmdb..")
                .should().dependOnClassesThat().resideInAPackage("org.lmdbjava..")
                .check(classes);
    }

    @Test
    void jdbcStaysInItsBackend() {
        noClasses().that().resideOutsideOfPackage("dev.nanodb.store.postgres..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "com.zaxxer..", "org.postgresql..")
                .check(classes);
    }

    /** Each backend stands on the store interface alone, so either can change or go without touching the other. */
    @Test
    void backendsDoNotDependOnEachOther() {
        noClasses().that().resideInAPackage("dev.nanodb.store.postgres..")
                .should().dependOnClassesThat().resideInAPackage("dev.nanodb.store.lmdb..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.nanodb.store.lmdb..")
                .should().dependOnClassesThat().resideInAPackage("dev.nanodb.store.postgres..")
                .check(classes);
    }

    @Test
    void httpTypesStayInHttp() {
        noClasses().that().resideOutsideOfPackage("dev.nanodb.http..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..")
                .check(classes);
    }
}
