package io.fitserve.ml.eval;

/** One ROC curve point: rows with score >= threshold are predicted positive. */
public record RocPoint(double threshold, double fpr, double tpr) {
}
