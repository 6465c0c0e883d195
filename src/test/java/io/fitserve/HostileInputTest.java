package io.fitserve;

import io.fitserve.datasets.DatasetService;
import io.fitserve.errors.DomainException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.fitserve.HttpTestClient.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Hostile and careless input: each answer is a 4xx problem that names what is wrong,
 * never a 500, never a stack trace, class name or file system path, and the service keeps
 * answering.
 */
class HostileInputTest {

	@RegisterExtension
	static final FitserveServer server = new FitserveServer("--fitserve.json.max-string-length=1000",
			"--fitserve.json.max-nesting-depth=16", "--fitserve.prediction.max-body-size=64KB",
			"--fitserve.training.max-work=100000", "--fitserve.training.max-categories=50",
			"--fitserve.training.max-encoded-features=40", "--fitserve.upload.max-line-length=1KB");

	static HttpTestClient http;

	static String datasetId;

	/** Every hostile answer, checked for leaks at the end. */
	static final List<HttpTestClient.Response> answers = new ArrayList<>();

	static final String CSV = "x,color,label\n1,red,a\n2,blue,a\n3,red,b\n4,blue,b\n5,red,b\n6,blue,a\n7,red,a\n"
			+ "8,blue,b\n9,red,b\n10,blue,a\n";

	@BeforeAll
	static void start() {
		http = server.http();
		datasetId = upload(CSV, "small");
	}

	static String upload(String csv, String name) {
		HttpTestClient.Response r = http.uploadRaw(csv.getBytes(StandardCharsets.UTF_8), "text/csv", "?name=" + name);
		assertThat(r.status()).as(r.body()).isEqualTo(201);
		return (String) r.json().get("id");
	}

	/**
	 * Asserts a problem with the status and type, and returns the field (or column) its
	 * first error names.
	 */
	static HttpTestClient.Response problem(HttpTestClient.Response r, int status, String type) {
		answers.add(r);
		assertThat(r.status()).as(r.body()).isEqualTo(status);
		assertThat(r.contentType()).startsWith("application/problem+json");
		assertThat(r.json().get("type")).as(r.body()).isEqualTo("urn:fitserve:problem:" + type);
		assertThat((String) r.json().get("detail")).isNotBlank();
		return r;
	}

	static String field(HttpTestClient.Response r) {
		return at(r.json(), "errors", 0, "field");
	}

	static String spec(String extra) {
		return "{\"datasetId\": \"" + datasetId + "\", \"target\": \"label\", \"algorithm\": \"logistic_regression\""
				+ extra + "}";
	}

	record Case(String name, String path, String body, int status, String type, String field) {
	}

	@Test
	void malformedRequestBodiesNameTheField() {
		String predict = "/api/v1/models/00000000-0000-0000-0000-000000000000/predictions";
		String nested = "[".repeat(40) + "]".repeat(40);
		for (Case c : List.of(
				new Case("unknown spec field", "/api/v1/training-jobs", spec(", \"testFracton\": 0.3"), 400,
						"validation-error", "testFracton"),
				new Case("fractional seed", "/api/v1/training-jobs", spec(", \"seed\": 1.5"), 400, "validation-error",
						"seed"),
				new Case("fractional folds", "/api/v1/training-jobs", spec(", \"crossValidation\": {\"folds\": 2.5}"),
						400, "validation-error", "crossValidation.folds"),
				new Case("string for a number", "/api/v1/training-jobs", spec(", \"testFraction\": \"lots\""), 400,
						"validation-error", "testFraction"),
				new Case("features [null]", "/api/v1/training-jobs", spec(", \"features\": [null]"), 400,
						"validation-error", "features"),
				new Case("datasetId not a UUID", "/api/v1/training-jobs",
						"{\"datasetId\": \"../../etc/passwd\", \"target\": \"label\", \"algorithm\": \"mlp\"}", 400,
						"validation-error", "datasetId"),
				new Case("long target", "/api/v1/training-jobs",
						"{\"datasetId\": \"" + datasetId + "\", \"target\": \"" + "t".repeat(300)
								+ "\", \"algorithm\": \"mlp\"}",
						400, "validation-error", "target"),
				new Case("unknown tuning field", "/api/v1/tuning-jobs",
						"{\"datasetId\": \"" + datasetId + "\", \"target\": \"label\", \"algorithm\": \"mlp\", "
								+ "\"space\": {\"l2\": [0.1]}, \"trails\": 3}",
						400, "validation-error", "trails"),
				new Case("tuning datasetId not a UUID", "/api/v1/tuning-jobs",
						"{\"datasetId\": \"x\", \"target\": \"label\", \"algorithm\": \"mlp\", \"space\": {}}", 400,
						"validation-error", "datasetId"),
				new Case("unknown evaluation field", "/api/v1/models/00000000-0000-0000-0000-000000000000/evaluations",
						"{\"datasetId\": \"" + datasetId + "\", \"dataset\": 1}", 400, "validation-error", "dataset"),
				new Case("unknown prediction field", predict, "{\"rows\": [{\"x\": 1}], \"treshold\": 0.5}", 400,
						"validation-error", "treshold"),
				new Case("rows not an array", predict, "{\"rows\": \"x\"}", 400, "validation-error", "rows"),
				new Case("nesting too deep", predict, "{\"rows\": [{\"x\": " + nested + "}]}", 400, "bad-request",
						null),
				new Case("string too long", predict, "{\"rows\": [{\"x\": \"" + "a".repeat(2000) + "\"}]}", 400,
						"bad-request", null),
				new Case("syntax error", "/api/v1/training-jobs", "{\"datasetId\": ", 400, "bad-request", null))) {
			HttpTestClient.Response r = problem(http.post(c.path(), "application/json", c.body()), c.status(),
					c.type());
			if (c.field() != null) {
				assertThat(field(r)).as(c.name()).isEqualTo(c.field());
			}
		}
		assertThat((String) http
			.post("/api/v1/models/00000000-0000-0000-0000-000000000000/predictions", "application/json",
					"{\"rows\": [{\"x\": " + nested + "}]}")
			.json()
			.get("detail")).contains("fitserve.json.max-nesting-depth");
		assertThat(
				(String) http.post("/api/v1/training-jobs", "application/json", "{\n\"seed\": }").json().get("detail"))
			.contains("line 2");
	}

	@Test
	void hostileCsvIsRefusedSayingWhatIsWrong() {
		byte[] garbage = new byte[3000];
		new java.util.Random(1).nextBytes(garbage);
		record Csv(String name, byte[] body, String says, Integer row, String column) {
		}
		for (Csv c : List.of(
				new Csv("gzip", new byte[] { 0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 'a', ',', 'b' }, "gzip", 1,
						null),
				new Csv("xlsx", "PK\u0003\u0004\u0014\u0000junk".getBytes(StandardCharsets.ISO_8859_1), "zip archive",
						1, null),
				new Csv("garbage", garbage, "", null, null),
				new Csv("invalid utf-8", "a,b\n1,\u00ff\u00fe\n2,x\n".getBytes(StandardCharsets.ISO_8859_1),
						"not valid UTF-8", null, "2"),
				new Csv("NUL", "a,b\n1,x\u0000y\n".getBytes(StandardCharsets.ISO_8859_1), "NUL byte", 2, null),
				new Csv("UTF-16", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_16LE), "UTF-16", 1, null),
				new Csv("duplicate column", "a,a\n1,2\n".getBytes(StandardCharsets.UTF_8), "duplicate column 'a'", 1,
						"2"),
				new Csv("empty column name", "a,,c\n1,2,3\n".getBytes(StandardCharsets.UTF_8), "blank name", 1, "2"),
				new Csv("unterminated quote", "a,b\n1,\"open\n2,3\n".getBytes(StandardCharsets.UTF_8),
						"unterminated quoted field starting on line 2", 2, "2"),
				new Csv("long line", ("a,b\n1,2\n3," + "x".repeat(2000) + "\n").getBytes(StandardCharsets.UTF_8),
						"fitserve.upload.max-line-length", 3, null),
				new Csv("long column name", ("x," + "c".repeat(300) + "\n1,a\n").getBytes(StandardCharsets.UTF_8),
						"limit 255", 1, "2"))) {
			HttpTestClient.Response r = problem(http.uploadRaw(c.body(), "text/csv", "?name=hostile"), 400,
					"validation-error");
			assertThat((String) r.json().get("detail")).as(c.name()).contains(c.says());
			if (c.row() != null) {
				assertThat(HttpTestClient.<Integer>at(r.json(), "errors", 0, "row")).as(c.name()).isEqualTo(c.row());
			}
			if (c.column() != null) {
				assertThat(HttpTestClient.<String>at(r.json(), "errors", 0, "column")).as(c.name())
					.isEqualTo(c.column());
			}
		}
		assertThat(http.get("/api/v1/datasets?size=500").body()).doesNotContain("hostile");
		// formula-looking cells are data: stored and returned unchanged (there is no CSV
		// export to neutralise)
		String id = upload("x,cell\n1,=cmd|' /C calc'!A0\n2,+1\n3,-2x\n4,@SUM(A1)\n", "formulas");
		assertThat(http.get("/api/v1/datasets/" + id + "/rows").body()).contains("=cmd|' /C calc'!A0", "@SUM(A1)");
		assertThat(http.get("/actuator/health").json().get("status")).isEqualTo("UP");
	}

	@Test
	void namesAreNeverPathsAndHaveALengthLimit() throws Exception {
		// traversal-style names are stored as display text; the data lives under
		// generated ids only
		HttpTestClient.Response r = http.upload("../../etc/passwd", "a\n1\n".getBytes(StandardCharsets.UTF_8),
				"../../../tmp/evil");
		assertThat(r.status()).as(r.body()).isEqualTo(201);
		assertThat(r.json().get("name")).isEqualTo("../../../tmp/evil");
		String id = (String) r.json().get("id");
		try (Stream<Path> files = Files.walk(server.dataDir())) {
			assertThat(files.filter(Files::isRegularFile).map(p -> server.dataDir().relativize(p).toString()))
				.allMatch(p -> p.startsWith("db") || p.startsWith("datasets/") || p.startsWith("models/"))
				.anyMatch(p -> p.contains(id))
				.noneMatch(p -> p.contains("passwd") || p.contains("evil"));
		}
		assertThat(field(problem(
				http.uploadRaw("a\n1\n".getBytes(StandardCharsets.UTF_8), "text/csv", "?name=" + "n".repeat(256)), 400,
				"validation-error")))
			.isEqualTo("name");
		assertThat(field(problem(http.upload("data.csv", "a\n1\n".getBytes(StandardCharsets.UTF_8), "n".repeat(300)),
				400, "validation-error")))
			.isEqualTo("name");
		assertThat(field(problem(http.upload("f".repeat(300) + ".csv", "a\n1\n".getBytes(StandardCharsets.UTF_8), null),
				400, "validation-error")))
			.isEqualTo("file");
		assertThat(field(problem(http.uploadRaw("a\n1\n".getBytes(StandardCharsets.UTF_8), "text/csv", "?name=a%00b"),
				400, "validation-error")))
			.isEqualTo("name");
		// exactly 255 is fine
		assertThat(http.uploadRaw("a\n1\n".getBytes(StandardCharsets.UTF_8), "text/csv", "?name=" + "n".repeat(255))
			.status()).isEqualTo(201);
	}

	@Test
	void idsAndPagingOutOfRange() {
		HttpTestClient.Response encoded = http.get("/api/v1/datasets/..%2F..%2Fetc%2Fpasswd");
		// Tomcat refuses encoded slashes before the application sees the request (a plain
		// 400 page)
		assertThat(encoded.status()).isEqualTo(400);
		assertThat(encoded.body()).doesNotContain("root:", "Exception");
		// Spring Security's firewall refuses encoded dots and traversal segments, as a
		// problem
		problem(http.get("/api/v1/datasets/..%2E%2E"), 400, "bad-request");
		problem(http.get("/api/v1/training-jobs/not-a-uuid"), 404, "not-found");
		for (String path : List.of("/api/v1/datasets", "/api/v1/training-jobs", "/api/v1/models",
				"/api/v1/tuning-jobs")) {
			assertThat(field(problem(http.get(path + "?page=2147483647&size=500"), 400, "validation-error")))
				.isEqualTo("page");
			assertThat(http.get(path + "?page=1000000&size=500").status()).isEqualTo(200);
		}
		assertThat(http.get("/api/v1/datasets/" + datasetId + "/rows?offset=9223372036854775807&limit=10").status())
			.isEqualTo(200);
	}

	@Test
	void headersWithControlCharactersAreRefusedAsProblems() throws Exception {
		// Tomcat passes obs-text (0x80-0xFF) through; the firewall checks a header when
		// the service reads it (content negotiation reads Accept): it refuses the C1
		// controls and lets the rest by
		assertThat(
				http.getWithRawHeader("/api/v1/datasets/" + datasetId, "Accept", "application/json; note=\"caf\u00e9\"")
					.status())
			.isEqualTo(200);
		HttpTestClient.Response value = problem(
				http.getWithRawHeader("/api/v1/datasets/" + datasetId, "Accept", "application/json\u0085"), 400,
				"bad-request");
		assertThat(value.json().get("detail"))
			.isEqualTo("The request header Accept holds a control or unassigned character, which is refused.");
		// the service's firewall is the one with the checks written out
		// (the filter bean wraps the FilterChainProxy that WebSecurity built)
		Object built = org.springframework.test.util.ReflectionTestUtils.getField(
				server.bean(org.springframework.security.web.FilterChainProxy.class), "springSecurityFilterChain");
		assertThat(org.springframework.test.util.ReflectionTestUtils.getField(built, "firewall"))
			.isSameAs(server.bean(org.springframework.security.web.firewall.HttpFirewall.class));
	}

	@Test
	void errorsNeverLeakInternals() throws Exception {
		// a battery of its own, so this holds whatever order the tests run in
		List<HttpTestClient.Response> battery = new ArrayList<>(List.of(
				http.post("/api/v1/training-jobs", "application/json", "{\"datasetId\": [1, {\"a\": nul"),
				http.post("/api/v1/training-jobs", "application/json", spec(", \"seed\": {\"$ne\": 1}")),
				http.post("/api/v1/training-jobs", "application/json", spec(", \"features\": [null, 1, {}]")),
				http.post("/api/v1/datasets", "text/csv", "\u0000\u0001\u0002"),
				http.uploadRaw(new byte[] { 0x1f, (byte) 0x8b, 8, 0 }, "application/octet-stream", "?name=gz"),
				http.get("/api/v1/datasets/" + datasetId + "/rows?offset=-1&limit=x"),
				http.get("/api/v1/datasets?page=x"), http.get("/api/v1/nothing/here"), http.delete("/api/v1/datasets"),
				http.post("/api/v1/models/" + datasetId + "/predictions", "application/json", "[]")));
		battery.addAll(answers);
		String dir = server.dataDir().toAbsolutePath().toString();
		for (HttpTestClient.Response r : battery) {
			assertThat(r.status()).as(r.body()).isBetween(400, 499);
			assertThat(r.body()).as(r.body())
				.doesNotContain("Exception", "java.", "at io.", "tools.jackson", "/tmp", dir, "springframework");
		}
		assertThat(http.get("/actuator/health").json().get("status")).isEqualTo("UP");
	}

	@Test
	void oversizedPredictionBodiesAre413BeforeTheyAreRead() throws Exception {
		String model = trainedModel();
		String path = "/api/v1/models/" + model + "/predictions";
		byte[] row = "{\"x\": 1, \"color\": \"red\"}, ".getBytes(StandardCharsets.UTF_8);
		byte[] head = "{\"rows\": [".getBytes(StandardCharsets.UTF_8);
		long gib = 1L << 30;
		// a declared 1 GiB of which 64 KB are sent: the 413 comes back at once, on its
		// Content-Length
		HttpTestClient.Response declared = http.postDeclaredButUnsent(path, "application/json", gib, 64 << 10);
		problem(declared, 413, "content-too-large");
		assertThat((String) declared.json().get("detail")).contains("64KB", "fitserve.prediction.max-body-size");
		// the same through the ordinary client, which sends the whole declared body
		// (generated, never in memory)
		java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
		problem(http.postGenerated(path, "application/json", head, row, 8L << 20, false, sent), 413,
				"content-too-large");
		// chunked, so no length up front: refused once the limit is passed
		HttpTestClient.Response chunked = http.postGenerated(path, "application/json", head, row, 8L << 20, true, sent);
		problem(chunked, 413, "content-too-large");
		assertThat((String) chunked.json().get("detail")).contains("fitserve.prediction.max-body-size");
		// under the limit still predicts, and the service answers
		assertThat(http.postJson(path, Map.of("rows", List.of(Map.of("x", 1, "color", "red")))).status())
			.isEqualTo(200);
		assertThat(http.get("/actuator/health").json().get("status")).isEqualTo("UP");
	}

	@Test
	void specsTheDataCannotTrainAreRefusedUpFront() {
		String oneClass = upload("x,label\n1,a\n2,a\n3,a\n4,a\n", "one-class");
		String allMissing = upload("x,y\n1,\n2,NA\n3,\n", "all-missing");
		String tiny = upload("x,label\n1,a\n2,b\n", "tiny");
		StringBuilder many = new StringBuilder("x,cat,label\n");
		for (int i = 0; i < 60; i++) {
			many.append(i).append(",c").append(i).append(',').append(i % 2).append('\n');
		}
		String wide = upload(many.toString(), "wide");
		record Spec(String name, String body, int status, String type, String field, String says) {
		}
		for (Spec c : List.of(
				new Spec("one class",
						"{\"datasetId\": \"" + oneClass + "\", \"target\": \"label\", "
								+ "\"algorithm\": \"logistic_regression\"}",
						400, "validation-error", "target", "1 class"),
				new Spec("all missing",
						"{\"datasetId\": \"" + allMissing + "\", \"target\": \"y\", "
								+ "\"algorithm\": \"linear_regression\"}",
						400, "validation-error", "target", "no values"),
				new Spec("too few rows",
						"{\"datasetId\": \"" + tiny + "\", \"target\": \"label\", "
								+ "\"algorithm\": \"logistic_regression\", \"testFraction\": 0.5}",
						422, "unprocessable-input", "testFraction", "2 row(s)"),
				new Spec("target among features", spec(", \"features\": [\"x\", \"label\"]"), 400, "validation-error",
						"features", "cannot also be a feature"),
				new Spec("too many categories",
						"{\"datasetId\": \"" + wide + "\", \"target\": \"label\", "
								+ "\"algorithm\": \"logistic_regression\"}",
						422, "unprocessable-input", "features",
						"'cat' has 60 distinct values, more than the limit of 50"),
				new Spec("huge mlp",
						spec(", \"algorithm\": \"mlp\", \"hyperparameters\": {\"hiddenLayers\": [4096, 4096]}")
							.replace("\"algorithm\": \"logistic_regression\", ", ""),
						422, "unprocessable-input", "hyperparameters.hiddenLayers",
						"16,805,890 parameters, more than the limit of 5,000,000"),
				// 3 inputs and 2 outputs: 4 x 100,000 + 100,001 x 100,000 + 100,001 x 2
				// weights and biases
				new Spec("absurd mlp",
						spec(", \"algorithm\": \"mlp\", \"hyperparameters\": {\"hiddenLayers\": [100000, 100000]}")
							.replace("\"algorithm\": \"logistic_regression\", ", ""),
						422, "unprocessable-input", "hyperparameters.hiddenLayers",
						"10,000,700,002 parameters, more than the limit of 5,000,000"),
				new Spec("too much work", spec(", \"hyperparameters\": {\"optimizer\": \"adam\", \"epochs\": 100000}"),
						422, "unprocessable-input", "hyperparameters.epochs", "(fitserve.training.max-work)"))) {
			HttpTestClient.Response r = problem(http.post("/api/v1/training-jobs", "application/json", c.body()),
					c.status(), c.type());
			assertThat(field(r)).as(c.name()).isEqualTo(c.field());
			assertThat(r.body()).as(c.name()).contains(c.says());
		}
		HttpTestClient.Response wideWidth = http.post("/api/v1/training-jobs", "application/json",
				"{\"datasetId\": \"" + wide + "\", \"target\": \"label\", \"algorithm\": \"mlp\"}");
		assertThat(wideWidth.body()).contains("encode to 61 columns", "fitserve.training.max-encoded-features");
		assertThat(http.get("/api/v1/training-jobs?size=500").json().get("totalItems")).isIn(0, 1);
	}

	@Test
	void tuningTrialsOverTheTrainingLimitsAreRefusedUpFront() {
		String tuning = "{\"datasetId\": \"" + datasetId + "\", \"target\": \"label\", \"strategy\": \"grid\", ";
		record Search(String name, String body, String field, String... says) {
		}
		for (Search c : List.of(
				// 10 rows, 2 to test, 8 to train: 100000 epochs x 8 rows x (3 folds + 1
				// final model + 1 refit on every row) = 4,000,000 > 100,000
				new Search("epochs in the space", tuning + "\"algorithm\": \"logistic_regression\", "
						+ "\"hyperparameters\": {\"optimizer\": \"adam\"}, \"space\": {\"epochs\": [10, 100000]}}",
						"space.epochs", "trial 2 {epochs=100000}", "4,000,000", "more than the limit of 100,000",
						"x (folds + 2: the folds, the evaluated model and the refit)", "(fitserve.training.max-work)"),
				// without refit: x (3 folds + 1) = 3,200,000
				new Search("epochs in the space without refit",
						tuning + "\"algorithm\": \"logistic_regression\", "
								+ "\"refit\": false, \"hyperparameters\": {\"optimizer\": \"adam\"}, "
								+ "\"space\": {\"epochs\": [10, 100000]}}",
						"space.epochs", "trial 2 {epochs=100000}", "3,200,000", "x (folds + 1)",
						"(fitserve.training.max-work)"),
				new Search("fixed epochs",
						tuning + "\"algorithm\": \"logistic_regression\", \"folds\": 2, "
								+ "\"hyperparameters\": {\"optimizer\": \"adam\", \"epochs\": 100000}, "
								+ "\"space\": {\"l2\": [0.1, 1]}}",
						"hyperparameters.epochs", "trial 1 {l2=0.1}", "3,200,000", "(fitserve.training.max-work)"),
				new Search("hidden layers in the space", tuning + "\"algorithm\": \"mlp\", "
						+ "\"hyperparameters\": {\"epochs\": 5}, \"space\": {\"hiddenLayers\": [[8], [4096, 4096]]}}",
						"space.hiddenLayers", "trial 2 {hiddenLayers=[4096, 4096]}",
						"parameters, more than the limit " + "of 5,000,000 (fitserve.training.max-parameters)"))) {
			HttpTestClient.Response r = problem(http.post("/api/v1/tuning-jobs", "application/json", c.body()), 422,
					"unprocessable-input");
			assertThat(field(r)).as(c.name()).isEqualTo(c.field());
			assertThat(r.body()).as(c.name()).contains(c.says());
			assertThat((List<?>) r.json().get("errors")).as(c.name()).hasSize(c.name().startsWith("fixed") ? 2 : 1);
		}
		// nothing was queued (an accepted search would train its best trial as a training
		// job)
		assertThat(http.get("/api/v1/tuning-jobs?size=500").json().get("totalItems")).isEqualTo(0);
	}

	@Test
	void runningOutOfMemoryWhileParsingIsA503WithRetryAfterAndStoresNothing() {
		int listed = ((Number) json(http.get("/api/v1/datasets?size=100")).get("totalItems")).intValue();
		// a CSV whose parse runs out of memory after its header and a few rows (as a
		// parse whose values do not fit the heap or the direct memory limit does)
		byte[] start = "x,y\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_8);
		InputStream exhausting = new InputStream() {
			private int at;

			@Override
			public int read() {
				if (this.at == start.length) {
					throw new OutOfMemoryError("Cannot reserve 1048576 bytes of direct buffer memory");
				}
				return start[this.at++];
			}
		};
		assertThatExceptionOfType(DomainException.class)
			.isThrownBy(() -> server.bean(DatasetService.class).upload(exhausting, "too-big", "too-big.csv"))
			.satisfies(ex -> {
				assertThat(ex.kind()).isEqualTo(DomainException.Kind.UNAVAILABLE);
				assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(30));
				assertThat(ex.getMessage()).contains("not have enough memory").contains("nothing was stored");
			});
		assertThat(((Number) json(http.get("/api/v1/datasets?size=100")).get("totalItems")).intValue())
			.isEqualTo(listed);
	}

	static String model;

	static synchronized String trainedModel() throws InterruptedException {
		if (model == null) {
			HttpTestClient.Response r = http.post("/api/v1/training-jobs", "application/json",
					spec(", \"testFraction\": 0.0"));
			assertThat(r.status()).as(r.body()).isEqualTo(202);
			Map<String, Object> job = http.awaitJob((String) r.json().get("id"), Duration.ofSeconds(60));
			assertThat(job.get("status")).as(job.toString()).isEqualTo("succeeded");
			model = (String) job.get("modelId");
		}
		return model;
	}

	static void awaitIdle(String jobId) throws InterruptedException {
		http.awaitJob(jobId, Duration.ofSeconds(60));
	}

	static Map<String, Object> json(HttpTestClient.Response r) {
		return r.json();
	}

}
