package io.fitserve;

/** {@link SecurityTest} with fitserve on PostgreSQL (see {@link TestDatabase}). */
class SecurityOnPostgresTest extends SecurityTest {

}
