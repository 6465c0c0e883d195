package io.fitserve;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL for the tests, started once per test JVM from the operating system's
 * packages (Debian: {@code apt-get install postgresql}, binaries under
 * {@code /usr/lib/postgresql/<version>/bin}): {@code initdb} into a temporary directory,
 * {@code pg_ctl start} on a free loopback port, stopped (and the directory removed) when
 * the JVM exits. Run as root, the server runs as the {@code postgres} OS user (initdb
 * refuses root).
 * <p>
 * Without the binaries the PostgreSQL tests are skipped with a JUnit assumption, except
 * on CI ({@code CI=true}), where they fail: there the database is part of what is tested.
 */
final class PostgresServer {

	private static PostgresServer instance;

	private static final AtomicInteger databases = new AtomicInteger();

	private final int port;

	private PostgresServer(int port) {
		this.port = port;
	}

	/**
	 * The server, started at the first call; skips (or on CI fails) the calling test
	 * without PostgreSQL.
	 */
	static synchronized PostgresServer get() {
		if (instance == null) {
			Path bin = binaries();
			if (bin == null) {
				String message = "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): the PostgreSQL "
						+ "variants of the tests are skipped; install it with 'apt-get install -y postgresql'";
				if ("true".equalsIgnoreCase(System.getenv("CI"))) {
					throw new IllegalStateException(message.replace("are skipped", "cannot run on CI (CI=true)"));
				}
				Assumptions.assumeTrue(false, message);
			}
			try {
				instance = start(bin);
			}
			catch (IOException ex) {
				throw new IllegalStateException("could not start PostgreSQL from " + bin, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		return instance;
	}

	/** A new, empty database; returns its JDBC URL (user postgres, no password). */
	String createDatabase(String hint) {
		String name = ("fitserve_" + hint.replaceAll("[^A-Za-z0-9]", "_") + "_" + databases.incrementAndGet())
			.toLowerCase();
		if (name.length() > 60) {
			name = name.substring(name.length() - 60);
		}
		try (Connection connection = DriverManager.getConnection(url("postgres"), "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE \"" + name + "\"");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("could not create database " + name, ex);
		}
		return url(name);
	}

	String url(String database) {
		return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
	}

	/** The directory of the newest installed version's binaries, or null. */
	private static Path binaries() {
		Path root = Path.of("/usr/lib/postgresql");
		if (!Files.isDirectory(root)) {
			return null;
		}
		List<Path> found = new ArrayList<>();
		PathMatcher numeric = FileSystems.getDefault().getPathMatcher("regex:[0-9]+");
		try (DirectoryStream<Path> versions = Files.newDirectoryStream(root)) {
			for (Path version : versions) {
				if (numeric.matches(version.getFileName()) && Files.isExecutable(version.resolve("bin/initdb"))) {
					found.add(version.resolve("bin"));
				}
			}
		}
		catch (IOException ex) {
			return null;
		}
		return found.stream()
			.max(Comparator.comparingInt(bin -> Integer.parseInt(bin.getParent().getFileName().toString())))
			.orElse(null);
	}

	private static PostgresServer start(Path bin) throws IOException, InterruptedException {
		boolean root = "root".equals(System.getProperty("user.name"));
		Path dir = Files.createTempDirectory("fitserve-pg-");
		Path data = dir.resolve("data");
		Path log = dir.resolve("postgres.log");
		if (root) {
			run(List.of("chown", "postgres:postgres", dir.toString()), null);
		}
		run(asPostgres(root, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth=trust",
				"--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"), dir);
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		// tests need no durability: no fsync; sockets only on loopback and in the
		// temporary directory
		String options = "-c listen_addresses=127.0.0.1 -c port=" + port + " -c unix_socket_directories=" + dir
				+ " -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
		run(asPostgres(root, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log.toString(), "-o",
				options, "-w", "-t", "60", "start"), dir);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				run(asPostgres(root, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w",
						"stop"), dir);
			}
			catch (Exception ex) {
				// the JVM is going away; nothing else to do
			}
			deleteRecursively(dir);
		}, "postgres-stop"));
		return new PostgresServer(port);
	}

	private static List<String> asPostgres(boolean root, String... command) {
		List<String> list = new ArrayList<>();
		if (root) {
			list.addAll(List.of("runuser", "-u", "postgres", "--"));
		}
		list.addAll(List.of(command));
		return list;
	}

	private static void run(List<String> command, Path dir) throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		if (dir != null) {
			builder.directory(dir.toFile());
		}
		Process process = builder.start();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
			process.destroyForcibly();
			String log = "";
			if (dir != null && Files.isRegularFile(dir.resolve("postgres.log"))) {
				log = "\npostgres.log:\n" + Files.readString(dir.resolve("postgres.log"));
			}
			throw new IOException(String.join(" ", command) + " failed:\n" + new String(output) + log);
		}
	}

	private static void deleteRecursively(Path dir) {
		try (Stream<Path> paths = Files.walk(dir)) {
			paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
		}
		catch (IOException ex) {
			// best effort
		}
	}

}
