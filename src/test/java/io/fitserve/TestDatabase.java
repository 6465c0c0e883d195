package io.fitserve;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The database a test's fitserve runs on. Test classes whose name ends in
 * {@code OnPostgresTest} (subclasses of the H2 tests, inheriting every test) run on a
 * real PostgreSQL ({@link PostgresServer}), each test class (or, for tests with a
 * per-method data directory, each test instance) on a database of its own; every other
 * test keeps the default, H2 in file mode under the data directory.
 */
final class TestDatabase {

	private static final Map<Object, String> urls = new ConcurrentHashMap<>();

	private TestDatabase() {
	}

	static boolean onPostgres(Class<?> testClass) {
		return testClass.getSimpleName().endsWith("OnPostgresTest");
	}

	/**
	 * The command-line arguments that point fitserve at the test's database: none for H2;
	 * for PostgreSQL the datasource of a database created at the first call for owner
	 * (the test class, or the test instance).
	 */
	static List<String> args(Class<?> testClass, Object owner) {
		if (!onPostgres(testClass)) {
			return List.of();
		}
		String url = urls.computeIfAbsent(owner, o -> PostgresServer.get().createDatabase(testClass.getSimpleName()));
		List<String> args = new ArrayList<>();
		args.add("--spring.datasource.url=" + url);
		args.add("--spring.datasource.username=postgres");
		args.add("--spring.datasource.password=");
		return args;
	}

	/** args(testClass, owner) followed by the test's own arguments. */
	static String[] with(Class<?> testClass, Object owner, String... args) {
		List<String> all = new ArrayList<>(args(testClass, owner));
		all.addAll(List.of(args));
		return all.toArray(String[]::new);
	}

}
