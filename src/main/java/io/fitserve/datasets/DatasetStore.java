package io.fitserve.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.SoftReference;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.fitserve.StorageProperties;
import io.fitserve.errors.DomainException;
import io.fitserve.storage.CorruptFileException;
import io.fitserve.storage.StorageCodec;
import io.fitserve.storage.StorageFaults;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * Columnar dataset files under the data directory, with a soft cache of recently read
 * frames. Files are written with the configured {@link StorageCodec} (zstd, and
 * AES-256-GCM with a key); a file that fails its integrity check is a 500
 * {@code dataset-corrupt} problem, a full disk a 507 {@code insufficient-storage} one.
 */
@Component
class DatasetStore {

	static final String CORRUPT = "dataset-corrupt";

	private static final Log log = LogFactory.getLog(DatasetStore.class);

	private final Path dir;

	private final StorageCodec codec;

	private final DataSize minFreeSpace;

	private final Map<UUID, SoftReference<DatasetFrame>> cache = new ConcurrentHashMap<>();

	DatasetStore(StorageProperties storage, StorageCodec codec, io.fitserve.ClusterProperties cluster,
			@org.springframework.beans.factory.annotation.Value("${spring.datasource.url:}") String datasourceUrl)
			throws IOException {
		this.dir = storage.datasetsDir();
		this.codec = codec;
		this.minFreeSpace = storage.minFreeSpace();
		// another replica on a shared data directory may be writing a newer file right
		// now
		this.orphanMinAge = cluster.orphanMinAge(datasourceUrl);
		this.started = java.time.Instant.now().minus(orphanMinAge);
		Files.createDirectories(dir);
		// runs before the web server accepts requests: no upload of this process can be
		// mid-write yet
		StorageFaults.removeOrphanTempFiles(dir, orphanMinAge, log);
		Files.createDirectories(storage.uploadsDir());
		StorageFaults.removeOrphanTempFiles(storage.uploadsDir(), orphanMinAge, log);
	}

	private final java.time.Duration orphanMinAge;

	/**
	 * When this store was created, less fitserve.cluster.orphan-min-age: files older than
	 * this were written by an earlier process (or, on a shared data directory, are not
	 * being written by any replica).
	 */
	private final java.time.Instant started;

	/**
	 * Removes dataset files of earlier processes that {@code known} has no record of;
	 * returns how many.
	 */
	int removeOrphanFiles(java.util.function.Predicate<UUID> known) {
		return StorageFaults.removeOrphanFiles(dir, "*.fsd", known, started, "dataset", log);
	}

	Path path(UUID id) {
		return dir.resolve(id + ".fsd");
	}

	/**
	 * Refuses (507) up front when the disk is nearly full, so that the database never
	 * hits the wall.
	 */
	void requireFreeSpace() {
		StorageFaults.requireFreeSpace(dir, minFreeSpace, "the dataset", log);
	}

	void write(UUID id, DatasetFrame frame) {
		write(id, file -> DatasetFile.write(file, frame, codec));
	}

	/** Stores an upload's parse straight from its columns (see {@link IngestResult}). */
	void write(UUID id, IngestResult ingest) {
		write(id, file -> ingest.write(file, codec));
	}

	private interface Writer {

		void write(Path file) throws IOException;

	}

	private void write(UUID id, Writer writer) {
		requireFreeSpace();
		try {
			writer.write(path(id));
		}
		catch (IOException ex) {
			if (StorageFaults.isOutOfSpace(ex)) {
				log.warn("Disk full while storing dataset " + id + "; nothing was stored");
				throw StorageFaults.insufficientStorage("the dataset");
			}
			throw new UncheckedIOException("could not store dataset " + id, ex);
		}
	}

	DatasetFrame read(UUID id) {
		SoftReference<DatasetFrame> ref = cache.get(id);
		DatasetFrame frame = ref == null ? null : ref.get();
		if (frame != null) {
			return frame;
		}
		Path file = path(id);
		try {
			frame = DatasetFile.read(file, codec);
		}
		catch (CorruptFileException ex) {
			log.error("Dataset " + id + " failed its integrity check (" + file + "): " + ex.getMessage());
			throw corrupt(id, ex.getMessage());
		}
		catch (NoSuchFileException ex) {
			log.error("Dataset " + id + " has no data file (" + file + ")");
			throw corrupt(id, "its data file is missing");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not read dataset " + id, ex);
		}
		cache.put(id, new SoftReference<>(frame));
		return frame;
	}

	static DomainException corrupt(UUID id, String why) {
		return new DomainException(DomainException.Kind.CORRUPT, CORRUPT, "Dataset failed its integrity check",
				"Dataset '" + id + "' cannot be read: " + why + ". Upload it again.", null, null);
	}

	void delete(UUID id) {
		cache.remove(id);
		try {
			Files.deleteIfExists(path(id));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not delete dataset file " + id, ex);
		}
	}

}
