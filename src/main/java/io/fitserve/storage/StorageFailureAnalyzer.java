package io.fitserve.storage;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Prints storage start-up refusals (bad key, key vs. database mismatch) as a plain
 * "APPLICATION FAILED TO START".
 */
class StorageFailureAnalyzer extends AbstractFailureAnalyzer<StorageConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable root, StorageConfigurationException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
	}

}
