package io.fitserve.security;

import java.util.Optional;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;

/**
 * The real security configuration (API keys, the role matrix, the 401/403 problems, CORS)
 * for {@code @WebMvcTest} slices, which do not scan configuration classes; and the keys a
 * slice's mocked {@link ApiKeyService} accepts.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(SecurityConfig.class)
@EnableConfigurationProperties(CorsProperties.class)
public class SecuritySlice {

	/** Accepted as an admin key. */
	public static final String ADMIN_KEY = "slice-admin-key-0001";

	/** Accepted as a trainer key. */
	public static final String TRAINER_KEY = "slice-trainer-key-0001";

	/** Accepted as a predictor key. */
	public static final String PREDICTOR_KEY = "slice-predictor-key-0001";

	/**
	 * Makes a mocked key service accept the three keys above with their roles and refuse
	 * every other token, as it refuses an unknown or revoked key.
	 */
	public static void acceptTestKeys(ApiKeyService keys) {
		given(keys.authenticate(anyString())).willReturn(Optional.empty());
		given(keys.authenticate(ADMIN_KEY)).willReturn(principal(ApiKeyRole.ADMIN));
		given(keys.authenticate(TRAINER_KEY)).willReturn(principal(ApiKeyRole.TRAINER));
		given(keys.authenticate(PREDICTOR_KEY)).willReturn(principal(ApiKeyRole.PREDICTOR));
	}

	private static Optional<ApiKeyPrincipal> principal(ApiKeyRole role) {
		return Optional.of(new ApiKeyPrincipal("00000000-0000-0000-0000-00000000000" + (role.ordinal() + 1),
				"slice-" + role.wireName(), role));
	}

}
