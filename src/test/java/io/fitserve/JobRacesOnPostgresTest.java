package io.fitserve;

/** {@link JobRacesTest} with fitserve on PostgreSQL (see {@link TestDatabase}). */
class JobRacesOnPostgresTest extends JobRacesTest {

}
