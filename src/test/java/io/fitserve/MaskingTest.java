package io.fitserve;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static io.fitserve.HttpTestClient.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upload option mask over real HTTP, on a file-based H2 database in the test's data
 * directory: the rows show tokens and shapes and no dropped column, profiles flag
 * personal data, and afterwards no raw value of a masked column is in any file under the
 * data directory (the H2 file included) nor in the log; a model trained on the
 * pseudonymised column answers a raw value as its token on every prediction route;
 * evaluations mask an unmasked dataset the same way; bad mask options are 400 problems
 * with nothing stored; tokens survive a restart (the generated key is in the database).
 */
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MaskingTest {

	static final List<String> EMAILS = List.of("dora.diaz@example.com", "alice.smith@example.com",
			"bob.jones@example.org", "carol.king@example.net", "erin.lee@example.com", "frank.moe@example.com");

	static final List<String> NAMES = List.of("Dora Diaz", "Alice Smith", "Bob Jones", "Carol King", "Erin Lee",
			"Frank Moe");

	/** Test card numbers (all pass Luhn), grouped as printed. */
	static final List<String> CARDS = List.of("4111 1111 1111 1111", "5500 0000 0000 0004", "3782 822463 10005",
			"6011 0009 9013 9424", "4012 8888 8888 1881", "5105 1051 0510 5100");

	static final String MASK = "{\"email\": \"pseudonymize\", \"name\": \"drop\", \"card\": \"redact\"}";

	@TempDir
	static Path dataDir;

	static ConfigurableApplicationContext app;

	static HttpTestClient http;

	static String dataset;

	static String model;

	static String aliceToken;

	@BeforeAll
	static void start() {
		app = startApp();
		http = FitserveServer.client(app);
	}

	static ConfigurableApplicationContext startApp() {
		// no database argument: the default H2 file under the data directory
		return FitserveServer.builder()
			.run(FitserveServer.arguments(dataDir, "--fitserve.storage.min-free-space=0",
					"--fitserve.training.max-concurrent-jobs=1"));
	}

	@AfterAll
	static void stop() {
		if (app != null) {
			app.close();
		}
	}

	/**
	 * 70 rows: customer i % 6 for the first 60, then 10 more of customer 0 (the most
	 * frequent, so the level an unseen value is imputed with); label churn for customers
	 * 1 to 3.
	 */
	static byte[] csv() {
		StringBuilder csv = new StringBuilder("id,email,name,card,phone,x,label\n");
		for (int i = 0; i < 70; i++) {
			int c = i < 60 ? i % 6 : 0;
			csv.append(i)
				.append(',')
				.append(EMAILS.get(c))
				.append(',')
				.append(NAMES.get(c))
				.append(',')
				.append(CARDS.get(c))
				.append(",+44 20 7946 ")
				.append(String.format("%04d", 1000 + c))
				.append(',')
				.append((i * 7) % 10 / 10.0)
				.append(',')
				.append(c >= 1 && c <= 3 ? "churn" : "stay")
				.append('\n');
		}
		return csv.toString().getBytes(StandardCharsets.UTF_8);
	}

	@Test
	@Order(1)
	void uploadStoresTokensAndShapesAndFlagsPersonalData(CapturedOutput output) {
		HttpTestClient.Response upload = http.uploadForm("customers.csv", csv(),
				Map.of("name", "customers", "mask", MASK), "");
		assertThat(upload.status()).as(upload.body()).isEqualTo(201);
		dataset = (String) upload.json().get("id");
		assertThat(HttpTestClient.<List<String>>at(upload.json(), "droppedColumns")).containsExactly("name");
		assertThat(upload.json().get("columnCount")).isEqualTo(6);
		Map<String, Map<String, Object>> columns = new LinkedHashMap<>();
		for (Map<String, Object> c : HttpTestClient.<List<Map<String, Object>>>at(upload.json(), "columns")) {
			columns.put((String) c.get("name"), c);
		}
		assertThat(columns.keySet()).containsExactly("id", "email", "card", "phone", "x", "label");
		assertThat(columns.get("email").get("mask")).isEqualTo("pseudonymize");
		assertThat(columns.get("email").get("type")).isEqualTo("categorical");
		assertThat(HttpTestClient.<Boolean>at(columns.get("email"), "profile", "piiSuspected")).isTrue();
		assertThat(HttpTestClient.<String>at(columns.get("email"), "profile", "piiKind")).isEqualTo("email");
		assertThat(HttpTestClient.<Integer>at(columns.get("email"), "profile", "distinct")).isEqualTo(6);
		assertThat(columns.get("card").get("mask")).isEqualTo("redact");
		assertThat(HttpTestClient.<String>at(columns.get("card"), "profile", "piiKind")).isEqualTo("card");
		// two shapes: the 16-digit cards and Amex's 4-6-5
		assertThat(HttpTestClient.<Integer>at(columns.get("card"), "profile", "distinct")).isEqualTo(2);
		assertThat(HttpTestClient.<String>at(columns.get("card"), "profile", "topValues", 0, "value"))
			.isEqualTo("9999 9999 9999 9999");
		assertThat(HttpTestClient.<Integer>at(columns.get("card"), "profile", "topValues", 0, "count")).isEqualTo(60);
		// not masked, still flagged: the dashboard shows it
		assertThat(columns.get("phone").get("mask")).isNull();
		assertThat(HttpTestClient.<String>at(columns.get("phone"), "profile", "piiKind")).isEqualTo("phone");
		assertThat(HttpTestClient.<Boolean>at(columns.get("x"), "profile", "piiSuspected")).isFalse();
		assertThat(HttpTestClient.<Boolean>at(columns.get("label"), "profile", "piiSuspected")).isFalse();

		HttpTestClient.Response rows = http.get("/api/v1/datasets/" + dataset + "/rows?limit=8");
		assertThat(rows.status()).isEqualTo(200);
		List<Map<String, Object>> page = HttpTestClient.at(rows.json(), "rows");
		assertThat(page.get(0)).containsOnlyKeys("id", "email", "card", "phone", "x", "label");
		// the same customer, the same token (rows 1 and 7 are customer 1)
		aliceToken = (String) page.get(1).get("email");
		assertThat(aliceToken).matches("tok_[0-9a-f]{32}");
		assertThat(page.get(1).get("email")).isEqualTo(page.get(7).get("email"));
		assertThat(page.get(0).get("email")).isNotEqualTo(aliceToken);
		assertThat(page.get(2).get("card")).isEqualTo("9999 999999 99999");
		assertThat(page.get(1).get("card")).isEqualTo("9999 9999 9999 9999");
		assertThat(page.get(1).get("phone")).isEqualTo("+44 20 7946 1001");
		// the CSV download holds the same
		String content = http.get("/api/v1/datasets/" + dataset + "/content").body();
		assertThat(content).startsWith("id,email,card,phone,x,label").contains(aliceToken);
		assertNoRawValue(content);

		// the raw-body form takes mask as a query parameter: the same tokens
		HttpTestClient.Response raw = http.uploadRaw(csv(), "text/csv",
				"?name=raw&mask=" + URLEncoder.encode(MASK, StandardCharsets.UTF_8));
		assertThat(raw.status()).as(raw.body()).isEqualTo(201);
		String rawId = (String) raw.json().get("id");
		assertThat(HttpTestClient.<Object>at(http.get("/api/v1/datasets/" + rawId + "/rows?offset=1&limit=1").json(),
				"rows", 0, "email"))
			.isEqualTo(aliceToken);
		assertThat(http.delete("/api/v1/datasets/" + rawId).status()).isEqualTo(204);
		assertNoRawValue(output.getAll());
	}

	@Test
	@Order(2)
	void aModelTrainedOnTokensAnswersRawValuesAsTheirTokens(CapturedOutput output) throws Exception {
		HttpTestClient.Response job = http.postJson("/api/v1/training-jobs", Map.of("datasetId", dataset, "target",
				"label", "algorithm", "logistic_regression", "features", List.of("email", "x"), "seed", 3));
		assertThat(job.status()).as(job.body()).isEqualTo(202);
		Map<String, Object> done = http.awaitJob((String) job.json().get("id"), Duration.ofMinutes(3));
		assertThat(done.get("status")).as("%s", done).isEqualTo("succeeded");
		model = (String) done.get("modelId");
		Map<String, Object> info = http.get("/api/v1/models/" + model).json();
		Map<String, Object> email = HttpTestClient.<List<Map<String, Object>>>at(info, "features")
			.stream()
			.filter(f -> "email".equals(f.get("name")))
			.findFirst()
			.orElseThrow();
		assertThat(email.get("mask")).isEqualTo("pseudonymize");
		assertThat(HttpTestClient.<List<String>>at(email, "categories")).hasSize(6)
			.contains(aliceToken)
			.allMatch(c -> c.startsWith("tok_"));

		// the streaming JSON route
		String path = "/api/v1/models/" + model + "/predictions";
		Map<String, Object> raw = predict(path, EMAILS.get(1));
		Map<String, Object> token = predict(path, aliceToken);
		Map<String, Object> unseen = predict(path, "zed.unknown@example.com");
		double pRaw = yes(raw);
		assertThat(pRaw).isGreaterThan(0.5);
		assertThat(yes(token)).isEqualTo(pRaw);
		assertThat(HttpTestClient.<Object>at(raw, "predictions", 0, "label")).isEqualTo("churn");
		assertThat(HttpTestClient.<List<String>>at(raw, "warnings")).isEmpty();
		// unseen: imputed with the most frequent level, customer 0 (who stays)
		assertThat(yes(unseen)).isLessThan(0.5).isNotEqualTo(pRaw);
		assertThat(HttpTestClient.<Object>at(unseen, "predictions", 0, "label")).isEqualTo("stay");
		assertThat(predict(path, EMAILS.get(0)).get("predictions")).isEqualTo(unseen.get("predictions"));
		String warning = HttpTestClient.<List<String>>at(unseen, "warnings").get(0);
		assertThat(warning).startsWith("row 0: 'email' has the unseen category 'tok_").doesNotContain("zed");

		// the registry's route binds the body (the reference path): the same answers
		assertThat(http.postJson("/api/v1/registered-models", Map.of("name", "customers")).status()).isEqualTo(201);
		assertThat(http.postJson("/api/v1/registered-models/customers/versions", Map.of("modelId", model)).status())
			.isEqualTo(201);
		String bound = "/api/v1/registered-models/customers/versions/1/predictions";
		assertThat(yes(predict(bound, EMAILS.get(1)))).isEqualTo(pRaw);
		assertThat(yes(predict(bound, aliceToken))).isEqualTo(pRaw);
		assertThat(yes(predict(bound, "zed.unknown@example.com"))).isEqualTo(yes(unseen));

		// CSV scoring: raw and token rows score the same
		HttpTestClient.Response scored = http.post(path, "text/csv",
				"email,x\n" + EMAILS.get(1) + ",0.3\n" + aliceToken + ",0.3\nzed.unknown@example.com,0.3\n");
		assertThat(scored.status()).as(scored.body()).isEqualTo(200);
		String[] lines = scored.body().split("\r?\n");
		assertThat(lines[0]).isEqualTo("email,x,prediction,probability_churn,probability_stay");
		String[] a = lines[1].split(",");
		String[] b = lines[2].split(",");
		String[] c = lines[3].split(",");
		assertThat(a[2]).isEqualTo("churn");
		assertThat(a[3]).isEqualTo(b[3]).isEqualTo(Double.toString(pRaw));
		assertThat(c[3]).isEqualTo(Double.toString(yes(unseen)));

		// a batch prediction of the masked dataset: its tokens are taken as they are
		String batch = (String) http
			.postJson("/api/v1/models/" + model + "/batch-predictions", Map.of("datasetId", dataset))
			.json()
			.get("id");
		for (int i = 0; i < 600
				&& !"succeeded".equals(http.get("/api/v1/batch-predictions/" + batch).json().get("status")); i++) {
			Thread.sleep(100);
		}
		String result = http.get("/api/v1/batch-predictions/" + batch + "/result").body();
		String aliceRow = result.lines().filter(l -> l.startsWith("1,")).findFirst().orElseThrow();
		assertThat(aliceRow).contains(aliceToken).contains(",churn,");
		assertNoRawValue(output.getAll());
	}

	@Test
	@Order(3)
	void noRawValueIsInAnyFileUnderTheDataDirectory() throws IOException {
		List<String> found = scan(dataDir);
		assertThat(found).isEmpty();
		// the scan finds what is stored in the clear: the unmasked phone numbers (in the
		// H2 file's profile at least)
		assertThat(scanFor(dataDir, "+44 20 7946 1001")).isNotEmpty();
		assertThat(Files.list(dataDir.resolve("db")).map(p -> p.getFileName().toString())).contains("fitserve.mv.db");
	}

	@Test
	@Order(4)
	void anEvaluationMasksAnUnmaskedDatasetTheSameWay() {
		// after the scan: this dataset holds the raw values
		HttpTestClient.Response plain = http.upload("plain.csv", csv(), "plain");
		assertThat(plain.status()).isEqualTo(201);
		assertThat(HttpTestClient.<Object>at(plain.json(), "columns", 1, "mask")).isNull();
		assertThat(HttpTestClient.<String>at(plain.json(), "columns", 1, "profile", "piiKind")).isEqualTo("email");
		Map<String, Object> masked = http
			.postJson("/api/v1/models/" + model + "/evaluations", Map.of("datasetId", dataset))
			.json();
		Map<String, Object> unmasked = http
			.postJson("/api/v1/models/" + model + "/evaluations", Map.of("datasetId", plain.json().get("id")))
			.json();
		assertThat(HttpTestClient.<Object>at(unmasked, "metrics")).isEqualTo(at(masked, "metrics"));
		// customers 1-3 churn, the rest stay: the email alone separates them
		assertThat(((Number) at(masked, "metrics", "accuracy")).doubleValue()).isEqualTo(1.0);
		assertThat(HttpTestClient.<List<String>>at(unmasked, "warnings")).isEmpty();
	}

	@Test
	@Order(5)
	void badMaskOptionsAreProblemsAndStoreNothing() {
		long before = ((Number) http.get("/api/v1/datasets").json().get("totalItems")).longValue();
		HttpTestClient.Response mode = http.uploadForm("c.csv", csv(), Map.of("mask", "{\"email\": \"hash\"}"), "");
		assertProblem(mode, "mask.email", "unknown mode; allowed: pseudonymize, redact, drop");
		assertThat((String) mode.json().get("detail"))
			.isEqualTo("mask names 1 unknown mode(s); allowed: pseudonymize, redact, drop.");
		HttpTestClient.Response column = http.uploadForm("c.csv", csv(),
				Map.of("mask", "{\"e-mail\": \"drop\", \"email\": \"drop\"}"), "");
		assertProblem(column, "mask.e-mail", "is not a column of the CSV");
		assertThat((String) column.json().get("detail"))
			.isEqualTo("mask names 1 column(s) the CSV's header does not have.");
		HttpTestClient.Response notJson = http.uploadRaw(csv(), "text/csv", "?mask=email%3Ddrop");
		assertProblem(notJson, "mask", "must be a JSON object of column name to mode");
		HttpTestClient.Response everything = http.uploadRaw("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8), "text/csv",
				"?mask=" + URLEncoder.encode("{\"a\":\"drop\",\"b\":\"drop\"}", StandardCharsets.UTF_8));
		assertProblem(everything, "mask", "drops every column");
		// the form's and the query's mask differ
		HttpTestClient.Response twice = http.uploadForm("c.csv", csv(), Map.of("mask", "{\"email\": \"drop\"}"),
				"?mask=" + URLEncoder.encode("{\"name\": \"drop\"}", StandardCharsets.UTF_8));
		assertProblem(twice, "mask", "is given more than once, with different values");
		// bytes that are not UTF-8 in a masked column: the row, not the value
		byte[] latin1 = "id,email\n1,a@example.com\n2,ren\u00e9e@example.com\n".getBytes(StandardCharsets.ISO_8859_1);
		HttpTestClient.Response notUtf8 = http.uploadRaw(latin1, "text/csv",
				"?mask=" + URLEncoder.encode("{\"email\":\"pseudonymize\"}", StandardCharsets.UTF_8));
		assertThat(notUtf8.status()).isEqualTo(400);
		assertThat((String) notUtf8.json().get("detail")).contains("the value is masked, so not shown")
			.contains("first in data row 2")
			.doesNotContain("ren");
		assertThat(((Number) http.get("/api/v1/datasets").json().get("totalItems")).longValue()).isEqualTo(before);
	}

	@Test
	@Order(6)
	void tokensAreTheSameAfterARestart() {
		app.close();
		app = startApp();
		http = FitserveServer.client(app);
		HttpTestClient.Response again = http.uploadRaw(csv(), "text/csv",
				"?mask=" + URLEncoder.encode("{\"email\":\"pseudonymize\"}", StandardCharsets.UTF_8));
		assertThat(again.status()).as(again.body()).isEqualTo(201);
		assertThat(HttpTestClient.<Object>at(
				http.get("/api/v1/datasets/" + again.json().get("id") + "/rows?offset=1&limit=1").json(), "rows", 0,
				"email"))
			.isEqualTo(aliceToken);
		// and the model still answers raw values after the restart
		assertThat(yes(predict("/api/v1/models/" + model + "/predictions", EMAILS.get(1))))
			.isEqualTo(yes(predict("/api/v1/models/" + model + "/predictions", aliceToken)));
	}

	private static Map<String, Object> predict(String path, String email) {
		HttpTestClient.Response r = http.postJson(path, Map.of("rows", List.of(Map.of("email", email, "x", 0.3))));
		assertThat(r.status()).as(r.body()).isEqualTo(200);
		Map<String, Object> json = r.json();
		json.remove("modelId");
		return json;
	}

	private static double yes(Map<String, Object> response) {
		assertThat(HttpTestClient.<Object>at(response, "predictions", 0, "probabilities", "churn")).as("%s", response)
			.isNotNull();
		return ((Number) at(response, "predictions", 0, "probabilities", "churn")).doubleValue();
	}

	private static void assertProblem(HttpTestClient.Response r, String field, String message) {
		assertThat(r.status()).as(r.body()).isEqualTo(400);
		assertThat(r.contentType()).startsWith("application/problem+json");
		assertThat(r.json().get("type")).isEqualTo("urn:fitserve:problem:validation-error");
		assertThat(r.json().get("title")).isEqualTo("The request is not valid");
		assertThat(HttpTestClient.<String>at(r.json(), "errors", 0, "field")).isEqualTo(field);
		assertThat(HttpTestClient.<String>at(r.json(), "errors", 0, "message")).isEqualTo(message);
		assertNoRawValue(r.body());
	}

	/** The raw values of the masked and dropped columns, as they were uploaded. */
	static List<String> rawValues() {
		List<String> raw = new ArrayList<>(EMAILS);
		raw.addAll(NAMES);
		raw.addAll(CARDS);
		CARDS.forEach(c -> raw.add(c.replace(" ", "")));
		return raw;
	}

	private static void assertNoRawValue(String text) {
		for (String value : rawValues()) {
			assertThat(text).doesNotContain(value);
		}
	}

	/** Each raw value found, with the file it was found in. */
	private static List<String> scan(Path dir) throws IOException {
		List<String> found = new ArrayList<>();
		for (String value : rawValues()) {
			found.addAll(scanFor(dir, value));
		}
		return found;
	}

	private static List<String> scanFor(Path dir, String value) throws IOException {
		List<Path> files;
		try (Stream<Path> walk = Files.walk(dir)) {
			files = walk.filter(Files::isRegularFile).toList();
		}
		assertThat(files).isNotEmpty();
		List<String> found = new ArrayList<>();
		for (byte[] needle : List.of(value.getBytes(StandardCharsets.UTF_8),
				value.getBytes(StandardCharsets.UTF_16LE))) {
			for (Path file : files) {
				if (StorageProtectionTest.indexOf(Files.readAllBytes(file), needle) >= 0) {
					found.add("'" + value + "' in " + dir.relativize(file));
				}
			}
		}
		return found;
	}

}
