package io.fitserve;

/** {@link RegistryTest} with fitserve on PostgreSQL (see {@link TestDatabase}). */
class RegistryOnPostgresTest extends RegistryTest {

}
