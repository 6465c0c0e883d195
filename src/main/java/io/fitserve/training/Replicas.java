package io.fitserve.training;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.fitserve.ClusterProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The replicas alive now and the job slots each brings (table cluster_replica): each
 * replica writes its row at start, refreshes it every db-scheduler heartbeat interval and
 * deletes it when it stops. A replica whose row was not refreshed for
 * missed-heartbeats-limit intervals (the time after which db-scheduler also takes its
 * jobs over) no longer counts.
 */
@Component
class Replicas implements SmartLifecycle {

	private static final Log log = LogFactory.getLog(Replicas.class);

	/** Rows of replicas gone this long are removed. */
	private static final Duration FORGET_AFTER = Duration.ofHours(1);

	private final JdbcTemplate jdbc;

	private final String name;

	private final int slots;

	private final int queueCapacity;

	private final Duration heartbeat;

	private final Duration deadAfter;

	private ScheduledExecutorService timer;

	private volatile boolean running;

	Replicas(JdbcTemplate jdbc, ClusterProperties cluster, TrainingProperties training, JobEngineSettings engine) {
		this.jdbc = jdbc;
		this.name = cluster.replica();
		this.slots = training.maxConcurrentJobs();
		this.queueCapacity = training.queueCapacity();
		this.heartbeat = engine.heartbeatInterval();
		this.deadAfter = engine.deadAfter();
	}

	/** This replica's share of the cluster's capacity: its slots and its queue. */
	int ownCapacity() {
		return slots + queueCapacity;
	}

	/**
	 * Jobs the cluster may hold queued or running: this replica's capacity plus that of
	 * every other replica whose heartbeat is recent.
	 */
	long clusterCapacity() {
		Long others = jdbc.queryForObject(
				"SELECT COALESCE(SUM(slots + queue_capacity), 0) FROM cluster_replica WHERE name <> ? AND heartbeat_at > ?",
				Long.class, name, Timestamp.from(Instant.now().minus(deadAfter)));
		return ownCapacity() + (others == null ? 0 : others);
	}

	void beat() {
		Timestamp now = Timestamp.from(Instant.now());
		int updated = jdbc.update(
				"UPDATE cluster_replica SET heartbeat_at = ?, slots = ?, queue_capacity = ? WHERE name = ?", now, slots,
				queueCapacity, name);
		if (updated == 0) {
			jdbc.update("INSERT INTO cluster_replica (name, slots, queue_capacity, started_at, heartbeat_at) "
					+ "VALUES (?, ?, ?, ?, ?)", name, slots, queueCapacity, now, now);
		}
		jdbc.update("DELETE FROM cluster_replica WHERE heartbeat_at < ?",
				Timestamp.from(Instant.now().minus(FORGET_AFTER)));
	}

	private void beatQuietly() {
		try {
			beat();
		}
		catch (RuntimeException ex) {
			// the database is down or busy: the next beat tries again (health says why)
			log.debug("Could not refresh this replica's heartbeat: " + ex);
		}
	}

	@Override
	public void start() {
		beatQuietly();
		timer = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "fitserve-replica-heartbeat");
			t.setDaemon(true);
			return t;
		});
		timer.scheduleWithFixedDelay(this::beatQuietly, heartbeat.toMillis(), heartbeat.toMillis(),
				TimeUnit.MILLISECONDS);
		running = true;
	}

	@Override
	public void stop() {
		running = false;
		if (timer != null) {
			timer.shutdownNow();
		}
		try {
			jdbc.update("DELETE FROM cluster_replica WHERE name = ?", name);
		}
		catch (RuntimeException ex) {
			log.debug("Could not remove this replica's row: " + ex);
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/**
	 * Stops after the training executor (a lower phase stops later), so capacity counts
	 * it while it drains.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 1;
	}

}
