package io.fitserve.security;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request authenticated by an API key; carries the key's principal, never its secret.
 */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

	private final ApiKeyPrincipal principal;

	ApiKeyAuthentication(ApiKeyPrincipal principal) {
		super(List.of(new SimpleGrantedAuthority(principal.role().authority())));
		this.principal = principal;
		setAuthenticated(true);
	}

	@Override
	public Object getCredentials() {
		return null;
	}

	@Override
	public ApiKeyPrincipal getPrincipal() {
		return principal;
	}

}
