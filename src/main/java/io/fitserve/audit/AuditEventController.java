package io.fitserve.audit;

import java.time.Instant;

import io.fitserve.web.PageResponse;
import io.fitserve.web.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/audit-events")
@Tag(name = "Audit log", description = "Every state change made through the API (admin only)")
class AuditEventController {

	private final AuditLog audit;

	AuditEventController(AuditLog audit) {
		this.audit = audit;
	}

	/** One audited state change; keyId is "environment" for FITSERVE_ADMIN_KEY. */
	@Schema(description = "One audited state change: who (the key), what (action, resource), the HTTP status")
	record AuditEventResponse(String id, Instant createdAt, String keyId, String keyName, String action,
			String resourceId, int status) {

		static AuditEventResponse from(AuditEvent event) {
			return new AuditEventResponse(event.getId().toString(), event.getCreatedAt(), event.getKeyId(),
					event.getKeyName(), event.getAction(), event.getResourceId(), event.getStatus());
		}

	}

	@GetMapping
	@Operation(operationId = "listAuditEvents", summary = "Audit events, newest first",
			description = "Actions: dataset.upload, dataset.delete, training-job.submit, training-job.cancel, "
					+ "tuning-job.submit, tuning-job.cancel, model.delete, model.evaluate, model.fairness, "
					+ "model.compress, api-key.create, api-key.revoke.")
	@ApiResponse(responseCode = "200", description = "One page of audit events")
	PageResponse<AuditEventResponse> list(
			@Parameter(description = "only this action, e.g. dataset.delete") @RequestParam(
					required = false) String action,
			@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
		return PageResponse.of(audit.list(action, Paging.newestFirst(page, size)), AuditEventResponse::from);
	}

}
