package io.fitserve.ml.nn;

import org.bytedeco.javacpp.indexer.DoubleIndexer;

/**
 * Output losses over a batch of raw scores {@code z} (rows x outputs) and encoded targets
 * {@code y} of the same shape, computed in one Java pass over native memory. Optional
 * class weights multiply each row's loss and gradient; the row's class is read back from
 * its encoded target, so no separate weight column has to be gathered per batch.
 */
enum LossKind {

	/**
	 * Squared error; one output, targets as values. Reported loss per row:
	 * {@code (z - y)^2}. The gradient written is that of half the mean squared error,
	 * {@code (z - y) / batchRows}, the usual convention.
	 */
	MSE {
		@Override
		double evaluate(DoubleIndexer z, DoubleIndexer y, DoubleIndexer grad, int rows, int cols, double gradScale,
				double[] classWeights) {
			long n = (long) rows * cols;
			double scale = gradScale;
			double loss = 0;
			for (long i = 0; i < n; i++) {
				double diff = z.get(i) - y.get(i);
				loss += diff * diff;
				if (grad != null) {
					grad.put(i, diff * scale);
				}
			}
			return loss;
		}

		@Override
		double objectiveFactor(int cols) {
			return 0.5;
		}
	},

	/**
	 * Sigmoid log loss; one output, targets 0/1. Per row: {@code softplus(z) - y*z},
	 * evaluated as {@code max(z,0) + log1p(exp(-|z|)) - y*z} so that large scores neither
	 * overflow nor lose precision.
	 */
	BINARY_CROSS_ENTROPY {
		@Override
		double evaluate(DoubleIndexer z, DoubleIndexer y, DoubleIndexer grad, int rows, int cols, double gradScale,
				double[] classWeights) {
			long n = (long) rows * cols;
			double loss = 0;
			for (long i = 0; i < n; i++) {
				double score = z.get(i);
				double target = y.get(i);
				double weight = (classWeights == null) ? 1.0 : classWeights[(target > 0.5) ? 1 : 0];
				double e = Math.exp(-Math.abs(score));
				loss += weight * (Math.max(score, 0.0) + log1p(e) - target * score);
				if (grad != null) {
					double p = (score >= 0) ? 1.0 / (1.0 + e) : e / (1.0 + e);
					grad.put(i, (p - target) * weight * gradScale);
				}
			}
			return loss;
		}
	},

	/**
	 * Softmax cross-entropy; one output per class, one-hot targets; the row max is
	 * subtracted before exponentiating.
	 */
	SOFTMAX_CROSS_ENTROPY {
		@Override
		double evaluate(DoubleIndexer z, DoubleIndexer y, DoubleIndexer grad, int rows, int cols, double gradScale,
				double[] classWeights) {
			double loss = 0;
			for (long r = 0; r < rows; r++) {
				long row = r * cols;
				double max = Double.NEGATIVE_INFINITY;
				for (int j = 0; j < cols; j++) {
					max = Math.max(max, z.get(row + j));
				}
				double sum = 0;
				double targetDotShifted = 0;
				for (int j = 0; j < cols; j++) {
					double shifted = z.get(row + j) - max;
					sum += Math.exp(shifted);
					targetDotShifted += y.get(row + j) * shifted;
				}
				double weight = (classWeights == null) ? 1.0 : classWeights[label(y, row, cols, 1.0)];
				// -log softmax[label] = log(sum exp(shifted)) - shifted[label]
				loss += weight * (Math.log(sum) - targetDotShifted);
				if (grad != null) {
					double scale = weight * gradScale;
					for (int j = 0; j < cols; j++) {
						double p = Math.exp(z.get(row + j) - max) / sum;
						grad.put(row + j, (p - y.get(row + j)) * scale);
					}
				}
			}
			return loss;
		}
	},

	/**
	 * Hinge loss; one output per one-vs-rest classifier (one in total for binary),
	 * targets +1/-1. Reported per row: the mean over outputs of {@code max(0, 1 - y*z)}.
	 * The gradient written treats each output as its own binary classifier:
	 * {@code -y * [y*z < 1] / batchRows}.
	 */
	HINGE {
		@Override
		double evaluate(DoubleIndexer z, DoubleIndexer y, DoubleIndexer grad, int rows, int cols, double gradScale,
				double[] classWeights) {
			return hinge(z, y, grad, rows, cols, gradScale, classWeights, false);
		}

		@Override
		double objectiveFactor(int cols) {
			return cols;
		}
	},

	/**
	 * Squared hinge loss (scikit-learn LinearSVC's default): as {@link #HINGE} with
	 * {@code max(0, 1 - y*z)^2} per output; differentiable, so L-BFGS handles it well.
	 * Gradient per output: {@code -2 * y * max(0, 1 - y*z) / rows}.
	 */
	SQUARED_HINGE {
		@Override
		double evaluate(DoubleIndexer z, DoubleIndexer y, DoubleIndexer grad, int rows, int cols, double gradScale,
				double[] classWeights) {
			return hinge(z, y, grad, rows, cols, gradScale, classWeights, true);
		}

		@Override
		double objectiveFactor(int cols) {
			return cols;
		}
	};

	/**
	 * Returns the summed per-row loss of scores {@code z} against targets {@code y} (both
	 * rows x cols, row-major). When {@code grad} is not null it receives the gradient of
	 * the batch objective with respect to z, multiplied by gradScale (1 / rows of the
	 * whole batch, of which these rows may be a chunk).
	 */
	final double evaluate(DoubleIndexer z, DoubleIndexer y, DoubleIndexer grad, int rows, int cols, double gradScale) {
		return evaluate(z, y, grad, rows, cols, gradScale, null);
	}

	/**
	 * As
	 * {@link #evaluate(DoubleIndexer, DoubleIndexer, DoubleIndexer, int, int, double)},
	 * with each row's loss and gradient multiplied by the weight of its class
	 * ({@code classWeights} indexed by class; null = all 1; ignored by MSE).
	 */
	abstract double evaluate(DoubleIndexer z, DoubleIndexer y, DoubleIndexer grad, int rows, int cols, double gradScale,
			double[] classWeights);

	/**
	 * The factor f such that {@code f * evaluate(...) / rows} is the objective whose
	 * gradient {@code evaluate} writes (with gradScale = 1 / rows): 0.5 for MSE (half the
	 * squared error), the output count for the hinge losses (their reported loss is a
	 * mean over the one-vs-rest outputs, the gradient a sum), else 1.
	 */
	double objectiveFactor(int cols) {
		return 1.0;
	}

	/**
	 * The class index encoded in row {@code row} of y: the column holding
	 * {@code positive}, or 0/1 for one column.
	 */
	private static int label(DoubleIndexer y, long row, int cols, double positive) {
		if (cols == 1) {
			return (y.get(row) > 0) ? 1 : 0;
		}
		for (int j = 0; j < cols; j++) {
			if (y.get(row + j) == positive) {
				return j;
			}
		}
		return 0;
	}

	private static double hinge(DoubleIndexer z, DoubleIndexer y, DoubleIndexer grad, int rows, int cols,
			double gradScale, double[] classWeights, boolean squared) {
		double loss = 0;
		for (long r = 0; r < rows; r++) {
			long row = r * cols;
			double weight = (classWeights == null) ? 1.0 : classWeights[label(y, row, cols, 1.0)];
			double scale = weight * gradScale;
			double rowLoss = 0;
			for (int j = 0; j < cols; j++) {
				long i = row + j;
				double target = y.get(i);
				double margin = 1.0 - target * z.get(i);
				if (margin > 0) {
					rowLoss += squared ? margin * margin : margin;
				}
				if (grad != null) {
					double g = 0.0;
					if (margin > 0) {
						g = squared ? -2.0 * target * margin * scale : -target * scale;
					}
					grad.put(i, g);
				}
			}
			loss += weight * rowLoss;
		}
		return loss / cols;
	}

	/**
	 * log(1 + e) for 0 <= e <= 1; a short series where 1 + e would round away most of e's
	 * digits.
	 */
	static double log1p(double e) {
		if (e < 1e-4) {
			return e * (1 - e * (0.5 - e / 3));
		}
		return Math.log(1.0 + e);
	}

}
