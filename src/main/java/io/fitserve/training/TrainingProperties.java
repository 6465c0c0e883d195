package io.fitserve.training;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The bounded training executor.
 *
 * @param maxConcurrentJobs jobs that train at the same time (each uses the BLAS threads
 * set by OMP_NUM_THREADS)
 * @param queueCapacity jobs that may wait; past that a new job is refused with 429
 * @param maxParameters most weights and biases a model may have (checked when a job is
 * submitted)
 * @param maxWork most passes (epochs, trees or boosting iterations) x training rows x
 * fits (folds + 1 with cross-validation, + 1 for a refit on every row) a job may ask for
 * @param maxEncodedFeatures most input columns after one-hot encoding
 * @param maxCategories most distinct values of one categorical feature
 * @param maxAttempts runs a job gets when a stopped process cut the earlier ones short; a
 * job found running at start-up after its last attempt is failed instead of run again
 */
@ConfigurationProperties("fitserve.training")
public record TrainingProperties(@DefaultValue("1") int maxConcurrentJobs, @DefaultValue("16") int queueCapacity,
		@DefaultValue("5000000") long maxParameters, @DefaultValue("2000000000") long maxWork,
		@DefaultValue("20000") int maxEncodedFeatures, @DefaultValue("10000") int maxCategories,
		@DefaultValue("3") int maxAttempts) {

	public TrainingProperties {
		if (maxConcurrentJobs < 1) {
			throw new IllegalArgumentException("fitserve.training.max-concurrent-jobs must be >= 1");
		}
		if (queueCapacity < 0) {
			throw new IllegalArgumentException("fitserve.training.queue-capacity must be >= 0");
		}
		if (maxParameters < 1 || maxWork < 1 || maxEncodedFeatures < 1 || maxCategories < 1) {
			throw new IllegalArgumentException("fitserve.training.max-parameters, max-work, max-encoded-features and "
					+ "max-categories must be >= 1");
		}
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("fitserve.training.max-attempts must be >= 1");
		}
	}

}
