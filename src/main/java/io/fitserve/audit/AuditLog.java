package io.fitserve.audit;

import java.time.Clock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Writes and reads the audit log. */
@Service
public class AuditLog {

	private static final Log log = LogFactory.getLog(AuditLog.class);

	private final AuditEventRepository repository;

	private final Clock clock = Clock.systemUTC();

	AuditLog(AuditEventRepository repository) {
		this.repository = repository;
	}

	/**
	 * Records one state change; the log line mirrors it so that it also reaches log
	 * shipping.
	 */
	@Transactional
	public void record(String keyId, String keyName, String action, String resourceId, int status) {
		repository.save(new AuditEvent(clock.instant(), keyId, keyName, action, resourceId, status));
		log.info("audit action=" + action + " resource=" + resourceId + " key=" + keyId + " status=" + status);
	}

	@Transactional(readOnly = true)
	Page<AuditEvent> list(String action, Pageable pageable) {
		return action == null ? repository.findAll(pageable) : repository.findByAction(action, pageable);
	}

}
