package io.fitserve;

import io.fitserve.audit.AuditLog;
import io.fitserve.security.ApiKeyService;
import io.fitserve.security.SecuritySlice;
import io.fitserve.web.WebLayerSlice;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultMatcher;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Base of the {@code @WebMvcTest} slice tests, one per controller: the controller with
 * its services mocked, behind the real security configuration, controller advice, Jackson
 * settings, filters and interceptors. A subclass names its controller
 * ({@code @WebMvcTest(XController.class)}) and declares its services as
 * {@code @MockitoBean}s; requests authenticate with {@link #admin()}, {@link #trainer()}
 * or {@link #predictor()}.
 */
@Import({ SecuritySlice.class, WebLayerSlice.class })
public abstract class WebSliceTest {

	/** The problem type prefix of every error the API answers. */
	protected static final String PROBLEM = "urn:fitserve:problem:";

	@Autowired
	protected MockMvc mvc;

	/** The key service the security filter asks; accepts the SecuritySlice keys. */
	@MockitoBean
	protected ApiKeyService apiKeys;

	/** Where the audit interceptor records writes. */
	@MockitoBean
	protected AuditLog auditLog;

	@BeforeEach
	void acceptTestKeys() {
		SecuritySlice.acceptTestKeys(this.apiKeys);
	}

	protected static RequestPostProcessor admin() {
		return bearer(SecuritySlice.ADMIN_KEY);
	}

	protected static RequestPostProcessor trainer() {
		return bearer(SecuritySlice.TRAINER_KEY);
	}

	protected static RequestPostProcessor predictor() {
		return bearer(SecuritySlice.PREDICTOR_KEY);
	}

	/**
	 * Sends {@code Authorization: Bearer <key>} (a key the slice does not know is
	 * refused).
	 */
	protected static RequestPostProcessor bearer(String key) {
		return request -> {
			request.addHeader(HttpHeaders.AUTHORIZATION, "Bearer " + key);
			return request;
		};
	}

	/**
	 * An RFC 9457 problem body: its content type, {@code type} (the slug after
	 * urn:fitserve:problem:) and {@code status}, and a {@code title}.
	 */
	protected static ResultMatcher problem(int status, String type) {
		return all(status().is(status), content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON),
				jsonPath("$.type").value(PROBLEM + type), jsonPath("$.status").value(status),
				jsonPath("$.title").isNotEmpty());
	}

	private static ResultMatcher all(ResultMatcher... matchers) {
		return result -> {
			for (ResultMatcher matcher : matchers) {
				matcher.match(result);
			}
		};
	}

	/** The 401 problem for a request without a key, or with one the service refuses. */
	protected static ResultMatcher unauthorized() {
		return all(problem(401, "unauthorized"), header().exists(HttpHeaders.WWW_AUTHENTICATE));
	}

	/** The 403 problem for a key whose role does not allow the operation. */
	protected static ResultMatcher forbidden() {
		return problem(403, "forbidden");
	}

	/** A 400 validation problem whose errors name {@code field} (first error). */
	protected static ResultMatcher invalidField(String field) {
		return all(problem(400, "validation-error"), jsonPath("$.errors[0].field").value(field));
	}

}
