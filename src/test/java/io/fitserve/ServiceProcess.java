package io.fitserve;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * fitserve as a real separate process (a JVM on the test classpath, -Xmx512m) on a free
 * port and a given data directory, for the tests that stop it with SIGTERM or SIGKILL and
 * start it again, or run several replicas. Its output goes to
 * {@code <data directory>/<name>.log}.
 */
final class ServiceProcess {

	/** A loaded machine can take minutes to start a JVM with Spring. */
	private static final Duration START_UP = Duration.ofMinutes(5);

	private final String name;

	private final Process process;

	private final int port;

	private final Path log;

	private ServiceProcess(String name, Process process, int port, Path log) {
		this.name = name;
		this.process = process;
		this.port = port;
		this.log = log;
	}

	/**
	 * Starts fitserve with {@code --server.port}, {@code --fitserve.storage.data-dir},
	 * {@code --fitserve.compute.warm-up=false}, then {@code args}, then the arguments for
	 * the test's database ({@link TestDatabase#args}, with the test instance as its
	 * owner), and waits until it answers; fails with its output if it exits or does not
	 * answer within 5 minutes.
	 */
	static ServiceProcess start(Object test, Path dataDir, String name, String... args)
			throws IOException, InterruptedException {
		// no training warm-up: these processes start and stop several times a test on the
		// two cores the test also needs (PackagedJarIT runs the jar's default)
		List<String> command = new ArrayList<>(List.of("--fitserve.compute.warm-up=false"));
		command.addAll(List.of(args));
		command.addAll(TestDatabase.args(test.getClass(), test));
		return start(List.of("-cp", System.getProperty("java.class.path"), FitserveApplication.class.getName()),
				dataDir, name, command);
	}

	/**
	 * Starts the packaged jar ({@code java -jar jar}) as users run it, with its own
	 * classpath, on the embedded H2 under dataDir; then as {@link #start}.
	 */
	static ServiceProcess startJar(Path jar, Path dataDir, String name) throws IOException, InterruptedException {
		return start(List.of("-jar", jar.toAbsolutePath().toString()), dataDir, name, List.of());
	}

	private static ServiceProcess start(List<String> launch, Path dataDir, String name, List<String> args)
			throws IOException, InterruptedException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(List.of(java, "-Xmx512m"));
		command.addAll(launch);
		command.addAll(List.of("--server.port=" + port, "--fitserve.storage.data-dir=" + dataDir.toAbsolutePath()));
		command.addAll(args);
		Path log = dataDir.resolve(name + ".log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().put("FITSERVE_ADMIN_KEY", System.getProperty("FITSERVE_ADMIN_KEY", ""));
		ServiceProcess service = new ServiceProcess(name, builder.start(), port, log);
		try {
			service.awaitUp();
		}
		catch (Throwable notUp) {
			service.kill();
			throw notUp;
		}
		return service;
	}

	private void awaitUp() throws IOException, InterruptedException {
		HttpTestClient http = client();
		long deadline = System.nanoTime() + START_UP.toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new AssertionError("fitserve " + name + " exited at start-up:\n" + output());
			}
			if (http.isUp()) {
				return;
			}
			Thread.sleep(200);
		}
		throw new AssertionError("fitserve " + name + " did not start within 5 minutes:\n" + output());
	}

	HttpTestClient client() {
		return new HttpTestClient(port);
	}

	/** Everything the process has written to its standard output and error so far. */
	String output() throws IOException {
		return Files.readString(log);
	}

	/** SIGTERM: a graceful stop. */
	void terminate() {
		process.destroy();
	}

	/** SIGKILL. */
	void kill() {
		process.destroyForcibly();
	}

	/** Waits up to {@code seconds} for the process to exit; whether it has. */
	boolean waitFor(long seconds) throws InterruptedException {
		return process.waitFor(seconds, TimeUnit.SECONDS);
	}

}
