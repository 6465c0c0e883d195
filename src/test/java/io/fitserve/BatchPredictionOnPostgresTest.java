package io.fitserve;

/** {@link BatchPredictionTest} with fitserve on PostgreSQL (see {@link TestDatabase}). */
class BatchPredictionOnPostgresTest extends BatchPredictionTest {

}
