package io.fitserve.training;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.fitserve.errors.DomainException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent event streams of job state. Each open stream is a task on one small shared
 * scheduler that polls its job (database row, and this replica's live progress when it
 * runs the job) every poll interval, sends what changed, a heartbeat comment when idle,
 * and ends after a terminal status; at most max-streams are open per replica.
 */
@Component
public class JobEvents implements SmartLifecycle {

	private static final Log log = LogFactory.getLog(JobEvents.class);

	private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	/** One SSE event: its name and its JSON data. */
	public record Event(String name, Object data) {
	}

	/**
	 * What one poll found: the events to send, in order, and whether the stream ends
	 * after them.
	 */
	public record Tick(List<Event> events, boolean last) {
	}

	/**
	 * Reads a job's state once per call and returns what changed since the previous call
	 * (all of it the first time).
	 */
	public interface Poller {

		Tick poll();

	}

	private final JobEventsProperties properties;

	private final ScheduledThreadPoolExecutor scheduler;

	private final Semaphore permits;

	private final Set<Stream> open = ConcurrentHashMap.newKeySet();

	private volatile boolean running;

	JobEvents(JobEventsProperties properties) {
		this.properties = properties;
		this.permits = new Semaphore(properties.maxStreams());
		AtomicInteger threads = new AtomicInteger();
		ThreadFactory factory = r -> {
			Thread t = new Thread(r, "job-events-" + threads.incrementAndGet());
			t.setDaemon(true);
			return t;
		};
		this.scheduler = new ScheduledThreadPoolExecutor(properties.threads(), factory);
		this.scheduler.setRemoveOnCancelPolicy(true);
	}

	/** Opens a stream fed by poller; 429 when this replica already serves max-streams. */
	public SseEmitter open(Poller poller) {
		if (!permits.tryAcquire()) {
			throw DomainException.tooBusy(
					"This replica already serves " + properties.maxStreams()
							+ " event streams (fitserve.events.max-streams); retry later or poll the job resource.",
					RETRY_AFTER);
		}
		// the emitter's own timeout is a backstop: the stream ends itself at max-duration
		SseEmitter emitter = new SseEmitter(properties.maxDuration().toMillis() + 30_000);
		Stream stream = new Stream(emitter, poller);
		open.add(stream);
		emitter.onCompletion(stream::close);
		emitter.onTimeout(() -> {
			stream.close();
			emitter.complete();
		});
		emitter.onError(ex -> stream.close());
		try {
			stream.future = scheduler.scheduleWithFixedDelay(stream, 0, properties.pollInterval().toMillis(),
					TimeUnit.MILLISECONDS);
			if (stream.closed.get()) {
				// the first poll already ended it, before the future was known to close()
				stream.future.cancel(false);
			}
		}
		catch (RuntimeException ex) {
			stream.close();
			throw ex;
		}
		return emitter;
	}

	/** Streams open now (for tests and metrics). */
	int openStreams() {
		return open.size();
	}

	private final class Stream implements Runnable {

		private final SseEmitter emitter;

		private final Poller poller;

		private final AtomicBoolean closed = new AtomicBoolean();

		private final long deadline;

		private volatile ScheduledFuture<?> future;

		private long lastSent = System.nanoTime();

		Stream(SseEmitter emitter, Poller poller) {
			this.emitter = emitter;
			this.poller = poller;
			this.deadline = System.nanoTime() + properties.maxDuration().toNanos();
		}

		@Override
		public void run() {
			if (closed.get()) {
				return;
			}
			try {
				Tick tick = poller.poll();
				long now = System.nanoTime();
				for (Event event : tick.events()) {
					emitter.send(SseEmitter.event().name(event.name()).data(event.data(), MediaType.APPLICATION_JSON));
					lastSent = now;
				}
				if (tick.last() || now - deadline >= 0) {
					end();
					return;
				}
				if (now - lastSent >= properties.heartbeatInterval().toNanos()) {
					emitter.send(SseEmitter.event().comment("heartbeat"));
					lastSent = now;
				}
			}
			catch (IOException | IllegalStateException ex) {
				// the client went away (or the emitter was completed meanwhile)
				close();
			}
			catch (RuntimeException ex) {
				log.warn("Job event stream stopped: " + ex);
				end();
			}
		}

		void end() {
			close();
			try {
				emitter.complete();
			}
			catch (RuntimeException ex) {
				// already completed
			}
		}

		void close() {
			if (closed.compareAndSet(false, true)) {
				ScheduledFuture<?> f = future;
				if (f != null) {
					f.cancel(false);
				}
				open.remove(this);
				permits.release();
			}
		}

	}

	@Override
	public void start() {
		running = true;
	}

	/**
	 * Ends every stream before the web server's graceful shutdown, which would otherwise
	 * wait for them.
	 */
	@Override
	public void stop() {
		running = false;
		for (Stream stream : List.copyOf(open)) {
			stream.end();
		}
		scheduler.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** Above the web server's graceful-shutdown phase, so it stops first. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 512;
	}

}
