package io.fitserve.training;

import io.fitserve.ml.EpochLoss;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One epoch of a job's history as stored and served; a loss that was not measured is
 * null.
 */
@Schema(description = "One epoch of a job's history; a loss that was not measured is null")
public record EpochRecord(int epoch, Double trainLoss, Double validationLoss) {

	static List<EpochRecord> of(List<EpochLoss> history) {
		return history.stream()
			.map(e -> new EpochRecord(e.epoch(), finite(e.trainLoss()), finite(e.validationLoss())))
			.toList();
	}

	private static Double finite(double v) {
		return Double.isFinite(v) ? v : null;
	}

}
