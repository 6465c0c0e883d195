package io.fitserve.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.URLDecoder;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a multipart/form-data body (RFC 7578 on RFC 2046, section 5.1) part by part as it
 * arrives: each part's headers, then its content as a stream that ends at the next
 * boundary. Nothing is buffered beyond one 64 KB window, so a file part of any size goes
 * straight to whoever reads it.
 *
 * <p>
 * Why not a library: commons-fileupload2 (used before) finds the boundary one byte at a
 * time through a 4 KB buffer, which cost a core 0.6 s per 127 MB upload (44 of 63 samples
 * of the request thread); Jetty's parser would bring three Jetty jars into a Tomcat
 * application and push content where our CSV parser pulls it. Here the delimiter
 * ({@code CRLF "--" boundary}) is found by looking for its CR only: a boundary has no CR
 * (it is checked), so a failed match never rescans and the search stays linear on any
 * input. The test suite compares this reader with commons-fileupload2 on random bodies.
 *
 * <p>
 * What it accepts, as commons-fileupload2 did: a preamble before the first boundary and
 * an epilogue after the last, ignored; header lines folded or not, a line without a colon
 * skipped; a part without a form-data {@code Content-Disposition} has no name. Parameters
 * may be quoted (a backslash keeps a quote inside, and stays) or RFC 5987 extended
 * ({@code filename*=UTF-8''%e2%82%ac.csv}, preferred over {@code filename}). Unlike
 * commons-fileupload2, it ignores RFC 2046's transport padding (spaces or tabs after a
 * boundary), and does not read a nested multipart/mixed part as parts of its own.
 */
final class MultipartReader {

	/** The most bytes of one part's headers. */
	static final int MAX_HEADER_BYTES = 16 * 1024;

	/** The most parts of one body. */
	static final int MAX_PARTS = 1000;

	/**
	 * The longest boundary read (RFC 2046 allows 70 characters; some clients send more).
	 */
	static final int MAX_BOUNDARY = 200;

	private static final int WINDOW = 64 * 1024;

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private static final long CRS = 0x0D0D0D0D0D0D0D0DL;

	private static final long ONES = 0x0101010101010101L;

	private static final long HIGHS = 0x8080808080808080L;

	/** Room kept free at the window's end before it is filled again. */
	private static final int MIN_FILL = 8 * 1024;

	/** The most spaces and tabs of transport padding after a boundary. */
	private static final int MAX_PADDING = 1024;

	/** The body is not a multipart body this reader can read; says why in English. */
	static final class MalformedException extends IOException {

		MalformedException(String reason) {
			super(reason);
		}

	}

	/**
	 * One part: its field name (null without a form-data Content-Disposition), its file
	 * name (null when it has none), its Content-Type (null when it has none), and its
	 * content, which ends at the next boundary and is valid until {@link #next()} is
	 * called again.
	 */
	record Part(String name, String filename, String contentType, InputStream content) {
	}

	private final InputStream in;

	/** {@code CRLF "--" boundary}. */
	private final byte[] delimiter;

	private final byte[] window = new byte[WINDOW];

	/** The next unread byte. */
	private int head;

	/** The end of the bytes read. */
	private int tail;

	/**
	 * Positions from head up to here are known not to start a delimiter (and so can be
	 * handed out).
	 */
	private int scanned;

	private boolean bodyEnded;

	private boolean closed;

	private PartContent current;

	private int parts;

	/**
	 * A reader of body, whose boundary is that of the Content-Type (see
	 * {@link #boundary(String)}).
	 */
	MultipartReader(InputStream body, String boundary) {
		this.in = body;
		byte[] b = boundary.getBytes(StandardCharsets.ISO_8859_1);
		this.delimiter = new byte[b.length + 4];
		this.delimiter[0] = '\r';
		this.delimiter[1] = '\n';
		this.delimiter[2] = '-';
		this.delimiter[3] = '-';
		System.arraycopy(b, 0, this.delimiter, 4, b.length);
		// the first boundary may open the body, with no line break before it: one is
		// assumed, and the preamble is a part nobody reads
		this.window[0] = '\r';
		this.window[1] = '\n';
		this.tail = 2;
		this.current = new PartContent();
	}

	/**
	 * The boundary of a multipart Content-Type, or null when it has none this reader can
	 * use: 1 to {@value #MAX_BOUNDARY} printable ASCII characters.
	 */
	static String boundary(String contentType) {
		if (contentType == null) {
			return null;
		}
		int semicolon = contentType.indexOf(';');
		if (semicolon < 0) {
			return null;
		}
		String boundary = parameters(contentType.substring(semicolon + 1)).get("boundary");
		if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
			return null;
		}
		for (int i = 0; i < boundary.length(); i++) {
			char c = boundary.charAt(i);
			if (c < 0x20 || c > 0x7e) {
				return null;
			}
		}
		return boundary;
	}

	/**
	 * The next part, after skipping what is left of the one before; null after the
	 * closing boundary.
	 * @throws MalformedException when the body breaks the format or the limits
	 * @throws IOException when the body cannot be read
	 */
	Part next() throws IOException {
		if (this.current != null) {
			boolean preamble = this.parts == 0;
			if (!this.current.skipRest() && preamble) {
				// no boundary at all: a body without parts
				this.closed = true;
			}
			this.current = null;
		}
		if (this.closed) {
			return null;
		}
		// after a boundary: "--" closes the body; otherwise optional padding, then CRLF
		if (!ensure(1)) {
			throw new MalformedException("the body ends right after a boundary");
		}
		if (this.window[this.head] == '-' && ensure(2) && this.window[this.head + 1] == '-') {
			this.closed = true;
			return null;
		}
		int padding = 0;
		while (ensure(1) && (this.window[this.head] == ' ' || this.window[this.head] == '\t')) {
			this.head++;
			if (++padding > MAX_PADDING) {
				throw new MalformedException("a boundary is followed by more than " + MAX_PADDING + " spaces");
			}
		}
		if (!ensure(2) || this.window[this.head] != '\r' || this.window[this.head + 1] != '\n') {
			throw new MalformedException("a boundary is followed by something other than a line break or --");
		}
		if (++this.parts > MAX_PARTS) {
			throw new MalformedException("the body has more than " + MAX_PARTS + " parts");
		}
		Map<String, String> headers = headers();
		this.scanned = this.head;
		this.current = new PartContent();
		String name = null;
		String filename = null;
		String disposition = headers.get("content-disposition");
		if (disposition != null && disposition.regionMatches(true, 0, "form-data", 0, 9)
				&& (disposition.length() == 9 || disposition.charAt(9) == ';' || disposition.charAt(9) == ' ')) {
			Map<String, String> parameters = parameters(disposition.substring(9));
			name = parameters.get("name") == null ? null : parameters.get("name").trim();
			filename = parameters.containsKey("filename")
					? (parameters.get("filename") == null ? "" : parameters.get("filename").trim()) : null;
		}
		return new Part(name, filename, headers.get("content-type"), this.current);
	}

	/**
	 * Reads one part's header block, from the CRLF that ends its boundary line to the
	 * empty line, and leaves head at the content. Header names are lower case; a header
	 * given twice keeps its first value.
	 */
	private Map<String, String> headers() throws IOException {
		// the block is CRLF *(line CRLF) CRLF: its end is the first CRLF CRLF from here
		int end;
		int from = this.head;
		while ((end = indexOfBlankLine(from)) < 0) {
			if (this.tail - this.head > MAX_HEADER_BYTES + 4) {
				throw new MalformedException("a part's headers are longer than " + (MAX_HEADER_BYTES / 1024) + " KB");
			}
			from = Math.max(this.head, this.tail - 3);
			int before = this.head;
			if (!fill()) {
				throw new MalformedException("the body ends inside a part's headers");
			}
			from -= before - this.head;
		}
		if (end - this.head > MAX_HEADER_BYTES + 2) {
			throw new MalformedException("a part's headers are longer than " + (MAX_HEADER_BYTES / 1024) + " KB");
		}
		String block = new String(this.window, this.head + 2, Math.max(0, end - this.head - 2), StandardCharsets.UTF_8);
		this.head = end + 4;
		Map<String, String> headers = new HashMap<>();
		String name = null;
		StringBuilder value = new StringBuilder();
		for (String line : block.isEmpty() ? new String[0] : block.split("\r\n", -1)) {
			if (name != null && !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
				value.append(' ').append(line.strip());
				continue;
			}
			if (name != null) {
				headers.putIfAbsent(name, value.toString());
			}
			int colon = line.indexOf(':');
			name = colon < 0 ? null : line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
			value.setLength(0);
			if (name != null) {
				value.append(line.substring(colon + 1).strip());
			}
		}
		if (name != null) {
			headers.putIfAbsent(name, value.toString());
		}
		return headers;
	}

	/** Where the first CRLF CRLF at or after from starts, or -1. */
	private int indexOfBlankLine(int from) {
		byte[] w = this.window;
		for (int i = from; i + 3 < this.tail; i++) {
			if (w[i] == '\r' && w[i + 1] == '\n' && w[i + 2] == '\r' && w[i + 3] == '\n') {
				return i;
			}
		}
		return -1;
	}

	/**
	 * The parameters after a header's value ({@code ; name=value; name="value"}), names
	 * in lower case. An RFC 5987 parameter ({@code name*=charset'lang'pct-encoded}) is
	 * decoded and replaces the plain one of its name.
	 */
	static Map<String, String> parameters(String text) {
		Map<String, String> parameters = new HashMap<>();
		int i = 0;
		int n = text.length();
		while (i < n) {
			int eq = i;
			while (eq < n && text.charAt(eq) != '=' && text.charAt(eq) != ';') {
				eq++;
			}
			String name = text.substring(i, eq).strip().toLowerCase(Locale.ROOT);
			if (eq >= n || text.charAt(eq) == ';') {
				if (!name.isEmpty()) {
					parameters.putIfAbsent(name, null);
				}
				i = eq + 1;
				continue;
			}
			int v = eq + 1;
			while (v < n && (text.charAt(v) == ' ' || text.charAt(v) == '\t')) {
				v++;
			}
			String value;
			if (v < n && text.charAt(v) == '"') {
				int close = v + 1;
				boolean escaped = false;
				while (close < n && (escaped || text.charAt(close) != '"')) {
					escaped = !escaped && text.charAt(close) == '\\';
					close++;
				}
				value = text.substring(v + 1, Math.min(close, n));
				i = close + 1;
				while (i < n && text.charAt(i) != ';') {
					i++;
				}
				i++;
			}
			else {
				int semicolon = text.indexOf(';', v);
				int end = semicolon < 0 ? n : semicolon;
				value = text.substring(v, end).strip();
				i = end + 1;
			}
			if (name.endsWith("*")) {
				String decoded = extended(value);
				if (decoded != null) {
					parameters.put(name.substring(0, name.length() - 1).strip(), decoded);
				}
			}
			else if (!name.isEmpty() && (!parameters.containsKey(name) || parameters.get(name) == null)) {
				parameters.put(name, value);
			}
		}
		return parameters;
	}

	/**
	 * An RFC 5987 value ({@code charset'language'pct-encoded}) decoded, or null when it
	 * is not one (or names a charset this JVM does not have).
	 */
	private static String extended(String value) {
		int first = value.indexOf('\'');
		int second = first < 0 ? -1 : value.indexOf('\'', first + 1);
		if (second < 0) {
			return null;
		}
		try {
			Charset charset = Charset.forName(value.substring(0, first).strip());
			return URLDecoder.decode(value.substring(second + 1).replace("+", "%2B"), charset);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * Whether at least n bytes are there from head (fewer only at the body's end).
	 */
	private boolean ensure(int n) throws IOException {
		while (this.tail - this.head < n) {
			if (!fill()) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Reads more of the body into the window, first moving what is left to its start when
	 * the end is near; false at the body's end (nothing was read).
	 */
	private boolean fill() throws IOException {
		if (this.bodyEnded) {
			return false;
		}
		if (this.window.length - this.tail < MIN_FILL && this.head > 0) {
			int left = this.tail - this.head;
			System.arraycopy(this.window, this.head, this.window, 0, left);
			this.scanned -= this.head;
			this.tail = left;
			this.head = 0;
		}
		int read = this.in.read(this.window, this.tail, this.window.length - this.tail);
		while (read == 0) {
			read = this.in.read(this.window, this.tail, this.window.length - this.tail);
		}
		if (read < 0) {
			this.bodyEnded = true;
			return false;
		}
		this.tail += read;
		return true;
	}

	/**
	 * Where the next delimiter starts, or -1 when none starts before the last
	 * delimiter-length bytes; either way, scanned moves to the first position not known
	 * to be content. A delimiter starts with the only CR it has, so the search looks for
	 * CRs, eight bytes at a time, and compares the rest only there.
	 */
	private int findDelimiter() {
		byte[] w = this.window;
		byte[] d = this.delimiter;
		int length = d.length;
		int end = this.tail;
		int last = end - length;
		int p = Math.max(this.scanned, this.head);
		while (p <= last) {
			if (p + Long.BYTES <= end) {
				// SWAR: the lowest flagged byte is the first CR of the eight
				long x = (long) LONGS.get(w, p) ^ CRS;
				long crs = (x - ONES) & ~x & HIGHS;
				if (crs == 0) {
					p += Long.BYTES;
					continue;
				}
				p += Long.numberOfTrailingZeros(crs) >>> 3;
				if (p > last) {
					break;
				}
			}
			else if (w[p] != '\r') {
				p++;
				continue;
			}
			int k = 1;
			while (k < length && w[p + k] == d[k]) {
				k++;
			}
			if (k == length) {
				this.scanned = p;
				return p;
			}
			p++;
		}
		this.scanned = Math.max(p, this.head);
		return -1;
	}

	/** A part's content: the bytes up to the next delimiter. */
	private final class PartContent extends InputStream {

		private boolean ended;

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			Objects.checkFromIndexSize(off, len, b.length);
			if (this != MultipartReader.this.current || this.ended) {
				return -1;
			}
			if (len == 0) {
				return 0;
			}
			while (true) {
				int found = findDelimiter();
				int available = (found >= 0 ? found : MultipartReader.this.scanned) - MultipartReader.this.head;
				if (available > 0) {
					int n = Math.min(len, available);
					System.arraycopy(MultipartReader.this.window, MultipartReader.this.head, b, off, n);
					MultipartReader.this.head += n;
					return n;
				}
				if (found >= 0) {
					end(found);
					return -1;
				}
				if (!fill()) {
					throw new MalformedException("the body ends inside a part, with no boundary after it");
				}
			}
		}

		@Override
		public void close() {
			// the rest is skipped by the next call to next()
		}

		/**
		 * Moves past the rest of the content and its delimiter, copying nothing; false
		 * when the body ends first, which is malformed except in the preamble.
		 */
		boolean skipRest() throws IOException {
			while (!this.ended) {
				int found = findDelimiter();
				if (found >= 0) {
					end(found);
				}
				else {
					MultipartReader.this.head = MultipartReader.this.scanned;
					if (!fill()) {
						if (MultipartReader.this.parts == 0) {
							return false;
						}
						throw new MalformedException("the body ends inside a part, with no boundary after it");
					}
				}
			}
			return true;
		}

		private void end(int delimiterAt) {
			MultipartReader.this.head = delimiterAt + MultipartReader.this.delimiter.length;
			MultipartReader.this.scanned = MultipartReader.this.head;
			this.ended = true;
		}

	}

}
