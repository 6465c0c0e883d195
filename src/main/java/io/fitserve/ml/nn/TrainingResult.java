package io.fitserve.ml.nn;

import io.fitserve.ml.EpochLoss;
import java.util.List;

/** The outcome of one training run. */
public record TrainingResult(NetworkWeights weights, List<EpochLoss> history, int bestEpoch, boolean stoppedEarly,
		boolean cancelled) {
}
