package io.fitserve.compute;

import io.fitserve.ml.nn.Warmup;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Loads ND4J's native backend in the background once the service is up
 * ({@code fitserve.compute.preload}). ND4J loads its native libraries and classes on
 * first use, which took 0.7 to 0.95 s here: the first training job after a start paid for
 * it (2.5 s for a logistic regression on 200k rows that then takes 0.4 s). Start-up and
 * health do not wait for it; a job that starts meanwhile waits on the same class
 * initialization, never for longer than loading it alone would take. Then, with
 * {@code fitserve.compute.warm-up}, the same thread trains on generated rows once
 * ({@link Warmup}), so that the first job runs compiled code.
 */
@Component
class Nd4jPreload {

	private static final Log log = LogFactory.getLog(Nd4jPreload.class);

	private final ComputeProperties properties;

	private final ComputeBackend backend;

	Nd4jPreload(ComputeProperties properties, ComputeBackend backend) {
		this.properties = properties;
		this.backend = backend;
	}

	@EventListener(ApplicationReadyEvent.class)
	void start() {
		if (!this.properties.preload()) {
			return;
		}
		Thread thread = new Thread(() -> {
			if (load() >= 0 && this.properties.warmUp()) {
				warmUp();
			}
		}, "fitserve-nd4j-preload");
		thread.setDaemon(true);
		thread.start();
	}

	/**
	 * Trains on generated rows once per process ({@link Warmup}) and logs how long it
	 * took.
	 */
	void warmUp() {
		try {
			long start = System.nanoTime();
			if (Warmup.runOnce() && log.isInfoEnabled()) {
				log.info("Training code warmed up in " + (System.nanoTime() - start) / 1_000_000
						+ " ms (fitserve.compute.warm-up)");
			}
		}
		catch (RuntimeException | LinkageError ex) {
			log.warn("Training warm-up failed: " + ex);
		}
	}

	/** Loads the backend the selection chose; the milliseconds it took. */
	long load() {
		try {
			// the GPU check (when there is one) picks the backend ND4J then loads
			this.backend.loadNd4j();
			long start = System.nanoTime();
			INDArray a = Nd4j.create(new double[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
			double check = a.mmul(a).getDouble(0, 0);
			long millis = (System.nanoTime() - start) / 1_000_000;
			if (check != 7.0) {
				log.warn("ND4J preload: a 2 x 2 product gave " + check + " where 7 was expected");
			}
			else if (log.isInfoEnabled()) {
				log.info("ND4J " + Nd4j.getBackend().getClass().getSimpleName() + " loaded in " + millis
						+ " ms (fitserve.compute.preload)");
			}
			return millis;
		}
		catch (RuntimeException | LinkageError ex) {
			// the first job then loads it, and reports what fails
			log.warn("ND4J preload failed: " + ex);
			return -1;
		}
	}

}
