package io.fitserve.audit;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.fitserve.security.ApiKeyPrincipal;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Audits every successful state-changing API call (any method but GET, HEAD and OPTIONS,
 * except predictions and other read-only POSTs) once its response is known: the resource
 * id comes from the {@code Location} of a create or the path's {@code {id}}. A new
 * state-changing endpoint is audited without registering it; {@link #ACTIONS} only gives
 * it a readable name.
 */
@Component
class AuditInterceptor implements HandlerInterceptor {

	private static final Log log = LogFactory.getLog(AuditInterceptor.class);

	/** POSTs that change nothing: scoring a model, directly or through the registry. */
	private static final java.util.Set<String> READ_ONLY_POSTS = java.util.Set.of(
			"POST /api/v1/models/{id}/predictions", "POST /api/v1/registered-models/{name}/aliases/{alias}/predictions",
			"POST /api/v1/registered-models/{name}/versions/{version}/predictions",
			"POST /api/v1/registered-models/{name}/invocations");

	static final Map<String, String> ACTIONS = Map.ofEntries(Map.entry("POST /api/v1/datasets", "dataset.upload"),
			Map.entry("DELETE /api/v1/datasets/{id}", "dataset.delete"),
			Map.entry("POST /api/v1/training-jobs", "training-job.submit"),
			Map.entry("POST /api/v1/training-jobs/{id}/cancel", "training-job.cancel"),
			Map.entry("POST /api/v1/tuning-jobs", "tuning-job.submit"),
			Map.entry("POST /api/v1/tuning-jobs/{id}/cancel", "tuning-job.cancel"),
			Map.entry("DELETE /api/v1/models/{id}", "model.delete"),
			Map.entry("POST /api/v1/models/{id}/evaluations", "model.evaluate"),
			Map.entry("POST /api/v1/models/{id}/fairness", "model.fairness"),
			Map.entry("POST /api/v1/models/{id}/compressions", "model.compress"),
			Map.entry("POST /api/v1/registered-models", "registered-model.create"),
			Map.entry("POST /api/v1/registered-models/{name}/versions", "model-version.create"),
			Map.entry("PUT /api/v1/registered-models/{name}/aliases/{alias}", "model-alias.set"),
			Map.entry("DELETE /api/v1/registered-models/{name}/aliases/{alias}", "model-alias.delete"),
			Map.entry("POST /api/v1/api-keys", "api-key.create"),
			Map.entry("DELETE /api/v1/api-keys/{id}", "api-key.revoke"));

	private final AuditLog audit;

	AuditInterceptor(AuditLog audit) {
		this.audit = audit;
	}

	@Override
	public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
			Exception ex) {
		String method = request.getMethod();
		int status = response.getStatus();
		if ("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method) || status < 200
				|| status >= 300) {
			return;
		}
		Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
		String route = method + " " + pattern;
		if (pattern == null || READ_ONLY_POSTS.contains(route)) {
			return;
		}
		String action = ACTIONS.getOrDefault(route, route);
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		String keyId = null;
		String keyName = null;
		if (authentication != null && authentication.getPrincipal() instanceof ApiKeyPrincipal principal) {
			keyId = principal.keyId();
			keyName = principal.name();
		}
		try {
			audit.record(keyId, keyName, action, resourceId(request, response), status);
		}
		catch (RuntimeException failure) {
			// the change itself is done and answered; losing its audit line must be loud,
			// not a failed request
			log.error("Could not write the audit event for " + action + " by key " + keyId, failure);
		}
	}

	private static String resourceId(HttpServletRequest request, HttpServletResponse response) {
		String location = response.getHeader(HttpHeaders.LOCATION);
		if (location != null) {
			// a registry resource is named by its path under the registered model: churn,
			// churn/versions/2
			int registry = location.indexOf(REGISTRY);
			return registry >= 0 ? location.substring(registry + REGISTRY.length())
					: location.substring(location.lastIndexOf('/') + 1);
		}
		@SuppressWarnings("unchecked")
		Map<String, String> variables = (Map<String, String>) request
			.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
		if (variables == null) {
			return null;
		}
		if (variables.containsKey("id")) {
			return variables.get("id");
		}
		String name = variables.get("name");
		String alias = variables.get("alias");
		return name == null ? null : alias == null ? name : name + "/aliases/" + alias;
	}

	private static final String REGISTRY = "/api/v1/registered-models/";

}
