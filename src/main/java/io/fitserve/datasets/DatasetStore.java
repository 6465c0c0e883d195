package io.fitserve.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.SoftReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.fitserve.StorageProperties;

import org.springframework.stereotype.Component;

/** Columnar dataset files under the data directory, with a soft cache of recently read frames. */
@Component
class DatasetStore {

	private final Path dir;

	private final Map<UUID, SoftReference<DatasetFrame>> cache = new ConcurrentHashMap<>();

	DatasetStore(StorageProperties storage) throws IOException {
		this.dir = storage.datasetsDir();
		Files.createDirectories(dir);
	}

	Path path(UUID id) {
		return dir.resolve(id + ".fsd");
	}

	void write(UUID id, DatasetFrame frame) {
		try {
			DatasetFile.write(path(id), frame);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not store dataset " + id, ex);
		}
	}

	DatasetFrame read(UUID id) {
		SoftReference<DatasetFrame> ref = cache.get(id);
		DatasetFrame frame = ref == null ? null : ref.get();
		if (frame != null) {
			return frame;
		}
		try {
			frame = DatasetFile.read(path(id));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not read dataset " + id, ex);
		}
		cache.put(id, new SoftReference<>(frame));
		return frame;
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
