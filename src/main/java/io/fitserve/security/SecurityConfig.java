package io.fitserve.security;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import io.fitserve.web.ProblemWriter;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;

/**
 * Who may call what. Every {@code /api/**} operation needs
 * {@code Authorization: Bearer <api key>}; the role matrix is the list of matchers below,
 * in one place. Health, the OpenAPI document and Swagger UI stay open. Stateless: no
 * session, no cookie, so no CSRF token either.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

	private static final String ADMIN = "ADMIN";

	private static final String TRAINER = "TRAINER";

	private static final String PREDICTOR = "PREDICTOR";

	@Bean
	SecurityFilterChain apiSecurity(HttpSecurity http, ApiKeyService keys, ProblemWriter problems) throws Exception {
		PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
		AuthenticationEntryPoint unauthorized = (request, response, ex) -> {
			boolean presented = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
					presented ? "Bearer realm=\"fitserve\", error=\"invalid_token\"" : "Bearer realm=\"fitserve\"");
			String detail = presented ? "The API key is unknown, revoked or malformed."
					: "Send an API key as 'Authorization: Bearer <key>'.";
			if (isOpenInference(request)) {
				problems.writeError(response, HttpStatus.UNAUTHORIZED, detail);
				return;
			}
			problems.write(response, HttpStatus.UNAUTHORIZED, "unauthorized", "Authentication required", detail);
		};
		AccessDeniedHandler forbidden = (request, response, ex) -> {
			String detail = "This API key's role does not allow " + request.getMethod() + " " + request.getRequestURI()
					+ ".";
			if (isOpenInference(request)) {
				problems.writeError(response, HttpStatus.FORBIDDEN, detail);
				return;
			}
			problems.write(response, HttpStatus.FORBIDDEN, "forbidden", "Not allowed for this key's role", detail);
		};

		AuthenticationFilter apiKeys = new AuthenticationFilter(apiKeyManager(keys), bearerToken());
		RequestMatcher health = new OrRequestMatcher(paths.matcher("/actuator/health"),
				paths.matcher("/actuator/health/**"));
		// the Open Inference Protocol's server health, open like /actuator/health
		// (orchestrator probes)
		RequestMatcher inferenceHealth = new OrRequestMatcher(paths.matcher(HttpMethod.GET, "/v2/health/live"),
				paths.matcher(HttpMethod.GET, "/v2/health/ready"));
		// /api/** first and on its own: the open health paths are not under it, so an API
		// request is matched once rather than against them too
		apiKeys.setRequestMatcher(new OrRequestMatcher(paths.matcher("/api/**"),
				new AndRequestMatcher(new OrRequestMatcher(paths.matcher("/actuator/**"), paths.matcher("/v2/**")),
						new NegatedRequestMatcher(health), new NegatedRequestMatcher(inferenceHealth))));
		// health stays open to anyone, and a wrong key there is no error; a valid admin
		// key sees its components and details (management.endpoint.health.show-details:
		// when-authorized)
		AuthenticationFilter healthKeys = new AuthenticationFilter((AuthenticationManager) candidate -> candidate,
				request -> {
					try {
						Authentication token = bearerToken().convert(request);
						return token == null ? null
								: keys.authenticate((String) token.getCredentials())
									.map(ApiKeyAuthentication::new)
									.orElse(null);
					}
					catch (BadCredentialsException ex) {
						return null;
					}
				});
		healthKeys.setRequestMatcher(health);
		healthKeys.setSuccessHandler((request, response, authentication) -> {
		});
		apiKeys.setSuccessHandler((request, response, authentication) -> {
		});
		apiKeys.setFailureHandler(unauthorized::commence);

		return http.csrf(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			// no anonymous token: a request without a key has no authentication, and a
			// rule that needs a role sends it to the same entry point (401) as before;
			// nothing reads an anonymous principal, and making one cost about 1% of a
			// one-row prediction's CPU
			.anonymous(AbstractHttpConfigurer::disable)
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.cors(cors -> {
			})
			.addFilterBefore(apiKeys, AuthorizationFilter.class)
			.addFilterBefore(healthKeys, AuthorizationFilter.class)
			.exceptionHandling(errors -> errors.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
			// the prediction route first: it is the most frequent request, and no rule
			// before it could match it (rules apply in order, the first match decides)
			.authorizeHttpRequests(authorize -> authorize
				.requestMatchers(HttpMethod.POST, "/api/v1/models/*/predictions")
				.hasAnyRole(ADMIN, TRAINER, PREDICTOR)
				.requestMatchers(health)
				.permitAll()
				.requestMatchers("/actuator/**")
				.hasRole(ADMIN)
				.requestMatchers("/api/v1/api-keys", "/api/v1/api-keys/**", "/api/v1/audit-events",
						"/api/v1/audit-events/**")
				.hasRole(ADMIN)
				// reading a model includes downloading it as ONNX: a predictor key may
				// run the model elsewhere
				.requestMatchers(HttpMethod.GET, "/api/v1/models", "/api/v1/models/*", "/api/v1/models/*/export",
						"/api/v1/models/*/residuals")
				.hasAnyRole(ADMIN, TRAINER, PREDICTOR)
				// the registry: reading it and predicting through it are a serving
				// client's; changing it is a trainer's
				.requestMatchers(HttpMethod.GET, "/api/v1/registered-models", "/api/v1/registered-models/**")
				.hasAnyRole(ADMIN, TRAINER, PREDICTOR)
				.requestMatchers(HttpMethod.POST, "/api/v1/registered-models/*/aliases/*/predictions",
						"/api/v1/registered-models/*/versions/*/predictions", "/api/v1/registered-models/*/invocations")
				.hasAnyRole(ADMIN, TRAINER, PREDICTOR)
				// KServe Open Inference Protocol V2: server health open, model metadata
				// and inference for any key
				.requestMatchers(inferenceHealth)
				.permitAll()
				.requestMatchers("/v2/**")
				.hasAnyRole(ADMIN, TRAINER, PREDICTOR)
				.requestMatchers("/api/**")
				.hasAnyRole(ADMIN, TRAINER)
				.anyRequest()
				.permitAll())
			.build();
	}

	/**
	 * No Micrometer observation around each security filter, authentication and
	 * authorization: nothing exports them (see management.observations in
	 * application.yml), and measured on one-row predictions they cost more CPU than the
	 * prediction itself.
	 */
	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	/**
	 * Spring Security's default firewall, its header checks done without regular
	 * expressions (see {@link HeaderCharacters}); WebSecurity uses this bean.
	 */
	@Bean
	HttpFirewall httpFirewall() {
		return HeaderCharacters.firewall();
	}

	/**
	 * Requests Spring Security's firewall refuses (encoded slashes or dots, traversal
	 * segments, control characters in a header, unknown methods) get the same problem
	 * shape as every other error instead of the container's error page.
	 */
	@Bean
	RequestRejectedHandler requestRejectedHandler(ProblemWriter problems) {
		return (request, response, ex) -> {
			Rejection rejection = Rejection.of(ex.getMessage());
			problems.write(response, HttpStatus.BAD_REQUEST, "bad-request", rejection.title(), rejection.detail());
		};
	}

	/**
	 * What the firewall refused, told from its message (it has no other trace of it),
	 * without echoing the refused value.
	 */
	record Rejection(String title, String detail) {

		private static final java.util.regex.Pattern HEADER = java.util.regex.Pattern
			.compile("the header: \"([!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}) \"");

		static Rejection of(String message) {
			String m = (message == null) ? "" : message;
			if (m.contains("the header name")) {
				return new Rejection("Request header not allowed",
						"A request header's name holds a control or unassigned character, which is refused.");
			}
			if (m.contains("the header:")) {
				java.util.regex.Matcher name = HEADER.matcher(m);
				return new Rejection("Request header not allowed",
						"The request header " + (name.find() ? name.group(1) + " " : "")
								+ "holds a control or unassigned character, which is refused.");
			}
			if (m.contains("the parameter")) {
				return new Rejection("Request parameter not allowed",
						"A request parameter's name holds a control or unassigned character, which is refused.");
			}
			if (m.contains("HTTP method")) {
				return new Rejection("Request method not allowed",
						"The HTTP method is not one of DELETE, GET, HEAD, OPTIONS, PATCH, POST and PUT.");
			}
			if (m.contains("domain")) {
				return new Rejection("Request host not allowed", "The request's host name is not allowed.");
			}
			return new Rejection("Request URL not allowed",
					"The URL holds an encoded or traversal path segment (such as %2F, %2E or ..) or a character "
							+ "that is not printable ASCII, which is refused.");
		}

	}

	/**
	 * Browsers may call the API only from fitserve.cors.allowed-origins; none by default.
	 */
	@Bean
	CorsConfigurationSource corsConfigurationSource(CorsProperties properties) {
		if (properties.allowedOrigins().isEmpty()) {
			return request -> null;
		}
		CorsConfiguration cors = new CorsConfiguration();
		cors.setAllowedOrigins(properties.allowedOrigins());
		cors.setAllowedMethods(List.of("GET", "POST", "PUT", "DELETE"));
		cors.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE));
		// what a browser client reads: where a new resource is, when to retry, a
		// download's file name, the server's time on a prediction and the registry
		// version that answered
		cors.setExposedHeaders(List.of(HttpHeaders.LOCATION, HttpHeaders.RETRY_AFTER, HttpHeaders.CONTENT_DISPOSITION,
				"Server-Timing", "Fitserve-Model-Version"));
		cors.setMaxAge(3600L);
		return request -> request.getRequestURI().startsWith("/api/") || isOpenInference(request) ? cors : null;
	}

	/**
	 * The KServe V2 paths, whose protocol answers errors as {"error": "..."} rather than
	 * problem details.
	 */
	static boolean isOpenInference(HttpServletRequest request) {
		return request.getRequestURI().startsWith("/v2/");
	}

	/**
	 * Reads the bearer token; no Authorization header means anonymous, any other scheme
	 * is refused.
	 */
	private static AuthenticationConverter bearerToken() {
		return (HttpServletRequest request) -> {
			String header = request.getHeader(HttpHeaders.AUTHORIZATION);
			if (header == null) {
				return null;
			}
			if (header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.isBlank()) {
				throw new BadCredentialsException("not a bearer token");
			}
			return UsernamePasswordAuthenticationToken.unauthenticated("api-key", header.substring(7).strip());
		};
	}

	private static AuthenticationManager apiKeyManager(ApiKeyService keys) {
		return (Authentication candidate) -> keys.authenticate((String) candidate.getCredentials())
			.<Authentication>map(ApiKeyAuthentication::new)
			.orElseThrow(() -> new BadCredentialsException("unknown or revoked API key"));
	}

}
