package io.fitserve;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A full disk, for real: the data directory is a small tmpfs mounted for this test (the
 * test runs as root on the dev and CI machines; where mounting is not permitted it is
 * skipped, not failed). No fault injection: the writes really get ENOSPC from the kernel.
 * <ul>
 * <li>An upload whose file does not fit gets 507 insufficient-storage, leaves no dataset
 * row and no temp file, and the service keeps listing and predicting.</li>
 * <li>Below fitserve.storage.min-free-space uploads are refused up front (507), so H2, on
 * the same file system, is not the one to hit the wall.</li>
 * <li>When H2 itself hits the full disk it closes the database; predictions (no database)
 * go on, and once space is freed the pool's dead connections are replaced
 * (DatabaseRecovery) and everything works again, with no restart: listing, and the same
 * upload that failed.</li>
 * </ul>
 */
class DiskFullTest {

	private static final long MB = 1024 * 1024;

	private static final String RELEASE_FAILURES = "org.springframework.orm.jpa.EntityManagerFactoryUtils";

	/**
	 * db-scheduler's poller logs each failed poll of the closed database the same way.
	 */
	private static final String POLL_FAILURES = "com.github.kagkarlsson.scheduler.RunUntilShutdown";

	/**
	 * Spring's transaction interceptor logs a request whose rollback also fails on the
	 * closed database ("Application exception overridden by rollback exception") with its
	 * trace; the answer is still the checked problem.
	 */
	private static final String ROLLBACK_FAILURES = "org.springframework.transaction.interceptor.TransactionInterceptor";

	private final LoggingSystem logging = LoggingSystem.get(DiskFullTest.class.getClassLoader());

	@TempDir
	Path tmp;

	@Test
	void fullDiskIs507NothingHalfWrittenAndRecoversWhenSpaceIsFreed() throws Exception {
		Path data = tmp.resolve("small");
		Files.createDirectories(data);
		assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", data.toString()),
				"cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN): skipped");
		try {
			Path filler = tmp.resolve("small/filler");
			byte[] big = randomCsv(90_000); // ~2.8 MB of random doubles once stored: does
											// not compress
			try (ConfigurableApplicationContext app = FitserveServer.builder()
				.run(FitserveServer.arguments(data, "--fitserve.storage.min-free-space=1MB"))) {
				HttpTestClient http = new HttpTestClient(FitserveServer.port(app));
				byte[] iris = new ClassPathResource("datasets/iris.csv").getContentAsByteArray();
				HttpTestClient.Response upload = http.upload("iris.csv", iris, null);
				assertThat(upload.status()).as(upload.body()).isEqualTo(201);
				String model = train(http, (String) upload.json().get("id"));
				Map<String, Object> predict = Map.of("rows", List
					.of(Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "petal_width", 0.2)));
				assertThat(http.postJson("/api/v1/models/" + model + "/predictions", predict).status()).isEqualTo(200);

				// leave ~2 MB: above the 1 MB reserve, so the pre-check lets it through
				// and the write itself fails
				fillLeaving(filler, 2 * MB);
				HttpTestClient.Response full = http.uploadRaw(big, "text/csv", "?name=big");
				StorageProtectionTest.assertCleanProblem(full, 507, "insufficient-storage");
				assertServing(http, model, predict, 1);

				// leave ~0.5 MB: below the reserve, refused before parsing, even for a
				// tiny upload
				fillLeaving(filler, MB / 2);
				HttpTestClient.Response refused = http.upload("iris.csv", iris, "small");
				StorageProtectionTest.assertCleanProblem(refused, 507, "insufficient-storage");
				// new jobs too: their rows and their models need the disk, so none is
				// acknowledged now
				StorageProtectionTest.assertCleanProblem(
						http.postJson("/api/v1/training-jobs",
								Map.of("datasetId", upload.json().get("id"), "target", "species", "algorithm", "mlp")),
						507, "insufficient-storage");
				assertServing(http, model, predict, 1);

				// the database itself hits the wall: H2 closes itself when a write fails
				// (creating an API key writes a row without a free-space check);
				// predictions need no database and go on, job submissions are refused up
				// front, the rest answers problems, never stack traces
				fillLeaving(filler, 0);
				// once H2 has closed itself, Spring logs each request's failed connection
				// release (and db-scheduler each failed poll) as an ERROR with a 100-line
				// trace: expected here (what this test checks is the responses), so not
				// in the build output
				logging.setLogLevel(RELEASE_FAILURES, LogLevel.OFF);
				logging.setLogLevel(POLL_FAILURES, LogLevel.OFF);
				logging.setLogLevel(ROLLBACK_FAILURES, LogLevel.OFF);
				for (int i = 0; i < 3; i++) {
					StorageProtectionTest.assertCleanProblem(http.postJson("/api/v1/training-jobs",
							Map.of("datasetId", upload.json().get("id"), "target", "species", "algorithm", "mlp")), 507,
							"insufficient-storage");
					HttpTestClient.Response write = http.postJson("/api/v1/api-keys",
							Map.of("name", "written on a full disk " + i, "role", "predictor"));
					assertThat(write.status()).as(write.body()).isIn(201, 507);
					Thread.sleep(1200); // H2 writes its changes in the background about
										// once a second
					assertThat(http.postJson("/api/v1/models/" + model + "/predictions", predict).status())
						.isEqualTo(200);
				}
				HttpTestClient.Response whileFull = http.get("/api/v1/datasets");
				assertThat(whileFull.status()).as(whileFull.body()).isIn(200, 507);
				assertThat(whileFull.body()).doesNotContain("Exception").doesNotContain("/tmp");

				// space freed: the database is reopened and the same upload goes through,
				// no restart needed
				Files.delete(filler);
				Thread.sleep(600);
				assertServing(http, model, predict, 1);
				HttpTestClient.Response again = http.uploadRaw(big, "text/csv", "?name=big");
				assertThat(again.status()).as(again.body()).isEqualTo(201);
				assertThat(
						http.get("/api/v1/datasets/" + again.json().get("id") + "/rows?offset=89999&limit=1").status())
					.isEqualTo(200);
				assertServing(http, model, predict, 2);
			}
		}
		finally {
			logging.setLogLevel(RELEASE_FAILURES, null);
			logging.setLogLevel(POLL_FAILURES, null);
			logging.setLogLevel(ROLLBACK_FAILURES, null);
			run("umount", "-l", data.toString());
		}
	}

	private static String train(HttpTestClient http, String dataset) throws InterruptedException {
		HttpTestClient.Response r = http.postJson("/api/v1/training-jobs",
				Map.of("datasetId", dataset, "target", "species", "algorithm", "logistic_regression"));
		assertThat(r.status()).as(r.body()).isEqualTo(202);
		Map<String, Object> job = http.awaitJob((String) r.json().get("id"), Duration.ofMinutes(2));
		assertThat(job.get("status")).as("%s", job).isEqualTo("succeeded");
		return (String) job.get("modelId");
	}

	/**
	 * Lists exactly {@code datasets}, predicts, and has no temp file left in the data
	 * directory.
	 */
	private void assertServing(HttpTestClient http, String model, Map<String, Object> predict, int datasets)
			throws IOException {
		HttpTestClient.Response list = http.get("/api/v1/datasets");
		assertThat(list.status()).as(list.body()).isEqualTo(200);
		assertThat(list.json().get("totalItems")).isEqualTo(datasets);
		assertThat(http.postJson("/api/v1/models/" + model + "/predictions", predict).status()).isEqualTo(200);
		try (Stream<Path> files = Files.walk(tmp.resolve("small"))) {
			assertThat(files.map(Path::toString).filter(p -> p.endsWith(".tmp"))).isEmpty();
		}
	}

	/**
	 * Grows or shrinks {@code filler} so that about {@code free} bytes stay free on its
	 * file system.
	 */
	private static void fillLeaving(Path filler, long free) throws IOException {
		try (OutputStream out = Files.newOutputStream(filler, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
			byte[] block = new byte[64 * 1024];
			while (true) {
				out.write(block);
				out.flush();
			}
		}
		catch (IOException full) {
			// the file system is full now
		}
		long size = Files.size(filler);
		try (FileChannel ch = FileChannel.open(filler, StandardOpenOption.WRITE)) {
			ch.truncate(Math.max(0, size - free));
		}
	}

	private static byte[] randomCsv(int rows) {
		Random random = new Random(11);
		StringBuilder csv = new StringBuilder("a,b,c,d\n");
		for (int i = 0; i < rows; i++) {
			csv.append(String.format(Locale.ROOT, "%s,%s,%s,%s%n", random.nextDouble(), random.nextDouble(),
					random.nextDouble(), random.nextDouble()));
		}
		return csv.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static boolean run(String... command) throws IOException, InterruptedException {
		Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
		p.getInputStream().readAllBytes();
		return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
	}

}
