package io.fitserve.datasets;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming CSV record reader with the upload rules (see {@link CsvIngest}): delimiter
 * ',', ';' or tab detected from the header line, RFC 4180 quotes ({@code ""} escapes,
 * quoted line breaks), CRLF or LF, a BOM skipped, cells trimmed, blank lines skipped but
 * counted. Holds one record at a time, so any file size reads in bounded memory.
 */
public final class CsvRecordReader {

	private final Reader in;

	private final int maxRecordChars;

	private final char[] buf = new char[1 << 14];

	private int pos;

	private int limit;

	private char delimiter = ',';

	/** Physical line of the next character. */
	private long line = 1;

	/** Physical line on which the record last returned starts. */
	private long recordLine;

	private boolean started;

	/** The header's raw text, replayed once the delimiter is known. */
	private String replay;

	private int replayPos;

	public CsvRecordReader(Reader in, int maxRecordChars) {
		this.in = in;
		this.maxRecordChars = maxRecordChars;
	}

	/**
	 * The header's cells, or null when the input holds no non-blank line; call once,
	 * first.
	 */
	public List<String> header() throws IOException {
		// read the first non-blank line raw (quotes respected) to count delimiters
		// outside quotes
		StringBuilder raw = new StringBuilder();
		long startLine;
		while (true) {
			raw.setLength(0);
			startLine = line;
			boolean quoted = false;
			int c;
			while ((c = read()) >= 0) {
				raw.append((char) c);
				if (raw.length() > maxRecordChars) {
					throw tooLong(startLine);
				}
				if (c == '"') {
					quoted = !quoted;
				}
				else if (c == '\n') {
					line++;
					if (!quoted) {
						break;
					}
				}
			}
			if (!raw.toString().isBlank()) {
				break;
			}
			if (c < 0) {
				return null;
			}
		}
		int commas = 0;
		int semicolons = 0;
		int tabs = 0;
		boolean quoted = false;
		for (int i = 0; i < raw.length(); i++) {
			char c = raw.charAt(i);
			if (c == '"') {
				quoted = !quoted;
			}
			else if (!quoted) {
				commas += c == ',' ? 1 : 0;
				semicolons += c == ';' ? 1 : 0;
				tabs += c == '\t' ? 1 : 0;
			}
		}
		if (semicolons > commas && semicolons >= tabs) {
			delimiter = ';';
		}
		else if (tabs > commas && tabs > semicolons) {
			delimiter = '\t';
		}
		long after = line;
		replay = raw.toString();
		replayPos = 0;
		line = startLine;
		List<String> header = record();
		line = after;
		replay = null;
		return header;
	}

	/** The next non-blank record's cells, or null at the end of the input. */
	public List<String> next() throws IOException {
		while (true) {
			List<String> cells = record();
			if (cells == null) {
				return null;
			}
			if (cells.size() > 1 || !cells.get(0).isEmpty()) {
				return cells;
			}
		}
	}

	/**
	 * The physical line (1-based, the header is line 1 unless blank lines precede it) of
	 * the last record read.
	 */
	public long line() {
		return recordLine;
	}

	private List<String> record() throws IOException {
		recordLine = line;
		List<String> cells = new ArrayList<>();
		StringBuilder cell = new StringBuilder();
		boolean quoted = false;
		boolean any = false;
		int length = 0;
		while (true) {
			int c = read();
			if (c < 0) {
				if (quoted) {
					throw new CsvFormatException(
							"the quote opened in the record starting on line " + recordLine + " is never closed",
							recordLine);
				}
				if (!any) {
					return null;
				}
				cells.add(cell.toString().strip());
				return cells;
			}
			any = true;
			if (++length > maxRecordChars) {
				throw tooLong(recordLine);
			}
			if (quoted) {
				if (c == '"') {
					if (peek() == '"') {
						read();
						cell.append('"');
					}
					else {
						quoted = false;
					}
				}
				else {
					if (c == '\n') {
						line++;
					}
					cell.append((char) c);
				}
			}
			else if (c == '"') {
				quoted = true;
			}
			else if (c == delimiter) {
				cells.add(cell.toString().strip());
				cell.setLength(0);
			}
			else if (c == '\n' || c == '\r') {
				if (c == '\r' && peek() == '\n') {
					read();
				}
				line++;
				cells.add(cell.toString().strip());
				return cells;
			}
			else {
				cell.append((char) c);
			}
		}
	}

	private CsvFormatException tooLong(long startLine) {
		return new CsvFormatException("the record starting on line " + startLine + " is longer than " + maxRecordChars
				+ " characters (an unterminated quote?)", startLine);
	}

	private int read() throws IOException {
		if (replay != null) {
			return replayPos < replay.length() ? replay.charAt(replayPos++) : -1;
		}
		if (pos >= limit && !fill()) {
			return -1;
		}
		return buf[pos++];
	}

	private int peek() throws IOException {
		if (replay != null) {
			return replayPos < replay.length() ? replay.charAt(replayPos) : -1;
		}
		if (pos >= limit && !fill()) {
			return -1;
		}
		return buf[pos];
	}

	private boolean fill() throws IOException {
		int n;
		do {
			n = in.read(buf, 0, buf.length);
		}
		while (n == 0);
		if (n < 0) {
			return false;
		}
		pos = 0;
		limit = n;
		if (!started) {
			started = true;
			if (buf[0] == '\uFEFF') {
				pos = 1;
				if (limit == 1) {
					return fill();
				}
			}
		}
		return true;
	}

}
