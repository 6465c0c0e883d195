package io.fitserve;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Several replicas on one PostgreSQL database and one shared data directory (see the
 * README's "PostgreSQL and replicas"). With one process on H2 the defaults change nothing
 * that a user sees.
 *
 * @param cancelCheckInterval how often a running training job re-reads its cancel flag
 * from the database, so a cancel received by another replica stops it within about this
 * long (plus one batch)
 * @param modelCheckInterval how long a replica serves a cached model before checking
 * again that its row still exists, so a model deleted through another replica stops
 * serving here within this long
 * @param replicaName this replica's name, recorded as the worker of each training job it
 * runs; unset: host name and process id ({@code host-1234})
 * @param orphanMinAge at start-up, temporary and unrecorded files in the data directory
 * are removed only when not modified for this long (another replica may be writing them);
 * unset: 0 on H2 (one process owns the directory), 15 minutes on any other database
 */
@ConfigurationProperties("fitserve.cluster")
public record ClusterProperties(@DefaultValue("1s") Duration cancelCheckInterval,
		@DefaultValue("5s") Duration modelCheckInterval, Duration orphanMinAge, String replicaName) {

	/** The default of orphanMinAge on a shared database. */
	public static final Duration SHARED_ORPHAN_MIN_AGE = Duration.ofMinutes(15);

	/** replicaName, or host name and process id. */
	public String replica() {
		if (replicaName != null && !replicaName.isBlank()) {
			return replicaName.strip();
		}
		String host;
		try {
			host = java.net.InetAddress.getLocalHost().getHostName();
		}
		catch (java.io.IOException ex) {
			host = "localhost";
		}
		return host + "-" + ProcessHandle.current().pid();
	}

	/** orphanMinAge, or its default for the database at datasourceUrl. */
	public Duration orphanMinAge(String datasourceUrl) {
		if (orphanMinAge != null) {
			return orphanMinAge;
		}
		return datasourceUrl == null || datasourceUrl.startsWith("jdbc:h2:") ? Duration.ZERO : SHARED_ORPHAN_MIN_AGE;
	}

}
