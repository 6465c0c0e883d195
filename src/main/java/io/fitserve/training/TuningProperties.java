package io.fitserve.training;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Hyperparameter searches share the training executor.
 *
 * @param maxActiveJobs tuning jobs queued or running at once, so searches never take
 * every training slot; beyond it a new search is refused with 429
 */
@ConfigurationProperties("fitserve.tuning")
public record TuningProperties(@DefaultValue("1") int maxActiveJobs) {
}
