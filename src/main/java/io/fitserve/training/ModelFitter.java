package io.fitserve.training;

import io.fitserve.ml.TrainingListener;
import io.fitserve.ml.artifact.ModelArtifact;
import java.time.Instant;
import io.fitserve.training.algorithms.AlgorithmDescriptor;
import io.fitserve.training.algorithms.AlgorithmRegistry;
import io.fitserve.training.algorithms.FitInput;
import io.fitserve.training.algorithms.FitOutput;
import io.fitserve.training.algorithms.TrainingParameters;

/**
 * Fits one model on given training rows through the algorithm's descriptor. Shared by
 * plain jobs, cross-validation folds and tuning trials.
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
		// trainRows counts the rows the model saw (the split, repeats kept)
		ModelArtifact artifact = fit.artifact()
			.withProvenance(ArtifactProvenance.ofFit(spec, splitRows.length, startedAt, Instant.now()));
		return new FitOutput(artifact, fit.history(), fit.bestEpoch(), fit.stoppedEarly(), fit.cancelled(),
				fit.details());
	}

}
