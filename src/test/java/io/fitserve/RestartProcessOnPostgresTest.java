package io.fitserve;

/** {@link RestartProcessTest} with fitserve on PostgreSQL (see {@link TestDatabase}). */
class RestartProcessOnPostgresTest extends RestartProcessTest {

}
