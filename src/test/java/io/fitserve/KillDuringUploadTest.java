package io.fitserve;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} in the middle of storing an upload, for real: fitserve runs in a child
 * JVM, the test waits until the dataset's temp file appears (the CSV is parsed, the
 * columnar file is being written) and SIGKILLs the process. The next start on the same
 * data directory lists no dataset and has removed the temp file.
 */
class KillDuringUploadTest {

	@TempDir
	Path tmp;

	@Test
	void killedMidWriteLeavesNothingListedAndTheTempFileIsSweptAtNextStart() throws Exception {
		Path data = tmp.resolve("data");
		Path datasets = data.resolve("datasets");
		Files.createDirectories(data);
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp",
						System.getProperty("java.class.path"), FitserveApplication.class.getName(),
						"--server.port=" + port, "--fitserve.storage.data-dir=" + data,
						"--fitserve.storage.min-free-space=0", "--fitserve.compute.warm-up=false",
						// uncompressed: the write takes long enough to be caught in the
						// middle
						"--fitserve.storage.compression=none"));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(tmp.resolve("child.log").toFile());
		builder.environment().put("FITSERVE_ADMIN_KEY", System.getProperty("FITSERVE_ADMIN_KEY", ""));
		Process child = builder.start();
		boolean caught = false;
		try {
			HttpTestClient http = new HttpTestClient(port);
			awaitUp(http, child);
			byte[] csv = csv(400_000);
			Thread upload = new Thread(() -> {
				try {
					http.uploadRaw(csv, "text/csv", "?name=killed");
				}
				catch (RuntimeException expected) {
					// the server died under it
				}
			});
			upload.setDaemon(true);
			upload.start();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			while (System.nanoTime() < deadline && child.isAlive() && upload.isAlive()) {
				if (tempFiles(datasets) > 0) {
					child.destroyForcibly(); // SIGKILL
					caught = true;
					break;
				}
				Thread.sleep(2);
			}
			child.waitFor(30, TimeUnit.SECONDS);
		}
		finally {
			child.destroyForcibly();
		}
		assertThat(caught).as("the upload's temp file was seen before the upload finished (see child.log)").isTrue();
		assertThat(tempFiles(datasets)).isGreaterThan(0);

		try (ConfigurableApplicationContext app = FitserveServer.builder().run(FitserveServer.arguments(data))) {
			HttpTestClient http = FitserveServer.client(app);
			assertThat(tempFiles(datasets)).isZero();
			assertThat(http.get("/api/v1/datasets").json().get("totalItems")).isEqualTo(0);
			try (Stream<Path> files = Files.list(datasets)) {
				assertThat(files).isEmpty();
			}
		}
	}

	private static void awaitUp(HttpTestClient http, Process child) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
		while (System.nanoTime() < deadline && child.isAlive()) {
			try {
				if (http.get("/actuator/health").status() == 200) {
					return;
				}
			}
			catch (RuntimeException notYet) {
				// connection refused while starting
			}
			Thread.sleep(200);
		}
		throw new AssertionError("the child fitserve did not come up");
	}

	private static long tempFiles(Path dir) throws IOException {
		if (!Files.isDirectory(dir)) {
			return 0;
		}
		try (Stream<Path> files = Files.list(dir)) {
			return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count();
		}
	}

	private static byte[] csv(int rows) {
		Random random = new Random(3);
		StringBuilder csv = new StringBuilder(rows * 100);
		csv.append("a,b,c,d,e,f,g,h,i,j\n");
		for (int r = 0; r < rows; r++) {
			for (int j = 0; j < 10; j++) {
				csv.append(String.format(Locale.ROOT, "%.5f", random.nextDouble())).append(j < 9 ? ',' : '\n');
			}
		}
		return csv.toString().getBytes(StandardCharsets.UTF_8);
	}

}
