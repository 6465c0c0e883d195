package io.fitserve.training;

import java.util.List;
import java.util.UUID;

import io.fitserve.ml.Algorithm;
import io.fitserve.ml.Task;
import io.fitserve.ml.TrainingConfig;

/** A training job's specification with every default filled in; enough to train the same model again. */
public record TrainingSpec(UUID datasetId, String target, List<String> features, Task task, Algorithm algorithm,
		Hyperparameters hyperparameters, double validationFraction, double testFraction, long seed) {

	TrainingConfig toConfig() {
		Hyperparameters h = hyperparameters;
		return new TrainingConfig(algorithm, task, h.optimizer(), h.learningRate(), h.epochs(), h.batchSize(), h.l2(),
				h.hiddenLayers(), h.activation(), h.earlyStoppingPatience(), h.momentum(), seed);
	}

}
