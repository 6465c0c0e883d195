package io.fitserve;

/** {@link EndToEndTest} with fitserve on PostgreSQL (see {@link TestDatabase}). */
class EndToEndOnPostgresTest extends EndToEndTest {

}
