package io.fitserve.prediction;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Predicate;

import io.fitserve.ClusterProperties;
import io.fitserve.StorageProperties;
import io.fitserve.errors.DomainException;
import io.fitserve.storage.CorruptFileException;
import io.fitserve.storage.SegmentedFile;
import io.fitserve.storage.StorageCodec;
import io.fitserve.storage.StorageFaults;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * Result CSVs of batch predictions, one file per job under
 * {@code <data-dir>/batch-predictions}, next to datasets and model artifacts so that
 * every replica on the shared data directory can serve them. Written as a
 * {@link SegmentedFile} with the configured codec (zstd, and AES-256-GCM with a key: the
 * result holds the dataset's rows), as a stream, into a temporary file moved into place
 * only when complete.
 */
@Component
class BatchResultStore {

	static final String CORRUPT = "batch-result-corrupt";

	/** "FSBR" little endian: a fitserve batch result. */
	private static final int MAGIC = 0x52425346;

	private static final int VERSION = 1;

	private static final Log log = LogFactory.getLog(BatchResultStore.class);

	private final Path dir;

	private final StorageCodec codec;

	private final DataSize minFreeSpace;

	/** Files older than this were written by an earlier process (see DatasetStore). */
	private final Instant started;

	BatchResultStore(StorageProperties storage, StorageCodec codec, ClusterProperties cluster,
			@Value("${spring.datasource.url:}") String datasourceUrl) throws IOException {
		this.dir = storage.dataDir().resolve("batch-predictions");
		this.codec = codec;
		this.minFreeSpace = storage.minFreeSpace();
		Duration orphanMinAge = cluster.orphanMinAge(datasourceUrl);
		this.started = Instant.now().minus(orphanMinAge);
		Files.createDirectories(dir);
		// a run cut short by a dead process leaves its temporary file; the job's next
		// attempt writes a new one
		StorageFaults.removeOrphanTempFiles(dir, orphanMinAge, log);
	}

	/** What a writer produced, and whether it is to be kept (moved into place). */
	interface Work<T> {

		T write(Writer out) throws IOException;

	}

	/**
	 * Runs {@code work} on a writer into a new temporary file; when {@code keep} accepts
	 * its result the file replaces the job's result, else it is removed. 507 up front
	 * when the disk is nearly full.
	 */
	<T> T write(UUID id, Work<T> work, Predicate<T> keep) throws IOException {
		StorageFaults.requireFreeSpace(dir, minFreeSpace, "the batch prediction result", log);
		Path tmp = Files.createTempFile(dir, id + ".", ".tmp");
		boolean kept = false;
		try {
			T result;
			try (FileChannel file = FileChannel.open(tmp, StandardOpenOption.WRITE);
					WritableByteChannel segments = SegmentedFile.writer(file, MAGIC, VERSION, codec,
							SegmentedFile.DEFAULT_SEGMENT_SIZE);
					Writer out = new OutputStreamWriter(Channels.newOutputStream(segments), StandardCharsets.UTF_8)) {
				result = work.write(out);
				out.flush();
			}
			if (keep.test(result)) {
				Files.move(tmp, path(id), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
				kept = true;
			}
			return result;
		}
		finally {
			if (!kept) {
				Files.deleteIfExists(tmp);
			}
		}
	}

	/**
	 * The result's CSV bytes; a missing or damaged file is a 500
	 * {@code batch-result-corrupt} problem.
	 */
	InputStream open(UUID id) {
		Path file = path(id);
		FileChannel channel = null;
		try {
			channel = FileChannel.open(file, StandardOpenOption.READ);
			FileChannel opened = channel;
			InputStream plain = new BufferedInputStream(
					Channels.newInputStream(
							SegmentedFile.reader(channel, MAGIC, VERSION, codec, "batch prediction result " + id)),
					1 << 16);
			// the first segment is read and checked now, so a damaged result is a problem
			// before any byte is sent
			plain.mark(1);
			plain.read();
			plain.reset();
			return new FilterInputStream(plain) {
				@Override
				public void close() throws IOException {
					try {
						super.close();
					}
					finally {
						opened.close();
					}
				}
			};
		}
		catch (NoSuchFileException ex) {
			log.error("Batch prediction " + id + " has no result file (" + file + ")");
			throw corrupt(id, "its result file is missing");
		}
		catch (CorruptFileException ex) {
			closeQuietly(channel);
			log.error(
					"Batch prediction " + id + " result failed its integrity check (" + file + "): " + ex.getMessage());
			throw corrupt(id, ex.getMessage());
		}
		catch (IOException ex) {
			closeQuietly(channel);
			throw new UncheckedIOException("could not read the result of batch prediction " + id, ex);
		}
	}

	void delete(UUID id) {
		try {
			Files.deleteIfExists(path(id));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not delete the result of batch prediction " + id, ex);
		}
	}

	/**
	 * Removes result files of earlier processes that {@code known} has no job for;
	 * returns how many.
	 */
	int removeOrphanFiles(Predicate<UUID> known) {
		return StorageFaults.removeOrphanFiles(dir, "*.csv.fsr", known, started, "batch prediction result", log);
	}

	Path path(UUID id) {
		return dir.resolve(id + ".csv.fsr");
	}

	private static DomainException corrupt(UUID id, String why) {
		return new DomainException(DomainException.Kind.CORRUPT, CORRUPT, "Batch prediction result unreadable",
				"The result of batch prediction '" + id + "' cannot be read: " + why
						+ ". Run the batch prediction again.",
				null, null);
	}

	private static void closeQuietly(FileChannel channel) {
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ignored) {
				// nothing more to do
			}
		}
	}

}
