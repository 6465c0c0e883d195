package io.fitserve.audit;

import java.time.Instant;
import java.util.List;

import io.fitserve.WebSliceTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@link AuditEventController}'s web layer: admin only, newest-first paging passed to the
 * log, the action filter, events mapped to their response fields.
 */
@WebMvcTest(AuditEventController.class)
class AuditEventControllerTest extends WebSliceTest {

	@Test
	void listsOnePageOfEventsNewestFirst() throws Exception {
		AuditEvent event = new AuditEvent(Instant.parse("2026-12-01T09:30:00Z"), "environment", "FITSERVE_ADMIN_KEY",
				"dataset.delete", "d-1", 204);
		Pageable pageable = PageRequest.of(2, 10, Sort.by(Sort.Direction.DESC, "createdAt"));
		given(this.auditLog.list("dataset.delete", pageable)).willReturn(new PageImpl<>(List.of(event), pageable, 21));
		this.mvc.perform(get("/api/v1/audit-events?action=dataset.delete&page=2&size=10").with(admin()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.items[0].id").value(event.getId().toString()))
			.andExpect(jsonPath("$.items[0].createdAt").value("2026-12-01T09:30:00Z"))
			.andExpect(jsonPath("$.items[0].keyId").value("environment"))
			.andExpect(jsonPath("$.items[0].keyName").value("FITSERVE_ADMIN_KEY"))
			.andExpect(jsonPath("$.items[0].action").value("dataset.delete"))
			.andExpect(jsonPath("$.items[0].resourceId").value("d-1"))
			.andExpect(jsonPath("$.items[0].status").value(204))
			.andExpect(jsonPath("$.totalItems").value(21))
			.andExpect(jsonPath("$.totalPages").value(3));
	}

	@Test
	void pagingOutsideItsBoundsIsAValidationProblem() throws Exception {
		this.mvc.perform(get("/api/v1/audit-events?size=0").with(admin()))
			.andExpect(invalidField("size"))
			.andExpect(jsonPath("$.errors[0].message").value("must be between 1 and 500"));
		then(this.auditLog).should(never()).list(any(), any());
	}

	@Test
	void onlyAdminKeysReadTheLog() throws Exception {
		this.mvc.perform(get("/api/v1/audit-events").with(trainer())).andExpect(forbidden());
		this.mvc.perform(get("/api/v1/audit-events").with(predictor())).andExpect(forbidden());
		this.mvc.perform(get("/api/v1/audit-events")).andExpect(unauthorized());
		then(this.auditLog).should(never()).list(any(), any());
	}

}
