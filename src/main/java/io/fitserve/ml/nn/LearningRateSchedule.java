package io.fitserve.ml.nn;

/**
 * How the learning rate changes over epochs.
 *
 * @param stepSize STEP: epochs between decays
 * @param gamma STEP and EXPONENTIAL: decay factor per step / per epoch
 * @param warmupEpochs COSINE: epochs of linear warm-up from 0 before the cosine decay to
 * 0
 * @param patience REDUCE_ON_PLATEAU: epochs without validation improvement before
 * reducing
 * @param factor REDUCE_ON_PLATEAU: multiplier applied on a plateau
 */
public record LearningRateSchedule(ScheduleKind kind, int stepSize, double gamma, int warmupEpochs, int patience,
		double factor) {

	public static final LearningRateSchedule CONSTANT = new LearningRateSchedule(ScheduleKind.CONSTANT, 10, 0.5, 0, 5,
			0.5);

}
