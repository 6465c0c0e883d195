package io.fitserve.datasets;

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

/** Single-pass CSV ingestion: parsing, type inference, profiling and hashing in one streaming read. */
public final class CsvIngest {

	/** Numeric columns with at most this many distinct values also get codes and levels (usable as class labels). */
	public static final int DISTINCT_CAP = 1000;

	private CsvIngest() {
	}

	/**
	 * Streams the CSV once: UTF-8 (BOM stripped), header row, delimiter auto-detected among ',', ';', '\t' from the
	 * header line, RFC 4180 quotes ("" escapes, quoted newlines), CRLF/LF. Infers types, builds profiles, computes
	 * SHA-256 while reading. Lines that are empty after trimming are skipped (but still counted for line numbers).
	 * The stream is read to its end but not closed.
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

		/** A record that does not fit in this much memory is almost certainly a stray quote. */
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
					throw new CsvFormatException("line " + recordLine + " has " + this.cells + " cells, expected "
							+ columns.length, recordLine);
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
				columns[i] = null;
				data.add(r.column());
				schema.add(r.schema());
			}
			String sha = java.util.HexFormat.of().formatHex(this.digest.digest());
			return new IngestResult(new DatasetFrame((int) rows, List.copyOf(data)), List.copyOf(schema),
					(char) this.delimiter, sha, this.bytes);
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
				if (!names.add(name)) {
					throw new CsvFormatException("header has duplicate column '" + name + "'", headerLine, i + 1);
				}
				columns[i] = new ColumnBuilder(name);
			}
			return columns;
		}

		private String cellText(int i) {
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
			return new String(b, from, to - from, StandardCharsets.UTF_8);
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

		/** Scans the next record that is not blank; returns the line it starts on, or -1 at the end of input. */
		private long nextNonBlankRecord() throws IOException {
			while (true) {
				int status;
				while ((status = scanRecord()) == NEED_MORE) {
					if (!fill()) {
						// fill() only fails at EOF, where scanRecord never asks for more.
						throw new IllegalStateException("scanner asked for more input at end of input");
					}
				}
				if (status == END) {
					return -1;
				}
				long start = this.line;
				this.line += this.recordNewlines + (this.endedByNewline ? 1 : 0);
				if (this.cells == 1 && this.cellKind[0] == 0 && this.cellFrom[0] == this.cellTo[0]) {
					continue;
				}
				return start;
			}
		}

		/**
		 * Scans one record starting at pos. On NEED_MORE nothing is consumed, so the caller refills and the record
		 * is rescanned from its start; records straddle a buffer boundary only once per refill, so that is cheap.
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
								throw new CsvFormatException("unterminated quoted field starting on line "
										+ (this.line + quoteLine), this.line, n + 1);
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
						throw new CsvFormatException("line " + this.line + ": unexpected text after the closing quote of "
								+ "column " + (n + 1), this.line, n + 1);
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

		/** Picks the delimiter that occurs most often outside quotes on the first non-blank line (comma on ties). */
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
						// The line is not all in the buffer yet; refilling may move the data, so start over.
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

		/** Compacts the unread tail to the front and reads until the buffer is full or input ends. */
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
				if (this.buf.length >= MAX_RECORD_BYTES) {
					throw new CsvFormatException("the record starting on line " + this.line + " is larger than "
							+ (MAX_RECORD_BYTES >> 20) + " MB (an unterminated quote?)", this.line);
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
