package io.fitserve;

/**
 * {@link FairnessTest} with fitserve on PostgreSQL (see {@link TestDatabase}): the
 * model_fairness table of V12 and its cascade from trained_model.
 */
class FairnessOnPostgresTest extends FairnessTest {

}
