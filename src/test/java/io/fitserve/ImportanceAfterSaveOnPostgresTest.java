package io.fitserve;

/**
 * {@link ImportanceAfterSaveTest} with fitserve on PostgreSQL (see {@link TestDatabase}):
 * the V11 migration and the pending-importance queries there.
 */
class ImportanceAfterSaveOnPostgresTest extends ImportanceAfterSaveTest {

}
