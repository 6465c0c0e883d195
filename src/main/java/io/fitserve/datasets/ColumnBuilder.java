package io.fitserve.datasets;

import io.fitserve.ml.data.ColumnType;
import io.fitserve.privacy.MaskMode;
import io.fitserve.privacy.Pseudonymizer;
import io.fitserve.privacy.Redaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * Accumulates one column while the CSV streams by. A column stays numeric (double
 * storage) until it meets a non-numeric, non-missing cell; then it is converted once to
 * dictionary-coded text.
 */
final class ColumnBuilder {

	/** Beyond this many distinct values a profile's distinct count stops being exact. */
	static final int PROFILE_DISTINCT_CAP = 100_000;

	private static final int TOP_VALUES = 10;

	private final String name;

	/**
	 * The upload's mask of this column, or null: a masked column is text from the start
	 * and each cell is masked before it is stored; a dropped one takes nothing.
	 */
	private final MaskMode mask;

	private final Pseudonymizer pseudonymizer;

	/** Personal-data kinds of the first raw values; null for a dropped column. */
	private final PiiSample pii;

	private int rows;

	/**
	 * A masked column: the first row (0-based) whose cell was not valid UTF-8, or -1; the
	 * error names the row only, the value being masked.
	 */
	private int maskedInvalidRow = -1;

	private long missing;

	private boolean numeric = true;

	// Numeric state.
	private DoubleChunks values;

	private LongIntMap distinctValues = new LongIntMap();

	private IntChunks numericCodes = new IntChunks();

	/**
	 * Raw text as first written per numeric code, while the column has at most
	 * DISTINCT_CAP distinct values.
	 */
	private List<String> numericLevels = new ArrayList<>();

	/**
	 * Whether every number so far was written without '.' or exponent, to print converted
	 * values the same way.
	 */
	private boolean integralText = true;

	// Text state.
	private TextDictionary dictionary;

	private IntChunks codes;

	/**
	 * Whether this accumulates one chunk of a parallel parse, to be {@link #append
	 * appended} to the column's builder in file order: it then keeps its numeric prefix
	 * as numbers when it turns to text, since how the prefix reads as text depends on the
	 * rows of the chunks before it.
	 */
	private final boolean chunk;

	/**
	 * The value chunks of this column's chunk builders that were copied into its blocks,
	 * for the next chunk builders to reuse (they run on other threads); shared by a
	 * column and its chunk builders.
	 */
	private final Queue<double[]> spentChunks;

	/** In a chunk: the distinct-value keys in code order (with numericLevels). */
	private long[] levelKeys;

	/** In a chunk that turned to text: the rows before that, held in values. */
	private int prefixRows;

	/** In a chunk that turned to text: the missing cells among the prefix rows. */
	private long prefixMissing;

	ColumnBuilder(String name) {
		this(name, null, null);
	}

	/** A column masked while it is read (mask null: none). */
	ColumnBuilder(String name, MaskMode mask, Pseudonymizer pseudonymizer) {
		this.name = name;
		this.chunk = false;
		this.mask = mask;
		this.pseudonymizer = pseudonymizer;
		this.pii = mask == MaskMode.DROP ? null : new PiiSample();
		this.spentChunks = DoubleChunks.SPARE_SMALL_CHUNKS;
		this.values = new DoubleChunks(DoubleChunks.CHUNK, this.spentChunks);
		if (mask != null) {
			startAsText(new IntChunks());
		}
	}

	private ColumnBuilder(String name, boolean text, boolean manyDistinct, MaskMode mask, Pseudonymizer pseudonymizer,
			Queue<double[]> spentChunks) {
		this.name = name;
		this.chunk = true;
		this.mask = mask;
		this.pseudonymizer = pseudonymizer;
		this.pii = mask == MaskMode.DROP ? null : new PiiSample();
		this.levelKeys = new long[16];
		this.spentChunks = spentChunks;
		// a chunk's values stay on the heap: the column they are appended to copies them
		this.values = new DoubleChunks(DoubleChunks.SMALL_CHUNK, Integer.MAX_VALUE, spentChunks);
		this.numericCodes = new IntChunks(IntChunks.SMALL_SHIFT);
		if (manyDistinct) {
			dropDistinct();
		}
		if (text || mask != null) {
			startAsText(new IntChunks(IntChunks.SMALL_SHIFT));
		}
	}

	private void startAsText(IntChunks codes) {
		this.numeric = false;
		this.values = null;
		this.distinctValues = null;
		this.numericCodes = null;
		this.numericLevels = null;
		this.dictionary = new TextDictionary();
		this.codes = codes;
	}

	/**
	 * A builder for one chunk of a parallel parse; text when the column is known to be
	 * text already before the chunk, and without distinct-value tracking when the column
	 * is known to have more than {@link CsvIngest#DISTINCT_CAP} distinct numbers before
	 * it.
	 */
	static ColumnBuilder forChunk(String name, boolean text, boolean manyDistinct) {
		return new ColumnBuilder(name, text, manyDistinct, null, null, null);
	}

	/**
	 * As {@link #forChunk(String, boolean, boolean)} for this column, with its mask.
	 * Reads only final fields, so it may be called while another thread appends to this
	 * builder.
	 */
	ColumnBuilder chunkBuilder(boolean text, boolean manyDistinct) {
		return new ColumnBuilder(this.name, text, manyDistinct, this.mask, this.pseudonymizer, this.spentChunks);
	}

	/**
	 * Frees the values' off-heap memory now rather than when the collector finds them
	 * unreachable (a parse that failed); the builder is spent.
	 */
	void release() {
		if (this.values != null) {
			this.values.release();
			this.values = null;
		}
	}

	/** The column's mask, or null. */
	MaskMode mask() {
		return this.mask;
	}

	/**
	 * Whether distinct numbers are no longer tracked: more than
	 * {@link CsvIngest#DISTINCT_CAP} of them.
	 */
	boolean hasManyDistinct() {
		return this.numeric && this.distinctValues == null;
	}

	/** Whether the column is numeric and still tracks its distinct numbers. */
	boolean tracksDistinct() {
		return this.numeric && this.distinctValues != null;
	}

	/** Whether the column holds text (it met a non-numeric, non-missing cell). */
	boolean isText() {
		return !this.numeric;
	}

	/**
	 * Whether this chunk holds numbers that can be appended only to a column that is
	 * still numeric: their text as written is not kept.
	 */
	boolean hasNumbers() {
		return this.numeric ? this.rows > this.missing : this.prefixRows > this.prefixMissing;
	}

	/**
	 * Appends a chunk's rows (a {@link #forChunk} builder, spent afterwards) as if its
	 * cells had been {@link #accept accepted} here one by one: the same values, codes,
	 * first-seen order of levels and distinct values, the same conversion to text at the
	 * same row. A chunk that {@link #hasNumbers has numbers} goes only to a numeric
	 * column, and a chunk that started as text only to a text column.
	 */
	void append(ColumnBuilder c) {
		if (!c.chunk) {
			throw new IllegalArgumentException("not a chunk");
		}
		int n = c.numeric ? c.rows : c.prefixRows;
		if (n > 0) {
			if (this.numeric) {
				appendNumbers(c, n);
			}
			else if (c.hasNumbers()) {
				throw new IllegalStateException("numbers of a chunk appended to a text column");
			}
			else {
				this.codes.addMissing(n);
			}
		}
		if (!c.numeric) {
			if (this.numeric) {
				convertToText();
			}
			int[] map = this.dictionary.internAll(c.dictionary);
			this.codes.addAllMapped(c.codes, c.codes.size(), map);
		}
		if (this.maskedInvalidRow < 0 && c.maskedInvalidRow >= 0) {
			this.maskedInvalidRow = this.rows + c.maskedInvalidRow;
		}
		this.rows += c.rows;
		this.missing += c.missing;
		if (this.pii != null && c.pii != null) {
			this.pii.append(c.pii);
		}
	}

	private void appendNumbers(ColumnBuilder c, int n) {
		this.values.addAll(c.values);
		this.integralText &= c.integralText;
		if (this.distinctValues == null) {
			return;
		}
		if (c.distinctValues == null) {
			dropDistinct();
			return;
		}
		int k = c.numericLevels.size();
		int[] map = new int[k];
		for (int j = 0; j < k; j++) {
			int code = this.distinctValues.getOrAdd(c.levelKeys[j]);
			if (code < 0) {
				code = this.distinctValues.size() - 1;
				if (code >= CsvIngest.DISTINCT_CAP) {
					dropDistinct();
					return;
				}
				this.numericLevels.add(c.numericLevels.get(j));
			}
			map[j] = code;
		}
		this.numericCodes.addAllMapped(c.numericCodes, n, map);
	}

	private void dropDistinct() {
		this.distinctValues = null;
		this.numericCodes = null;
		this.numericLevels = null;
	}

	/** Accepts one trimmed, unescaped cell. */
	void accept(byte[] b, int from, int to) {
		if (this.mask == MaskMode.DROP) {
			return;
		}
		this.rows++;
		if (ValueParser.isMissing(b, from, to)) {
			this.missing++;
			if (this.numeric) {
				this.values.add(Double.NaN);
				if (this.numericCodes != null) {
					this.numericCodes.add(-1);
				}
			}
			else {
				this.codes.add(-1);
			}
			return;
		}
		if (!this.pii.full()) {
			this.pii.offer(b, from, to);
		}
		if (this.mask != null) {
			if (this.maskedInvalidRow < 0 && !isValidUtf8(b, from, to)) {
				this.maskedInvalidRow = this.rows - 1;
			}
			// the raw value goes no further than this line
			byte[] masked = masked(b, from, to);
			this.codes.add(this.dictionary.intern(masked, 0, masked.length));
			return;
		}
		if (this.numeric) {
			double v = ValueParser.parseNumber(b, from, to);
			if (v == v) {
				this.values.add(v);
				trackNumber(v, b, from, to);
				return;
			}
			convertToText();
		}
		this.codes.add(this.dictionary.intern(b, from, to));
	}

	/**
	 * Whether b[from, to) is valid UTF-8: ASCII is; otherwise it decodes without U+FFFD,
	 * or the U+FFFD it holds were genuine (they encode back to the same bytes).
	 */
	private static boolean isValidUtf8(byte[] b, int from, int to) {
		for (int i = from; i < to; i++) {
			if (b[i] < 0) {
				String text = new String(b, from, to - from, StandardCharsets.UTF_8);
				if (text.indexOf('\uFFFD') < 0) {
					return true;
				}
				byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
				return Arrays.equals(encoded, 0, encoded.length, b, from, to);
			}
		}
		return true;
	}

	private byte[] masked(byte[] b, int from, int to) {
		if (this.mask == MaskMode.PSEUDONYMIZE) {
			return this.pseudonymizer.token(b, from, to).getBytes(StandardCharsets.ISO_8859_1);
		}
		// REDACT: letters and digits by code point (bytes that are not UTF-8 decode to
		// U+FFFD, which is kept as such)
		return Redaction.shape(new String(b, from, to - from, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
	}

	private void trackNumber(double v, byte[] b, int from, int to) {
		if (this.integralText) {
			for (int i = from; i < to; i++) {
				int c = b[i] | 0x20;
				if (c == '.' || c == 'e') {
					this.integralText = false;
					break;
				}
			}
		}
		if (this.distinctValues == null) {
			return;
		}
		// -0.0 and 0.0 are the same value and must share a code.
		long key = Double.doubleToRawLongBits(v == 0 ? 0.0 : v);
		int code = this.distinctValues.getOrAdd(key);
		if (code < 0) {
			code = this.distinctValues.size() - 1;
			if (code >= CsvIngest.DISTINCT_CAP) {
				// Past the cap the per-cell probe would only serve the profile, and one
				// big table per column thrashes the cache while all columns stream
				// together; finish() counts distinct values instead.
				dropDistinct();
				return;
			}
			this.numericLevels.add(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
			if (this.chunk) {
				if (code == this.levelKeys.length) {
					this.levelKeys = Arrays.copyOf(this.levelKeys, code * 2);
				}
				this.levelKeys[code] = key;
			}
		}
		this.numericCodes.add(code);
	}

	/**
	 * Distinct non-NaN values, counting stops past PROFILE_DISTINCT_CAP; -1 means "more
	 * than the cap".
	 */
	private static int countDistinct(DoubleChunks v, long nonMissing, Scratch scratch) {
		int capacity = Integer.highestOneBit((int) Math.min(nonMissing, PROFILE_DISTINCT_CAP + 1) * 2 + 1) * 2;
		long[] table = scratch.table;
		if (table == null || table.length != capacity) {
			table = new long[capacity];
			scratch.table = table;
		}
		// Long.MIN_VALUE is the bit pattern of -0.0, which is folded into 0.0 below, so
		// it can mark empty slots.
		Arrays.fill(table, Long.MIN_VALUE);
		int shift = 64 - Integer.numberOfTrailingZeros(capacity);
		int mask = capacity - 1;
		int size = 0;
		for (int c = 0; c < v.chunkCount(); c++) {
			double[] a = v.chunk(c);
			for (int i = 0, n = v.chunkLength(c); i < n; i++) {
				double x = a[i];
				if (x != x) {
					continue;
				}
				long key = Double.doubleToRawLongBits(x == 0 ? 0.0 : x);
				int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
				while (true) {
					long k = table[slot];
					if (k == key) {
						break;
					}
					if (k == Long.MIN_VALUE) {
						table[slot] = key;
						if (++size > PROFILE_DISTINCT_CAP) {
							return -1;
						}
						break;
					}
					slot = (slot + 1) & mask;
				}
			}
		}
		return size;
	}

	private void convertToText() {
		this.numeric = false;
		this.dictionary = new TextDictionary();
		this.codes = this.chunk ? new IntChunks(IntChunks.SMALL_SHIFT) : new IntChunks();
		if (this.chunk) {
			// Converted when appended, with the rows before it in view.
			this.prefixRows = this.values.size();
			this.prefixMissing = this.missing;
			return;
		}
		int n = this.values.size();
		byte[][] levelBytes = null;
		if (this.numericCodes != null) {
			levelBytes = new byte[this.numericLevels.size()][];
			for (int i = 0; i < levelBytes.length; i++) {
				levelBytes[i] = this.numericLevels.get(i).getBytes(StandardCharsets.ISO_8859_1);
			}
		}
		for (int i = 0; i < n; i++) {
			double v = this.values.get(i);
			if (Double.isNaN(v)) {
				this.codes.add(-1);
				continue;
			}
			byte[] text = levelBytes != null ? levelBytes[this.numericCodes.get(i)]
					: format(v).getBytes(StandardCharsets.ISO_8859_1);
			this.codes.add(this.dictionary.intern(text, 0, text.length));
		}
		this.values.release();
		this.values = null;
		this.numericCodes = null;
		this.numericLevels = null;
		this.distinctValues = null;
	}

	private String format(double v) {
		if (this.integralText && v == Math.rint(v) && Math.abs(v) < 1e18) {
			return Long.toString((long) v);
		}
		return Double.toString(v);
	}

	String name() {
		return this.name;
	}

	int rows() {
		return this.rows;
	}

	/**
	 * Turns the accumulated state into the column and its schema; the builder is spent
	 * afterwards.
	 */
	Result finish() {
		return finish(new Scratch());
	}

	/** As {@link #finish()}, with memory that one thread reuses from column to column. */
	Result finish(Scratch scratch) {
		if (this.numeric && this.missing < this.rows) {
			return finishNumeric(scratch);
		}
		if (this.numeric) {
			// Nothing but missing values: no type evidence, so the contract calls it
			// categorical with no levels.
			int[] none = new int[this.rows];
			Arrays.fill(none, -1);
			this.values.release();
			this.values = null;
			ColumnProfile profile = new ColumnProfile(0, this.missing, 0, true, null, null, null, null, List.of(), null,
					false, null);
			return new Result(new ParsedColumn(this.name, ColumnType.CATEGORICAL, null, none, List.of()),
					new ColumnSchema(this.name, ColumnType.CATEGORICAL, this.mask, profile));
		}
		int[] rowCodes = this.codes.drain();
		this.codes = null;
		int levels = this.dictionary.size();
		int[] booleanOf = new int[levels];
		// a masked column stays categorical: its tokens or shapes are no booleans, and
		// one with no value at all is no evidence of any
		boolean allBoolean = this.mask == null;
		for (int c = 0; c < levels && allBoolean; c++) {
			byte[] text = this.dictionary.bytes(c);
			booleanOf[c] = ValueParser.parseBoolean(text, 0, text.length);
			allBoolean = booleanOf[c] >= 0;
		}
		return allBoolean ? finishBoolean(rowCodes, booleanOf) : finishCategorical(rowCodes);
	}

	private Result finishNumeric(Scratch scratch) {
		DoubleChunks v = this.values;
		this.values = null;
		int[] rowCodes = this.numericCodes != null ? this.numericCodes.drain() : null;
		List<String> levels = rowCodes != null ? List.copyOf(this.numericLevels) : null;
		long count = this.rows - this.missing;
		// Two passes over data already in memory: as stable as Welford without a division
		// per value. The values stay in the parse's chunks (see ParsedColumn).
		double min = Double.POSITIVE_INFINITY;
		double max = Double.NEGATIVE_INFINITY;
		double sum = 0;
		for (int c = 0; c < v.chunkCount(); c++) {
			double[] a = v.chunk(c);
			for (int i = 0, n = v.chunkLength(c); i < n; i++) {
				double x = a[i];
				if (x == x) {
					sum += x;
					min = Math.min(min, x);
					max = Math.max(max, x);
				}
			}
		}
		double mean = sum / count;
		if (Double.isInfinite(mean)) {
			mean = welfordMean(v);
		}
		long distinct = this.distinctValues != null ? this.distinctValues.size() : countDistinct(v, count, scratch);
		boolean distinctExact = distinct >= 0;
		if (!distinctExact) {
			distinct = PROFILE_DISTINCT_CAP;
		}
		// the second pass fills the histogram too, from the chunk just read
		Histogram.Binner bins = new Histogram.Binner(min, max, distinct);
		double ss = 0;
		double comp = 0;
		for (int c = 0; c < v.chunkCount(); c++) {
			double[] a = v.chunk(c);
			int n = v.chunkLength(c);
			for (int i = 0; i < n; i++) {
				double x = a[i];
				if (x == x) {
					double d = x - mean;
					ss += d * d;
					comp += d;
				}
			}
			bins.addAll(a, n);
		}
		Double stddev = null;
		if (count > 1) {
			// Corrected two-pass: removes the rounding error left in the mean.
			double var = (ss - comp * comp / count) / (count - 1);
			stddev = Math.sqrt(Math.max(var, 0));
			if (stddev.isInfinite() || stddev.isNaN()) {
				stddev = null;
			}
		}
		String pii = this.pii.suspected();
		ColumnProfile profile = new ColumnProfile(count, this.missing, distinct, distinctExact, min, max, mean, stddev,
				null, bins.histogram(), pii != null, pii);
		return new Result(new ParsedColumn(this.name, ColumnType.NUMERIC, v, rowCodes, levels),
				new ColumnSchema(this.name, ColumnType.NUMERIC, this.mask, profile));
	}

	/** Sums can overflow to infinity for huge values where a running mean does not. */
	private static double welfordMean(DoubleChunks v) {
		double mean = 0;
		long n = 0;
		for (int c = 0; c < v.chunkCount(); c++) {
			double[] a = v.chunk(c);
			for (int i = 0, len = v.chunkLength(c); i < len; i++) {
				double x = a[i];
				if (x == x) {
					n++;
					mean += (x - mean) / n;
				}
			}
		}
		return mean;
	}

	private Result finishBoolean(int[] rowCodes, int[] booleanOf) {
		long[] counts = new long[2];
		int[] firstSeen = { Integer.MAX_VALUE, Integer.MAX_VALUE };
		for (int c = 0; c < booleanOf.length; c++) {
			int b = booleanOf[c];
			counts[b] += this.dictionary.count(c);
			firstSeen[b] = Math.min(firstSeen[b], c);
		}
		for (int i = 0; i < rowCodes.length; i++) {
			int c = rowCodes[i];
			if (c >= 0) {
				rowCodes[i] = booleanOf[c];
			}
		}
		List<String> levels = List.of("false", "true");
		List<ValueCount> top = new ArrayList<>(2);
		int first = (counts[1] > counts[0] || (counts[1] == counts[0] && firstSeen[1] < firstSeen[0])) ? 1 : 0;
		for (int b : new int[] { first, 1 - first }) {
			if (counts[b] > 0) {
				top.add(new ValueCount(levels.get(b), counts[b]));
			}
		}
		long distinct = (counts[0] > 0 ? 1 : 0) + (counts[1] > 0 ? 1 : 0);
		ColumnProfile profile = new ColumnProfile(this.rows - this.missing, this.missing, distinct, true, null, null,
				null, null, List.copyOf(top), null, false, null);
		return new Result(new ParsedColumn(this.name, ColumnType.BOOLEAN, null, rowCodes, levels),
				new ColumnSchema(this.name, ColumnType.BOOLEAN, this.mask, profile));
	}

	private Result finishCategorical(int[] rowCodes) {
		int n = this.dictionary.size();
		String[] text = new String[n];
		boolean[] malformed = null;
		for (int c = 0; c < n; c++) {
			text[c] = this.dictionary.text(c);
			if (!this.dictionary.isValidUtf8(c, text[c])) {
				if (malformed == null) {
					malformed = new boolean[n];
				}
				malformed[c] = true;
			}
		}
		boolean lossy = malformed != null;
		// a masked column's values are tokens or shapes: what was not UTF-8 is only known
		// by its row
		String invalidText = this.maskedInvalidRow >= 0 ? "" : null;
		int invalidRow = this.maskedInvalidRow;
		if (lossy) {
			for (int i = 0; i < rowCodes.length; i++) {
				if (rowCodes[i] >= 0 && malformed[rowCodes[i]]) {
					invalidText = text[rowCodes[i]];
					invalidRow = i;
					break;
				}
			}
		}
		long[] counts = new long[n];
		for (int c = 0; c < n; c++) {
			counts[c] = this.dictionary.count(c);
		}
		if (lossy) {
			// Different malformed byte sequences can decode to the same text; levels must
			// stay unique.
			Map<String, Integer> seen = new HashMap<>();
			int[] remap = new int[n];
			List<String> unique = new ArrayList<>();
			long[] merged = new long[n];
			for (int c = 0; c < n; c++) {
				Integer to = seen.putIfAbsent(text[c], unique.size());
				if (to == null) {
					to = unique.size();
					unique.add(text[c]);
				}
				remap[c] = to;
				merged[to] += counts[c];
			}
			for (int i = 0; i < rowCodes.length; i++) {
				if (rowCodes[i] >= 0) {
					rowCodes[i] = remap[rowCodes[i]];
				}
			}
			text = unique.toArray(new String[0]);
			counts = Arrays.copyOf(merged, text.length);
		}
		List<String> levels = Collections.unmodifiableList(Arrays.asList(text));
		String pii = this.pii.suspected();
		ColumnProfile profile = new ColumnProfile(this.rows - this.missing, this.missing, text.length, true, null, null,
				null, null, topValues(text, counts), null, pii != null, pii);
		this.dictionary = null;
		return new Result(new ParsedColumn(this.name, ColumnType.CATEGORICAL, null, rowCodes, levels),
				new ColumnSchema(this.name, ColumnType.CATEGORICAL, this.mask, profile), invalidText, invalidRow);
	}

	/**
	 * Top-k by count, ties by lower code (= first seen); a k-slot insertion keeps it
	 * O(levels) for huge dictionaries.
	 */
	private static List<ValueCount> topValues(String[] text, long[] counts) {
		int[] best = new int[TOP_VALUES];
		int size = 0;
		for (int c = 0; c < text.length; c++) {
			if (size == TOP_VALUES && counts[c] <= counts[best[size - 1]]) {
				continue;
			}
			int i = Math.min(size, TOP_VALUES - 1);
			while (i > 0 && counts[best[i - 1]] < counts[c]) {
				best[i] = best[i - 1];
				i--;
			}
			best[i] = c;
			if (size < TOP_VALUES) {
				size++;
			}
		}
		List<ValueCount> top = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			top.add(new ValueCount(text[best[i]], counts[best[i]]));
		}
		return List.copyOf(top);
	}

	/**
	 * Working memory of {@link #finish(Scratch)}: the distinct-count table of a column
	 * with many distinct numbers takes 2 MB, a humongous object for G1 with 4 MB regions,
	 * and one per column added dozens of them to each upload.
	 */
	static final class Scratch {

		private long[] table;

	}

	/**
	 * @param invalidUtf8 the first value (in row order) whose bytes are not valid UTF-8,
	 * decoded with U+FFFD for the malformed bytes; null when every value is valid UTF-8
	 * (a genuine U+FFFD included); empty in a masked column, whose value is not shown
	 * @param invalidUtf8Row the 0-based data row of that value, or -1
	 */
	record Result(ParsedColumn column, ColumnSchema schema, String invalidUtf8, int invalidUtf8Row) {

		Result(ParsedColumn column, ColumnSchema schema) {
			this(column, schema, null, -1);
		}

	}

}
