package io.fitserve;

/**
 * {@link CompressionTest} with fitserve on PostgreSQL (see {@link TestDatabase}): the
 * model_compression table of V15 and its references to trained_model.
 */
class CompressionOnPostgresTest extends CompressionTest {

}
