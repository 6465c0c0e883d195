package io.fitserve.datasets;

import io.fitserve.ml.data.ColumnData;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;
import io.fitserve.privacy.Pseudonymizer;
import io.fitserve.storage.StorageFaults;
import io.fitserve.support.Ids;
import io.fitserve.web.RequestChecks;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Uploads, reads and deletes datasets; the entry point other features use. */
@Service
public class DatasetService implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(DatasetService.class);

	public static final int MAX_ROWS_PER_PAGE = 1000;

	private final DatasetRepository repository;

	private final DatasetStore store;

	private final UploadProperties limits;

	/** Looked up lazily: the training feature depends on this service too. */
	private final ObjectProvider<DatasetUsage> usages;

	/**
	 * Parses the chunks of big uploads (fitserve.upload.parse-threads); null when that is
	 * 1. Shared by concurrent uploads: each one's chunks queue here.
	 */
	private final ExecutorService parsePool;

	private final CsvIngest.Parallelism parallelism;

	private final Pseudonymizer pseudonymizer;

	DatasetService(DatasetRepository repository, DatasetStore store, UploadProperties limits,
			ObjectProvider<DatasetUsage> usages, Pseudonymizer pseudonymizer) {
		this.pseudonymizer = pseudonymizer;
		this.repository = repository;
		this.store = store;
		this.limits = limits;
		this.usages = usages;
		DoubleChunks.limit(limits.resolvedMaxOffHeap());
		int threads = limits.resolvedParseThreads();
		if (threads > 1) {
			AtomicInteger n = new AtomicInteger();
			this.parsePool = Executors.newFixedThreadPool(threads, (task) -> {
				Thread t = new Thread(task, "csv-parse-" + n.incrementAndGet());
				t.setDaemon(true);
				return t;
			});
			this.parallelism = CsvIngest.Parallelism.of(this.parsePool, threads);
		}
		else {
			this.parsePool = null;
			this.parallelism = null;
		}
	}

	@Override
	public void destroy() {
		if (this.parsePool != null) {
			this.parsePool.shutdownNow();
		}
	}

	/**
	 * Parses the CSV once, writes the columnar file, then records the dataset. The row
	 * goes in only after the file is complete, and the file is removed if the row cannot
	 * be saved, so no half-written dataset is ever visible.
	 */
	public Dataset upload(InputStream csv, String name, String originalFilename) {
		return upload(csv, name, originalFilename, null);
	}

	/**
	 * As {@link #upload(InputStream, String, String)} with the upload option mask: a JSON
	 * object of column name to pseudonymize, redact or drop, applied while the CSV is
	 * parsed, so the raw values of those columns are stored nowhere. A malformed option,
	 * an unknown mode or a name that is not a column is a 400 naming the field, and
	 * nothing is stored.
	 */
	public Dataset upload(InputStream csv, String name, String originalFilename, String mask) {
		// names are display text only (storage uses generated ids); checked before a byte
		// is parsed
		checkNames(name, originalFilename);
		return store(parse(csv, mask), name, originalFilename);
	}

	/** Checks an upload's display names (400 naming the field); before parsing. */
	public void checkNames(String name, String originalFilename) {
		RequestChecks.name("name", name);
		RequestChecks.name("file", originalFilename);
	}

	/**
	 * The first half of an upload: the CSV parsed, masked and profiled in memory, nothing
	 * stored yet ({@link #store}). A bad mask or CSV is a 400; nothing is kept.
	 */
	public ParsedUpload parse(InputStream csv, String mask) {
		ColumnMasks masks = ColumnMasks.parse(mask, pseudonymizer);
		store.requireFreeSpace(); // before parsing: a nearly full disk refuses at once
		long started = System.nanoTime();
		try {
			IngestResult ingest = CsvIngest.ingest(csv,
					new IngestLimits(limits.maxColumns(), limits.maxRows(),
							(int) Math.min(Integer.MAX_VALUE - 64, limits.maxLineLength().toBytes())),
					parallelism, masks);
			return new ParsedUpload(ingest, started, System.nanoTime());
		}
		catch (UnknownMaskColumnsException ex) {
			if (ex.columns().isEmpty()) {
				throw DomainException.invalid("mask drops every column of the CSV; nothing would be stored.",
						List.of(FieldError.field("mask", "drops every column")));
			}
			throw DomainException.invalid(
					"mask names " + ex.columns().size() + " column(s) the CSV's header does not have.",
					ex.columns()
						.stream()
						.map(c -> FieldError.field("mask." + c, "is not a column of the CSV"))
						.toList());
		}
		catch (OutOfMemoryError ex) {
			// the parsed values (on the heap or in direct memory) did not fit; what was
			// parsed is unreachable now and nothing was stored
			log.warn("Upload refused: out of memory while parsing ({})", ex.getMessage());
			throw DomainException.unavailable("The server does not have enough memory to parse this CSV now; "
					+ "nothing was stored. Retry later, or upload a smaller file.", Duration.ofSeconds(30));
		}
		catch (CsvFormatException ex) {
			String column = ex.column() == null ? null : String.valueOf(ex.column());
			throw DomainException.invalid("The CSV could not be parsed: " + ex.getMessage(),
					List.of(FieldError.line(ex.line(), column, ex.getMessage())));
		}
	}

	/**
	 * The second half of an upload: writes the parsed dataset's file, then its row (the
	 * file is removed again when the row cannot be saved).
	 */
	public Dataset store(ParsedUpload parsed, String name, String originalFilename) {
		IngestResult ingest = parsed.ingest();
		UUID id = UUID.randomUUID();
		long writing;
		try {
			// refused names free the parsed values too
			checkNames(name, originalFilename);
			writing = System.nanoTime();
			store.write(id, ingest);
		}
		finally {
			ingest.release();
		}
		long written = System.nanoTime();
		try {
			Dataset saved = repository
				.save(Dataset.of(id, datasetName(name, originalFilename), originalFilename, ingest));
			long done = System.nanoTime();
			log.info(
					"Dataset {} ({} rows x {} columns, {} bytes of CSV) took {} ms: read and parse {} ms, "
							+ "write {} ms, save {} ms",
					id, ingest.rows(), ingest.columnCount(), ingest.bytes(), millis(parsed.started(), done),
					millis(parsed.started(), parsed.parsed()), millis(writing, written), millis(written, done));
			return saved;
		}
		catch (RuntimeException ex) {
			store.delete(id);
			if (StorageFaults.isOutOfSpace(ex)) {
				throw StorageFaults.insufficientStorage("the dataset");
			}
			throw ex;
		}
	}

	/**
	 * An upload parsed in memory and not stored yet.
	 *
	 * @param started when parsing started (System.nanoTime)
	 * @param parsed when it ended
	 */
	public record ParsedUpload(IngestResult ingest, long started, long parsed) {
	}

	private static long millis(long from, long to) {
		return (to - from) / 1_000_000;
	}

	/**
	 * Once started, removes dataset files that have no row: a process killed after moving
	 * a file into place and before committing its row. Such a dataset was never listed;
	 * only its disk space is reclaimed.
	 */
	@EventListener(ApplicationReadyEvent.class)
	void removeOrphanFiles() {
		store.removeOrphanFiles(repository::existsById);
	}

	@Transactional(readOnly = true)
	public Page<Dataset> list(Pageable pageable) {
		return repository.findAll(pageable);
	}

	/** The dataset, or 404. */
	@Transactional(readOnly = true)
	public Dataset get(String id) {
		return Ids.parse(id).flatMap(repository::findById).orElseThrow(() -> DomainException.notFound("Dataset", id));
	}

	/** The dataset, or 404. */
	@Transactional(readOnly = true)
	public Dataset get(UUID id) {
		return repository.findById(id).orElseThrow(() -> DomainException.notFound("Dataset", id));
	}

	/** The stored data of a dataset, read without re-parsing text. */
	public DatasetFrame frame(UUID id) {
		return store.read(id);
	}

	/** Rows as JSON-ready maps keyed by column name; missing cells are null. */
	public List<Map<String, Object>> rows(Dataset dataset, long offset, int limit) {
		List<FieldError> errors = new ArrayList<>();
		if (offset < 0) {
			errors.add(FieldError.field("offset", "must be >= 0"));
		}
		if (limit < 1 || limit > MAX_ROWS_PER_PAGE) {
			errors.add(FieldError.field("limit", "must be between 1 and " + MAX_ROWS_PER_PAGE));
		}
		if (!errors.isEmpty()) {
			throw DomainException.invalid("Invalid row range.", errors);
		}
		DatasetFrame frame = store.read(dataset.getId());
		int from = (int) Math.min(offset, frame.rows());
		int to = (int) Math.min((long) from + limit, frame.rows());
		List<Map<String, Object>> rows = new ArrayList<>(to - from);
		for (int r = from; r < to; r++) {
			Map<String, Object> row = new LinkedHashMap<>();
			for (ColumnData column : frame.columns()) {
				row.put(column.name(), cell(column, r));
			}
			rows.add(row);
		}
		return rows;
	}

	private static Object cell(ColumnData column, int row) {
		return switch (column.type()) {
			case NUMERIC -> Double.isNaN(column.values()[row]) ? null : column.values()[row];
			case BOOLEAN -> column.codes()[row] < 0 ? null : Boolean.valueOf(column.levels().get(column.codes()[row]));
			case CATEGORICAL -> column.codes()[row] < 0 ? null : column.levels().get(column.codes()[row]);
		};
	}

	/** Deletes the dataset; 409 while a queued or running job uses it. */
	public void delete(String id) {
		Dataset dataset = get(id);
		for (DatasetUsage usage : usages) {
			if (usage.inUse(dataset.getId())) {
				throw DomainException.conflict("Dataset '" + id
						+ "' is used by a queued or running job (training, tuning or batch prediction) or by a model "
						+ "whose permutation importance is still being computed; cancel the job or wait for it to "
						+ "finish.");
			}
		}
		repository.deleteById(dataset.getId());
		store.delete(dataset.getId());
	}

	private static String datasetName(String name, String originalFilename) {
		if (name != null && !name.isBlank()) {
			return name.strip();
		}
		if (originalFilename != null && !originalFilename.isBlank()) {
			String base = originalFilename.replaceAll(".*[/\\\\]", "");
			int dot = base.lastIndexOf('.');
			return dot > 0 ? base.substring(0, dot) : base;
		}
		return "dataset";
	}

}
