package io.fitserve.ml.nn;

/**
 * The learning rate of each epoch under a {@link LearningRateSchedule}. Epochs are
 * 1-based; with e = epoch - 1: CONSTANT {@code lr}; STEP
 * {@code lr * gamma^floor(e / stepSize)}; EXPONENTIAL {@code lr * gamma^e}; COSINE, with
 * W warm-up epochs of T in all, {@code lr * (e + 1) / W} while e < W (so the first epoch
 * does not stand still), then {@code 0.5 * lr * (1 + cos(pi * t / (T - W)))} with t = e -
 * W (so the last epoch's rate is small but not 0); REDUCE_ON_PLATEAU starts at lr and is
 * multiplied by factor whenever {@code patience} epochs pass without an improvement of
 * the observed quantity (counting restarts after each reduction).
 */
final class Schedules {

	private final LearningRateSchedule schedule;

	private final double baseRate;

	private final int epochs;

	private final boolean higherIsBetter;

	private final double minDelta;

	private double plateauRate;

	private double best = Double.NaN;

	private int sinceImprovement;

	/**
	 * @param higherIsBetter REDUCE_ON_PLATEAU: whether the observed quantity improves
	 * upwards
	 * @param minDelta REDUCE_ON_PLATEAU: smallest change that counts as an improvement
	 */
	Schedules(LearningRateSchedule schedule, double baseRate, int epochs, boolean higherIsBetter, double minDelta) {
		this.schedule = (schedule != null) ? schedule : LearningRateSchedule.CONSTANT;
		this.baseRate = baseRate;
		this.epochs = epochs;
		this.higherIsBetter = higherIsBetter;
		this.minDelta = minDelta;
		this.plateauRate = baseRate;
	}

	/** Rejects parameters that would make the schedule meaningless. */
	static void check(LearningRateSchedule schedule) {
		if (schedule == null || schedule.kind() == null) {
			return;
		}
		switch (schedule.kind()) {
			case CONSTANT -> {
			}
			case STEP -> {
				require(schedule.stepSize() >= 1, "schedule stepSize must be at least 1");
				require(schedule.gamma() > 0 && Double.isFinite(schedule.gamma()), "schedule gamma must be positive");
			}
			case EXPONENTIAL ->
				require(schedule.gamma() > 0 && Double.isFinite(schedule.gamma()), "schedule gamma must be positive");
			case COSINE -> require(schedule.warmupEpochs() >= 0, "schedule warmupEpochs must be zero or positive");
			case REDUCE_ON_PLATEAU -> {
				require(schedule.patience() >= 1, "schedule patience must be at least 1");
				require(schedule.factor() > 0 && schedule.factor() < 1, "schedule factor must be in (0, 1)");
			}
		}
	}

	private static void require(boolean condition, String message) {
		if (!condition) {
			throw new IllegalArgumentException(message);
		}
	}

	boolean needsObservations() {
		return kind() == ScheduleKind.REDUCE_ON_PLATEAU;
	}

	private ScheduleKind kind() {
		return (this.schedule.kind() != null) ? this.schedule.kind() : ScheduleKind.CONSTANT;
	}

	/**
	 * The learning rate for a 1-based epoch (for REDUCE_ON_PLATEAU: given the
	 * observations so far).
	 */
	double rate(int epoch) {
		int e = epoch - 1;
		return switch (kind()) {
			case CONSTANT -> this.baseRate;
			case STEP -> this.baseRate * Math.pow(this.schedule.gamma(), e / this.schedule.stepSize());
			case EXPONENTIAL -> this.baseRate * Math.pow(this.schedule.gamma(), e);
			case COSINE -> {
				int warmup = this.schedule.warmupEpochs();
				if (e < warmup) {
					yield this.baseRate * (e + 1) / warmup;
				}
				int span = Math.max(1, this.epochs - warmup);
				yield 0.5 * this.baseRate * (1 + Math.cos(Math.PI * (e - warmup) / span));
			}
			case REDUCE_ON_PLATEAU -> this.plateauRate;
		};
	}

	/**
	 * REDUCE_ON_PLATEAU: records the quantity observed after an epoch; NaN counts as no
	 * improvement.
	 */
	void observe(double value) {
		if (!needsObservations()) {
			return;
		}
		if (Double.isNaN(this.best) && !Double.isNaN(value)
				|| improves(value, this.best, this.higherIsBetter, this.minDelta)) {
			this.best = value;
			this.sinceImprovement = 0;
			return;
		}
		if (++this.sinceImprovement >= this.schedule.patience()) {
			this.plateauRate *= this.schedule.factor();
			this.sinceImprovement = 0;
		}
	}

	/**
	 * Whether value beats best by more than minDelta (and by more than a relative 1e-12,
	 * so that rounding noise never counts as progress).
	 */
	static boolean improves(double value, double best, boolean higherIsBetter, double minDelta) {
		if (Double.isNaN(value)) {
			return false;
		}
		if (Double.isNaN(best)) {
			return true;
		}
		double margin = Math.max(minDelta, NetworkTrainer.IMPROVEMENT_TOLERANCE * Math.abs(best));
		return higherIsBetter ? value > best + margin : value < best - margin;
	}

}
