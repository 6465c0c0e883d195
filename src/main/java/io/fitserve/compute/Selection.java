package io.fitserve.compute;

/**
 * The backend this process trains with.
 *
 * @param name {@code cpu} or {@code cuda}
 * @param device the GPU's name and compute capability when known (also when a GPU was
 * found but not used), else null
 * @param reason why this backend was chosen
 * @param fallback whether CUDA was wanted (auto with the CUDA backend present) but failed
 * its check
 */
public record Selection(String name, String device, String reason, boolean fallback) {

	public Selection(String name, String device, String reason) {
		this(name, device, reason, false);
	}

	public static final String CPU = "cpu";

	public static final String CUDA = "cuda";

	boolean cuda() {
		return CUDA.equals(this.name);
	}

}
