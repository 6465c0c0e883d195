package io.fitserve;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL (V14 there too), two replicas sharing the database make the same tokens:
 * the key both generate at their first masked upload, at the same time, is the one row
 * whichever inserted first; the other reads it.
 */
class MaskingOnPostgresTest {

	@TempDir
	Path dirA;

	@TempDir
	Path dirB;

	@Test
	void replicasSharingTheDatabaseShareTheKey() throws Exception {
		try (ConfigurableApplicationContext a = FitserveServer.start(getClass(), getClass(), dirA,
				"--fitserve.cluster.replica-name=a");
				ConfigurableApplicationContext b = FitserveServer.start(getClass(), getClass(), dirB,
						"--fitserve.cluster.replica-name=b")) {
			HttpTestClient httpA = FitserveServer.client(a);
			HttpTestClient httpB = FitserveServer.client(b);
			String query = "?mask="
					+ URLEncoder.encode("{\"email\":\"pseudonymize\",\"name\":\"drop\"}", StandardCharsets.UTF_8);
			// both replicas need the key at once: neither has it yet
			CompletableFuture<HttpTestClient.Response> onA = CompletableFuture
				.supplyAsync(() -> httpA.uploadRaw(MaskingTest.csv(), "text/csv", query));
			CompletableFuture<HttpTestClient.Response> onB = CompletableFuture
				.supplyAsync(() -> httpB.uploadRaw(MaskingTest.csv(), "text/csv", query));
			HttpTestClient.Response uploadA = onA.get();
			HttpTestClient.Response uploadB = onB.get();
			assertThat(uploadA.status()).as(uploadA.body()).isEqualTo(201);
			assertThat(uploadB.status()).as(uploadB.body()).isEqualTo(201);
			List<Map<String, Object>> rowsA = HttpTestClient
				.at(httpA.get("/api/v1/datasets/" + uploadA.json().get("id") + "/rows?limit=6").json(), "rows");
			List<Map<String, Object>> rowsB = HttpTestClient
				.at(httpB.get("/api/v1/datasets/" + uploadB.json().get("id") + "/rows?limit=6").json(), "rows");
			assertThat(rowsA).isEqualTo(rowsB);
			assertThat(rowsA).extracting(r -> (String) r.get("email")).allMatch(t -> t.matches("tok_[0-9a-f]{32}"));
			assertThat(rowsA.get(0)).doesNotContainKey("name");
			assertThat(a.getBean(JdbcTemplate.class).queryForObject("SELECT COUNT(*) FROM privacy_key", Long.class))
				.isEqualTo(1);
		}
	}

}
