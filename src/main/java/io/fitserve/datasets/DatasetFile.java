package io.fitserve.datasets;

import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.data.ColumnType;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;

import io.fitserve.storage.CorruptFileException;
import io.fitserve.storage.SegmentedFile;
import io.fitserve.storage.StorageCodec;

/**
 * Durable binary columnar form of a {@link DatasetFrame}.
 * <p>
 * Version 1 layout (little endian; still read, written only by tests): magic "FSDS", int
 * version, int rows, int columns; per column: string name, byte type, byte flags (1
 * values, 2 codes, 4 levels), [int count, strings] levels, [rows doubles] values, [rows
 * ints] codes; then the CRC32C of everything before it and the magic again. Strings are
 * an int byte length plus UTF-8.
 * <p>
 * Version 2 (written): a {@link SegmentedFile} with magic "FSDS" and version 2 (1 MB
 * segments, each zstd-compressed and then, with an encryption key, AES-256-GCM encrypted,
 * or else CRC32C-checked) whose plaintext is the version 1 layout from "int rows" on,
 * including its closing CRC32C and magic. Memory stays bounded by a few segments.
 */
public final class DatasetFile {

	private static final int MAGIC = 0x53445346; // "FSDS" when written little endian

	private static final int VERSION_1 = 1;

	private static final int VERSION = 2;

	private static final String WHAT = "dataset file";

	private static final int HAS_VALUES = 1;

	private static final int HAS_CODES = 2;

	private static final int HAS_LEVELS = 4;

	private static final int BUFFER = 1 << 20;

	private DatasetFile() {
	}

	/** {@link #write(Path, DatasetFrame, StorageCodec)} compressed, not encrypted. */
	public static void write(Path file, DatasetFrame frame) throws IOException {
		write(file, frame, StorageCodec.DEFAULT);
	}

	/**
	 * Writes to a temp sibling, forces it to disk and atomically moves it over
	 * {@code file}.
	 */
	public static void write(Path file, DatasetFrame frame, StorageCodec codec) throws IOException {
		write(file, frame.rows(), columnsOf(frame), codec);
	}

	/** As {@link #write(Path, DatasetFrame, StorageCodec)}, from a parse's columns. */
	static void write(Path file, int rows, List<ParsedColumn> columns, StorageCodec codec) throws IOException {
		writeAtomically(file, ch -> {
			WritableByteChannel segments = SegmentedFile.writer(ch, MAGIC, VERSION, codec,
					SegmentedFile.DEFAULT_SEGMENT_SIZE);
			Out out = new Out(segments);
			writeBody(out, rows, columns);
			segments.close();
		});
	}

	private static List<ParsedColumn> columnsOf(DatasetFrame frame) {
		List<ParsedColumn> columns = new ArrayList<>(frame.columns().size());
		for (ColumnData c : frame.columns()) {
			columns.add(ParsedColumn.of(c));
		}
		return columns;
	}

	/** The version 1 format, for tests that old files stay readable. */
	static void writeVersion1(Path file, DatasetFrame frame) throws IOException {
		writeAtomically(file, ch -> {
			Out out = new Out(ch);
			out.putInt(MAGIC);
			out.putInt(VERSION_1);
			writeBody(out, frame.rows(), columnsOf(frame));
		});
	}

	private static void writeBody(Out out, int rows, List<ParsedColumn> columns) throws IOException {
		out.putInt(rows);
		out.putInt(columns.size());
		for (ParsedColumn c : columns) {
			writeColumn(out, c, rows);
		}
		out.finish();
	}

	private interface Body {

		void writeTo(FileChannel ch) throws IOException;

	}

	private static void writeAtomically(Path file, Body body) throws IOException {
		Path dir = file.toAbsolutePath().getParent();
		Files.createDirectories(dir);
		Path tmp = Files.createTempFile(dir, file.getFileName().toString() + ".", ".tmp");
		try {
			try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
					StandardOpenOption.TRUNCATE_EXISTING)) {
				body.writeTo(ch);
				ch.force(true);
			}
			try {
				Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		finally {
			Files.deleteIfExists(tmp);
		}
	}

	private static void writeColumn(Out out, ParsedColumn c, int rows) throws IOException {
		if (c.values() != null && c.values().size() != rows || c.codes() != null && c.codes().length != rows) {
			throw new IllegalArgumentException("column '" + c.name() + "' does not have " + rows + " rows");
		}
		out.putString(c.name());
		out.put((byte) typeCode(c.type()));
		int flags = (c.values() != null ? HAS_VALUES : 0) | (c.codes() != null ? HAS_CODES : 0)
				| (c.levels() != null ? HAS_LEVELS : 0);
		out.put((byte) flags);
		if (c.levels() != null) {
			out.putInt(c.levels().size());
			for (String level : c.levels()) {
				out.putString(level);
			}
		}
		if (c.values() != null) {
			DoubleChunks v = c.values();
			if (v.offHeap()) {
				// straight from the blocks into the buffer, without a copy on the heap
				for (int b = 0; b < v.blockCount(); b++) {
					out.putDoubles(v.block(b));
				}
			}
			else {
				for (int k = 0; k < v.chunkCount(); k++) {
					out.putDoubles(v.chunk(k), v.chunkLength(k));
				}
			}
		}
		if (c.codes() != null) {
			out.putInts(c.codes());
		}
	}

	/** {@link #read(Path, StorageCodec)} without an encryption key. */
	public static DatasetFrame read(Path file) throws IOException {
		return read(file, StorageCodec.DEFAULT);
	}

	/**
	 * Reads a file written by {@link #write} (either version); corrupt, truncated,
	 * tampered files and files encrypted under another key fail with a
	 * {@link CorruptFileException} whose message does not name the path.
	 */
	public static DatasetFrame read(Path file, StorageCodec codec) throws IOException {
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
			ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
			while (prefix.hasRemaining() && ch.read(prefix) >= 0) {
				// fill
			}
			prefix.flip();
			if (prefix.remaining() < 4 || prefix.getInt() != MAGIC) {
				throw corrupt(file, "bad magic");
			}
			if (prefix.remaining() < 4) {
				throw corrupt(file, "truncated");
			}
			int version = prefix.getInt();
			ch.position(0);
			if (version == VERSION_1) {
				In in = new In(ch, ch.size());
				in.getInt();
				in.getInt();
				return readBody(in, file, false);
			}
			if (version != VERSION) {
				throw corrupt(file, "unsupported version " + version);
			}
			ReadableByteChannel segments = SegmentedFile.reader(ch, MAGIC, VERSION, codec, WHAT);
			// the plaintext's length is not known up front; every segment is checked
			// before its bytes are used
			return readBody(new In(segments, Long.MAX_VALUE), file, true);
		}
		catch (EOFException ex) {
			throw corrupt(file, "truncated");
		}
	}

	private static DatasetFrame readBody(In in, Path file, boolean segmented) throws IOException {
		int rows = in.getInt();
		int count = in.getInt();
		if (rows < 0 || count < 0 || count > in.remaining()) {
			throw corrupt(file, "bad header");
		}
		List<ColumnData> columns = new ArrayList<>(Math.min(count, 1024));
		for (int i = 0; i < count; i++) {
			columns.add(readColumn(in, file, rows));
		}
		int crc = in.crc();
		if (in.getInt() != crc || in.getInt() != MAGIC || !(segmented ? in.atEnd() : in.remaining() == 0)) {
			throw corrupt(file, "checksum mismatch");
		}
		return new DatasetFrame(rows, Collections.unmodifiableList(columns));
	}

	private static ColumnData readColumn(In in, Path file, int rows) throws IOException {
		String name = in.getString();
		ColumnType type = typeOf(in.get(), file);
		int flags = in.get();
		List<String> levels = null;
		if ((flags & HAS_LEVELS) != 0) {
			int n = in.getInt();
			if (n < 0 || (long) n * 4 > in.remaining()) {
				throw corrupt(file, "bad level count");
			}
			String[] text = new String[n];
			for (int j = 0; j < n; j++) {
				text[j] = in.getString();
			}
			levels = Collections.unmodifiableList(Arrays.asList(text));
		}
		double[] values = null;
		if ((flags & HAS_VALUES) != 0) {
			values = new double[checkedRows(in, file, rows, 8)];
			in.getDoubles(values);
		}
		int[] codes = null;
		if ((flags & HAS_CODES) != 0) {
			codes = new int[checkedRows(in, file, rows, 4)];
			in.getInts(codes);
			int bound = levels != null ? levels.size() : 0;
			for (int code : codes) {
				if (code < -1 || code >= bound) {
					throw corrupt(file, "code out of range in column '" + name + "'");
				}
			}
		}
		if (values == null && codes == null) {
			throw corrupt(file, "column '" + name + "' has no data");
		}
		return new ColumnData(name, type, values, codes, levels);
	}

	private static int checkedRows(In in, Path file, int rows, int width) throws IOException {
		if ((long) rows * width > in.remaining()) {
			throw corrupt(file, "truncated");
		}
		return rows;
	}

	private static int typeCode(ColumnType type) {
		// Fixed codes rather than ordinal(): reordering the enum must not reinterpret old
		// files.
		return switch (type) {
			case NUMERIC -> 0;
			case CATEGORICAL -> 1;
			case BOOLEAN -> 2;
		};
	}

	private static ColumnType typeOf(int code, Path file) throws IOException {
		return switch (code) {
			case 0 -> ColumnType.NUMERIC;
			case 1 -> ColumnType.CATEGORICAL;
			case 2 -> ColumnType.BOOLEAN;
			default -> throw corrupt(file, "unknown column type " + code);
		};
	}

	/**
	 * The path is left out: the message may reach API clients; callers log it next to the
	 * path.
	 */
	private static IOException corrupt(Path file, String why) {
		return new CorruptFileException("corrupt " + WHAT + ": " + why);
	}

	/** Buffered little-endian writer that checksums every byte it flushes. */
	private static final class Out {

		private final WritableByteChannel ch;

		private final ByteBuffer buf = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN);

		private final CRC32C crc = new CRC32C();

		Out(WritableByteChannel ch) {
			this.ch = ch;
		}

		private void room(int n) throws IOException {
			if (this.buf.remaining() < n) {
				flush();
			}
		}

		private void flush() throws IOException {
			this.buf.flip();
			this.crc.update(this.buf.array(), 0, this.buf.limit());
			while (this.buf.hasRemaining()) {
				this.ch.write(this.buf);
			}
			this.buf.clear();
		}

		void put(byte b) throws IOException {
			room(1);
			this.buf.put(b);
		}

		void putInt(int v) throws IOException {
			room(4);
			this.buf.putInt(v);
		}

		void putString(String s) throws IOException {
			byte[] b = s.getBytes(StandardCharsets.UTF_8);
			putInt(b.length);
			int off = 0;
			while (off < b.length) {
				room(1);
				int n = Math.min(this.buf.remaining(), b.length - off);
				this.buf.put(b, off, n);
				off += n;
			}
		}

		/** The first length values of v. */
		void putDoubles(double[] v, int length) throws IOException {
			int off = 0;
			while (off < length) {
				room(8);
				int n = Math.min(this.buf.remaining() / 8, length - off);
				this.buf.asDoubleBuffer().put(v, off, n);
				this.buf.position(this.buf.position() + n * 8);
				off += n;
			}
		}

		/** The remaining values of v (consumed). */
		void putDoubles(DoubleBuffer v) throws IOException {
			while (v.hasRemaining()) {
				room(8);
				int n = Math.min(this.buf.remaining() / 8, v.remaining());
				this.buf.asDoubleBuffer().put(v.slice(v.position(), n));
				this.buf.position(this.buf.position() + n * 8);
				v.position(v.position() + n);
			}
		}

		void putInts(int[] v) throws IOException {
			int off = 0;
			while (off < v.length) {
				room(4);
				int n = Math.min(this.buf.remaining() / 4, v.length - off);
				this.buf.asIntBuffer().put(v, off, n);
				this.buf.position(this.buf.position() + n * 4);
				off += n;
			}
		}

		/** Appends the checksum and the closing magic, then flushes. */
		void finish() throws IOException {
			flush();
			int sum = (int) this.crc.getValue();
			this.buf.putInt(sum);
			this.buf.putInt(MAGIC);
			this.buf.flip();
			while (this.buf.hasRemaining()) {
				this.ch.write(this.buf);
			}
		}

	}

	/** Buffered little-endian reader that checksums every byte it consumes. */
	private static final class In {

		private final ReadableByteChannel ch;

		private final ByteBuffer buf = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN);

		private final CRC32C crc = new CRC32C();

		/** Bytes of the file not yet consumed (buffered or not). */
		private long remaining;

		In(ReadableByteChannel ch, long size) {
			this.ch = ch;
			this.remaining = size;
			this.buf.limit(0);
		}

		long remaining() {
			return this.remaining;
		}

		int crc() {
			return (int) this.crc.getValue();
		}

		/** Nothing buffered and nothing more in the channel. */
		boolean atEnd() throws IOException {
			if (this.buf.hasRemaining()) {
				return false;
			}
			this.buf.clear();
			int n;
			while ((n = this.ch.read(this.buf)) == 0) {
				// blocking channel: only an empty buffer returns 0
			}
			this.buf.flip();
			return n < 0;
		}

		/** Makes at least n (at most the buffer size) bytes available. */
		private void need(int n) throws IOException {
			if (this.buf.remaining() >= n) {
				return;
			}
			this.buf.compact();
			while (this.buf.position() < n) {
				if (this.ch.read(this.buf) < 0) {
					this.buf.flip();
					throw new EOFException();
				}
			}
			this.buf.flip();
		}

		private void consumed(int n) {
			this.crc.update(this.buf.array(), this.buf.position(), n);
			this.remaining -= n;
		}

		byte get() throws IOException {
			need(1);
			consumed(1);
			return this.buf.get();
		}

		int getInt() throws IOException {
			need(4);
			consumed(4);
			return this.buf.getInt();
		}

		String getString() throws IOException {
			int len = getInt();
			if (len < 0 || len > this.remaining) {
				throw new EOFException();
			}
			byte[] b = new byte[len];
			int off = 0;
			while (off < len) {
				need(1);
				int n = Math.min(this.buf.remaining(), len - off);
				consumed(n);
				this.buf.get(b, off, n);
				off += n;
			}
			return new String(b, StandardCharsets.UTF_8);
		}

		void getDoubles(double[] v) throws IOException {
			int off = 0;
			while (off < v.length) {
				need(8);
				int n = Math.min(this.buf.remaining() / 8, v.length - off);
				consumed(n * 8);
				this.buf.asDoubleBuffer().get(v, off, n);
				this.buf.position(this.buf.position() + n * 8);
				off += n;
			}
		}

		void getInts(int[] v) throws IOException {
			int off = 0;
			while (off < v.length) {
				need(4);
				int n = Math.min(this.buf.remaining() / 4, v.length - off);
				consumed(n * 4);
				this.buf.asIntBuffer().get(v, off, n);
				this.buf.position(this.buf.position() + n * 4);
				off += n;
			}
		}

	}

}
