package io.fitserve.training;

import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Short transactions on a job row that are retried when another writer got there first: a
 * cancel request and the trainer's own updates race on the same versioned row, and each
 * transition re-reads the job and re-checks its state, so running it again is always
 * right.
 */
@Component
public class JobTransactions {

	private static final Log log = LogFactory.getLog(JobTransactions.class);

	private static final int ATTEMPTS = 10;

	private final TransactionTemplate template;

	JobTransactions(PlatformTransactionManager transactionManager) {
		this.template = new TransactionTemplate(transactionManager);
	}

	public <T> T inTransaction(Supplier<T> work) {
		for (int attempt = 1;; attempt++) {
			try {
				return template.execute(status -> work.get());
			}
			catch (ConcurrencyFailureException ex) {
				if (attempt >= ATTEMPTS) {
					throw ex;
				}
				if (log.isDebugEnabled()) {
					log.debug("Concurrent update of a job; retrying (" + attempt + ")", ex);
				}
				try {
					Thread.sleep(attempt);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw ex;
				}
			}
		}
	}

	public void inTransaction(Runnable work) {
		inTransaction(() -> {
			work.run();
			return null;
		});
	}

}
