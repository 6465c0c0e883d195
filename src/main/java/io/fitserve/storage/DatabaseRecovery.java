package io.fitserve.storage;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.support.PersistenceExceptionTranslator;
import org.springframework.stereotype.Component;

/**
 * Brings the database back after H2 closed itself. When a write fails (typically ENOSPC:
 * the disk is full) H2's MVStore "panics" and closes the database; every pooled
 * connection then answers "The database has been closed" (90098) forever, even once space
 * is freed, because H2's {@code Connection.isValid} does not notice and the pool keeps
 * handing them out. Seen through the repositories' exception translation (which consults
 * every {@link PersistenceExceptionTranslator} bean), such an error makes the pool
 * discard its connections, so the next ones reopen the database file, which H2 recovers
 * to its last complete commit. Translates nothing itself.
 */
@Component
class DatabaseRecovery implements PersistenceExceptionTranslator {

	/** H2's ErrorCode.DATABASE_IS_CLOSED. */
	static final int DATABASE_IS_CLOSED = 90098;

	private static final Log log = LogFactory.getLog(DatabaseRecovery.class);

	private final ObjectProvider<DataSource> dataSource;

	private final AtomicLong evictions = new AtomicLong();

	DatabaseRecovery(ObjectProvider<DataSource> dataSource) {
		this.dataSource = dataSource;
	}

	@Override
	public DataAccessException translateExceptionIfPossible(RuntimeException ex) {
		if (isDatabaseClosed(ex)) {
			recover();
		}
		return null;
	}

	static boolean isDatabaseClosed(Throwable ex) {
		for (Throwable t = ex; t != null && t.getCause() != t; t = t.getCause()) {
			if (t instanceof SQLException sql && sql.getErrorCode() == DATABASE_IS_CLOSED) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Discards the pool's connections (those in use when they are returned); new ones
	 * reopen the database.
	 */
	void recover() {
		DataSource ds = dataSource.getIfAvailable();
		HikariPoolMXBean pool = null;
		try {
			if (ds instanceof HikariDataSource hikari) {
				pool = hikari.getHikariPoolMXBean();
			}
			else if (ds != null && ds.isWrapperFor(HikariDataSource.class)) {
				pool = ds.unwrap(HikariDataSource.class).getHikariPoolMXBean();
			}
		}
		catch (SQLException ex) {
			// not a Hikari pool: nothing to do
		}
		if (pool == null) {
			return;
		}
		log.warn("The database was closed under the service (H2 closes itself when a write fails, e.g. on a full "
				+ "disk); discarding pooled connections so that new ones reopen it (recovery #"
				+ evictions.incrementAndGet() + ")");
		pool.softEvictConnections();
	}

}
