package io.fitserve.training;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * A bounded pool for training: max-concurrent-jobs threads and room for queue-capacity waiting
 * jobs. A slot is reserved before a job is created, so a refused request leaves nothing behind.
 */
@Component
class TrainingExecutor implements DisposableBean {

	private static final Log log = LogFactory.getLog(TrainingExecutor.class);

	private final ThreadPoolExecutor pool;

	private final Semaphore slots;

	private volatile boolean shuttingDown;

	TrainingExecutor(TrainingProperties properties) {
		AtomicInteger counter = new AtomicInteger();
		this.pool = new ThreadPoolExecutor(properties.maxConcurrentJobs(), properties.maxConcurrentJobs(), 0,
				TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
					Thread t = new Thread(r, "fitserve-train-" + counter.incrementAndGet());
					t.setDaemon(true);
					return t;
				});
		this.slots = new Semaphore(properties.maxConcurrentJobs() + properties.queueCapacity());
	}

	/** Reserves a slot; false when the executor is full. */
	boolean tryReserve() {
		return !shuttingDown && slots.tryAcquire();
	}

	void release() {
		slots.release();
	}

	/** Runs the work on a reserved slot and frees the slot when it ends. */
	void execute(Runnable work) {
		pool.execute(() -> {
			try {
				work.run();
			}
			finally {
				slots.release();
			}
		});
	}

	boolean shuttingDown() {
		return shuttingDown;
	}

	@Override
	public void destroy() throws InterruptedException {
		shuttingDown = true;
		pool.shutdown();
		if (!pool.awaitTermination(15, TimeUnit.SECONDS)) {
			log.warn("Training jobs still running at shutdown; they will be marked failed at the next start");
			pool.shutdownNow();
		}
	}

}
