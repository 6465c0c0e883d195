package io.fitserve.datasets;

import io.fitserve.ml.data.ColumnData;
import io.fitserve.privacy.MaskMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

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
		return ingest(in, limits, null);
	}

	/**
	 * As {@link #ingest(InputStream, IngestLimits)}, parsing on several threads when
	 * parallel is not null and the input is larger than the first buffer (1 MB): the
	 * calling thread reads the stream in chunks of whole records, the executor parses
	 * them, and the calling thread appends their columns in file order. The result is the
	 * same as the sequential parse's in every respect (values, types, level order,
	 * profiles, the first error and its line), which falls back to the sequential parse
	 * from the chunk where anything is unusual (an error, a record longer than 512 KB, a
	 * chunk boundary that a stray quote made wrong, the row limit) to the end.
	 */
	public static IngestResult ingest(InputStream in, IngestLimits limits, Parallelism parallel) {
		return ingest(in, limits, parallel, ColumnMasks.NONE);
	}

	/**
	 * As {@link #ingest(InputStream, IngestLimits, Parallelism)}, masking the columns
	 * masks names as each cell is read: only tokens or shapes are kept, and a dropped
	 * column is not kept at all. A name that is not a column of the header is an
	 * {@link UnknownMaskColumnsException}, thrown once the header is read.
	 */
	static IngestResult ingest(InputStream in, IngestLimits limits, Parallelism parallel, ColumnMasks masks) {
		try {
			return new Parser(in, limits, masks).run(parallel);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * How to parse in parallel.
	 *
	 * @param executor runs the chunk parses (and the columns' profiles); never blocks on
	 * anything, so it may be shared by concurrent uploads
	 * @param threads parallelism; 1 or less parses sequentially on the calling thread
	 * @param chunkBytes the size of the chunks the input is cut into (at record
	 * boundaries)
	 * @param smallInputs whether inputs that fit the first buffer are parsed in chunks
	 * too (for tests)
	 */
	public record Parallelism(Executor executor, int threads, int chunkBytes, boolean smallInputs) {

		/**
		 * Chunks of just under 4 MB: large enough that a chunk's set-up cost is noise.
		 * Under, so that the buffer with its array header fits G1's 1, 2 or 4 MB regions
		 * exactly: a buffer of 4 MB and a header took a second 4 MB region it left empty.
		 */
		public static final int DEFAULT_CHUNK_BYTES = (4 << 20) - 1024;

		public static Parallelism of(Executor executor, int threads) {
			return new Parallelism(executor, threads, DEFAULT_CHUNK_BYTES, false);
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

		private InputStream in;

		/**
		 * Bytes still to come from in that were hashed and counted already (replayed by
		 * the fall-back from a parallel parse).
		 */
		private long replayed;

		private final IngestLimits limits;

		private final ColumnMasks masks;

		private final MessageDigest digest;

		private byte[] buf;

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

		Parser(InputStream in, IngestLimits limits, ColumnMasks masks) {
			this.in = in;
			this.limits = limits;
			this.masks = masks;
			this.buf = new byte[INITIAL_BUFFER];
			try {
				this.digest = MessageDigest.getInstance("SHA-256");
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException("SHA-256 is required of every JVM", ex);
			}
		}

		/** A parser of one chunk of whole records (see {@link Chunks}). */
		Parser(byte[] chunk, int length, boolean last, byte delimiter, IngestLimits limits) {
			this.in = null;
			this.digest = null;
			this.limits = limits;
			this.masks = ColumnMasks.NONE;
			this.buf = chunk;
			this.limit = length;
			this.eof = last;
			this.delimiter = delimiter;
			this.line = 0;
		}

		IngestResult run(Parallelism parallel) throws IOException {
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
			boolean chunked = parallel != null && parallel.threads() > 1 && (!this.eof || parallel.smallInputs())
					&& this.buf.length == INITIAL_BUFFER;
			long rows;
			try {
				rows = chunked ? new Chunks(this, columns, parallel).run() : readRows(columns, 0);
			}
			catch (Throwable ex) {
				// e.g. a bad row near the end: the values read so far are freed at once
				for (ColumnBuilder column : columns) {
					column.release();
				}
				throw ex;
			}
			if (rows == 0) {
				throw new CsvFormatException("the file has a header but no data rows", headerLine);
			}
			List<String> dropped = new ArrayList<>();
			List<Integer> keptAt = new ArrayList<>(columns.length);
			for (int i = 0; i < columns.length; i++) {
				if (columns[i].mask() == MaskMode.DROP) {
					dropped.add(columns[i].name());
				}
				else {
					keptAt.add(i);
				}
			}
			ColumnBuilder[] kept = new ColumnBuilder[keptAt.size()];
			for (int k = 0; k < kept.length; k++) {
				kept[k] = columns[keptAt.get(k)];
			}
			Arrays.fill(columns, null);
			ColumnBuilder.Result[] results = finish(kept, chunked ? parallel : null);
			List<ParsedColumn> data = new ArrayList<>(kept.length);
			List<ColumnSchema> schema = new ArrayList<>(kept.length);
			for (int k = 0; k < kept.length; k++) {
				int i = keptAt.get(k);
				ColumnBuilder.Result r = results[k];
				results[k] = null;
				if (r.invalidUtf8() != null) {
					String value = r.invalidUtf8().isEmpty() ? "the value is masked, so not shown"
							: "value '" + shorten(r.invalidUtf8()) + "'";
					throw new CsvFormatException("column " + (i + 1) + " '" + r.column().name()
							+ "' holds bytes that are not valid UTF-8 (" + value + ", first in data row "
							+ (r.invalidUtf8Row() + 1) + "); save the file as UTF-8", 0, i + 1);
				}
				data.add(r.column());
				schema.add(r.schema());
			}
			String sha = java.util.HexFormat.of().formatHex(this.digest.digest());
			return new IngestResult((int) rows, List.copyOf(data), List.copyOf(schema), (char) this.delimiter, sha,
					this.bytes, List.copyOf(dropped));
		}

		/**
		 * Reads the data rows from the parser's position on into columns, which hold rows
		 * rows already; returns the rows in all.
		 */
		long readRows(ColumnBuilder[] columns, long rows) throws IOException {
			long maxRows = Math.min(this.limits.maxRows(), Integer.MAX_VALUE - 16);
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
			return rows;
		}

		/**
		 * Parses this parser's chunk (whole records, see {@link Chunks}) into columns;
		 * null when the chunk is unusual in any way, for the sequential parse to redo (it
		 * then reports the error, if any, with its line).
		 * @param maxRecord longest record taken (longer ones are redone sequentially)
		 * @param stop set when the result is no longer wanted
		 */
		ChunkResult parseChunk(ColumnBuilder[] columns, int maxRecord, AtomicBoolean stop) {
			long rows = 0;
			try {
				while (true) {
					int start = this.pos;
					int status = scanRecord();
					if (status == NEED_MORE) {
						if (start != this.limit) {
							// a record runs past the chunk's end: the boundary was not
							// one
							return null;
						}
						break;
					}
					if (status == END) {
						break;
					}
					if (this.pos - start > maxRecord) {
						return null;
					}
					this.line += this.recordNewlines + (this.endedByNewline ? 1 : 0);
					if (this.cells == 1 && this.cellKind[0] == 0 && this.cellFrom[0] == this.cellTo[0]) {
						continue;
					}
					if (this.cells != columns.length) {
						return null;
					}
					if ((++rows & 1023) == 0 && stop.get()) {
						return null;
					}
					for (int i = 0; i < columns.length; i++) {
						acceptCell(columns[i], i);
					}
				}
			}
			catch (RuntimeException ex) {
				// CsvFormatException (with a line relative to the chunk), or anything the
				// sequential parse will meet again
				return null;
			}
			return new ChunkResult(columns, rows, this.line);
		}

		/**
		 * Finishes every column (statistics, profiles), on the executor when there is
		 * one.
		 */
		private static ColumnBuilder.Result[] finish(ColumnBuilder[] columns, Parallelism parallel) {
			ColumnBuilder.Result[] results = new ColumnBuilder.Result[columns.length];
			int tasks = parallel == null ? 1 : Math.min(parallel.threads(), columns.length);
			if (tasks <= 1) {
				ColumnBuilder.Scratch scratch = new ColumnBuilder.Scratch();
				for (int i = 0; i < columns.length; i++) {
					results[i] = columns[i].finish(scratch);
					columns[i] = null;
				}
				return results;
			}
			// a few tasks that take the next column each, so that each reuses its working
			// memory from column to column
			AtomicInteger next = new AtomicInteger();
			List<CompletableFuture<Void>> futures = new ArrayList<>(tasks);
			for (int t = 0; t < tasks; t++) {
				futures.add(CompletableFuture.runAsync(() -> {
					ColumnBuilder.Scratch scratch = new ColumnBuilder.Scratch();
					for (int i; (i = next.getAndIncrement()) < columns.length;) {
						results[i] = columns[i].finish(scratch);
						columns[i] = null;
					}
				}, parallel.executor()));
			}
			for (CompletableFuture<Void> f : futures) {
				join(f);
			}
			return results;
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
				columns[i] = new ColumnBuilder(name, this.masks.of(name), this.masks.pseudonymizer());
			}
			List<String> unknown = this.masks.modes()
				.keySet()
				.stream()
				.filter(n -> !names.contains(n))
				.sorted()
				.toList();
			if (!unknown.isEmpty()) {
				throw new UnknownMaskColumnsException(unknown);
			}
			if (!this.masks.isEmpty() && Arrays.stream(columns).allMatch(c -> c.mask() == MaskMode.DROP)) {
				throw new UnknownMaskColumnsException(List.of());
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
				int seen = (int) Math.min(r, this.replayed);
				this.replayed -= seen;
				this.digest.update(this.buf, this.limit + seen, r - seen);
				this.bytes += r - seen;
				this.limit += r;
			}
			return true;
		}

	}

	/** A chunk's columns, data rows and line breaks. */
	private record ChunkResult(ColumnBuilder[] columns, long rows, long newlines) {
	}

	private static <T> T join(CompletableFuture<T> future) {
		try {
			return future.join();
		}
		catch (CompletionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

	/**
	 * The parallel parse of the data rows. The calling thread reads the input in chunks
	 * that end at a line break with an even number of quotes since the chunk's start
	 * (outside quotes, if every quote opens, closes or doubles inside a quoted field) and
	 * hashes them; the executor parses each into chunk-local columns
	 * ({@link ColumnBuilder#forChunk}); the calling thread appends them to the columns in
	 * file order. A chunk's boundary is verified by its parse: it must end with a whole
	 * record, and then the next chunk starts at a record too. Whatever a chunk parse does
	 * not take (see {@link Parser#parseChunk}), the sequential parser redoes from that
	 * chunk's start to the end of the input, with the columns and line number as they are
	 * there, so it meets the same first error at the same line.
	 */
	/** Input buffers kept for the next parallel parse (tests). */
	static int spareBuffers() {
		return Chunks.SPARE.size();
	}

	private static final class Chunks {

		/**
		 * Longest record a chunk parse takes: the sequential parser's first buffer holds
		 * such a record whole, so it never grows the buffer or refuses a record early
		 * before it, and both meet the same error first.
		 */
		private static final int MAX_RECORD = Parser.INITIAL_BUFFER / 2;

		/** At most this much input is read ahead of the chunk being appended. */
		private static final int MAX_AHEAD_BYTES = 64 << 20;

		/**
		 * Chunk buffers of {@link Parallelism#DEFAULT_CHUNK_BYTES} kept between parses
		 * (32 MB at most). A parse takes its buffers from here and gives them back when
		 * it ends, so that large uploads one after another reuse the same few: allocated
		 * anew, each 4 MB buffer was a humongous object, and each upload's share set off
		 * G1 marking cycles whose pauses made G1 grow the heap.
		 */
		private static final ArrayBlockingQueue<byte[]> SPARE = new ArrayBlockingQueue<>(8);

		private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
				ByteOrder.LITTLE_ENDIAN);

		private final Parser parser;

		private final ColumnBuilder[] columns;

		private final Parallelism parallel;

		private final int chunkBytes;

		private final int maxRecord;

		private final String[] names;

		/** Per column, the first chunk a chunk parse found text in. */
		private final AtomicIntegerArray textSince;

		/**
		 * Per column, the first chunk a chunk parse found more than DISTINCT_CAP distinct
		 * numbers in: later chunks need not track them.
		 */
		private final AtomicIntegerArray manyDistinctSince;

		/** Chunk buffers (of chunkBytes) whose chunks are appended, for reuse. */
		private final ArrayDeque<byte[]> free = new ArrayDeque<>();

		private final AtomicBoolean stop = new AtomicBoolean();

		/** The input read but not yet cut into a chunk: data[0, length). */
		private byte[] data;

		private int length;

		private boolean eof;

		private int chunks;

		Chunks(Parser parser, ColumnBuilder[] columns, Parallelism parallel) {
			this.parser = parser;
			this.columns = columns;
			this.parallel = parallel;
			this.chunkBytes = Math.max(1, parallel.chunkBytes());
			this.maxRecord = Math.min(MAX_RECORD, parser.limits.maxRecordBytes());
			this.names = new String[columns.length];
			for (int i = 0; i < columns.length; i++) {
				this.names[i] = columns[i].name();
			}
			this.textSince = new AtomicIntegerArray(columns.length);
			this.manyDistinctSince = new AtomicIntegerArray(columns.length);
			for (int i = 0; i < columns.length; i++) {
				this.textSince.set(i, Integer.MAX_VALUE);
				this.manyDistinctSince.set(i, Integer.MAX_VALUE);
			}
			int tail = parser.limit - parser.pos;
			this.data = tail <= this.chunkBytes ? takeBuffer() : new byte[tail];
			System.arraycopy(parser.buf, parser.pos, this.data, 0, tail);
			this.length = tail;
			this.eof = parser.eof;
			parser.buf = new byte[0];
		}

		/** One chunk of whole records (unless its parse finds otherwise). */
		private final class Chunk {

			final byte[] bytes;

			final int length;

			final boolean last;

			final int index;

			final boolean[] text;

			final boolean[] manyDistinct;

			/** Set by whichever thread parses the chunk: a pool thread, or the caller. */
			final AtomicBoolean claimed = new AtomicBoolean();

			final CompletableFuture<ChunkResult> result = new CompletableFuture<>();

			Chunk(byte[] bytes, int length, boolean last, int index) {
				this.bytes = bytes;
				this.length = length;
				this.last = last;
				this.index = index;
				this.text = new boolean[Chunks.this.columns.length];
				this.manyDistinct = new boolean[this.text.length];
				for (int i = 0; i < this.text.length; i++) {
					this.text[i] = Chunks.this.textSince.get(i) < index;
					this.manyDistinct[i] = Chunks.this.manyDistinctSince.get(i) < index;
				}
			}

			/** Parses the chunk into result unless another thread does already. */
			void parseUnlessClaimed() {
				if (!this.claimed.compareAndSet(false, true)) {
					return;
				}
				try {
					this.result.complete(parse());
				}
				catch (Throwable ex) {
					this.result.completeExceptionally(ex);
				}
			}

			ChunkResult parse() {
				ColumnBuilder[] local = new ColumnBuilder[this.text.length];
				for (int i = 0; i < local.length; i++) {
					local[i] = Chunks.this.columns[i].chunkBuilder(this.text[i], this.manyDistinct[i]);
				}
				ChunkResult r = new Parser(this.bytes, this.length, this.last, Chunks.this.parser.delimiter,
						Chunks.this.parser.limits)
					.parseChunk(local, Chunks.this.maxRecord, Chunks.this.stop);
				if (r != null) {
					for (int i = 0; i < local.length; i++) {
						if (local[i].isText() && !this.text[i]) {
							Chunks.this.textSince.accumulateAndGet(i, this.index, Math::min);
						}
						if (local[i].hasManyDistinct() && !this.manyDistinct[i]) {
							Chunks.this.manyDistinctSince.accumulateAndGet(i, this.index, Math::min);
						}
					}
				}
				return r;
			}

		}

		/** Parses the data rows; returns their number. */
		long run() throws IOException {
			try {
				return parseAll();
			}
			finally {
				this.stop.set(true);
				// only the buffers of appended chunks are here: no parse reads them any
				// more (a failed parse's chunks may still be read by pool threads)
				for (byte[] b = this.free.poll(); b != null; b = this.free.poll()) {
					if (b.length == Parallelism.DEFAULT_CHUNK_BYTES) {
						SPARE.offer(b);
					}
				}
			}
		}

		/** A buffer of chunkBytes: a spare one of this parse, or of an earlier one. */
		private byte[] takeBuffer() {
			byte[] b = this.free.poll();
			if (b == null && this.chunkBytes == Parallelism.DEFAULT_CHUNK_BYTES) {
				b = SPARE.poll();
			}
			return b != null ? b : new byte[this.chunkBytes];
		}

		private long parseAll() throws IOException {
			long maxRows = Math.min(this.parser.limits.maxRows(), Integer.MAX_VALUE - 16);
			// chunks read ahead: enough to keep every thread busy, at most 64 MB of input
			// (their columns cost about as much again), however many processors
			int window = Math.max(2, Math.min(this.parallel.threads() + 2, MAX_AHEAD_BYTES / this.chunkBytes));
			ArrayDeque<Chunk> inFlight = new ArrayDeque<>();
			long rows = 0;
			long line = this.parser.line;
			boolean cut = true;
			while (true) {
				while (cut && inFlight.size() < window) {
					Chunk next = nextChunk();
					if (next == null) {
						cut = false;
						break;
					}
					this.parallel.executor().execute(next::parseUnlessClaimed);
					inFlight.add(next);
				}
				Chunk head = inFlight.poll();
				if (head == null) {
					break;
				}
				// the calling thread parses the next chunk itself when no pool thread has
				// taken it yet (the pool may be busy with other uploads)
				head.parseUnlessClaimed();
				ChunkResult r = join(head.result);
				if (r != null && needsReparse(head, r)) {
					for (int i = 0; i < head.text.length; i++) {
						head.text[i] = this.columns[i].isText();
						head.manyDistinct[i] = !this.columns[i].tracksDistinct();
					}
					r = head.parse();
				}
				if (r == null || rows + r.rows() > maxRows) {
					inFlight.addFirst(head);
					return sequentialFrom(inFlight, rows, line);
				}
				for (int i = 0; i < this.columns.length; i++) {
					this.columns[i].append(r.columns()[i]);
					r.columns()[i] = null;
				}
				rows += r.rows();
				line += r.newlines();
				if (head.bytes.length == this.chunkBytes && this.free.size() < window) {
					this.free.add(head.bytes);
				}
			}
			if (this.length > 0 || !this.eof) {
				// no record boundary found in a long stretch (a stray quote?)
				return sequentialFrom(inFlight, rows, line);
			}
			// every chunk is appended: the buffer left over holds nothing
			this.free.add(this.data);
			this.data = null;
			return rows;
		}

		/**
		 * Whether a chunk's columns cannot be appended: numbers (whose text is not kept)
		 * in a column that turned to text in a chunk before, while this chunk was parsed;
		 * or (never expected) a hint that does not match the columns.
		 */
		private boolean needsReparse(Chunk chunk, ChunkResult r) {
			for (int i = 0; i < this.columns.length; i++) {
				boolean text = this.columns[i].isText();
				if (text ? r.columns()[i].hasNumbers()
						: chunk.text[i] || chunk.manyDistinct[i] && this.columns[i].tracksDistinct()) {
					return true;
				}
			}
			return false;
		}

		/**
		 * The sequential parse from the first chunk in pending on: the pending chunks and
		 * the uncut input are replayed (already hashed) before the rest of the stream.
		 */
		private long sequentialFrom(ArrayDeque<Chunk> pending, long rows, long line) throws IOException {
			this.stop.set(true);
			List<byte[]> parts = new ArrayList<>();
			List<Integer> lengths = new ArrayList<>();
			long replay = 0;
			for (Chunk c : pending) {
				parts.add(c.bytes);
				lengths.add(c.length);
				replay += c.length;
			}
			parts.add(this.data);
			lengths.add(this.length);
			replay += this.length;
			Parser p = this.parser;
			p.in = new Replay(parts, lengths, p.in);
			p.replayed = replay;
			p.buf = new byte[Parser.INITIAL_BUFFER];
			p.pos = 0;
			p.limit = 0;
			p.eof = false;
			p.line = line;
			this.data = null;
			return p.readRows(this.columns, rows);
		}

		/**
		 * The next chunk: data up to the last record boundary within the first chunkBytes
		 * (or beyond when there is none), or everything at the end of the input; null
		 * when the input is all cut, or when no boundary turns up in a long stretch.
		 */
		private Chunk nextChunk() throws IOException {
			while (true) {
				fillData();
				if (this.length == 0) {
					return null;
				}
				int end = lastBoundary(this.data, Math.min(this.length, this.chunkBytes));
				if (end < 0 && this.length > this.chunkBytes) {
					end = lastBoundary(this.data, this.length);
				}
				if (end < 0) {
					if (!this.eof) {
						if (this.length > (long) this.chunkBytes + MAX_RECORD) {
							return null;
						}
						this.data = Arrays.copyOf(this.data, this.data.length * 2);
						continue;
					}
					end = this.length;
				}
				boolean last = this.eof && end == this.length;
				Chunk chunk = new Chunk(this.data, end, last, this.chunks++);
				int rest = this.length - end;
				byte[] next = rest <= this.chunkBytes ? takeBuffer() : new byte[rest];
				System.arraycopy(this.data, end, next, 0, rest);
				this.data = next;
				this.length = rest;
				return chunk;
			}
		}

		/** Reads until data is full or the input ends, hashing what it reads. */
		private void fillData() throws IOException {
			Parser p = this.parser;
			while (!this.eof && this.length < this.data.length) {
				int r = p.in.read(this.data, this.length, this.data.length - this.length);
				if (r < 0) {
					this.eof = true;
					break;
				}
				p.digest.update(this.data, this.length, r);
				p.bytes += r;
				this.length += r;
			}
		}

		/**
		 * The end of the last line break in b[0, to) with an even number of quotes before
		 * it, or -1.
		 */
		static int lastBoundary(byte[] b, int to) {
			if (!hasQuote(b, to)) {
				for (int i = to - 1; i >= 0; i--) {
					if (b[i] == '\n') {
						return i + 1;
					}
				}
				return -1;
			}
			int quoted = 0;
			int last = -1;
			for (int i = 0; i < to; i++) {
				byte c = b[i];
				if (c == '"') {
					quoted ^= 1;
				}
				else if (c == '\n' && quoted == 0) {
					last = i + 1;
				}
			}
			return last;
		}

		/** Whether b[0, to) holds a '"', eight bytes at a time. */
		private static boolean hasQuote(byte[] b, int to) {
			int i = 0;
			for (; i + 8 <= to; i += 8) {
				long x = (long) LONGS.get(b, i) ^ 0x2222222222222222L;
				if (((x - 0x0101010101010101L) & ~x & 0x8080808080808080L) != 0) {
					return true;
				}
			}
			for (; i < to; i++) {
				if (b[i] == '"') {
					return true;
				}
			}
			return false;
		}

	}

	/**
	 * Byte arrays (already read) followed by the rest of a stream, which is not closed.
	 */
	private static final class Replay extends InputStream {

		private final List<byte[]> parts;

		private final List<Integer> lengths;

		private final InputStream rest;

		private int part;

		private int offset;

		Replay(List<byte[]> parts, List<Integer> lengths, InputStream rest) {
			this.parts = parts;
			this.lengths = lengths;
			this.rest = rest;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			int r = read(one, 0, 1);
			return r < 0 ? -1 : one[0] & 0xff;
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			while (this.part < this.parts.size()) {
				int n = Math.min(len, this.lengths.get(this.part) - this.offset);
				if (n > 0 || len == 0) {
					System.arraycopy(this.parts.get(this.part), this.offset, b, off, n);
					this.offset += n;
					return n;
				}
				this.parts.set(this.part, null);
				this.part++;
				this.offset = 0;
			}
			return this.rest.read(b, off, len);
		}

	}

}
