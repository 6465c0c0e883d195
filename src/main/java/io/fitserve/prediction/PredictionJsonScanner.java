package io.fitserve.prediction;

import java.nio.charset.StandardCharsets;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import io.fitserve.datasets.Digits;
import io.fitserve.datasets.EiselLemire;
import io.fitserve.datasets.ValueParser;

/**
 * The prediction request body's usual form read straight from its bytes: a top-level
 * object of {@code rows} (objects whose keys are plain ASCII and whose values are
 * numbers, plain ASCII strings, booleans or null) and the scalar fields
 * {@code threshold}, {@code explain}, {@code explainSamples}, {@code explainSeed}. A
 * one-row or ten-thousand-row request spends most of its server time turning JSON into
 * doubles; Jackson's parser copies each number's characters into a buffer before it
 * converts them, this reads the digits in place.
 *
 * <p>
 * It answers only where it can answer exactly as {@link PredictionJsonReader} does (the
 * same values bit for bit, the same warnings, through the same
 * {@link PredictionJsonReader.RowState}): anything else (an escape or a non-ASCII byte in
 * a string, a nested value under an ignored key, a number JSON does not allow or one
 * beyond the simple cases, a field of an unexpected type, malformed JSON, too many rows)
 * makes {@link #read} return null, and the caller reads the body with
 * {@link PredictionJsonReader}, which either answers or sends it to the reference path.
 * It accepts only strict JSON (RFC 8259 whitespace, numbers, literals), so no body
 * Jackson refuses is answered here.
 */
final class PredictionJsonScanner {

	/** Thrown to give up on a body; no stack trace, one instance. */
	private static final class GiveUp extends RuntimeException {

		GiveUp() {
			super(null, null, false, false);
		}

	}

	private static final GiveUp GIVE_UP = new GiveUp();

	/**
	 * Longest number token read here; longer ones go to Jackson (its own limit is 1000).
	 */
	private static final int MAX_NUMBER_LENGTH = 64;

	private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles
		.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

	/** Longest string value read here; longer ones go to Jackson. */
	private static final int MAX_STRING_LENGTH = 1 << 16;

	/** Longest key read here, far below Jackson's own limit (50,000). */
	private static final int MAX_KEY_LENGTH = 1 << 10;

	private static final int INITIAL_ROWS = 16;

	/**
	 * Bodies with at least this many bytes after their first row are read in two parts at
	 * once (W6's 10,000 rows of 50 features are 13.5 MB).
	 */
	static final int SPLIT_BYTES = 1 << 19;

	/** How far past the middle of the rows a row boundary is looked for. */
	private static final int SPLIT_SEARCH = 1 << 16;

	private final byte[] b;

	private final int end;

	private final int splitBytes;

	private int i;

	/** The last number read: whether it had a fraction or exponent, and its value. */
	private boolean isFloat;

	private long longValue;

	private double doubleValue;

	private PredictionJsonScanner(byte[] body, int start, int splitBytes) {
		this.b = body;
		this.end = body.length;
		this.i = start;
		this.splitBytes = splitBytes;
	}

	/**
	 * The request, or null when this body is not one read here (read it with
	 * {@link PredictionJsonReader}). Throws {@link PredictionJsonReader.Unsupported} only
	 * where that reader would throw it for the same body (a row without a feature).
	 */
	static PredictionJsonReader.Rows read(byte[] body, PredictionJsonReader.Schema schema, int maxRows) {
		return read(body, schema, maxRows,
				Runtime.getRuntime().availableProcessors() > 1 ? SPLIT_BYTES : Integer.MAX_VALUE);
	}

	/**
	 * As {@link #read(byte[], PredictionJsonReader.Schema, int)}, reading the rows in two
	 * parts once at least splitBytes follow the first row.
	 */
	static PredictionJsonReader.Rows read(byte[] body, PredictionJsonReader.Schema schema, int maxRows,
			int splitBytes) {
		try {
			return new PredictionJsonScanner(body, 0, splitBytes).request(schema, maxRows);
		}
		catch (GiveUp ex) {
			return null;
		}
	}

	/**
	 * A plain name of at most 7 bytes followed by its closing quote, as a little-endian
	 * long (the name's first byte lowest); 0 for any other (never compared).
	 */
	static long word(byte[] plain) {
		if (plain == null || plain.length >= 8) {
			return 0;
		}
		long word = (long) '"' << (8 * plain.length);
		for (int k = 0; k < plain.length; k++) {
			word |= (plain[k] & 0xFFL) << (8 * k);
		}
		return word;
	}

	/**
	 * The bytes a JSON key holds this name with when it is written without escapes
	 * (printable ASCII other than quote and backslash, at most MAX_KEY_LENGTH), else
	 * null.
	 */
	static byte[] plain(String name) {
		if (name.length() > MAX_KEY_LENGTH) {
			return null;
		}
		for (int k = 0; k < name.length(); k++) {
			char c = name.charAt(k);
			if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
				return null;
			}
		}
		return name.getBytes(StandardCharsets.US_ASCII);
	}

	private PredictionJsonReader.Rows request(PredictionJsonReader.Schema schema, int maxRows) {
		whitespace();
		expect('{');
		PredictionJsonReader.RowState state = new PredictionJsonReader.RowState(schema);
		double[] values = null;
		int count = 0;
		Object threshold = null;
		Boolean explain = null;
		Integer explainSamples = null;
		Long explainSeed = null;
		int seen = 0;
		whitespace();
		if (peek() == '}') {
			throw GIVE_UP;
		}
		while (true) {
			expect('"');
			int bit = field();
			if ((seen & bit) != 0) {
				throw GIVE_UP;
			}
			seen |= bit;
			colon();
			switch (bit) {
				case 1 -> {
					Read read = rows(schema, state, maxRows);
					values = read.values();
					count = read.count();
				}
				case 2 -> {
					int c = peek();
					if (c == '"') {
						i++;
						threshold = string();
					}
					else if (c == 'n') {
						literal("null");
						threshold = null;
					}
					else {
						number();
						threshold = this.isFloat ? (Object) this.doubleValue : (Object) (double) this.longValue;
					}
				}
				case 4 -> explain = switch (peek()) {
					case 't' -> {
						literal("true");
						yield Boolean.TRUE;
					}
					case 'f' -> {
						literal("false");
						yield Boolean.FALSE;
					}
					default -> {
						literal("null");
						yield null;
					}
				};
				case 8 -> {
					if (peek() == 'n') {
						literal("null");
						explainSamples = null;
					}
					else {
						number();
						if (this.isFloat || this.longValue != (int) this.longValue) {
							throw GIVE_UP;
						}
						explainSamples = (int) this.longValue;
					}
				}
				default -> {
					if (peek() == 'n') {
						literal("null");
						explainSeed = null;
					}
					else {
						number();
						if (this.isFloat) {
							throw GIVE_UP;
						}
						explainSeed = this.longValue;
					}
				}
			}
			if (!more('}')) {
				break;
			}
		}
		whitespace();
		if (this.i != this.end || count == 0) {
			throw GIVE_UP;
		}
		return state.rows(count, values, threshold, explain, explainSamples, explainSeed);
	}

	/** The rows read: count rows of values, row-major. */
	private record Read(double[] values, int count) {
	}

	/** The rows array, at its '['; the rows' warnings go to state. */
	private Read rows(PredictionJsonReader.Schema schema, PredictionJsonReader.RowState state, int maxRows) {
		int width = schema.width();
		expect('[');
		double[] values = new double[INITIAL_ROWS * width];
		int count = 0;
		whitespace();
		if (peek() == ']') {
			throw GIVE_UP;
		}
		Part part = null;
		try {
			while (true) {
				if (peek() != '{' || count == maxRows) {
					throw GIVE_UP;
				}
				if ((count + 1) * width > values.length) {
					values = java.util.Arrays.copyOf(values, Math.max(values.length * 2, (count + 1) * width));
				}
				int rowStart = this.i;
				row(schema, state, count, values, count * width);
				count++;
				if (count == 1) {
					int rowBytes = Math.max(1, this.i - rowStart);
					part = split(schema, maxRows, rowBytes);
					// room for as many rows as there are bytes up to the
					// second part (or the end) if they are the size of the
					// first: one allocation instead of doubling
					int upTo = part == null ? this.end : part.start;
					long rows = Math.min(maxRows, (upTo - rowStart) / rowBytes + 1);
					if (rows * width > values.length && rows * width < Integer.MAX_VALUE - 8) {
						values = java.util.Arrays.copyOf(values, (int) rows * width);
					}
				}
				if (!more(']')) {
					if (part != null) {
						// the rows ended before the second part's start: it
						// read something else
						part.cancel();
					}
					break;
				}
				if (part != null && this.i >= part.start) {
					if (this.i > part.start || !part.join()) {
						// its start was not a row's (inside a string), or it
						// never started: the rows go on being read here
						part.cancel();
						part = null;
						continue;
					}
					// the second part starts at this row: the rows from here
					// on are its rows, read as they would be here
					long total = (long) count + part.count;
					if (total > maxRows) {
						throw GIVE_UP;
					}
					if (total * width > values.length) {
						values = java.util.Arrays.copyOf(values, (int) total * width);
					}
					System.arraycopy(part.values, 0, values, count * width, part.count * width);
					state.absorb(part.state, count);
					count = (int) total;
					this.i = part.after;
					break;
				}
			}
		}
		catch (RuntimeException | Error ex) {
			if (part != null) {
				// the request is not read here: its second part is not needed
				part.cancel();
			}
			throw ex;
		}
		return new Read(values, count);
	}

	/**
	 * Starts reading the second half of the rows on another thread when enough bytes
	 * follow the first row, from the first row start found past the middle ('{' after ','
	 * after '}', whitespace between). That can be inside a string; the part's start
	 * counts only when the rows read here arrive at it.
	 */
	private Part split(PredictionJsonReader.Schema schema, int maxRows, int rowBytes) {
		if (this.end - this.i < this.splitBytes) {
			return null;
		}
		int limit = Math.min(this.end, this.i + (this.end - this.i) / 2 + SPLIT_SEARCH);
		for (int k = this.i + (this.end - this.i) / 2; k < limit; k++) {
			if (this.b[k] != '{') {
				continue;
			}
			int j = before(k);
			if (j >= 0 && this.b[j] == ',' && (j = before(j)) >= 0 && this.b[j] == '}') {
				Part part = new Part(new PredictionJsonScanner(this.b, k, Integer.MAX_VALUE), schema, maxRows,
						(int) Math.min(maxRows, (long) (this.end - k) / rowBytes + 1));
				java.util.concurrent.ForkJoinPool.commonPool().execute(part);
				return part;
			}
		}
		return null;
	}

	/** The position of the last byte before k that is not whitespace, or -1. */
	private int before(int k) {
		int j = k - 1;
		while (j > this.i && (this.b[j] == ' ' || this.b[j] == '\n' || this.b[j] == '\r' || this.b[j] == '\t')) {
			j--;
		}
		return j > this.i ? j : -1;
	}

	/**
	 * Rows read on another thread from a row's start to the end of the rows: their
	 * values, warnings and the position after the closing ']'; or that it gave up, or
	 * what it threw.
	 */
	private static final class Part implements Runnable {

		private static final int PENDING = 0;

		private static final int RUNNING = 1;

		private static final int DONE = 2;

		private static final int CANCELLED = 3;

		private final java.util.concurrent.atomic.AtomicInteger phase = new java.util.concurrent.atomic.AtomicInteger();

		private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);

		private final PredictionJsonScanner scanner;

		private final PredictionJsonReader.Schema schema;

		private final int maxRows;

		private final int expectedRows;

		final int start;

		final PredictionJsonReader.RowState state;

		private volatile boolean stop;

		int count;

		double[] values;

		int after;

		private boolean gaveUp;

		private Throwable failure;

		Part(PredictionJsonScanner scanner, PredictionJsonReader.Schema schema, int maxRows, int expectedRows) {
			this.scanner = scanner;
			this.schema = schema;
			this.maxRows = maxRows;
			this.expectedRows = Math.max(1, expectedRows);
			this.start = scanner.i;
			this.state = new PredictionJsonReader.RowState(schema);
		}

		@Override
		public void run() {
			if (!this.phase.compareAndSet(PENDING, RUNNING)) {
				return;
			}
			try {
				this.scanner.rowsToEnd(this);
			}
			catch (GiveUp ex) {
				this.gaveUp = true;
			}
			catch (RuntimeException | Error ex) {
				this.failure = ex;
			}
			finally {
				this.phase.set(DONE);
				this.finished.countDown();
			}
		}

		/**
		 * Waits for the part when it has started, then passes on what it threw; false
		 * when it never started (it will not: it is cancelled).
		 */
		boolean join() {
			if (this.phase.compareAndSet(PENDING, CANCELLED)) {
				return false;
			}
			try {
				this.finished.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				cancel();
				throw GIVE_UP;
			}
			if (this.failure instanceof RuntimeException ex) {
				throw ex;
			}
			if (this.failure instanceof Error ex) {
				throw ex;
			}
			if (this.gaveUp) {
				throw GIVE_UP;
			}
			return true;
		}

		/** Not needed: it does not start, or stops at its next row. */
		void cancel() {
			this.stop = true;
			this.phase.compareAndSet(PENDING, CANCELLED);
		}

	}

	/** The part's rows, from its start (a '{') past the ']' that closes the rows. */
	private void rowsToEnd(Part part) {
		int width = part.schema.width();
		double[] values = new double[part.expectedRows * width];
		int count = 0;
		while (true) {
			if (peek() != '{' || count == part.maxRows || part.stop) {
				throw GIVE_UP;
			}
			if ((long) (count + 1) * width > values.length) {
				values = java.util.Arrays.copyOf(values, Math.max(values.length * 2, (count + 1) * width));
			}
			row(part.schema, part.state, count, values, count * width);
			count++;
			if (!more(']')) {
				break;
			}
		}
		part.count = count;
		part.values = values;
		part.after = this.i;
	}

	/** A top-level field's name (after its opening quote) as the bit the reader uses. */
	private int field() {
		String name = key();
		return switch (name) {
			case "rows" -> 1;
			case "threshold" -> 2;
			case "explain" -> 4;
			case "explainSamples" -> 8;
			case "explainSeed" -> 16;
			default -> throw GIVE_UP;
		};
	}

	/** One row, at its '{'; its values into values[base ...]. */
	private void row(PredictionJsonReader.Schema schema, PredictionJsonReader.RowState state, int row, double[] values,
			int base) {
		i++;
		whitespace();
		int width = schema.width();
		if (peek() == '}') {
			i++;
			state.finishRow(row, values, base);
			return;
		}
		// clients usually send the features in the model's order: the key expected next
		// is matched on its bytes, any other key is looked up by name
		int expected = 0;
		while (true) {
			expect('"');
			int f;
			if (expected < width && matches(schema, expected)) {
				f = expected;
			}
			else {
				String key = key();
				Integer j = schema.index.get(key);
				if (j == null) {
					state.ignore(key, row);
					colon();
					skipScalar();
					f = -1;
				}
				else {
					f = j;
				}
			}
			if (f >= 0) {
				colon();
				expected = f + 1;
				state.named(f, row);
				if (schema.numeric[f]) {
					values[base + f] = numericValue();
				}
				else {
					state.category(f, categoryValue());
				}
			}
			if (!more('}')) {
				break;
			}
		}
		state.finishRow(row, values, base);
	}

	/** A numeric feature's value: NaN when missing (as RowState.number). */
	private double numericValue() {
		int c = peek();
		if (c == '"') {
			i++;
			return PredictionJsonReader.RowState.number(string());
		}
		if (c == 'n') {
			literal("null");
			return Double.NaN;
		}
		number();
		return this.isFloat ? this.doubleValue : (double) this.longValue;
	}

	/** A categorical feature's text: null when missing (as RowState.category). */
	private String categoryValue() {
		switch (peek()) {
			case '"':
				i++;
				return PredictionJsonReader.RowState.category(string());
			case 'n':
				literal("null");
				return null;
			case 't':
				literal("true");
				return "true";
			case 'f':
				literal("false");
				return "false";
			default:
				number();
				return this.isFloat ? PredictionJsonReader.RowState.category(this.doubleValue)
						: PredictionJsonReader.RowState.category(this.longValue);
		}
	}

	/** An ignored key's value: a string, number or literal; anything nested gives up. */
	private void skipScalar() {
		switch (peek()) {
			case '"' -> {
				i++;
				string();
			}
			case 'n' -> literal("null");
			case 't' -> literal("true");
			case 'f' -> literal("false");
			default -> number();
		}
	}

	/**
	 * Whether the key at i (after its opening quote) is exactly feature j's plain name,
	 * then past its closing quote; else i unchanged.
	 */
	private boolean matches(PredictionJsonReader.Schema schema, int j) {
		byte[] name = schema.plainNames[j];
		if (name == null) {
			return false;
		}
		int n = name.length;
		int at = this.i;
		if (n < 8 && at + 8 <= this.end) {
			// the name and its closing quote in one load: the n + 1 low bytes
			long mask = -1L >>> (8 * (7 - n));
			if ((((long) LONGS.get(this.b, at)) & mask) != schema.plainWords[j]) {
				return false;
			}
			this.i = at + n + 1;
			return true;
		}
		if (at + n >= this.end || this.b[at + n] != '"') {
			return false;
		}
		for (int k = 0; k < n; k++) {
			if (this.b[at + k] != name[k]) {
				return false;
			}
		}
		this.i = at + n + 1;
		return true;
	}

	/**
	 * A string after its opening quote, up to and past its closing quote: printable ASCII
	 * only (DEL included); an escape, a control or non-ASCII byte gives up.
	 */
	private String string() {
		return string(MAX_STRING_LENGTH);
	}

	/** A key after its opening quote, as {@link #string()}. */
	private String key() {
		return string(MAX_KEY_LENGTH);
	}

	private String string(int maxLength) {
		int start = this.i;
		int limit = Math.min(this.end, start + maxLength);
		for (int k = start; k < limit; k++) {
			int c = this.b[k];
			if (c == '"') {
				this.i = k + 1;
				return new String(this.b, start, k - start, StandardCharsets.ISO_8859_1);
			}
			if (c < 0x20 || c == '\\') {
				// a negative byte is non-ASCII
				throw GIVE_UP;
			}
		}
		throw GIVE_UP;
	}

	/**
	 * A JSON number (RFC 8259: no plus sign, no leading zeros, digits on both sides of
	 * the point): sets isFloat and longValue (an integer of at most 18 digits) or
	 * doubleValue (finite, exactly as Double.parseDouble and Jackson read it).
	 */
	private void number() {
		int start = this.i;
		int k = start;
		int limit = Math.min(this.end, start + MAX_NUMBER_LENGTH);
		boolean negative = k < limit && this.b[k] == '-';
		if (negative) {
			k++;
		}
		// integer and fraction digits into one mantissa (exact up to 18 digits)
		int intStart = k;
		long mantissa = 0;
		// eight digits at a time while there are eight (a float32 value widened to double
		// has up to 17), then one at a time
		for (int eight; k + 8 <= limit && (eight = Digits.eight(this.b, k)) >= 0; k += 8) {
			mantissa = mantissa * 100_000_000L + eight;
		}
		while (k < limit && this.b[k] >= '0' && this.b[k] <= '9') {
			mantissa = mantissa * 10 + (this.b[k] - '0');
			k++;
		}
		int intDigits = k - intStart;
		if (intDigits == 0 || (intDigits > 1 && this.b[intStart] == '0')) {
			throw GIVE_UP;
		}
		boolean fraction = false;
		int fractionDigits = 0;
		if (k < limit && this.b[k] == '.') {
			k++;
			int fracStart = k;
			for (int eight; k + 8 <= limit && (eight = Digits.eight(this.b, k)) >= 0; k += 8) {
				mantissa = mantissa * 100_000_000L + eight;
			}
			while (k < limit && this.b[k] >= '0' && this.b[k] <= '9') {
				mantissa = mantissa * 10 + (this.b[k] - '0');
				k++;
			}
			fractionDigits = k - fracStart;
			if (fractionDigits == 0) {
				throw GIVE_UP;
			}
			fraction = true;
		}
		int exponent = 0;
		if (k < limit && (this.b[k] | 0x20) == 'e') {
			k++;
			boolean negativeExponent = false;
			if (k < limit && (this.b[k] == '+' || this.b[k] == '-')) {
				negativeExponent = this.b[k] == '-';
				k++;
			}
			int expStart = k;
			while (k < limit && this.b[k] >= '0' && this.b[k] <= '9') {
				// at most MAX_NUMBER_LENGTH digits: saturate well before int overflows
				exponent = Math.min(exponent * 10 + (this.b[k] - '0'), 100_000);
				k++;
			}
			if (k == expStart) {
				throw GIVE_UP;
			}
			exponent = negativeExponent ? -exponent : exponent;
			fraction = true;
		}
		if (k == limit && limit < this.end) {
			// the token may go on past what is read here
			throw GIVE_UP;
		}
		this.i = k;
		this.isFloat = fraction;
		int digits = intDigits + fractionDigits;
		if (!fraction) {
			if (digits > 18) {
				throw GIVE_UP;
			}
			this.longValue = negative ? -mantissa : mantissa;
			return;
		}
		if (digits <= 18) {
			// an exact mantissa and an exact power of ten: one correctly rounded
			// operation (the CSV parser's fast path)
			double v = (mantissa == 0) ? (negative ? -0.0 : 0.0)
					: ValueParser.exactDecimal(mantissa, exponent - fractionDigits, negative);
			if (Double.isNaN(v)) {
				// past 2^53 (the 17 digits of a float32 value widened to double): one
				// 64 x 128-bit product
				v = EiselLemire.toDouble(mantissa, exponent - fractionDigits, negative);
			}
			if (!Double.isNaN(v)) {
				this.doubleValue = v;
				return;
			}
		}
		// Eisel-Lemire, else exact big-number arithmetic: correctly rounded as well
		double v = JavaDoubleParser.parseDouble(this.b, start, k - start);
		if (!Double.isFinite(v)) {
			// beyond double: Jackson's reader refuses it
			throw GIVE_UP;
		}
		this.doubleValue = v;
	}

	/** The literal at i (true, false or null), else give up. */
	private void literal(String word) {
		int n = word.length();
		if (this.i + n > this.end) {
			throw GIVE_UP;
		}
		for (int k = 0; k < n; k++) {
			if (this.b[this.i + k] != word.charAt(k)) {
				throw GIVE_UP;
			}
		}
		this.i += n;
	}

	/**
	 * After a value in an object or array: false at its closing byte, true past a comma
	 * (and the whitespace after it); anything else gives up.
	 */
	private boolean more(char close) {
		whitespace();
		int c = next();
		if (c == close) {
			return false;
		}
		if (c != ',') {
			throw GIVE_UP;
		}
		whitespace();
		return true;
	}

	/** Whitespace, ':', whitespace. */
	private void colon() {
		whitespace();
		expect(':');
		whitespace();
	}

	private void expect(char c) {
		if (this.i >= this.end || this.b[this.i] != c) {
			throw GIVE_UP;
		}
		this.i++;
	}

	private int peek() {
		return this.i < this.end ? this.b[this.i] : -1;
	}

	private int next() {
		return this.i < this.end ? this.b[this.i++] : -1;
	}

	/** RFC 8259 whitespace: space, tab, line feed, carriage return. */
	private void whitespace() {
		while (this.i < this.end) {
			byte c = this.b[this.i];
			// one comparison for the usual case, a token's first byte
			if (c > ' ' || (c != ' ' && c != '\n' && c != '\r' && c != '\t')) {
				return;
			}
			this.i++;
		}
	}

}
