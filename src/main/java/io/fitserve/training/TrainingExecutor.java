package io.fitserve.training;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * A bounded pool for training: max-concurrent-jobs threads and room for queue-capacity waiting
 * jobs. A slot is reserved before a job is created, so a refused request leaves nothing behind.
 *
 * <p>
 * It is the first thing to stop when the context closes (the highest lifecycle phase, before the
 * web server drains): it stops taking jobs, asks running ones to stop at their next batch or
 * epoch boundary (they go back to the queue, see {@link TrainingRunner}), leaves waiting ones
 * queued in the database, and waits for the threads up to
 * {@code spring.lifecycle.timeout-per-shutdown-phase}.
 */
@Component
class TrainingExecutor implements SmartLifecycle, DisposableBean {

	private static final Log log = LogFactory.getLog(TrainingExecutor.class);

	private final ThreadPoolExecutor pool;

	private final int capacity;

	private final AtomicInteger reserved = new AtomicInteger();

	private final LiveProgress live;

	private final Duration shutdownTimeout;

	private volatile boolean shuttingDown;

	private volatile boolean running;

	TrainingExecutor(TrainingProperties properties, LiveProgress live,
			@Value("${spring.lifecycle.timeout-per-shutdown-phase:30s}") Duration shutdownTimeout) {
		AtomicInteger counter = new AtomicInteger();
		this.pool = new ThreadPoolExecutor(properties.maxConcurrentJobs(), properties.maxConcurrentJobs(), 0,
				TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
					Thread t = new Thread(r, "fitserve-train-" + counter.incrementAndGet());
					t.setDaemon(true);
					return t;
				});
		this.capacity = properties.maxConcurrentJobs() + properties.queueCapacity();
		this.live = live;
		this.shutdownTimeout = shutdownTimeout;
	}

	/** Reserves a slot; false when the executor is full or shutting down. */
	boolean tryReserve() {
		while (!shuttingDown) {
			int now = reserved.get();
			if (now >= capacity) {
				return false;
			}
			if (reserved.compareAndSet(now, now + 1)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Reserves a slot even past the capacity: for jobs acknowledged by an earlier process, which
	 * must run whatever the queue holds now.
	 */
	void reserveForRecovery() {
		reserved.incrementAndGet();
	}

	void release() {
		reserved.decrementAndGet();
	}

	/**
	 * Runs the work on a reserved slot and frees the slot when it ends. Once the pool is shut down
	 * the work is dropped: the job row stays queued and the next start runs it.
	 */
	void execute(Runnable work) {
		try {
			pool.execute(() -> {
				try {
					work.run();
				}
				finally {
					release();
				}
			});
		}
		catch (RejectedExecutionException ex) {
			release();
			log.info("Training executor shut down; the job stays queued and runs at the next start");
		}
	}

	/** Jobs waiting in this process's pool for a slot (the queue-depth gauge). */
	int waiting() {
		return pool.getQueue().size();
	}

	/** Slots running a job now. */
	int active() {
		return pool.getActiveCount();
	}

	boolean shuttingDown() {
		return shuttingDown;
	}

	@Override
	public void start() {
		running = true;
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** Stops before the web server (the default, highest phase stops first). */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE;
	}

	@Override
	public void stop() {
		shuttingDown = true;
		running = false;
		live.requestShutdownStop();
		pool.shutdown();
		try {
			if (!pool.awaitTermination(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
				log.warn("Training still running after " + shutdownTimeout
						+ " (spring.lifecycle.timeout-per-shutdown-phase); the job stays running in the database and "
						+ "runs again, as its next attempt, at the next start");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void destroy() {
		shuttingDown = true;
		pool.shutdownNow();
	}

}
