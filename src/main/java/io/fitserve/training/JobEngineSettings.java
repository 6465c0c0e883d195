package io.fitserve.training;

import java.time.Duration;

import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerProperties;

import org.springframework.stereotype.Component;

/**
 * The db-scheduler settings fitserve's own cluster bookkeeping follows (see
 * {@link Replicas}).
 */
@Component
class JobEngineSettings {

	private final Duration heartbeatInterval;

	private final int missedHeartbeatsLimit;

	JobEngineSettings(DbSchedulerProperties properties) {
		this.heartbeatInterval = properties.getHeartbeatInterval();
		this.missedHeartbeatsLimit = properties.getMissedHeartbeatsLimit();
	}

	Duration heartbeatInterval() {
		return heartbeatInterval;
	}

	/** How long a replica's heartbeat may be missing before its jobs are taken over. */
	Duration deadAfter() {
		return heartbeatInterval.multipliedBy(missedHeartbeatsLimit);
	}

}
