package io.fitserve.training;

import io.fitserve.ml.Task;

import io.fitserve.ml.TrainingListener;
import io.fitserve.ml.artifact.Explainable;
import io.fitserve.ml.artifact.ModelArtifact;
import java.time.Instant;
import java.util.SplittableRandom;
import io.fitserve.training.algorithms.AlgorithmDescriptor;
import io.fitserve.training.algorithms.AlgorithmRegistry;
import io.fitserve.training.algorithms.FitInput;
import io.fitserve.training.algorithms.FitOutput;
import io.fitserve.training.algorithms.TrainingParameters;

/**
 * Fits one model on given training rows through the algorithm's descriptor. Shared by
 * plain jobs, cross-validation folds and tuning trials. A model that cannot explain its
 * rows exactly (mlp, svm) gets a seeded sample of its encoded training rows as the
 * background of sampled Shapley explanations.
 */
final class ModelFitter {

	private ModelFitter() {
	}

	/**
	 * @param epochsOverride when > 0, train exactly this many epochs without early
	 * stopping (the final model after cross-validation, which has no validation rows
	 * left)
	 */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	static FitOutput fit(TrainingSpec spec, PreparedData data, int[] splitRows, int[] validationRows,
			int epochsOverride, TrainingListener listener) {
		AlgorithmDescriptor descriptor = AlgorithmRegistry.get(spec.algorithm());
		TrainingParameters parameters = spec.hyperparameters();
		FitInput input = new FitInput(spec.task(), data.features(), data.y(), data.classLabels(), splitRows,
				validationRows, epochsOverride, spec.seed());
		Instant startedAt = Instant.now();
		FitOutput fit = descriptor.fit(parameters, input, listener);
		if (fit.artifact() == null) {
			return fit;
		}
		// trainRows counts the rows the model saw (the split, repeats kept), and
		// resampledRows what resampling made of them
		ModelArtifact artifact = fit.artifact()
			.withProvenance(
					ArtifactProvenance.ofFit(spec, splitRows.length, resampledRows(fit), startedAt, Instant.now()));
		if (!(artifact.predictor() instanceof Explainable) && artifact.task() != Task.CLUSTERING
				&& splitRows.length > 0) {
			artifact = artifact.withBackground(artifact.preprocessing()
				.transform(data.features(), backgroundRows(splitRows,
						ModelArtifact.backgroundRows(artifact.preprocessing().outputWidth()), spec.seed())));
		}
		return new FitOutput(artifact, fit.history(), fit.bestEpoch(), fit.stoppedEarly(), fit.cancelled(),
				fit.details());
	}

	/** The rows a resampled fit trained on; null when it was not resampled. */
	static Integer resampledRows(FitOutput fit) {
		if (fit.details() != null && fit.details().get("resampling") instanceof java.util.Map<?, ?> done
				&& done.get("rowsAfter") instanceof Integer rows) {
			return rows;
		}
		return null;
	}

	/**
	 * Up to max distinct positions of the training rows, drawn with the seed (the first
	 * max of a seeded shuffle), as stored row numbers in storage order.
	 */
	static int[] backgroundRows(int[] trainRows, int max, long seed) {
		int[] rows = trainRows.clone();
		int n = Math.min(max, rows.length);
		SplittableRandom random = new SplittableRandom(seed ^ 0x5ea3_1e5b_ac6b_0d7dL);
		for (int i = 0; i < n; i++) {
			int j = i + random.nextInt(rows.length - i);
			int t = rows[i];
			rows[i] = rows[j];
			rows[j] = t;
		}
		int[] sample = java.util.Arrays.copyOf(rows, n);
		java.util.Arrays.sort(sample);
		return sample;
	}

}
