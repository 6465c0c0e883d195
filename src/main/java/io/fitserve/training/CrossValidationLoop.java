package io.fitserve.training;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import io.fitserve.ml.TrainingListener;
import io.fitserve.ml.data.Splits;
import io.fitserve.training.algorithms.FitOutput;

/**
 * k-fold cross-validation over the non-test rows: the one loop that training jobs (their
 * crossValidation option) and tuning trials share.
 */
final class CrossValidationLoop {

	private CrossValidationLoop() {
	}

	/**
	 * One fold's fit and its scores on the fold's validation rows (null when the fit was
	 * cancelled).
	 */
	record FoldFit(int index, int[] trainRows, int[] validationRows, FitOutput fit, Evaluation.Scored scored) {

		boolean cancelled() {
			return this.fit.cancelled();
		}

	}

	/** The folds as positions into nonTest, seeded; stratified by class when asked. */
	static List<int[]> folds(PreparedData data, int[] nonTest, int k, boolean stratified, long seed) {
		return Splits.kFold(nonTest.length, stratified ? data.classes(nonTest) : null, k, stratified, seed);
	}

	/**
	 * Fits and scores each fold in order. A cancelled fit ends the loop: it is then the
	 * last element.
	 * @param listener the listener of fold f (0-based)
	 */
	static List<FoldFit> run(TrainingSpec spec, PreparedData data, int[] nonTest, List<int[]> folds,
			IntFunction<TrainingListener> listener) {
		List<FoldFit> fits = new ArrayList<>();
		for (int f = 0; f < folds.size(); f++) {
			int[] validationRows = PreparedData.pick(nonTest, folds.get(f));
			int[] trainRows = PreparedData.without(nonTest, folds.get(f));
			FitOutput fit = ModelFitter.fit(spec, data, trainRows, validationRows, 0, listener.apply(f));
			if (fit.cancelled()) {
				fits.add(new FoldFit(f, trainRows, validationRows, fit, null));
				return fits;
			}
			fits.add(new FoldFit(f, trainRows, validationRows, fit,
					Evaluation.score(fit.artifact(), data, validationRows)));
		}
		return fits;
	}

}
