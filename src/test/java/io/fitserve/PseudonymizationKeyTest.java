package io.fitserve;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * fitserve.privacy.pseudonymization-key: a configured key makes the tokens an independent
 * HMAC-SHA256 makes (Python's hmac module), and a malformed one stops the start without
 * being repeated.
 */
class PseudonymizationKeyTest {

	@TempDir
	Path dataDir;

	@Test
	void aConfiguredKeyMakesTheKnownTokens() {
		byte[] key = new byte[32];
		for (int i = 0; i < key.length; i++) {
			key[i] = (byte) i;
		}
		try (ConfigurableApplicationContext app = FitserveServer.builder()
			.run(FitserveServer.arguments(dataDir,
					"--fitserve.privacy.pseudonymization-key=" + Base64.getEncoder().encodeToString(key)))) {
			HttpTestClient http = FitserveServer.client(app);
			HttpTestClient.Response upload = http.uploadRaw(
					"email,n\nalice@example.com,1\nbob@example.org,2\n".getBytes(StandardCharsets.UTF_8), "text/csv",
					"?mask=" + URLEncoder.encode("{\"email\":\"pseudonymize\"}", StandardCharsets.UTF_8));
			assertThat(upload.status()).as(upload.body()).isEqualTo(201);
			// python3: 'tok_' + hmac.new(bytes(range(32)), v.encode(),
			// hashlib.sha256).hexdigest()[:32]
			assertThat(http.get("/api/v1/datasets/" + upload.json().get("id") + "/rows").body())
				.contains("\"email\":\"tok_a59fc578d4cb46faab1d6eb348e7c74b\"")
				.contains("\"email\":\"tok_9e5ae95e98e9f63e933e15b70041d0e4\"");
		}
	}

	@Test
	void aShortKeyStopsTheStartWithoutRepeatingIt() {
		Throwable thrown = catchThrowable(() -> FitserveServer.builder()
			.run(FitserveServer.arguments(dataDir, "--fitserve.privacy.pseudonymization-key=c2hvcnQ="))
			.close());
		Throwable root = thrown;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		assertThat(root).isInstanceOf(IllegalStateException.class)
			.hasMessage("fitserve.privacy.pseudonymization-key decodes to 5 bytes; it needs at least 32 "
					+ "(openssl rand -base64 32)");
	}

}
