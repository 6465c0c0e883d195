package io.fitserve.storage;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;

/**
 * Replaces the 100-line stack trace of a second fitserve started on a data directory
 * whose H2 file another process holds (H2's file mode allows one process per database
 * file) with what happened and what to do.
 */
class DatabaseInUseFailureAnalyzer implements FailureAnalyzer {

	/** H2's ErrorCode.DATABASE_ALREADY_OPEN_1: "Database may be already in use". */
	static final int DATABASE_ALREADY_OPEN = 90020;

	private static final Pattern QUOTED_FILE = Pattern.compile("\"([^\"]+)\"");

	private final Environment environment;

	DatabaseInUseFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	public FailureAnalysis analyze(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
			if (t instanceof SQLException sql && (sql.getErrorCode() == DATABASE_ALREADY_OPEN
					|| String.valueOf(sql.getMessage()).contains("Database may be already in use"))) {
				return analysis(sql.getMessage(), failure);
			}
		}
		return null;
	}

	private FailureAnalysis analysis(String message, Throwable failure) {
		Matcher file = QUOTED_FILE.matcher(String.valueOf(message));
		String dataDir = environment.getProperty("fitserve.storage.data-dir", "./data");
		String absolute = Path.of(dataDir).toAbsolutePath().normalize().toString();
		String description = "The database " + (file.find() ? file.group(1) + " " : "") + "is in use by another "
				+ "process: another fitserve is probably running on the data directory " + absolute
				+ ". H2's file mode lets one process at a time use it.";
		String action = "Stop the other fitserve (the one on " + dataDir + "), or start this one with a data directory "
				+ "of its own, --fitserve.storage.data-dir=<dir> (env FITSERVE_STORAGE_DATA_DIR), and, while the other "
				+ "one runs, a different port, --server.port=<port> (env SERVER_PORT or PORT). Replicas that share "
				+ "data need PostgreSQL (see the README's \"PostgreSQL and replicas\").";
		return new FailureAnalysis(description, action, failure);
	}

}
