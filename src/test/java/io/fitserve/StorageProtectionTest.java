package io.fitserve;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.fitserve.storage.StorageConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Encryption at rest and tamper detection, end to end: real HTTP, real H2 files, real
 * training.
 * <ul>
 * <li>With a key, after upload, training and prediction, no byte sequence of the data (a
 * marker string in a categorical column, a unique number as text and as IEEE-754 bytes)
 * is found in any file under the data directory, H2's files included; without a key the
 * marker is found, so the scan can fail.</li>
 * <li>A flipped byte in a dataset file or a model artifact, encrypted or not, is a 500
 * problem with a stable type, no path or class name, while other datasets and models keep
 * serving.</li>
 * <li>Start-up refuses a malformed key, a key on an unencrypted database and a missing
 * key on an encrypted one.</li>
 * <li>Temp files left by a killed upload or model save are removed at start (simulated:
 * placed before start).</li>
 * </ul>
 */
class StorageProtectionTest {

	private static final String MARKER = "qzv7MARKERk4xw";

	/**
	 * Exactly representable, the maximum of its column (so it is in the stored profile
	 * too).
	 */
	private static final double UNIQUE = 98765.4321875;

	private static final String UNIQUE_TEXT = "98765.4321875";

	@TempDir
	Path tmp;

	private static byte[] csv() {
		StringBuilder csv = new StringBuilder("x,amount,color,label\n");
		for (int i = 0; i < 40; i++) {
			String color = i % 4 == 0 ? MARKER : i % 4 == 1 ? "red" : "blue";
			String amount = i == 7 ? UNIQUE_TEXT : String.valueOf(10 + i % 9);
			csv.append(i % 10)
				.append(',')
				.append(amount)
				.append(',')
				.append(color)
				.append(',')
				.append(i % 10 < 5 ? "lo" : "hi")
				.append('\n');
		}
		return csv.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static String newKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

	private static ConfigurableApplicationContext start(Path dataDir, String key) throws IOException {
		Files.createDirectories(dataDir);
		return FitserveServer.builder()
			.run(FitserveServer.arguments(dataDir, "--fitserve.storage.min-free-space=0",
					"--fitserve.storage.encryption-key=" + (key == null ? "" : key)));
	}

	/**
	 * Uploads two datasets and trains a model on each; tampers with one of each; returns
	 * the intact dataset.
	 */
	private static String exercise(ConfigurableApplicationContext app, Path dataDir) throws Exception {
		HttpTestClient http = FitserveServer.client(app);
		String a = upload(http, "a");
		String b = upload(http, "b");
		// a flipped byte in dataset a's file (a is read from disk: nothing has read it
		// since the upload; frames once read are cached in memory, which is trusted)
		flipByte(dataDir.resolve("datasets").resolve(a + ".fsd"));
		HttpTestClient.Response rows = http.get("/api/v1/datasets/" + a + "/rows");
		assertCleanProblem(rows, 500, "dataset-corrupt");
		assertThat((String) rows.json().get("detail")).contains(a);
		// training on it fails with the same clear reason, at submission
		HttpTestClient.Response job = http.postJson("/api/v1/training-jobs",
				Map.of("datasetId", a, "target", "label", "algorithm", "logistic_regression"));
		assertCleanProblem(job, 500, "dataset-corrupt");
		// the other dataset and the listing still serve
		assertThat(http.get("/api/v1/datasets/" + b + "/rows?limit=1").status()).isEqualTo(200);
		assertThat(http.get("/api/v1/datasets").status()).isEqualTo(200);

		// a job whose dataset turns corrupt between submission and run fails with that
		// reason: keep the single training slot busy, queue a job on c, damage c's file
		// and drop the frame cached at submission
		String c = upload(http, "c");
		String busy = (String) http
			.postJson("/api/v1/training-jobs", Map.of("datasetId", b, "target", "label", "algorithm", "mlp",
					"hyperparameters", Map.of("epochs", 100000, "batchSize", 1, "earlyStoppingPatience", 0)))
			.json()
			.get("id");
		HttpTestClient.Response queued = http.postJson("/api/v1/training-jobs",
				Map.of("datasetId", c, "target", "label", "algorithm", "logistic_regression"));
		assertThat(queued.status()).as(queued.body()).isEqualTo(202);
		flipByte(dataDir.resolve("datasets").resolve(c + ".fsd"));
		((Map<?, ?>) ReflectionTestUtils.getField(app.getBean("datasetStore"), "cache")).clear();
		assertThat(http.postJson("/api/v1/training-jobs/" + busy + "/cancel", Map.of()).status()).isLessThan(300);
		Map<String, Object> failed = http.awaitJob((String) queued.json().get("id"), Duration.ofMinutes(2));
		assertThat(failed.get("status")).isEqualTo("failed");
		assertThat(HttpTestClient.<String>at(failed, "error", "type"))
			.isEqualTo("urn:fitserve:problem:dataset-corrupt");
		assertThat(HttpTestClient.<String>at(failed, "error", "detail")).contains(c).doesNotContain("Exception");

		String modelA = train(http, b);
		String modelB = train(http, b);
		Map<String, Object> row = Map.of("x", 3, "amount", 12, "color", MARKER);
		assertThat(http.postJson("/api/v1/models/" + modelB + "/predictions", Map.of("rows", List.of(row))).status())
			.isEqualTo(200);
		assertThat(http.get("/api/v1/datasets/" + b + "/rows?offset=7&limit=1").body()).contains(UNIQUE_TEXT);

		// a batch prediction's result holds the dataset's rows: it is stored with the
		// same codec (with a key the scan finds none of them), and a damaged result is a
		// clean problem
		String batch = (String) http.postJson("/api/v1/models/" + modelB + "/batch-predictions", Map.of("datasetId", b))
			.json()
			.get("id");
		for (int i = 0; i < 1200
				&& !"succeeded".equals(http.get("/api/v1/batch-predictions/" + batch).json().get("status")); i++) {
			Thread.sleep(100);
		}
		HttpTestClient.Response scored = http.get("/api/v1/batch-predictions/" + batch + "/result");
		assertThat(scored.status()).as(scored.body()).isEqualTo(200);
		assertThat(scored.body()).contains(MARKER).contains(UNIQUE_TEXT);
		flipByte(dataDir.resolve("batch-predictions").resolve(batch + ".csv.fsr"));
		HttpTestClient.Response damaged = http.get("/api/v1/batch-predictions/" + batch + "/result");
		assertCleanProblem(damaged, 500, "batch-result-corrupt");
		assertThat((String) damaged.json().get("detail")).contains(batch).doesNotContain(".fsr");

		// a flipped byte in model a's artifact (never loaded since it was saved)
		flipByte(dataDir.resolve("models").resolve(modelA + ".fsm"));
		HttpTestClient.Response predicted = http.postJson("/api/v1/models/" + modelA + "/predictions",
				Map.of("rows", List.of(row)));
		assertCleanProblem(predicted, 500, "model-artifact-corrupt");
		assertThat(http.postJson("/api/v1/models/" + modelB + "/predictions", Map.of("rows", List.of(row))).status())
			.isEqualTo(200);
		return b;
	}

	private static String upload(HttpTestClient http, String name) {
		HttpTestClient.Response r = http.upload(name + ".csv", csv(), name);
		assertThat(r.status()).as(r.body()).isEqualTo(201);
		return (String) r.json().get("id");
	}

	private static String train(HttpTestClient http, String dataset) throws InterruptedException {
		HttpTestClient.Response r = http.postJson("/api/v1/training-jobs",
				Map.of("datasetId", dataset, "target", "label", "algorithm", "logistic_regression"));
		assertThat(r.status()).as(r.body()).isEqualTo(202);
		Map<String, Object> job = http.awaitJob((String) r.json().get("id"), Duration.ofMinutes(2));
		assertThat(job.get("status")).as("%s", job).isEqualTo("succeeded");
		return (String) job.get("modelId");
	}

	private static void flipByte(Path file) throws IOException {
		byte[] bytes = Files.readAllBytes(file);
		bytes[bytes.length / 2] ^= 0x01;
		Files.write(file, bytes);
	}

	static void assertCleanProblem(HttpTestClient.Response r, int status, String slug) {
		assertThat(r.status()).as(r.body()).isEqualTo(status);
		assertThat(r.contentType()).startsWith("application/problem+json");
		Map<String, Object> problem = r.json();
		assertThat(problem.get("type")).isEqualTo("urn:fitserve:problem:" + slug);
		assertThat(problem.get("status")).isEqualTo(status);
		assertThat(r.body()).doesNotContain("Exception")
			.doesNotContain("/tmp")
			.doesNotContain("\tat ")
			.doesNotContain(".fsd")
			.doesNotContain(".fsm");
	}

	/** The needles found in any file under dir, with the file they were found in. */
	private static List<String> scan(Path dir) throws IOException {
		Map<String, byte[]> needles = Map.of("marker", MARKER.getBytes(StandardCharsets.UTF_8), "number as text",
				UNIQUE_TEXT.getBytes(StandardCharsets.UTF_8), "number as little-endian double",
				ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(UNIQUE).array(),
				"number as big-endian double", ByteBuffer.allocate(8).putDouble(UNIQUE).array(), "marker as UTF-16",
				MARKER.getBytes(StandardCharsets.UTF_16LE));
		List<String> found = new ArrayList<>();
		List<Path> files;
		try (Stream<Path> walk = Files.walk(dir)) {
			files = walk.filter(Files::isRegularFile).toList();
		}
		assertThat(files).isNotEmpty();
		for (Path file : files) {
			byte[] bytes = Files.readAllBytes(file);
			needles.forEach((what, needle) -> {
				if (indexOf(bytes, needle) >= 0) {
					found.add(what + " in " + dir.relativize(file));
				}
			});
		}
		return found;
	}

	/** The first index of needle in haystack, or -1. */
	static int indexOf(byte[] haystack, byte[] needle) {
		outer: for (int i = 0; i + needle.length <= haystack.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	/** The message of the StorageConfigurationException that stopped the start. */
	private static String refusal(Path dataDir, String key) {
		Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> start(dataDir, key).close());
		for (Throwable t = thrown; t != null; t = t.getCause()) {
			if (t instanceof StorageConfigurationException) {
				return t.getMessage();
			}
		}
		throw new AssertionError("start-up was not refused by a StorageConfigurationException", thrown);
	}

	@Test
	void encryptedDataDirectoryHoldsNoPlaintextAndTamperingIsDetected() throws Exception {
		String key = newKey();
		Path plain = tmp.resolve("plain");
		Path encrypted = tmp.resolve("encrypted");

		// a data directory with a database already (on a new one, unknown files mean a
		// lost database: DataDirectoryCheck refuses to start rather than sweep them)
		try (ConfigurableApplicationContext first = start(plain, null)) {
			assertThat(FitserveServer.client(first).get("/api/v1/datasets").status()).isEqualTo(200);
		}
		// what a kill -9 in the middle of an upload and of a model save leaves: temp
		// files, never a listed dataset
		Path halfDataset = Files.createDirectories(plain.resolve("datasets"))
			.resolve(java.util.UUID.randomUUID() + ".fsd.8123456.tmp");
		Path halfModel = Files.createDirectories(plain.resolve("models"))
			.resolve(java.util.UUID.randomUUID() + "4242.tmp");
		Files.write(halfDataset, new byte[1000]);
		Files.write(halfModel, new byte[1000]);
		// and a multipart upload Tomcat was spooling to disk
		Path spooled = Files.createDirectories(plain.resolve("uploads"))
			.resolve("upload_" + java.util.UUID.randomUUID() + "_00000003.tmp");
		Files.write(spooled, new byte[1000]);
		// and a complete file moved into place whose row never committed
		Path rowless = plain.resolve("datasets").resolve(java.util.UUID.randomUUID() + ".fsd");
		Files.write(rowless, new byte[1000]);
		Files.setLastModifiedTime(rowless,
				java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(60)));
		try (ConfigurableApplicationContext app = start(plain, null)) {
			assertThat(halfDataset).doesNotExist();
			assertThat(halfModel).doesNotExist();
			assertThat(rowless).doesNotExist();
			assertThat(spooled).doesNotExist();
			// a multipart upload goes straight to the parser: half-way through a file of
			// 1.3 MB (over the 1 MB Spring's multipart support kept in memory before
			// spooling the rest to <data-dir>/uploads), no file under the data directory
			// holds any of it
			String boundary = "b0undary";
			StringBuilder big = new StringBuilder("--" + boundary + "\r\nContent-Disposition: form-data; "
					+ "name=\"file\"; filename=\"big.csv\"\r\nContent-Type: text/csv\r\n\r\nn,label\n");
			for (int i = 0; big.length() < 1_300_000; i++) {
				big.append(i).append(".123456789,").append(i % 2 == 0 ? "spoolcheck" : "odd").append('\n');
			}
			big.append("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nbig\r\n--"
					+ boundary + "--\r\n");
			byte[] body = big.toString().getBytes(StandardCharsets.UTF_8);
			byte[] value = "spoolcheck".getBytes(StandardCharsets.UTF_8);
			List<Path> holding = new ArrayList<>();
			HttpTestClient.Response streamed = FitserveServer.client(app)
				.postPausing("/api/v1/datasets", "multipart/form-data; boundary=" + boundary, body,
						body.length - 20_000, () -> {
							try (Stream<Path> files = Files.walk(plain)) {
								for (Path f : files.filter(Files::isRegularFile).toList()) {
									if (indexOf(Files.readAllBytes(f), value) >= 0) {
										holding.add(f);
									}
								}
							}
							catch (java.io.IOException ex) {
								throw new java.io.UncheckedIOException(ex);
							}
						});
			assertThat(holding).as("files holding upload bytes mid-upload").isEmpty();
			assertThat(streamed.status()).as(streamed.body()).isEqualTo(201);
			assertThat(streamed.body()).contains("\"rows\":").contains("\"name\":\"big\"");
			String streamedId = streamed.body().replaceAll("(?s).*?\"id\":\"([^\"]+)\".*", "$1");
			assertThat(FitserveServer.client(app).delete("/api/v1/datasets/" + streamedId).status()).isEqualTo(204);
			try (Stream<Path> left = Files.list(plain.resolve("uploads"))) {
				assertThat(left).isEmpty();
			}
			assertThat(FitserveServer.client(app).get("/api/v1/datasets").json().get("totalItems")).isEqualTo(0);
			exercise(app, plain);
		}
		// the scan can find what it looks for: without a key the marker is stored in the
		// clear somewhere
		assertThat(scan(plain)).anyMatch(s -> s.startsWith("marker"));

		String survivor;
		try (ConfigurableApplicationContext app = start(encrypted, key)) {
			survivor = exercise(app, encrypted);
		}
		assertThat(Files.list(encrypted.resolve("db")).map(p -> p.getFileName().toString())).contains("fitserve.mv.db");
		assertThat(scan(encrypted)).isEmpty();

		// the same key opens it again, and the data reads back
		try (ConfigurableApplicationContext app = start(encrypted, key)) {
			HttpTestClient http = FitserveServer.client(app);
			HttpTestClient.Response rows = http.get("/api/v1/datasets/" + survivor + "/rows?limit=100");
			assertThat(rows.status()).isEqualTo(200);
			assertThat(rows.body()).contains(MARKER).contains(UNIQUE_TEXT);
		}

		// start-up refusals, each before anything is opened
		assertThat(refusal(plain, key)).contains("created without encryption");
		assertThat(refusal(encrypted, null)).contains("is encrypted, but no encryption key is set");
		assertThat(refusal(tmp.resolve("fresh"), "c2hvcnQ=")).contains("decodes to 5 bytes").doesNotContain("c2hvcnQ=");
		assertThat(refusal(tmp.resolve("fresh"), "not*base64")).contains("not valid base64");
		assertThat(refusal(encrypted, newKey())).contains("is encrypted under key id").contains("but the configured");
	}

}
