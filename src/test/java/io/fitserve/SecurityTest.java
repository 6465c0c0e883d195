package io.fitserve;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * API keys over real HTTP: 401 without a key on every operation the OpenAPI document
 * lists, the admin/trainer/predictor matrix on each, the key lifecycle, the audit log,
 * the bootstrap key file, CORS and the open endpoints.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecurityTest {

	@RegisterExtension
	static final FitserveServer server = new FitserveServer("--fitserve.cors.allowed-origins=https://ml.example.com");

	static HttpTestClient admin;

	/**
	 * Operations a predictor key may call; the admin-only ones are under ADMIN_ONLY; the
	 * rest need trainer.
	 */
	static final Set<String> PREDICTOR_ALLOWED = Set.of("GET /api/v1/models", "GET /api/v1/models/{id}",
			"GET /api/v1/models/{id}/export", "GET /api/v1/models/{id}/residuals",
			"POST /api/v1/models/{id}/predictions", "GET /api/v1/registered-models",
			"GET /api/v1/registered-models/{name}", "GET /api/v1/registered-models/{name}/versions",
			"GET /api/v1/registered-models/{name}/versions/{version}",
			"GET /api/v1/registered-models/{name}/aliases/{alias}",
			"GET /api/v1/registered-models/{name}/aliases/{alias}/history",
			"POST /api/v1/registered-models/{name}/aliases/{alias}/predictions",
			"POST /api/v1/registered-models/{name}/versions/{version}/predictions",
			"POST /api/v1/registered-models/{name}/invocations");

	/**
	 * Open to anyone, like /actuator/health: the KServe V2 server's live and ready
	 * probes.
	 */
	static final Set<String> OPEN = Set.of("GET /v2/health/live", "GET /v2/health/ready");

	static final List<String> ADMIN_ONLY_PREFIXES = List.of("/api/v1/api-keys", "/api/v1/audit-events");

	@BeforeAll
	static void start() {
		admin = server.http();
	}

	String createKey(String name, String role) {
		HttpTestClient.Response created = admin.postJson("/api/v1/api-keys", Map.of("name", name, "role", role));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return (String) created.json().get("secret");
	}

	static void assertProblem(HttpTestClient.Response r, int status, String type) {
		assertThat(r.status()).as(r.body()).isEqualTo(status);
		assertThat(r.contentType()).startsWith("application/problem+json");
		assertThat(r.json().get("type")).isEqualTo("urn:fitserve:problem:" + type);
		assertThat(r.json().get("status")).isEqualTo(status);
	}

	record Operation(String method, String path) {

		String route() {
			return method + " " + path;
		}

		String concretePath() {
			return path.replace("{id}", UUID.randomUUID().toString()).replaceAll("\\{[A-Za-z]+\\}", "x1");
		}

		boolean allows(String role) {
			if (role.equals("admin") || path.startsWith("/v2/")) {
				return true;
			}
			if (ADMIN_ONLY_PREFIXES.stream().anyMatch(path::startsWith)) {
				return false;
			}
			return role.equals("trainer") || PREDICTOR_ALLOWED.contains(route());
		}

	}

	@SuppressWarnings("unchecked")
	static List<Operation> documentedOperations(HttpTestClient http) {
		HttpTestClient.Response docs = http.withKey(null).get("/v3/api-docs");
		assertThat(docs.status()).isEqualTo(200);
		Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) docs.json().get("paths");
		List<Operation> operations = new ArrayList<>();
		paths.forEach((path, methods) -> methods.keySet()
			.forEach(method -> operations.add(new Operation(method.toUpperCase(), path))));
		return operations;
	}

	@Test
	void everyDocumentedOperationNeedsAKeyAndFollowsTheRoleMatrix() {
		List<Operation> operations = documentedOperations(admin);
		// datasets (4 routes, 5 operations), jobs, tuning, models, predictions, keys,
		// audit
		assertThat(operations).hasSizeGreaterThanOrEqualTo(20);
		assertThat(operations).extracting(Operation::route)
			.contains("POST /api/v1/datasets", "DELETE /api/v1/models/{id}", "POST /api/v1/api-keys",
					"GET /api/v1/audit-events", "PUT /api/v1/registered-models/{name}/aliases/{alias}",
					"POST /v2/models/{name}/infer")
			.containsAll(OPEN)
			.containsAll(PREDICTOR_ALLOWED);
		Map<String, HttpTestClient> clients = Map.of("admin", admin, "trainer",
				admin.withKey(createKey("matrix trainer", "trainer")), "predictor",
				admin.withKey(createKey("matrix predictor", "predictor")));
		List<String> checked = new ArrayList<>();
		for (Operation op : operations) {
			String path = op.concretePath();
			String body = op.method().equals("POST") || op.method().equals("PUT") ? "{}" : null;
			HttpTestClient.Response anonymous = admin.withKey(null).request(op.method(), path, body);
			if (OPEN.contains(op.route())) {
				assertThat(anonymous.status()).as(op.route()).isEqualTo(200);
				continue;
			}
			if (path.startsWith("/v2/")) {
				// the KServe V2 protocol's error shape, {"error": "..."}
				assertThat(anonymous.status()).as(op.route()).isEqualTo(401);
				assertThat(anonymous.json()).as(op.route()).containsOnlyKeys("error");
			}
			else {
				assertProblem(anonymous, 401, "unauthorized");
			}
			assertThat(anonymous.header("WWW-Authenticate")).as(op.route()).startsWith("Bearer");
			clients.forEach((role, client) -> {
				HttpTestClient.Response r = client.request(op.method(), path, body);
				if (op.allows(role)) {
					assertThat(r.status()).as(role + " " + op.route() + ": " + r.body()).isNotIn(401, 403);
				}
				else {
					assertProblem(r, 403, "forbidden");
				}
				checked.add(role + " " + op.route() + " -> " + r.status());
			});
		}
		assertThat(checked).hasSize((int) operations.stream().filter(op -> !OPEN.contains(op.route())).count() * 3);
	}

	@Test
	void theOpenApiDocumentDeclaresTheBearerScheme() {
		Map<String, Object> docs = admin.withKey(null).get("/v3/api-docs").json();
		assertThat(HttpTestClient.<String>at(docs, "components", "securitySchemes", "apiKey", "scheme"))
			.isEqualTo("bearer");
		assertThat(HttpTestClient.<List<Object>>at(docs, "security")).isNotEmpty();
	}

	@Test
	void healthDocsAndSwaggerUiStayOpen() {
		HttpTestClient anonymous = admin.withKey(null);
		assertThat(anonymous.get("/actuator/health").status()).isEqualTo(200);
		assertThat(anonymous.get("/actuator/health/liveness").status()).isEqualTo(200);
		assertThat(anonymous.get("/swagger-ui/index.html").status()).isEqualTo(200);
		// a wrong key on an open endpoint is not an error either
		assertThat(admin.withKey("wrong-key").get("/actuator/health").status()).isEqualTo(200);
	}

	@Test
	void malformedUnknownAndWrongSchemeKeysAre401() {
		for (String key : List.of("nonsense", "fsk_" + "0".repeat(32) + "_" + "A".repeat(43),
				HttpTestClient.ADMIN_KEY + "x")) {
			HttpTestClient.Response r = admin.withKey(key).get("/api/v1/datasets");
			assertProblem(r, 401, "unauthorized");
			assertThat(r.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
		}
	}

	@Test
	void aKeyIsShownOnceListedWithoutSecretAndRevokedAtOnce(CapturedOutput output) {
		HttpTestClient.Response created = admin.postJson("/api/v1/api-keys",
				Map.of("name", "scoring service", "role", "predictor"));
		assertThat(created.status()).isEqualTo(201);
		Map<String, Object> key = created.json();
		String id = (String) key.get("id");
		String secret = (String) key.get("secret");
		assertThat(created.header("Location")).isEqualTo("/api/v1/api-keys/" + id);
		assertThat(key.get("role")).isEqualTo("predictor");
		// fsk_ + 32 hex id + _ + 43 base64url characters: 256 random bits
		assertThat(secret).matches("fsk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}").contains(id.replace("-", ""));

		HttpTestClient predictor = admin.withKey(secret);
		assertThat(predictor.get("/api/v1/models").status()).isEqualTo(200);
		assertProblem(predictor.get("/api/v1/datasets"), 403, "forbidden");

		List<Map<String, Object>> listed = admin.get("/api/v1/api-keys").json("items");
		Map<String, Object> entry = listed.stream().filter(k -> id.equals(k.get("id"))).findFirst().orElseThrow();
		assertThat(entry).containsEntry("name", "scoring service")
			.containsEntry("role", "predictor")
			.containsKeys("createdAt", "lastUsedAt")
			.doesNotContainKey("secret");
		assertThat(entry.get("lastUsedAt")).isNotNull();
		assertThat(admin.get("/api/v1/api-keys").body()).doesNotContain(secret);

		assertThat(admin.delete("/api/v1/api-keys/" + id).status()).isEqualTo(204);
		assertProblem(predictor.get("/api/v1/models"), 401, "unauthorized");
		assertThat(admin.delete("/api/v1/api-keys/" + id).status()).isEqualTo(204);
		assertProblem(admin.delete("/api/v1/api-keys/not-a-uuid"), 404, "not-found");

		assertThat(output.getAll()).doesNotContain(secret).doesNotContain(HttpTestClient.ADMIN_KEY);
	}

	@Test
	void keyRequestsAreValidated() {
		HttpTestClient.Response badRole = admin.postJson("/api/v1/api-keys", Map.of("name", "x", "role", "root"));
		assertProblem(badRole, 400, "validation-error");
		assertThat(HttpTestClient.<String>at(badRole.json(), "errors", 0, "field")).isEqualTo("role");
		HttpTestClient.Response noName = admin.postJson("/api/v1/api-keys", Map.of("role", "trainer"));
		assertProblem(noName, 400, "validation-error");
		assertThat(HttpTestClient.<String>at(noName.json(), "errors", 0, "field")).isEqualTo("name");
	}

	@Test
	void stateChangesAreAuditedWithKeyActionAndResource() {
		String trainerKey = createKey("audited trainer", "trainer");
		HttpTestClient trainer = admin.withKey(trainerKey);
		String trainerId = trainerKey.substring(4, 36);
		HttpTestClient.Response upload = trainer.upload("a.csv",
				"x,y\n1,2\n2,4\n3,6\n".getBytes(StandardCharsets.UTF_8), "audited");
		String datasetId = (String) upload.json().get("id");
		assertThat(trainer.delete("/api/v1/datasets/" + datasetId).status()).isEqualTo(204);
		// a prediction and a refused request change nothing and are not audited
		trainer.postJson("/api/v1/models/" + UUID.randomUUID() + "/predictions", Map.of("rows", List.of()));
		assertProblem(trainer.get("/api/v1/audit-events"), 403, "forbidden");

		List<Map<String, Object>> events = admin.get("/api/v1/audit-events?size=500").json("items");
		List<Map<String, Object>> mine = events.stream()
			.filter(e -> e.get("keyId") != null && ((String) e.get("keyId")).replace("-", "").equals(trainerId))
			.toList();
		// newest first
		assertThat(mine).extracting(e -> e.get("action")).containsExactly("dataset.delete", "dataset.upload");
		assertThat(mine).extracting(e -> e.get("resourceId")).containsOnly(datasetId);
		assertThat(mine).extracting(e -> e.get("keyName")).containsOnly("audited trainer");
		assertThat(mine.get(0).get("status")).isEqualTo(204);
		assertThat(mine.get(1).get("status")).isEqualTo(201);
		assertThat(events).anySatisfy(e -> {
			assertThat(e.get("action")).isEqualTo("api-key.create");
			assertThat(e.get("keyId")).isEqualTo("environment");
			assertThat(((String) e.get("resourceId")).replace("-", "")).isEqualTo(trainerId);
		});
		List<Map<String, Object>> deletes = admin.get("/api/v1/audit-events?action=dataset.delete").json("items");
		assertThat(deletes).isNotEmpty().allSatisfy(e -> assertThat(e.get("action")).isEqualTo("dataset.delete"));
	}

	@Test
	void corsAnswersOnlyTheConfiguredOrigin() {
		HttpTestClient anonymous = admin.withKey(null);
		HttpTestClient.Response allowed = anonymous.preflight("/api/v1/models", "https://ml.example.com");
		assertThat(allowed.status()).isEqualTo(200);
		assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("https://ml.example.com");
		HttpTestClient.Response other = anonymous.preflight("/api/v1/models", "https://evil.example.net");
		assertThat(other.status()).isEqualTo(403);
		assertThat(other.header("Access-Control-Allow-Origin")).isNull();
	}

	@Test
	void corsLetsTheConfiguredOriginReadTheHeadersClientsNeed() {
		HttpTestClient.Response r = admin.getFrom("/api/v1/models", "https://ml.example.com");
		assertThat(r.status()).isEqualTo(200);
		assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://ml.example.com");
		assertThat(r.header("Access-Control-Expose-Headers").split(",\\s*")).contains("Location", "Retry-After",
				"Content-Disposition", "Server-Timing", "Fitserve-Model-Version");
	}

	@Test
	void responsesCarrySecurityHeaders() {
		HttpTestClient.Response r = admin.get("/api/v1/models");
		assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
		assertThat(r.header("Cache-Control")).contains("no-store");
	}

	@Test
	void withoutAnEnvironmentKeyTheFirstStartWritesAnAdminKeyFile(@TempDir Path fresh, CapturedOutput output)
			throws Exception {
		// a fresh data directory and no admin key: started by hand, twice, to see the key
		// file written and reread
		String[] args = FitserveServer.arguments(fresh, "--fitserve.security.admin-key=");
		String key;
		try (ConfigurableApplicationContext first = FitserveServer.builder().run(args)) {
			Path file = fresh.resolve("admin.key");
			assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
					PosixFilePermission.OWNER_WRITE);
			key = Files.readString(file).strip();
			HttpTestClient http = new HttpTestClient(FitserveServer.port(first), key);
			assertThat(http.get("/api/v1/api-keys").status()).isEqualTo(200);
			assertProblem(http.withKey(HttpTestClient.ADMIN_KEY).get("/api/v1/datasets"), 401, "unauthorized");
			assertThat(output.getAll()).contains(file.toString()).doesNotContain(key);
		}
		try (ConfigurableApplicationContext second = FitserveServer.builder().run(args)) {
			assertThat(Files.readString(fresh.resolve("admin.key")).strip()).isEqualTo(key);
			HttpTestClient http = new HttpTestClient(FitserveServer.port(second), key);
			List<Map<String, Object>> keys = http.get("/api/v1/api-keys").json("items");
			assertThat(keys).hasSize(1);
		}
	}

	@Test
	void aShortEnvironmentKeyRefusesToStart(@TempDir Path fresh) {
		assertThatThrownBy(() -> FitserveServer.builder()
			.run(FitserveServer.arguments(fresh, "--fitserve.security.admin-key=short")))
			.hasStackTraceContaining("at least 16 characters");
	}

}
