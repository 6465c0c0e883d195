package io.fitserve.compute;

/**
 * Runs a small test operation on the GPU through ND4J's CUDA backend, in a way that
 * cannot harm this process.
 */
@FunctionalInterface
public interface CudaProbe {

	Result probe();

	/**
	 * @param passed whether the test operation ran and gave the expected values
	 * @param device the device's name and compute capability, or null when it could not
	 * be read
	 * @param reason why it failed (null when it passed)
	 */
	record Result(boolean passed, String device, String reason) {

		static Result passed(String device) {
			return new Result(true, device, null);
		}

		static Result failed(String device, String reason) {
			return new Result(false, device, reason);
		}

	}

}
