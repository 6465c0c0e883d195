package io.fitserve.datasets;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Datasets built in memory from CSV text, as an upload would build them (the real ingest:
 * types, levels, profiles), for unit tests of code that takes a {@link Dataset} and its
 * {@link DatasetFrame} without a database or files.
 */
public final class TestDatasets {

	private TestDatasets() {
	}

	/** A dataset's metadata and its columns. */
	public record Loaded(Dataset dataset, DatasetFrame frame) {

	}

	/** The dataset an upload of this CSV (named "test") would create. */
	public static Loaded fromCsv(String csv) {
		IngestResult ingest = CsvIngest.ingest(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
				new IngestLimits(1000, 1_000_000));
		return new Loaded(Dataset.of(UUID.randomUUID(), "test", "test.csv", ingest), ingest.frame());
	}

}
