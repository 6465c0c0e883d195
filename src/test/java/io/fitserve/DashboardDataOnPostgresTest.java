package io.fitserve;

/** {@link DashboardDataTest} with fitserve on PostgreSQL (see {@link TestDatabase}). */
class DashboardDataOnPostgresTest extends DashboardDataTest {

}
