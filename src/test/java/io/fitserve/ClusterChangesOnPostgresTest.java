package io.fitserve;

/** {@link ClusterChangesTest} with fitserve on PostgreSQL (see {@link TestDatabase}). */
class ClusterChangesOnPostgresTest extends ClusterChangesTest {

}
