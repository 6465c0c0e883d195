package io.fitserve.compute;

import java.util.Map;
import java.util.function.Consumer;

import io.fitserve.compute.ComputeProperties.Mode;

/**
 * Decides between ND4J's CPU and CUDA backends: the pure decision, with the CUDA check
 * behind {@link CudaProbe} and the log lines handed to the given sinks. Selecting never
 * touches ND4J itself.
 */
final class BackendSelector {

	/**
	 * ND4J's defaults when the environment does not set them (see {@code Nd4jBackend}).
	 */
	private static final int DEFAULT_CPU_PRIORITY = 0;

	private static final int DEFAULT_GPU_PRIORITY = 100;

	private final CudaProbe probe;

	private final Map<String, String> env;

	private final Consumer<String> info;

	private final Consumer<String> warn;

	BackendSelector(CudaProbe probe, Map<String, String> env, Consumer<String> info, Consumer<String> warn) {
		this.probe = probe;
		this.env = env;
		this.info = info;
		this.warn = warn;
	}

	/**
	 * Whether auto mode has to run the probe (and may take seconds): CUDA present and not
	 * outranked by the CPU.
	 */
	boolean needsProbe(Mode mode, boolean cudaOnClassPath) {
		return cudaOnClassPath && (mode == Mode.CUDA || (mode == Mode.AUTO && cpuOutranksGpu() == null));
	}

	/**
	 * @throws ComputeBackendException when the mode is {@code cuda} and CUDA cannot be
	 * used
	 */
	Selection select(Mode mode, boolean cudaOnClassPath) {
		Selection selection = decide(mode, cudaOnClassPath);
		if (selection.fallback()) {
			// the fallback's one line was logged as a warning
			return selection;
		}
		String line = "Compute backend: " + selection.name()
				+ (selection.device() == null ? "" : " (" + selection.device() + ")") + ": " + selection.reason();
		this.info.accept(line);
		return selection;
	}

	private Selection decide(Mode mode, boolean cudaOnClassPath) {
		if (mode == Mode.CPU) {
			return new Selection(Selection.CPU, null, "fitserve.compute.backend=cpu");
		}
		if (!cudaOnClassPath) {
			if (mode == Mode.CUDA) {
				throw new ComputeBackendException("fitserve.compute.backend=cuda, but ND4J's CUDA backend is not on "
						+ "the class path: build with ./mvnw -Pcuda package (see the README's \"CUDA\"), or set "
						+ "fitserve.compute.backend to auto or cpu");
			}
			return new Selection(Selection.CPU, null, "ND4J's CUDA backend is not on the class path");
		}
		if (mode == Mode.AUTO) {
			String outranked = cpuOutranksGpu();
			if (outranked != null) {
				return new Selection(Selection.CPU, null, outranked);
			}
		}
		CudaProbe.Result result;
		long start = System.nanoTime();
		try {
			result = this.probe.probe();
		}
		catch (RuntimeException ex) {
			result = CudaProbe.Result.failed(null, "the GPU check could not run: " + ex);
		}
		long ms = (System.nanoTime() - start) / 1_000_000;
		String device = result.device() == null ? "device unknown" : result.device();
		if (result.passed()) {
			return new Selection(Selection.CUDA, result.device(), "fitserve.compute.backend="
					+ mode.name().toLowerCase() + " and the GPU test operation passed (in " + ms + " ms)");
		}
		if (mode == Mode.CUDA) {
			throw new ComputeBackendException("fitserve.compute.backend=cuda, but CUDA cannot be used on " + device
					+ ": " + result.reason() + " (set fitserve.compute.backend to auto or cpu to train on the CPU)");
		}
		this.warn.accept("CUDA backend not usable on " + device + ": " + result.reason()
				+ "; falling back to CPU (GPU check took " + ms + " ms)");
		return new Selection(Selection.CPU, result.device(), "the GPU test operation failed: " + result.reason(), true);
	}

	/**
	 * A reason when BACKEND_PRIORITY_CPU / BACKEND_PRIORITY_GPU in the environment make
	 * ND4J prefer the CPU.
	 */
	private String cpuOutranksGpu() {
		int cpu = priority("BACKEND_PRIORITY_CPU", DEFAULT_CPU_PRIORITY);
		int gpu = priority("BACKEND_PRIORITY_GPU", DEFAULT_GPU_PRIORITY);
		if (cpu > gpu) {
			return "BACKEND_PRIORITY_CPU (" + cpu + ") outranks BACKEND_PRIORITY_GPU (" + gpu + ") in the environment";
		}
		return null;
	}

	private int priority(String name, int fallback) {
		String value = this.env.get(name);
		if (value == null || value.isBlank()) {
			return fallback;
		}
		try {
			return Integer.parseInt(value.trim());
		}
		catch (NumberFormatException ex) {
			// ND4J itself fails on such a value when it loads; leave the error to it
			return fallback;
		}
	}

}
