package io.fitserve.compute;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Prints the refusal of fitserve.compute.backend=cuda as a plain "APPLICATION FAILED TO
 * START".
 */
class ComputeFailureAnalyzer extends AbstractFailureAnalyzer<ComputeBackendException> {

	@Override
	protected FailureAnalysis analyze(Throwable root, ComputeBackendException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Run on a GPU that passes the check (see the README's "
						+ "\"CUDA\"), or set fitserve.compute.backend (env FITSERVE_COMPUTE_BACKEND) to auto or cpu.",
				cause);
	}

}
