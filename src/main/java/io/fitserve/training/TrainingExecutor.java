package io.fitserve.training;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.kagkarlsson.scheduler.Scheduler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This replica's training slots: the threads db-scheduler runs training and tuning jobs
 * on (fitserve.training.max-concurrent-jobs of them), and their orderly stop.
 *
 * <p>
 * It is the first thing to stop when the context closes (the highest lifecycle phase,
 * before the web server drains): it stops taking jobs (the scheduler is paused), asks
 * running ones to stop at their next batch or epoch boundary (they go back to the queue,
 * see {@link TrainingRunner}, and another replica or the next start runs them), and waits
 * for the threads up to {@code spring.lifecycle.timeout-per-shutdown-phase}. db-scheduler
 * itself stops when its bean is destroyed, after this.
 */
@Component
public class TrainingExecutor implements SmartLifecycle, DisposableBean {

	private static final Log log = LogFactory.getLog(TrainingExecutor.class);

	private final ExecutorService pool;

	private final LiveProgress live;

	private final Duration shutdownTimeout;

	private final ObjectProvider<Scheduler> scheduler;

	private final AtomicInteger busy = new AtomicInteger();

	private volatile boolean shuttingDown;

	private volatile boolean running;

	TrainingExecutor(TrainingProperties properties, LiveProgress live,
			@Value("${spring.lifecycle.timeout-per-shutdown-phase:30s}") Duration shutdownTimeout,
			ObjectProvider<Scheduler> scheduler) {
		AtomicInteger counter = new AtomicInteger();
		this.pool = Executors.newFixedThreadPool(properties.maxConcurrentJobs(), r -> {
			Thread t = new Thread(r, "fitserve-train-" + counter.incrementAndGet());
			t.setDaemon(true);
			return t;
		});
		this.live = live;
		this.shutdownTimeout = shutdownTimeout;
		this.scheduler = scheduler;
	}

	/** The threads db-scheduler executes jobs on (see JobEngineConfig). */
	ExecutorService pool() {
		return pool;
	}

	/** Wraps one job's run so the busy-slots gauge counts it. */
	public void running(Runnable work) {
		busy.incrementAndGet();
		try {
			work.run();
		}
		finally {
			busy.decrementAndGet();
		}
	}

	/** Slots running a job now. */
	int active() {
		return busy.get();
	}

	public boolean shuttingDown() {
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
		Scheduler jobs = scheduler.getIfAvailable();
		if (jobs != null) {
			jobs.pause();
		}
		live.requestShutdownStop();
		long deadline = System.nanoTime() + shutdownTimeout.toNanos();
		try {
			while (busy.get() > 0 && System.nanoTime() < deadline) {
				TimeUnit.MILLISECONDS.sleep(20);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (busy.get() > 0) {
			log.warn("Training still running after " + shutdownTimeout
					+ " (spring.lifecycle.timeout-per-shutdown-phase); the job stays running in the database and "
					+ "runs again, as its next attempt, on another replica or at the next start");
		}
	}

	@Override
	public void destroy() {
		shuttingDown = true;
		pool.shutdownNow();
	}

}
