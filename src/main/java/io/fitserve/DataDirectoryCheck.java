package io.fitserve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import io.fitserve.storage.StorageConfigurationException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

import org.springframework.stereotype.Component;

/**
 * Refuses to start on a database that does not match the data directory: dataset files
 * and model artifacts that the database does not know, when the database was created by
 * this very start (its file was deleted, truncated or replaced while the service was
 * stopped) or knows fewer of the files than it does not. Starting anyway would serve an
 * empty or stale catalogue while the data sits on disk. One stray file (a crash between
 * writing a file and recording it) is only logged. Runs as a Flyway callback, right after
 * the migrations and before anything reads the database or the web server starts.
 */
@Component
class DataDirectoryCheck implements Callback {

	private static final Log log = LogFactory.getLog(DataDirectoryCheck.class);

	private final StorageProperties storage;

	private volatile boolean freshDatabase;

	DataDirectoryCheck(StorageProperties storage) {
		this.storage = storage;
	}

	@Override
	public boolean supports(Event event, Context context) {
		return event == Event.BEFORE_MIGRATE || event == Event.AFTER_EACH_MIGRATE || event == Event.AFTER_MIGRATE;
	}

	@Override
	public boolean canHandleInTransaction(Event event, Context context) {
		return true;
	}

	@Override
	public String getCallbackName() {
		return "fitserve-data-directory-check";
	}

	@Override
	public void handle(Event event, Context context) {
		try {
			if (event == Event.BEFORE_MIGRATE) {
				freshDatabase = false;
			}
			else if (event == Event.AFTER_EACH_MIGRATE) {
				// this very start applied the first migration: the database was created
				// now. Flyway applies migrations under a lock (a table lock on H2, an
				// advisory lock on PostgreSQL), so of several replicas starting together
				// on one shared database exactly one sees this; the others, started a
				// moment later on tables that already exist, compare the files with the
				// rows as usual.
				MigrationInfo migration = context.getMigrationInfo();
				if (migration != null && migration.getVersion() != null
						&& "1".equals(migration.getVersion().getVersion())) {
					freshDatabase = true;
				}
			}
			else {
				check(context.getConnection());
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("could not compare the database with the data directory", ex);
		}
	}

	private void check(Connection connection) throws SQLException {
		Set<UUID> datasets = ids(connection, "SELECT id FROM dataset");
		Set<UUID> models = ids(connection, "SELECT id FROM trained_model");
		List<Path> unknown = new ArrayList<>();
		int known = unknownFiles(storage.datasetsDir(), datasets, unknown)
				+ unknownFiles(storage.modelsDir(), models, unknown);
		if (unknown.isEmpty()) {
			return;
		}
		boolean mismatch = freshDatabase || (unknown.size() >= 2 && unknown.size() > known);
		if (!mismatch) {
			log.warn("The data directory " + storage.dataDir().toAbsolutePath() + " holds " + unknown.size()
					+ " file(s) the database does not know (left by a crash while a dataset or model was being "
					+ "stored); they are ignored: " + unknown);
			return;
		}
		String url = connection.getMetaData().getURL();
		boolean h2 = url != null && url.startsWith("jdbc:h2:");
		Path db = storage.dataDir().resolve("db").toAbsolutePath();
		// a server database (PostgreSQL): named by its URL, without the query part (it
		// may carry credentials)
		String where = h2 ? "under " + db : "at " + (url == null ? "?" : url.replaceFirst("\\?.*$", ""));
		String description = "REFUSING TO START: the database " + where + " does not match the data directory "
				+ storage.dataDir().toAbsolutePath() + ". "
				+ (freshDatabase
						? "The database was just created (" + (h2 ? "its file was missing, truncated or " + "replaced"
								: "its tables did not exist: a new or emptied database") + "), "
						: "The database knows " + known + " of the stored files, ")
				+ "yet " + unknown.size() + " dataset file(s) and model artifact(s) there are unknown to it ("
				+ datasets.size() + " dataset(s) and " + models.size() + " model(s) in the database). "
				+ "Starting would silently hide that data. Unknown files: " + unknown;
		String action = "Stop, then either restore the database " + (h2 ? "files under " + db : where)
				+ " from a backup, or, to start over on purpose, move " + storage.datasetsDir().toAbsolutePath() + ", "
				+ storage.modelsDir().toAbsolutePath() + (h2 ? " and " + db + " out of the data directory"
						: " out of the data directory and drop the " + "database's tables")
				+ ".";
		// StorageFailureAnalyzer prints both as "APPLICATION FAILED TO START", without a
		// stack trace
		throw new StorageConfigurationException(description, action);
	}

	/**
	 * Adds the files of dir named after an id not in ids to unknown; returns how many are
	 * known.
	 */
	private static int unknownFiles(Path dir, Set<UUID> ids, List<Path> unknown) {
		if (!Files.isDirectory(dir)) {
			return 0;
		}
		int known = 0;
		try (Stream<Path> files = Files.list(dir)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				UUID id = idOf(file);
				if (id == null || !Files.isRegularFile(file)) {
					continue;
				}
				if (ids.contains(id)) {
					known++;
				}
				else {
					unknown.add(file.getFileName());
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not list " + dir, ex);
		}
		return known;
	}

	/**
	 * The id a stored file is named after ("<uuid>.<ext>"); null for temporary and other
	 * files.
	 */
	private static UUID idOf(Path file) {
		String name = file.getFileName().toString();
		if (name.length() < 37 || name.charAt(36) != '.' || name.endsWith(".tmp")) {
			return null;
		}
		try {
			return UUID.fromString(name.substring(0, 36));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static Set<UUID> ids(Connection connection, String sql) throws SQLException {
		Set<UUID> ids = new HashSet<>();
		try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
			while (rows.next()) {
				ids.add(rows.getObject(1, UUID.class));
			}
		}
		return ids;
	}

}
