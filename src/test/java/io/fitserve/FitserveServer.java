package io.fitserve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

/**
 * One fitserve per test class, in the test JVM, for end-to-end tests over real HTTP: on a
 * random port, with a data directory of its own and the test's database
 * ({@link TestDatabase}: H2 in the data directory, or PostgreSQL for
 * {@code *OnPostgresTest} subclasses). Register it as a static field; it starts before
 * the class's {@code @BeforeAll} methods and stops after its {@code @AfterAll} methods:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final FitserveServer server = new FitserveServer("--fitserve.models.cache-size=1");
 * </pre>
 *
 * Tests that need a fitserve of another lifetime (restarted in the middle of a test, one
 * per test method, a second instance, started only once a precondition holds) use the
 * static building blocks {@link #start}, {@link #arguments}, {@link #port} and
 * {@link #client}, so that every fitserve a test starts in-process is started the same
 * way.
 */
public final class FitserveServer implements BeforeAllCallback, AfterAllCallback {

	private final String[] properties;

	private Path dataDir;

	private ConfigurableApplicationContext context;

	private HttpTestClient http;

	/**
	 * A server started with these command-line properties after the port, data directory
	 * and database ones (e.g. {@code "--fitserve.training.max-concurrent-jobs=1"}).
	 */
	public FitserveServer(String... properties) {
		this.properties = properties.clone();
	}

	@Override
	public void beforeAll(ExtensionContext extension) throws IOException {
		Class<?> testClass = extension.getRequiredTestClass();
		this.dataDir = Files.createTempDirectory(testClass.getSimpleName() + "-");
		this.context = start(testClass, testClass, this.dataDir, this.properties);
		this.http = client(this.context);
	}

	@Override
	public void afterAll(ExtensionContext extension) {
		try {
			if (this.context != null) {
				this.context.close();
			}
		}
		finally {
			this.context = null;
			this.http = null;
			if (this.dataDir != null) {
				FileSystemUtils.deleteRecursively(this.dataDir.toFile());
			}
		}
	}

	/** The running application. */
	public ConfigurableApplicationContext context() {
		return this.context;
	}

	/** The application's bean of this type. */
	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	/** The port it listens on (loopback). */
	public int port() {
		return port(this.context);
	}

	/** Its data directory (an absolute temporary directory, deleted after the class). */
	public Path dataDir() {
		return this.dataDir;
	}

	/** A client that sends the tests' admin key; {@code withKey} gives others. */
	HttpTestClient http() {
		return this.http;
	}

	/**
	 * Starts fitserve in this JVM on a random port with {@code dataDir} as its data
	 * directory and the database of {@code testClass} ({@link TestDatabase#args}; owner
	 * is the test class, or the test instance for a database per test), followed by
	 * {@code properties}.
	 */
	public static ConfigurableApplicationContext start(Class<?> testClass, Object owner, Path dataDir,
			String... properties) {
		return builder().run(TestDatabase.with(testClass, owner, arguments(dataDir, properties)));
	}

	/**
	 * The application builder every in-process fitserve starts from (add listeners here).
	 */
	public static SpringApplicationBuilder builder() {
		return new SpringApplicationBuilder(FitserveApplication.class);
	}

	/**
	 * {@code --server.port=0}, {@code --fitserve.storage.data-dir=<dataDir>} and
	 * {@code --fitserve.compute.warm-up=false} followed by {@code properties}: the
	 * arguments without a database, for tests that choose it themselves.
	 */
	public static String[] arguments(Path dataDir, String... properties) {
		List<String> args = new ArrayList<>();
		args.add("--server.port=0");
		args.add("--fitserve.storage.data-dir=" + dataDir.toAbsolutePath());
		// the warm-up trains in the background once per JVM; the tests' own jobs warm the
		// code anyway
		args.add("--fitserve.compute.warm-up=false");
		args.addAll(List.of(properties));
		return args.toArray(String[]::new);
	}

	/** The port a started fitserve listens on. */
	public static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	/** A client for a started fitserve that sends the tests' admin key. */
	static HttpTestClient client(ConfigurableApplicationContext context) {
		return new HttpTestClient(port(context));
	}

}
