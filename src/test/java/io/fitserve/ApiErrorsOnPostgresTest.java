package io.fitserve;

/** {@link ApiErrorsTest} with fitserve on PostgreSQL (see {@link TestDatabase}). */
class ApiErrorsOnPostgresTest extends ApiErrorsTest {

}
