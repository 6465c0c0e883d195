package io.fitserve.compute;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which ND4J backend trains models.
 *
 * @param backend {@code auto} (CUDA when the CUDA backend is on the class path and a test
 * operation on the GPU passes, CPU otherwise), {@code cpu} (never touches CUDA) or
 * {@code cuda} (refuses to start unless the GPU passes the test operation)
 * @param probeTimeout how long the GPU test operation (run in a child JVM) may take,
 * native extraction included
 * @param preload load ND4J's native backend in the background once the service is up
 * ({@link Nd4jPreload}), so the first training job does not spend about a second on it;
 * off for a process that only serves predictions, which never loads it
 * @param blasThreads threads of OpenBLAS's matrix products (MLP and kernel SVM training);
 * unset: 1, unless the OMP_NUM_THREADS environment variable is set, which ND4J then
 * follows as before
 * @param trainingThreads most threads a training job's passes over the data use (L-BFGS
 * and the other full-batch passes, preprocessing, normal equations, an MLP's two-part
 * mini-batches, the trees of an ensemble); unset: one per available processor. 1 keeps a
 * job on its own thread, leaving the other cores to serving; models come out the same
 * either way
 * @param warmUp once ND4J is preloaded, train a small MLP and a logistic regression on
 * generated rows in the background ({@link io.fitserve.ml.nn.Warmup}), so that the JIT
 * compiler has compiled the training loops before the first job; once per process, and
 * only with {@code preload}
 */
@ConfigurationProperties("fitserve.compute")
public record ComputeProperties(@DefaultValue("auto") Mode backend, @DefaultValue("180s") Duration probeTimeout,
		@DefaultValue("true") boolean preload, Integer blasThreads, Integer trainingThreads,
		@DefaultValue("true") boolean warmUp) {

	public ComputeProperties {
		if (blasThreads != null && blasThreads < 1) {
			throw new IllegalArgumentException("fitserve.compute.blas-threads must be at least 1, not " + blasThreads);
		}
		if (trainingThreads != null && trainingThreads < 1) {
			throw new IllegalArgumentException(
					"fitserve.compute.training-threads must be at least 1, not " + trainingThreads);
		}
	}

	/** The threads cap for training passes: the setting, or 0 (none) when unset. */
	public int resolvedTrainingThreads() {
		return (this.trainingThreads != null) ? this.trainingThreads : 0;
	}

	/**
	 * The OpenBLAS threads to set once ND4J is loaded: the setting, else 1 where the
	 * environment does not set OMP_NUM_THREADS; 0 to leave ND4J's own choice (which
	 * follows OMP_NUM_THREADS).
	 */
	public int resolvedBlasThreads(java.util.Map<String, String> env) {
		if (this.blasThreads != null) {
			return this.blasThreads;
		}
		String omp = env.get("OMP_NUM_THREADS");
		return (omp == null || omp.isBlank()) ? 1 : 0;
	}

	/** The configured choice. */
	public enum Mode {

		AUTO, CPU, CUDA

	}

}
