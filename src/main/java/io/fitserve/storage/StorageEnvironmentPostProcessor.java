package io.fitserve.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * With fitserve.storage.encryption-key set, opens the H2 file database encrypted: appends
 * {@code CIPHER=AES} (and turns off H2's plain-text trace file, which can quote SQL) to
 * spring.datasource.url and prefixes the password with a file password derived from the
 * key, as H2 wants ({@code "<file password> <user password>"}).
 * <p>
 * Refuses to start, before anything is opened, when the key is malformed, when the key is
 * set but the existing database file was created without encryption (adding a key does
 * not encrypt an existing H2 file), or when the database file is encrypted and no key is
 * set. Other databases (a non-file JDBC URL) are left alone.
 */
public class StorageEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String SOURCE = "fitserveStorageEncryption";

	static final String KEY_ID_FILE = "fitserve.key-id";

	/** Under the data directory; also {@code StorageProperties.uploadsDir()}. */
	public static final String UPLOADS_DIR = "uploads";

	private static final String H2_FILE = "jdbc:h2:file:";

	/** H2's FilePathEncrypt header; an unencrypted MVStore file starts with "H:2,". */
	private static final byte[] ENCRYPTED_HEADER = "H2encrypt".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] PLAIN_HEADER = "H:2".getBytes(StandardCharsets.US_ASCII);

	@Override
	public int getOrder() {
		// after application.yml and the environment are loaded
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		spoolUploadsInDataDir(environment);
		String raw = environment.getProperty(StorageKey.PROPERTY);
		StorageKey key = raw == null || raw.isBlank() ? null : StorageKey.parse(raw);
		String url = environment.getProperty("spring.datasource.url");
		if (url == null || !url.regionMatches(true, 0, H2_FILE, 0, H2_FILE.length())) {
			return;
		}
		Path dbFile = databaseFile(url);
		Boolean encrypted = encrypted(dbFile);
		if (key == null) {
			if (Boolean.TRUE.equals(encrypted)) {
				throw new StorageConfigurationException(
						"The database file " + dbFile
								+ " is encrypted, but no encryption key is set (fitserve.storage.encryption-key, env "
								+ "FITSERVE_ENCRYPTION_KEY).",
						"Start with the key the data directory was created with.");
			}
			return;
		}
		if (Boolean.FALSE.equals(encrypted)) {
			throw new StorageConfigurationException("An encryption key is set, but the database file " + dbFile
					+ " was created without encryption; setting FITSERVE_ENCRYPTION_KEY does not encrypt an existing "
					+ "H2 database (nor the dataset and model files next to it).",
					"Either start without the key, or start with the key on a new, empty data directory "
							+ "(fitserve.storage.data-dir) and upload the datasets again; H2's SCRIPT/RUNSCRIPT "
							+ "tools can also copy an existing database into an encrypted one.");
		}
		checkKeyId(dbFile, encrypted != null, key);
		if (url.toUpperCase(Locale.ROOT).contains(";CIPHER=")) {
			return; // configured by hand
		}
		String password = environment.getProperty("spring.datasource.password", "");
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.datasource.url", url + ";CIPHER=AES;TRACE_LEVEL_FILE=0");
		properties.put("spring.datasource.password", key.h2FilePassword() + " " + password);
		environment.getPropertySources().addFirst(new MapPropertySource(SOURCE, properties));
	}

	/**
	 * Tomcat spools multipart uploads over spring.servlet.multipart.file-size-threshold
	 * to temp files; unless told otherwise they go to {@code <data-dir>/uploads}
	 * (absolute: Tomcat would resolve a relative one against its own work directory),
	 * where the start-up sweep removes any a killed process left behind. fitserve turns
	 * that support off (uploads are parsed as they arrive); this keeps a deployment that
	 * turns it back on from spooling outside the data directory.
	 */
	private static void spoolUploadsInDataDir(ConfigurableEnvironment environment) {
		if (environment.containsProperty("spring.servlet.multipart.location")) {
			return;
		}
		String dataDir = environment.getProperty("fitserve.storage.data-dir", "./data");
		Path uploads = Path.of(dataDir).toAbsolutePath().normalize().resolve(UPLOADS_DIR);
		environment.getPropertySources()
			.addLast(new MapPropertySource(SOURCE + "Uploads",
					Map.of("spring.servlet.multipart.location", uploads.toString())));
	}

	/**
	 * The id of the key an encrypted database was created with sits next to it
	 * ({@code fitserve.key-id}; the id is not secret), so that a wrong key is named as
	 * such instead of H2's "Encryption error". Written when the database is created; an
	 * existing encrypted database without one gets none (its key is not known to match).
	 */
	private static void checkKeyId(Path dbFile, boolean exists, StorageKey key) {
		Path idFile = dbFile.resolveSibling(KEY_ID_FILE);
		try {
			if (Files.isRegularFile(idFile)) {
				String recorded = Files.readString(idFile, StandardCharsets.US_ASCII).strip();
				if (!recorded.equals(key.id())) {
					throw new StorageConfigurationException(
							"The database " + dbFile + " is encrypted under key id " + recorded
									+ ", but the configured encryption key has id " + key.id() + ".",
							"Start with the key the data directory was created with (FITSERVE_ENCRYPTION_KEY).");
				}
			}
			else if (!exists) {
				Files.createDirectories(idFile.getParent());
				Files.writeString(idFile, key.id() + "\n", StandardCharsets.US_ASCII);
			}
		}
		catch (IOException ex) {
			// informational only: H2 still refuses a wrong key
		}
	}

	/** The MVStore file of an H2 file URL: the path up to the first ';' plus ".mv.db". */
	static Path databaseFile(String url) {
		String path = url.substring(H2_FILE.length());
		int semicolon = path.indexOf(';');
		if (semicolon >= 0) {
			path = path.substring(0, semicolon);
		}
		if (path.startsWith("~")) {
			path = System.getProperty("user.home") + path.substring(1);
		}
		return Path.of(path + ".mv.db");
	}

	/**
	 * True or false for an existing database file, null when there is none (or it is
	 * empty).
	 */
	static Boolean encrypted(Path dbFile) {
		if (!Files.isRegularFile(dbFile)) {
			return null;
		}
		byte[] head = new byte[ENCRYPTED_HEADER.length];
		int n;
		try (InputStream in = Files.newInputStream(dbFile)) {
			n = in.readNBytes(head, 0, head.length);
		}
		catch (IOException ex) {
			return null; // H2 will report it
		}
		if (n == 0) {
			return null;
		}
		if (n >= PLAIN_HEADER.length
				&& Arrays.equals(head, 0, PLAIN_HEADER.length, PLAIN_HEADER, 0, PLAIN_HEADER.length)) {
			return false;
		}
		return n == head.length && Arrays.equals(head, ENCRYPTED_HEADER) ? true : null;
	}

}
