package io.fitserve.training;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The bounded training executor.
 *
 * @param maxConcurrentJobs jobs that train at the same time (each uses the BLAS threads set by
 * OMP_NUM_THREADS)
 * @param queueCapacity jobs that may wait; past that a new job is refused with 429
 */
@ConfigurationProperties("fitserve.training")
public record TrainingProperties(@DefaultValue("1") int maxConcurrentJobs, @DefaultValue("16") int queueCapacity) {

	public TrainingProperties {
		if (maxConcurrentJobs < 1) {
			throw new IllegalArgumentException("fitserve.training.max-concurrent-jobs must be >= 1");
		}
		if (queueCapacity < 0) {
			throw new IllegalArgumentException("fitserve.training.queue-capacity must be >= 0");
		}
	}

}
