package io.fitserve.ml.eval;

/**
 * One precision-recall curve point: rows with score >= threshold are predicted positive.
 */
public record PrPoint(double threshold, double precision, double recall) {
}
