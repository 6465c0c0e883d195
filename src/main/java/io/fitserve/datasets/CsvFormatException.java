package io.fitserve.datasets;

/**
 * Thrown for malformed CSV; {@link #line()} is the 1-based physical line where the
 * offending record starts.
 */
public class CsvFormatException extends RuntimeException {

	private final long line;

	private final Integer column;

	public CsvFormatException(String message, long line) {
		this(message, line, null);
	}

	public CsvFormatException(String message, long line, Integer column) {
		super(message);
		this.line = line;
		this.column = column;
	}

	/**
	 * 1-based physical line number (the header is line 1); 0 when the problem is not tied
	 * to a line.
	 */
	public long line() {
		return this.line;
	}

	/** 1-based column number, or null when the problem is not tied to a column. */
	public Integer column() {
		return this.column;
	}

}
