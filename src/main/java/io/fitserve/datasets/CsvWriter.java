package io.fitserve.datasets;

import java.io.IOException;
import java.io.Writer;

/**
 * Writes RFC 4180 CSV: comma-delimited, CRLF line ends, a field quoted (with {@code ""}
 * for a quote) when it holds a comma, quote, CR or LF, or starts or ends with whitespace
 * (which the reader would otherwise trim); null is an empty field, which CSV uploads read
 * as missing.
 */
public final class CsvWriter {

	private final Writer out;

	private boolean firstField = true;

	public CsvWriter(Writer out) {
		this.out = out;
	}

	/** Appends one field to the current record. */
	public CsvWriter field(String value) throws IOException {
		if (!firstField) {
			out.write(',');
		}
		firstField = false;
		if (value != null) {
			if (needsQuotes(value)) {
				out.write('"');
				out.write(value.replace("\"", "\"\""));
				out.write('"');
			}
			else {
				out.write(value);
			}
		}
		return this;
	}

	/** Ends the current record. */
	public void endRecord() throws IOException {
		out.write("\r\n");
		firstField = true;
	}

	/** A whole record. */
	public void record(Iterable<String> values) throws IOException {
		for (String value : values) {
			field(value);
		}
		endRecord();
	}

	public void flush() throws IOException {
		out.flush();
	}

	static boolean needsQuotes(String value) {
		if (value.isEmpty()) {
			return false;
		}
		if (Character.isWhitespace(value.charAt(0)) || Character.isWhitespace(value.charAt(value.length() - 1))) {
			return true;
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == ',' || c == '"' || c == '\r' || c == '\n') {
				return true;
			}
		}
		return false;
	}

	/**
	 * A number as CSV text that parses back to the same double: integral values without
	 * ".0".
	 */
	public static String number(double v) {
		if (v == Math.rint(v) && Math.abs(v) < 1e15 && !(v == 0 && 1 / v < 0)) {
			return Long.toString((long) v);
		}
		return Double.toString(v);
	}

}
