package io.fitserve.compute;

/**
 * fitserve.compute.backend=cuda, but CUDA cannot be used: the service refuses to start.
 */
public class ComputeBackendException extends RuntimeException {

	public ComputeBackendException(String message) {
		super(message);
	}

}
