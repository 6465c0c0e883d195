package io.fitserve;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Where fitserve keeps its files, and how.
 *
 * @param dataDir root of the H2 database, stored datasets and model artifacts
 * @param encryptionKey base64 AES-256 key (env FITSERVE_ENCRYPTION_KEY); when set,
 * dataset files and model artifacts are AES-256-GCM encrypted and the H2 file is opened
 * with CIPHER=AES; empty: no encryption at rest
 * @param compression codec for dataset files: zstd or none
 * @param compressionLevel zstd level (1 fastest .. 19 smallest; negative levels are
 * faster still)
 * @param minFreeSpace uploads and model saves are refused (507) when the data directory's
 * file system has less free space than this, so the database is not the one to hit a full
 * disk
 */
@ConfigurationProperties("fitserve.storage")
public record StorageProperties(@DefaultValue("./data") Path dataDir, String encryptionKey,
		@DefaultValue("zstd") Compression compression, @DefaultValue("1") int compressionLevel,
		@DefaultValue("64MB") DataSize minFreeSpace) {

	public enum Compression {

		ZSTD, NONE

	}

	public Path datasetsDir() {
		return dataDir.resolve("datasets");
	}

	public Path modelsDir() {
		return dataDir.resolve("models");
	}

	/**
	 * Where Tomcat would spool large multipart uploads (Spring's multipart support is
	 * off: uploads are parsed as they arrive); temp files left there by earlier versions
	 * are swept at start.
	 */
	public Path uploadsDir() {
		return dataDir.resolve("uploads");
	}

	/** Never shows the key. */
	@Override
	public String toString() {
		return "StorageProperties[dataDir=" + dataDir + ", encryptionKey="
				+ (encryptionKey == null || encryptionKey.isBlank() ? "(none)" : "(set)") + ", compression="
				+ compression + ", compressionLevel=" + compressionLevel + ", minFreeSpace=" + minFreeSpace + "]";
	}

}
