package io.fitserve.training;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Live job event streams ({@code GET /api/v1/training-jobs/{id}/events} and the
 * tuning-job twin).
 *
 * @param maxStreams open streams this replica serves at once; one more is refused with
 * 429
 * @param pollInterval how often each stream reads its job's row (and this replica's live
 * progress): the bound on how late an event can be
 * @param heartbeatInterval a comment line is sent after this long without an event, so
 * proxies keep the connection
 * @param maxDuration a stream still open after this long is ended (the client reconnects
 * and gets the current state)
 * @param threads scheduler threads shared by every stream (never one per stream)
 */
@ConfigurationProperties("fitserve.events")
public record JobEventsProperties(@DefaultValue("64") int maxStreams, @DefaultValue("500ms") Duration pollInterval,
		@DefaultValue("15s") Duration heartbeatInterval, @DefaultValue("1h") Duration maxDuration,
		@DefaultValue("2") int threads) {

	public JobEventsProperties {
		if (maxStreams < 0) {
			throw new IllegalArgumentException("fitserve.events.max-streams must be >= 0");
		}
		if (pollInterval.toMillis() < 10 || heartbeatInterval.toMillis() < 100 || maxDuration.toMillis() < 1000) {
			throw new IllegalArgumentException("fitserve.events.poll-interval must be >= 10ms, heartbeat-interval "
					+ ">= 100ms and max-duration >= 1s");
		}
		if (threads < 1) {
			throw new IllegalArgumentException("fitserve.events.threads must be >= 1");
		}
	}

}
