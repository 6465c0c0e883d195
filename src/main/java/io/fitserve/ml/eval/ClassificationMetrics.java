package io.fitserve.ml.eval;

import java.util.List;

/**
 * Classification quality: accuracy, balanced accuracy, macro precision/recall/F1, log
 * loss, ROC AUC and average precision (binary with both classes present, else null),
 * per-class metrics, the confusion matrix [true][predicted] in labels order and the ROC /
 * precision-recall curves (binary with both classes present, else null).
 */
public record ClassificationMetrics(double accuracy, double balancedAccuracy, double precision, double recall,
		double f1, double logLoss, Double rocAuc, Double prAuc, List<ClassMetrics> perClass, List<String> labels,
		long[][] confusionMatrix, Curves curves) {
}
