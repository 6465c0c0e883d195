package io.fitserve.datasets;

import io.fitserve.ml.data.ColumnData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Single-pass CSV ingestion: parsing, type inference, profiling and hashing in one
 * streaming read.
 */
public final class CsvIngest {

	/**
	 * Numeric columns with at most this many distinct values also get codes and levels
	 * (usable as class labels).
	 */
	public static final int DISTINCT_CAP = 1000;

	private CsvIngest() {
	}

	/**
	 * Streams the CSV once: UTF-8 (BOM stripped), header row, delimiter auto-detected
	 * among ',', ';', '\t' from the header line, RFC 4180 quotes ("" escapes, quoted
	 * newlines), CRLF/LF. Infers types, builds profiles, computes SHA-256 while reading.
	 * Lines that are empty after trimming are skipped (but still counted for line
	 * numbers). The stream is read to its end but not closed.
	 * @throws CsvFormatException for malformed or empty input or when a limit is exceeded
	 * @throws UncheckedIOException when reading the stream fails
	 */
	public static IngestResult ingest(InputStream in, IngestLimits limits) {
		try {
			return new Parser(in, limits).run();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Byte-level RFC 4180 reader over a sliding buffer; one instance per ingest. */
	private static final class Parser {

		private static final int INITIAL_BUFFER = 1 << 20;

		/**
		 * A record that does not fit in this much memory is almost certainly a stray
		 * quote.
		 */
		private static final int MAX_RECORD_BYTES = 64 << 20;

		private static final int RECORD = 0;

		private static final int NEED_MORE = 1;

		private static final int END = 2;

		private final InputStream in;

		private final IngestLimits limits;

		private final MessageDigest digest;

		private byte[] buf = new byte[INITIAL_BUFFER];

		private int pos;

		private int limit;

		private boolean eof;

		private long bytes;

		private byte delimiter = ',';

		/** Physical line on which the next record starts. */
		private long line = 1;

		/** Newlines inside quoted fields of the record just scanned. */
		private int recordNewlines;

		private boolean endedByNewline;

		private int cells;

		/** Set by trimmedCell: the range of the cell it returned the bytes of. */
		private int trimmedFrom;

		private int trimmedTo;

		private int[] cellFrom = new int[64];

		private int[] cellTo = new int[64];

		/** 0 unquoted, 1 quoted, 2 quoted with "" escapes to undo. */
		private byte[] cellKind = new byte[64];

		private byte[] scratch = new byte[256];

		Parser(InputStream in, IngestLimits limits) {
			this.in = in;
			this.limits = limits;
			try {
				this.digest = MessageDigest.getInstance("SHA-256");
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException("SHA-256 is required of every JVM", ex);
			}
		}

		IngestResult run() throws IOException {
			fill();
			sniff();
			if (this.limit >= 3 && (this.buf[0] & 0xff) == 0xEF && (this.buf[1] & 0xff) == 0xBB
					&& (this.buf[2] & 0xff) == 0xBF) {
				this.pos = 3;
			}
			detectDelimiter();
			long headerLine = nextNonBlankRecord();
			if (headerLine < 0) {
				throw new CsvFormatException("the file is empty", 0);
			}
			ColumnBuilder[] columns = readHeader(headerLine);
			long maxRows = Math.min(this.limits.maxRows(), Integer.MAX_VALUE - 16);
			long rows = 0;
			long recordLine;
			while ((recordLine = nextNonBlankRecord()) >= 0) {
				if (this.cells != columns.length) {
					throw new CsvFormatException(
							"line " + recordLine + " has " + this.cells + " cells, expected " + columns.length,
							recordLine);
				}
				if (++rows > maxRows) {
					throw new CsvFormatException("too many rows: more than " + maxRows + " (limit " + maxRows + ")",
							recordLine);
				}
				for (int i = 0; i < columns.length; i++) {
					acceptCell(columns[i], i);
				}
			}
			if (rows == 0) {
				throw new CsvFormatException("the file has a header but no data rows", headerLine);
			}
			List<ColumnData> data = new ArrayList<>(columns.length);
			List<ColumnSchema> schema = new ArrayList<>(columns.length);
			for (int i = 0; i < columns.length; i++) {
				ColumnBuilder.Result r = columns[i].finish();
				if (r.invalidUtf8() != null) {
					throw new CsvFormatException(
							"column " + (i + 1) + " '" + r.column().name()
									+ "' holds bytes that are not valid UTF-8 (value '" + shorten(r.invalidUtf8())
									+ "', first in data row " + (r.invalidUtf8Row() + 1) + "); save the file as UTF-8",
							0, i + 1);
				}
				columns[i] = null;
				data.add(r.column());
				schema.add(r.schema());
			}
			String sha = java.util.HexFormat.of().formatHex(this.digest.digest());
			return new IngestResult(new DatasetFrame((int) rows, List.copyOf(data)), List.copyOf(schema),
					(char) this.delimiter, sha, this.bytes);
		}

		/** Bytes that open common binary formats, and what to call them. */
		private static final Object[][] MAGIC = { { new byte[] { 0x1f, (byte) 0x8b }, "gzip-compressed" },
				{ new byte[] { 'P', 'K', 3, 4 }, "a zip archive (or an .xlsx/.ods workbook)" },
				{ new byte[] { (byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0 }, "an Excel .xls workbook" },
				{ new byte[] { '%', 'P', 'D', 'F' }, "a PDF document" },
				{ new byte[] { (byte) 0x89, 'P', 'N', 'G' }, "a PNG image" },
				{ new byte[] { 'B', 'Z', 'h' }, "bzip2-compressed" },
				{ new byte[] { (byte) 0xFD, '7', 'z', 'X', 'Z', 0 }, "xz-compressed" },
				{ new byte[] { 0x28, (byte) 0xB5, 0x2F, (byte) 0xFD }, "zstd-compressed" },
				{ new byte[] { '7', 'z', (byte) 0xBC, (byte) 0xAF }, "a 7z archive" },
				{ new byte[] { 'P', 'A', 'R', '1' }, "a Parquet file" },
				{ new byte[] { (byte) 0xFF, (byte) 0xFE }, "UTF-16 text" },
				{ new byte[] { (byte) 0xFE, (byte) 0xFF }, "UTF-16 text" } };

		/**
		 * How much of the start is searched for a NUL byte (text never holds one; binary
		 * data soon does).
		 */
		private static final int SNIFF_BYTES = 64 << 10;

		/**
		 * Refuses obvious binary input once, on the first buffer: a known file signature,
		 * or a NUL byte in the first 64 KB (UTF-16 text, binary garbage). Costs nothing
		 * per row.
		 */
		private void sniff() {
			for (Object[] magic : MAGIC) {
				byte[] m = (byte[]) magic[0];
				if (this.limit >= m.length && Arrays.equals(this.buf, 0, m.length, m, 0, m.length)) {
					throw new CsvFormatException(
							"the body is " + magic[1] + ", not CSV text; send the CSV " + "itself, as UTF-8"
									+ (((String) magic[1]).endsWith("compressed") ? " (decompress it first)" : ""),
							1);
				}
			}
			long lineOfNul = 1;
			int column = 1;
			for (int i = 0, n = Math.min(this.limit, SNIFF_BYTES); i < n; i++) {
				byte c = this.buf[i];
				if (c == '\n') {
					lineOfNul++;
					column = 1;
				}
				else if (c == 0) {
					throw new CsvFormatException("line " + lineOfNul + " holds a NUL byte (at byte " + column
							+ " of the line): this is binary data or UTF-16 text, not UTF-8 CSV", lineOfNul);
				}
				else {
					column++;
				}
			}
		}

		private ColumnBuilder[] readHeader(long headerLine) {
			if (this.cells > this.limits.maxColumns()) {
				throw new CsvFormatException(
						"too many columns: " + this.cells + " (limit " + this.limits.maxColumns() + ")", headerLine);
			}
			ColumnBuilder[] columns = new ColumnBuilder[this.cells];
			Set<String> names = new HashSet<>();
			for (int i = 0; i < this.cells; i++) {
				String name = cellText(i);
				if (name.isEmpty()) {
					throw new CsvFormatException("header column " + (i + 1) + " has a blank name", headerLine, i + 1);
				}
				if (name.length() > IngestLimits.MAX_COLUMN_NAME_LENGTH) {
					throw new CsvFormatException("header column " + (i + 1) + " has a name of " + name.length()
							+ " characters (limit " + IngestLimits.MAX_COLUMN_NAME_LENGTH + ")", headerLine, i + 1);
				}
				if (name.indexOf('\uFFFD') >= 0 && !isValidUtf8(i, name)
						|| name.chars().anyMatch(Character::isISOControl)) {
					throw new CsvFormatException("header column " + (i + 1) + " has a name that is not valid UTF-8 "
							+ "text or holds control characters", headerLine, i + 1);
				}
				if (!names.add(name)) {
					throw new CsvFormatException("header has duplicate column '" + name + "'", headerLine, i + 1);
				}
				columns[i] = new ColumnBuilder(name);
			}
			return columns;
		}

		private static String shorten(String value) {
			return value.length() <= 40 ? value : value.substring(0, 40) + "...";
		}

		/**
		 * Whether header cell i, decoded as text, came from valid UTF-8: text with a
		 * U+FFFD did only if it encodes back to the cell's bytes (a genuine U+FFFD is EF
		 * BF BD; a malformed sequence is not).
		 */
		private boolean isValidUtf8(int i, String text) {
			byte[] b = trimmedCell(i);
			byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
			return Arrays.equals(encoded, 0, encoded.length, b, this.trimmedFrom, this.trimmedTo);
		}

		private String cellText(int i) {
			byte[] b = trimmedCell(i);
			return new String(b, this.trimmedFrom, this.trimmedTo - this.trimmedFrom, StandardCharsets.UTF_8);
		}

		/**
		 * The bytes holding header cell i, unquoted and trimmed, between trimmedFrom and
		 * trimmedTo.
		 */
		private byte[] trimmedCell(int i) {
			byte[] b = this.buf;
			int from = this.cellFrom[i];
			int to = this.cellTo[i];
			if (this.cellKind[i] == 2) {
				to = unescape(from, to);
				from = 0;
				b = this.scratch;
			}
			while (from < to && (b[from] & 0xff) <= ' ') {
				from++;
			}
			while (to > from && (b[to - 1] & 0xff) <= ' ') {
				to--;
			}
			this.trimmedFrom = from;
			this.trimmedTo = to;
			return b;
		}

		private void acceptCell(ColumnBuilder column, int i) {
			int from = this.cellFrom[i];
			int to = this.cellTo[i];
			byte kind = this.cellKind[i];
			if (kind == 0) {
				// Unquoted cells are trimmed by the scanner already.
				column.accept(this.buf, from, to);
				return;
			}
			byte[] b = this.buf;
			if (kind == 2) {
				to = unescape(from, to);
				from = 0;
				b = this.scratch;
			}
			while (from < to && (b[from] & 0xff) <= ' ') {
				from++;
			}
			while (to > from && (b[to - 1] & 0xff) <= ' ') {
				to--;
			}
			column.accept(b, from, to);
		}

		/** Collapses "" into " into the scratch buffer; returns the length. */
		private int unescape(int from, int to) {
			if (this.scratch.length < to - from) {
				this.scratch = new byte[Math.max(to - from, this.scratch.length * 2)];
			}
			byte[] b = this.buf;
			byte[] out = this.scratch;
			int n = 0;
			for (int i = from; i < to; i++) {
				out[n++] = b[i];
				if (b[i] == '"') {
					i++;
				}
			}
			return n;
		}

		/**
		 * Scans the next record that is not blank; returns the line it starts on, or -1
		 * at the end of input.
		 */
		private long nextNonBlankRecord() throws IOException {
			while (true) {
				int status;
				int recordStart;
				while (true) {
					recordStart = this.pos;
					if ((status = scanRecord()) != NEED_MORE) {
						break;
					}
					if (!fill()) {
						// fill() only fails at EOF, where scanRecord never asks for more.
						throw new IllegalStateException("scanner asked for more input at end of input");
					}
				}
				if (status == END) {
					return -1;
				}
				long start = this.line;
				if (this.pos - recordStart > this.limits.maxRecordBytes()) {
					throw tooLong(start);
				}
				this.line += this.recordNewlines + (this.endedByNewline ? 1 : 0);
				if (this.cells == 1 && this.cellKind[0] == 0 && this.cellFrom[0] == this.cellTo[0]) {
					continue;
				}
				return start;
			}
		}

		/**
		 * Scans one record starting at pos. On NEED_MORE nothing is consumed, so the
		 * caller refills and the record is rescanned from its start; records straddle a
		 * buffer boundary only once per refill, so that is cheap.
		 */
		private int scanRecord() {
			final byte[] b = this.buf;
			final int lim = this.limit;
			final byte d = this.delimiter;
			int p = this.pos;
			if (p >= lim) {
				return this.eof ? END : NEED_MORE;
			}
			int n = 0;
			int newlines = 0;
			while (true) {
				while (p < lim) {
					byte c = b[p];
					if (c == d || c == '\n' || (c & 0xff) > ' ') {
						break;
					}
					p++;
				}
				int from;
				int to;
				byte kind;
				if (p < lim && b[p] == '"') {
					int quoteLine = newlines;
					p++;
					from = p;
					kind = 1;
					while (true) {
						if (p >= lim) {
							if (this.eof) {
								throw new CsvFormatException(
										"unterminated quoted field starting on line " + (this.line + quoteLine),
										this.line, n + 1);
							}
							return NEED_MORE;
						}
						byte c = b[p];
						if (c == '"') {
							if (p + 1 >= lim && !this.eof) {
								return NEED_MORE;
							}
							if (p + 1 < lim && b[p + 1] == '"') {
								kind = 2;
								p += 2;
								continue;
							}
							break;
						}
						if (c == '\n') {
							newlines++;
						}
						p++;
					}
					to = p;
					p++;
					while (p < lim) {
						byte c = b[p];
						if (c == d || c == '\n' || (c & 0xff) > ' ') {
							break;
						}
						p++;
					}
					if (p >= lim && !this.eof) {
						return NEED_MORE;
					}
					if (p < lim && b[p] != d && b[p] != '\n') {
						throw new CsvFormatException("line " + this.line
								+ ": unexpected text after the closing quote of " + "column " + (n + 1), this.line,
								n + 1);
					}
				}
				else {
					from = p;
					while (p < lim) {
						byte c = b[p];
						if (c == d || c == '\n') {
							break;
						}
						p++;
					}
					if (p >= lim && !this.eof) {
						return NEED_MORE;
					}
					to = p;
					while (to > from && (b[to - 1] & 0xff) <= ' ') {
						to--;
					}
					kind = 0;
				}
				if (n == this.cellFrom.length) {
					growCells();
				}
				this.cellFrom[n] = from;
				this.cellTo[n] = to;
				this.cellKind[n] = kind;
				n++;
				if (p >= lim) {
					this.endedByNewline = false;
					break;
				}
				if (b[p] == '\n') {
					p++;
					this.endedByNewline = true;
					break;
				}
				p++;
			}
			this.pos = p;
			this.cells = n;
			this.recordNewlines = newlines;
			return RECORD;
		}

		private void growCells() {
			int n = this.cellFrom.length * 2;
			this.cellFrom = Arrays.copyOf(this.cellFrom, n);
			this.cellTo = Arrays.copyOf(this.cellTo, n);
			this.cellKind = Arrays.copyOf(this.cellKind, n);
		}

		/**
		 * Picks the delimiter that occurs most often outside quotes on the first
		 * non-blank line (comma on ties).
		 */
		private void detectDelimiter() throws IOException {
			restart: while (true) {
				int p = this.pos;
				while (true) {
					int commas = 0;
					int semicolons = 0;
					int tabs = 0;
					boolean quoted = false;
					boolean content = false;
					boolean complete = false;
					for (; p < this.limit; p++) {
						byte c = this.buf[p];
						if (c == '"') {
							quoted = !quoted;
							content = true;
						}
						else if (quoted) {
							continue;
						}
						else if (c == '\n') {
							complete = true;
							break;
						}
						else if (c == ',') {
							commas++;
						}
						else if (c == ';') {
							semicolons++;
						}
						else if (c == '\t') {
							tabs++;
						}
						else if ((c & 0xff) > ' ') {
							content = true;
						}
					}
					if (!complete && !this.eof) {
						// The line is not all in the buffer yet; refilling may move the
						// data, so start over.
						fill();
						continue restart;
					}
					if (content || !complete) {
						if (semicolons > commas && semicolons >= tabs) {
							this.delimiter = ';';
						}
						else if (tabs > commas && tabs > semicolons) {
							this.delimiter = '\t';
						}
						return;
					}
					p++;
				}
			}
		}

		private CsvFormatException tooLong(long startLine) {
			return new CsvFormatException("the record starting on line " + startLine + " is longer than the limit of "
					+ this.limits.maxRecordBytes() + " bytes (fitserve.upload.max-line-length; an unterminated quote?)",
					startLine);
		}

		/**
		 * Compacts the unread tail to the front and reads until the buffer is full or
		 * input ends.
		 */
		private boolean fill() throws IOException {
			if (this.eof) {
				return false;
			}
			if (this.pos > 0) {
				System.arraycopy(this.buf, this.pos, this.buf, 0, this.limit - this.pos);
				this.limit -= this.pos;
				this.pos = 0;
			}
			if (this.limit == this.buf.length) {
				if (this.buf.length >= MAX_RECORD_BYTES || this.limit > this.limits.maxRecordBytes()) {
					throw tooLong(this.line);
				}
				this.buf = Arrays.copyOf(this.buf, this.buf.length * 2);
			}
			while (this.limit < this.buf.length) {
				int r = this.in.read(this.buf, this.limit, this.buf.length - this.limit);
				if (r < 0) {
					this.eof = true;
					break;
				}
				this.digest.update(this.buf, this.limit, r);
				this.bytes += r;
				this.limit += r;
			}
			return true;
		}

	}

}
