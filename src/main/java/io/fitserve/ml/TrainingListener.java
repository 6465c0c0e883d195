package io.fitserve.ml;

/** Observes training and can stop it. */
public interface TrainingListener {

	/** Called after each epoch; return false to stop (cancel). */
	boolean onEpoch(EpochLoss loss, int epochs);

	/** Polled between mini-batches; true stops training now. */
	default boolean cancelled() {
		return false;
	}

}
