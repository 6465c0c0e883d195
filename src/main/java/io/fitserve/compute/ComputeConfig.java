package io.fitserve.compute;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.fitserve.compute.ComputeProperties.Mode;
import io.fitserve.ml.data.Blocks;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Chooses the compute backend at start-up, before anything can train: {@code cpu} at
 * once; {@code cuda} after the GPU check, refusing to start when it fails; {@code auto}
 * at once when the CUDA backend is not on the class path (the default build: no ND4J
 * class is touched), else after the GPU check, which then runs on a background thread so
 * that start-up is not held up by it (in a CUDA build the check's child JVM extracts ~900
 * MB of natives on a cold cache). Either way the choice is fixed, and ND4J told, before
 * {@link ComputeBackend#await()} returns.
 */
@Configuration(proxyBeanMethods = false)
class ComputeConfig {

	private static final Log log = LogFactory.getLog(ComputeBackend.class);

	@Bean
	ComputeBackend computeBackend(ComputeProperties properties) {
		return start(properties.backend(), Nd4jBackends.cudaOnClassPath(ComputeConfig.class.getClassLoader()),
				new ChildJvmCudaProbe(properties.probeTimeout()), System.getenv())
			.withBlasThreads(properties.resolvedBlasThreads(System.getenv()));
	}

	static ComputeBackend start(Mode mode, boolean cudaOnClassPath, CudaProbe probe, Map<String, String> env) {
		BackendSelector selector = new BackendSelector(probe, env, log::info, log::warn);
		if (mode == Mode.AUTO && selector.needsProbe(mode, cudaOnClassPath)) {
			CompletableFuture<Selection> future = new CompletableFuture<>();
			Thread thread = new Thread(() -> {
				try {
					future.complete(apply(selector.select(mode, true), true));
				}
				catch (Throwable ex) {
					log.error("Could not select the compute backend", ex);
					future.complete(apply(new Selection(Selection.CPU, null, "the GPU check failed: " + ex), true));
				}
			}, "fitserve-compute-backend");
			thread.setDaemon(true);
			thread.start();
			return new ComputeBackend(future);
		}
		return ComputeBackend.of(apply(selector.select(mode, cudaOnClassPath), cudaOnClassPath));
	}

	/** Tells ND4J which backend to load when both are on the class path. */
	private static Selection apply(Selection selection, boolean cudaOnClassPath) {
		if (cudaOnClassPath) {
			Nd4jBackends.use(selection.name());
		}
		return selection;
	}

	/**
	 * Caps the threads of training passes (fitserve.compute.training-threads) for this
	 * process, and lifts the cap when the context closes.
	 */
	@Bean
	TrainingThreads trainingThreads(ComputeProperties properties) {
		return new TrainingThreads(properties.resolvedTrainingThreads());
	}

	/** The cap set on {@link Blocks} while the application runs. */
	static final class TrainingThreads implements DisposableBean {

		TrainingThreads(int threads) {
			Blocks.limitThreads(threads);
			if (threads > 0) {
				log.info("Training passes use at most " + Blocks.threads() + " thread(s) of "
						+ Blocks.threadsAvailable() + " available processors (fitserve.compute.training-threads)");
			}
		}

		@Override
		public void destroy() {
			Blocks.limitThreads(0);
		}

	}

	@Bean
	InfoContributor computeInfoContributor(ComputeBackend backend) {
		return builder -> {
			Map<String, Object> details = new LinkedHashMap<>();
			backend.current().ifPresentOrElse(selection -> {
				details.put("backend", selection.name());
				if (selection.device() != null) {
					details.put("device", selection.device());
				}
				details.put("reason", selection.reason());
			}, () -> details.put("backend", "pending (GPU check running)"));
			builder.withDetail("compute", details);
		};
	}

}
