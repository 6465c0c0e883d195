package io.fitserve;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where fitserve keeps its files.
 *
 * @param dataDir root of the H2 database, stored datasets and model artifacts
 */
@ConfigurationProperties("fitserve.storage")
public record StorageProperties(@DefaultValue("./data") Path dataDir) {

	public Path datasetsDir() {
		return dataDir.resolve("datasets");
	}

	public Path modelsDir() {
		return dataDir.resolve("models");
	}

}
