package io.fitserve.datasets;

import io.fitserve.ml.data.ColumnData;
import io.fitserve.storage.StorageCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything learned from one pass over a CSV file.
 * <p>
 * The columns stay as the parse left them until {@link #frame()} is asked for:
 * {@link #write} stores them from there, so an upload never holds its values twice.
 */
public final class IngestResult {

	private final int rows;

	/** The parsed columns until {@link #frame()} turns them into the frame. */
	private List<ParsedColumn> columns;

	private DatasetFrame frame;

	private final List<ColumnSchema> schema;

	private final char delimiter;

	private final String sha256;

	private final long bytes;

	private final List<String> droppedColumns;

	/**
	 * @param delimiter the detected cell delimiter
	 * @param sha256 lowercase hex SHA-256 of the raw bytes (BOM included)
	 * @param bytes size of the raw input in bytes
	 * @param droppedColumns the columns the upload's mask dropped, in header order
	 */
	IngestResult(int rows, List<ParsedColumn> columns, List<ColumnSchema> schema, char delimiter, String sha256,
			long bytes, List<String> droppedColumns) {
		this.rows = rows;
		this.columns = columns;
		this.schema = schema;
		this.delimiter = delimiter;
		this.sha256 = sha256;
		this.bytes = bytes;
		this.droppedColumns = droppedColumns;
	}

	public int rows() {
		return this.rows;
	}

	public int columnCount() {
		return this.schema.size();
	}

	/**
	 * The data in memory, column by column. The first call copies each numeric column
	 * into one array.
	 */
	public synchronized DatasetFrame frame() {
		if (this.frame == null) {
			List<ColumnData> data = new ArrayList<>(this.schema.size());
			for (ParsedColumn c : parsedColumns()) {
				data.add(c.toColumnData());
			}
			this.columns = null;
			this.frame = new DatasetFrame(this.rows, List.copyOf(data));
		}
		return this.frame;
	}

	/** Stores the data as a {@link DatasetFile}, straight from the parsed columns. */
	synchronized void write(Path file, StorageCodec codec) throws IOException {
		if (this.frame != null) {
			DatasetFile.write(file, this.frame, codec);
		}
		else {
			DatasetFile.write(file, this.rows, parsedColumns(), codec);
		}
	}

	/** The parsed columns; refused once they were released. */
	private List<ParsedColumn> parsedColumns() {
		if (this.columns == null) {
			throw new IllegalStateException("the parsed columns were released");
		}
		return this.columns;
	}

	/**
	 * Drops the parsed columns once they are stored: their off-heap blocks are freed at
	 * once (see {@link DoubleChunks#release()}); the frame cannot be asked for
	 * afterwards.
	 */
	synchronized void release() {
		if (this.columns != null) {
			this.columns.forEach(ParsedColumn::release);
			this.columns = null;
		}
	}

	public List<ColumnSchema> schema() {
		return this.schema;
	}

	public char delimiter() {
		return this.delimiter;
	}

	public String sha256() {
		return this.sha256;
	}

	public long bytes() {
		return this.bytes;
	}

	public List<String> droppedColumns() {
		return this.droppedColumns;
	}

}
