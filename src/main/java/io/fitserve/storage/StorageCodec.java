package io.fitserve.storage;

/**
 * How files are written: zstd compression (level) and AES-256-GCM encryption under
 * {@code key} (null: none). Reading needs only the key: the rest is in each file's
 * header.
 */
public record StorageCodec(boolean compress, int level, StorageKey key) {

	/**
	 * zstd level 1: on dataset columns (bench/RESULTS-storage.md) 2-3x faster to write
	 * than level 3 for 5-15% larger files, which keeps an upload's parse + write close to
	 * the parse alone.
	 */
	public static final int DEFAULT_LEVEL = 1;

	/** Compressed, not encrypted: what {@code DatasetFile.write(path, frame)} writes. */
	public static final StorageCodec DEFAULT = new StorageCodec(true, DEFAULT_LEVEL, null);

	/** Neither compressed nor encrypted (still checksummed per segment). */
	public static final StorageCodec PLAIN = new StorageCodec(false, 0, null);

	public boolean encrypted() {
		return key != null;
	}

	public StorageCodec withoutCompression() {
		return new StorageCodec(false, 0, key);
	}

	public StorageCodec withKey(StorageKey key) {
		return new StorageCodec(compress, level, key);
	}

}
