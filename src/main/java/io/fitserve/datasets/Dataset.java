package io.fitserve.datasets;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.fitserve.support.Json;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import tools.jackson.core.type.TypeReference;

/**
 * An uploaded CSV: its schema, profile and fingerprint; the data itself lives in a
 * columnar file.
 */
@Entity
@Table(name = "dataset")
public class Dataset {

	private static final TypeReference<List<ColumnSchema>> COLUMNS = new TypeReference<>() {
	};

	private static final TypeReference<List<String>> NAMES = new TypeReference<>() {
	};

	@Id
	private UUID id;

	private String name;

	private String originalFilename;

	private String sha256;

	private long sizeBytes;

	private long rowCount;

	private int columnCount;

	private String delimiter;

	@Column(name = "columns_json")
	private String columnsJson;

	/** The columns the upload's mask dropped; null when none. */
	@Column(name = "dropped_columns_json")
	private String droppedColumnsJson;

	private Instant createdAt;

	@Transient
	private List<ColumnSchema> columns;

	protected Dataset() {
	}

	static Dataset of(UUID id, String name, String originalFilename, IngestResult ingest) {
		Dataset dataset = new Dataset();
		dataset.id = id;
		dataset.name = name;
		dataset.originalFilename = originalFilename;
		dataset.sha256 = ingest.sha256();
		dataset.sizeBytes = ingest.bytes();
		dataset.rowCount = ingest.rows();
		dataset.columnCount = ingest.schema().size();
		dataset.delimiter = String.valueOf(ingest.delimiter());
		dataset.columns = List.copyOf(ingest.schema());
		dataset.columnsJson = Json.write(dataset.columns);
		dataset.droppedColumnsJson = ingest.droppedColumns().isEmpty() ? null : Json.write(ingest.droppedColumns());
		dataset.createdAt = Instant.now();
		return dataset;
	}

	public UUID getId() {
		return id;
	}

	public String getName() {
		return name;
	}

	public String getOriginalFilename() {
		return originalFilename;
	}

	public String getSha256() {
		return sha256;
	}

	public long getSizeBytes() {
		return sizeBytes;
	}

	public long getRowCount() {
		return rowCount;
	}

	public int getColumnCount() {
		return columnCount;
	}

	public String getDelimiter() {
		return delimiter;
	}

	public Instant getCreatedAt() {
		return createdAt;
	}

	public List<ColumnSchema> getColumns() {
		if (columns == null) {
			columns = Json.read(columnsJson, COLUMNS);
		}
		return columns;
	}

	/** The columns the upload's mask dropped (not stored), in header order. */
	public List<String> getDroppedColumns() {
		return droppedColumnsJson == null ? List.of() : Json.read(droppedColumnsJson, NAMES);
	}

	/** The schema of the named column, or null. */
	public ColumnSchema column(String columnName) {
		return getColumns().stream().filter(c -> c.name().equals(columnName)).findFirst().orElse(null);
	}

}
