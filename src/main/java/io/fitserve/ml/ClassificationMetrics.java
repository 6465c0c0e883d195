package io.fitserve.ml;

import java.util.List;

/**
 * Classification quality: accuracy, macro precision/recall/F1, log loss, ROC AUC (binary only, else null),
 * per-class metrics and the confusion matrix [true][predicted] in labels order.
 */
public record ClassificationMetrics(double accuracy, double precision, double recall, double f1, double logLoss,
		Double rocAuc, List<ClassMetrics> perClass, List<String> labels, long[][] confusionMatrix) {
}
