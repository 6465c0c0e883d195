package io.fitserve.storage;

import io.fitserve.StorageProperties;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The codec every stored file is written with, from fitserve.storage.*. */
@Configuration(proxyBeanMethods = false)
class StorageConfig {

	private static final Log log = LogFactory.getLog(StorageConfig.class);

	@Bean
	StorageCodec storageCodec(StorageProperties storage) {
		String raw = storage.encryptionKey();
		StorageKey key = raw == null || raw.isBlank() ? null : StorageKey.parse(raw);
		boolean compress = storage.compression() != StorageProperties.Compression.NONE;
		StorageCodec codec = new StorageCodec(compress, compress ? storage.compressionLevel() : 0, key);
		log.info(key == null ? "Encryption at rest is off (no fitserve.storage.encryption-key)"
				: "Encryption at rest is on: files AES-256-GCM, database CIPHER=AES, key id " + key.id());
		return codec;
	}

}
