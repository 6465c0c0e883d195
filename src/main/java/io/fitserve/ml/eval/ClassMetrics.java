package io.fitserve.ml.eval;

/**
 * Precision, recall and F1 of one class, with its support (number of true rows of the
 * class).
 */
public record ClassMetrics(String label, double precision, double recall, double f1, long support) {
}
