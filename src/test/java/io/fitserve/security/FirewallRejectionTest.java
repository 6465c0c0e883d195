package io.fitserve.security;

import java.util.Collections;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The problem each firewall refusal becomes, from the firewall's real messages. */
class FirewallRejectionTest {

	private final StrictHttpFirewall firewall = HeaderCharacters.firewall();

	@Test
	void aRefusedHeaderValueIsNamedAndNotEchoed() {
		MockHttpServletRequest request = get("/api/v1/models");
		request.addHeader("Accept", "application/json\u0085secret");
		SecurityConfig.Rejection r = rejection(() -> this.firewall.getFirewalledRequest(request).getHeader("Accept"));
		assertThat(r.title()).isEqualTo("Request header not allowed");
		assertThat(r.detail())
			.isEqualTo("The request header Accept holds a control or unassigned character, which is refused.");
	}

	@Test
	void aRefusedHeaderNameIsTold() {
		MockHttpServletRequest request = get("/api/v1/models");
		request.addHeader("X-\u0085", "a");
		SecurityConfig.Rejection r = rejection(
				() -> Collections.list(this.firewall.getFirewalledRequest(request).getHeaderNames()));
		assertThat(r.detail()).startsWith("A request header's name");
	}

	@Test
	void methodsAndUrlsAreToldApart() {
		MockHttpServletRequest method = get("/api/v1/models");
		method.setMethod("FOO");
		assertThat(rejection(() -> this.firewall.getFirewalledRequest(method)).title())
			.isEqualTo("Request method not allowed");
		assertThat(rejection(() -> this.firewall.getFirewalledRequest(get("/api/v1/a%2e%2e/b"))).title())
			.isEqualTo("Request URL not allowed");
	}

	private static MockHttpServletRequest get(String uri) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
		request.setServletPath(uri);
		return request;
	}

	private static SecurityConfig.Rejection rejection(Runnable call) {
		RequestRejectedException ex = catchThrowableOfType(RequestRejectedException.class, call::run);
		assertThat(ex).isNotNull();
		return SecurityConfig.Rejection.of(ex.getMessage());
	}

}
