package io.fitserve.ml;

import org.bytedeco.javacpp.indexer.DoubleIndexer;

/**
 * Output losses over a batch of raw scores {@code z} (rows x outputs) and encoded targets {@code y} of the same shape,
 * computed in one Java pass over native memory.
 */
enum LossKind {

	/**
	 * Squared error; one output, targets as values. Reported loss per row: {@code (z - y)^2}. The gradient written is
	 * that of half the mean squared error, {@code (z - y) / batchRows}, the usual convention.
	 */
	MSE {
		@Override
		double evaluate(DoubleIndexer z, DoubleIndexer y, DoubleIndexer grad, int rows, int cols,
				double gradScale) {
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
	},

	/**
	 * Sigmoid log loss; one output, targets 0/1. Per row: {@code softplus(z) - y*z}, evaluated as
	 * {@code max(z,0) + log1p(exp(-|z|)) - y*z} so that large scores neither overflow nor lose precision.
	 */
	BINARY_CROSS_ENTROPY {
		@Override
		double evaluate(DoubleIndexer z, DoubleIndexer y, DoubleIndexer grad, int rows, int cols,
				double gradScale) {
			long n = (long) rows * cols;
			double scale = gradScale;
			double loss = 0;
			for (long i = 0; i < n; i++) {
				double score = z.get(i);
				double target = y.get(i);
				double e = Math.exp(-Math.abs(score));
				loss += Math.max(score, 0.0) + log1p(e) - target * score;
				if (grad != null) {
					double p = (score >= 0) ? 1.0 / (1.0 + e) : e / (1.0 + e);
					grad.put(i, (p - target) * scale);
				}
			}
			return loss;
		}
	},

	/** Softmax cross-entropy; one output per class, one-hot targets; the row max is subtracted before exponentiating. */
	SOFTMAX_CROSS_ENTROPY {
		@Override
		double evaluate(DoubleIndexer z, DoubleIndexer y, DoubleIndexer grad, int rows, int cols,
				double gradScale) {
			double scale = gradScale;
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
				// -log softmax[label] = log(sum exp(shifted)) - shifted[label]
				loss += Math.log(sum) - targetDotShifted;
				if (grad != null) {
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
	 * Hinge loss; one output per one-vs-rest classifier (one in total for binary), targets +1/-1. Reported per row:
	 * the mean over outputs of {@code max(0, 1 - y*z)}. The gradient written treats each output as its own binary
	 * classifier: {@code -y * [y*z < 1] / batchRows}.
	 */
	HINGE {
		@Override
		double evaluate(DoubleIndexer z, DoubleIndexer y, DoubleIndexer grad, int rows, int cols,
				double gradScale) {
			long n = (long) rows * cols;
			double scale = gradScale;
			double loss = 0;
			for (long i = 0; i < n; i++) {
				double target = y.get(i);
				double hinge = 1.0 - target * z.get(i);
				if (hinge > 0) {
					loss += hinge;
				}
				if (grad != null) {
					grad.put(i, (hinge > 0) ? -target * scale : 0.0);
				}
			}
			return loss / cols;
		}
	};

	/**
	 * Returns the summed per-row loss of scores {@code z} against targets {@code y} (both rows x cols, row-major). When
	 * {@code grad} is not null it receives the gradient of the batch objective with respect to z, multiplied by
	 * gradScale (1 / rows of the whole batch, of which these rows may be a chunk).
	 */
	abstract double evaluate(DoubleIndexer z, DoubleIndexer y, DoubleIndexer grad, int rows, int cols,
			double gradScale);

	/** log(1 + e) for 0 <= e <= 1; a short series where 1 + e would round away most of e's digits. */
	static double log1p(double e) {
		if (e < 1e-4) {
			return e * (1 - e * (0.5 - e / 3));
		}
		return Math.log(1.0 + e);
	}

}
