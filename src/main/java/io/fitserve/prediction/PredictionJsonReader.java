package io.fitserve.prediction;

import io.fitserve.models.ModelService;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.fitserve.datasets.ValueParser;
import io.fitserve.privacy.MaskMode;
import io.fitserve.privacy.Pseudonymizer;
import io.fitserve.ml.preprocess.FeatureTransform;
import io.fitserve.ml.preprocess.Preprocessing;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a prediction request body ({@code {"rows": [...], "threshold", "explain",
 * "explainSamples", "explainSeed"}}) with Jackson's streaming parser straight into one
 * primitive row-major array laid out by the model's features: no Map per row, no boxed
 * value per cell, one hash lookup per key.
 *
 * <p>
 * It reads only what it can answer exactly as the reference path does (the body bound to
 * {@link PredictionRequest}, then {@link PredictionService#predict}): valid rows, with
 * the same coercions (numbers, numeric strings, the CSV missing markers, booleans and
 * numbers as categories), the same unseen-category and ignored-key warnings. Anything
 * else (malformed JSON, a field of the wrong JSON type, an unknown or repeated top-level
 * field, a row that is not an object, an absent feature, a value that cannot be read, NaN
 * or Infinity, a number beyond long or double, too many rows) throws {@link Unsupported},
 * and the caller reads the body the reference way, which answers the same problem, with
 * the same field pointers and messages, as before this reader existed. Errors are rare,
 * so reading such a body twice costs nothing that matters.
 */
final class PredictionJsonReader {

	/**
	 * The body is not one this reader answers exactly; read it the reference way.
	 */
	static final class Unsupported extends RuntimeException {

		private final transient ModelService.ServingModel model;

		Unsupported(String reason) {
			this(reason, null);
		}

		private Unsupported(String reason, ModelService.ServingModel model) {
			super(reason, null, false, false);
			this.model = model;
		}

		/** The same, with the model the request names, already looked up. */
		Unsupported withModel(ModelService.ServingModel model) {
			return new Unsupported(getMessage(), model);
		}

		/**
		 * The model the request names when it was found before the reader gave up; else
		 * null.
		 */
		ModelService.ServingModel model() {
			return this.model;
		}

	}

	/**
	 * A request read: {@code values[r * width + j]} is feature j of row r: a numeric
	 * feature's number (NaN when missing), a categorical feature's category index among
	 * its training categories (-1 when missing or unseen).
	 *
	 * @param unseen the unseen-category warnings, in row then feature order, at most
	 * {@link PredictionService#MAX_LISTED}
	 * @param unlistedUnseen unseen categories beyond those listed
	 * @param ignoredKeys keys that are not features, with the rows naming them, sorted
	 */
	record Rows(int count, int width, double[] values, Object threshold, Boolean explain, Integer explainSamples,
			Long explainSeed, List<String> unseen, int unlistedUnseen, Map<String, Integer> ignoredKeys) {
	}

	/** A model's features as the reader needs them, built once per served model. */
	static final class Schema {

		final Preprocessing preprocessing;

		final Map<String, Integer> index;

		final String[] names;

		final boolean[] numeric;

		final boolean[] bool;

		/**
		 * Categorical features: category text (normalised as Preprocessing does) to
		 * index.
		 */
		final Map<String, Integer>[] categories;

		private final boolean ordinal;

		private final int outputWidth;

		/** Each feature's first encoded column. */
		private final int[] offsets;

		private final double[] means;

		private final double[] scales;

		/** Categorical features: encoded columns (0 when there were no categories). */
		private final int[] levels;

		/**
		 * Categorical features: the index of the level a missing value is imputed with.
		 */
		private final int[] mostFrequent;

		/** Per feature, the mask of its training column, or null; null when none. */
		private final MaskMode[] masks;

		private final Pseudonymizer pseudonymizer;

		/**
		 * The feature names as the parser matches them against the input's bytes, without
		 * making a String of each key.
		 */
		private final SerializedString[] serializedNames;

		/**
		 * Each feature name's bytes where a JSON key can carry it as it is (printable
		 * ASCII, no quote or backslash), else null: what {@link PredictionJsonScanner}
		 * matches keys against.
		 */
		final byte[][] plainNames;

		/**
		 * For a plain name of at most 7 bytes: its bytes and the closing quote as one
		 * little-endian long, which the scanner compares with one load.
		 */
		final long[] plainWords;

		Schema(Preprocessing preprocessing, Map<String, Integer> featureIndex) {
			this(preprocessing, featureIndex, null, null);
		}

		@SuppressWarnings("unchecked")
		Schema(Preprocessing preprocessing, Map<String, Integer> featureIndex, MaskMode[] masks,
				Pseudonymizer pseudonymizer) {
			this.masks = masks;
			this.pseudonymizer = pseudonymizer;
			this.preprocessing = preprocessing;
			this.index = featureIndex;
			List<FeatureTransform> features = preprocessing.features();
			int width = features.size();
			this.names = new String[width];
			this.serializedNames = new SerializedString[width];
			this.plainNames = new byte[width][];
			this.plainWords = new long[width];
			this.numeric = new boolean[width];
			this.bool = new boolean[width];
			this.categories = new Map[width];
			this.ordinal = preprocessing.ordinal();
			this.outputWidth = preprocessing.outputWidth();
			this.offsets = new int[width];
			this.means = new double[width];
			this.scales = new double[width];
			this.levels = new int[width];
			this.mostFrequent = new int[width];
			int offset = 0;
			for (int j = 0; j < width; j++) {
				FeatureTransform f = features.get(j);
				this.offsets[j] = offset;
				offset += preprocessing.width(f);
				this.means[j] = f.mean();
				this.scales[j] = f.scale();
				this.levels[j] = f.width();
				this.mostFrequent[j] = f.mostFrequent() == null ? -1
						: Collections.binarySearch(f.categories(), f.mostFrequent());
				this.names[j] = f.name();
				this.serializedNames[j] = new SerializedString(f.name());
				this.plainNames[j] = PredictionJsonScanner.plain(f.name());
				this.plainWords[j] = PredictionJsonScanner.word(this.plainNames[j]);
				this.numeric[j] = f.numericFeature();
				this.bool[j] = FeatureTransform.BOOLEAN.equals(f.type());
				if (!f.numericFeature()) {
					Map<String, Integer> levels = new HashMap<>();
					for (int c = 0; c < f.categories().size(); c++) {
						levels.put(f.categories().get(c), c);
					}
					this.categories[j] = levels;
				}
			}
		}

		int width() {
			return this.names.length;
		}

		/**
		 * A categorical feature's text as the model was trained on it: masked as its
		 * training column was (see {@link Pseudonymizer#apply}), else as it is.
		 */
		String masked(int j, String category) {
			return this.masks == null || this.masks[j] == null ? category
					: this.pseudonymizer.apply(this.masks[j], category);
		}

		/**
		 * Row r encoded as {@link Preprocessing#transformRow} encodes the same values:
		 * numbers standardized (missing: 0, the training mean) or kept as they are
		 * (ordinal: missing stays NaN); categories one-hot (missing or unseen: the most
		 * frequent level) or as their index (ordinal: missing or unseen is NaN).
		 */
		double[] encode(double[] values, int base) {
			double[] out = new double[this.outputWidth];
			for (int j = 0; j < this.names.length; j++) {
				double v = values[base + j];
				int o = this.offsets[j];
				if (this.numeric[j]) {
					if (this.ordinal) {
						out[o] = Double.isFinite(v) ? v : Double.NaN;
					}
					else {
						out[o] = Double.isFinite(v) ? (v - this.means[j]) / this.scales[j] : 0.0;
					}
				}
				else if (this.ordinal) {
					out[o] = (v >= 0) ? v : Double.NaN;
				}
				else if (this.levels[j] > 0) {
					out[o + ((v >= 0) ? (int) v : this.mostFrequent[j])] = 1.0;
				}
			}
			return out;
		}

		/**
		 * The category's index, or -1 when unseen: Preprocessing's own normalisation
		 * (trimmed; for boolean features yes/no read as true/false), then the training
		 * level of that text.
		 */
		int categoryIndex(int j, String category) {
			String s = category.trim();
			if (this.bool[j]) {
				s = switch (s.toLowerCase(Locale.ROOT)) {
					case "true", "yes" -> "true";
					case "false", "no" -> "false";
					default -> s;
				};
			}
			Integer c = this.categories[j].get(s);
			return c == null ? -1 : c;
		}

	}

	private static final int DEFAULT_CAPACITY_ROWS = 16;

	private final JsonMapper json;

	PredictionJsonReader(JsonMapper json) {
		this.json = json;
	}

	/** Reads body for a model of this schema, or throws {@link Unsupported}. */
	Rows read(byte[] body, Schema schema, int maxRows) {
		try (JsonParser p = json.createParser(body)) {
			return read(p, schema, maxRows);
		}
		catch (JacksonException ex) {
			// malformed JSON, a parser limit: the reference path reports it as before
			throw new Unsupported("not readable: " + ex.getOriginalMessage());
		}
	}

	private Rows read(JsonParser p, Schema schema, int maxRows) {
		if (p.nextToken() != JsonToken.START_OBJECT) {
			throw new Unsupported("not an object");
		}
		int width = schema.width();
		double[] values = null;
		int count = -1;
		Object threshold = null;
		Boolean explain = null;
		Integer explainSamples = null;
		Long explainSeed = null;
		int seen = 0;
		RowState state = new RowState(schema);
		String name;
		while ((name = p.nextName()) != null) {
			int bit = switch (name) {
				case "rows" -> 1;
				case "threshold" -> 2;
				case "explain" -> 4;
				case "explainSamples" -> 8;
				case "explainSeed" -> 16;
				default -> throw new Unsupported("unknown field");
			};
			if ((seen & bit) != 0) {
				throw new Unsupported("repeated field");
			}
			seen |= bit;
			JsonToken t = p.nextToken();
			switch (bit) {
				case 1 -> {
					if (t == JsonToken.VALUE_NULL) {
						throw new Unsupported("rows is null");
					}
					if (t != JsonToken.START_ARRAY) {
						throw new Unsupported("rows is not an array");
					}
					values = new double[DEFAULT_CAPACITY_ROWS * width];
					count = 0;
					while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
						if (t != JsonToken.START_OBJECT) {
							throw new Unsupported("a row is not an object");
						}
						if (count == maxRows) {
							throw new Unsupported("too many rows");
						}
						if ((count + 1) * width > values.length) {
							values = java.util.Arrays.copyOf(values, Math.max(values.length * 2, (count + 1) * width));
						}
						state.readRow(p, count, values, count * width);
						count++;
					}
				}
				case 2 -> threshold = switch (t) {
					case VALUE_NULL -> null;
					case VALUE_STRING -> p.getString();
					case VALUE_NUMBER_FLOAT -> finite(p.getDoubleValue());
					case VALUE_NUMBER_INT -> (double) longValue(p);
					default -> throw new Unsupported("threshold");
				};
				case 4 -> explain = switch (t) {
					case VALUE_NULL -> null;
					case VALUE_TRUE -> Boolean.TRUE;
					case VALUE_FALSE -> Boolean.FALSE;
					default -> throw new Unsupported("explain");
				};
				case 8 -> {
					if (t == JsonToken.VALUE_NULL) {
						explainSamples = null;
					}
					else if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
						explainSamples = p.getIntValue();
					}
					else {
						throw new Unsupported("explainSamples");
					}
				}
				default -> {
					if (t == JsonToken.VALUE_NULL) {
						explainSeed = null;
					}
					else if (t == JsonToken.VALUE_NUMBER_INT) {
						explainSeed = longValue(p);
					}
					else {
						throw new Unsupported("explainSeed");
					}
				}
			}
		}
		if (p.nextToken() != null) {
			throw new Unsupported("trailing tokens");
		}
		if (count < 1) {
			// absent, or no rows: the reference path's 400
			throw new Unsupported("no rows");
		}
		return state.rows(count, values, threshold, explain, explainSamples, explainSeed);
	}

	private static double finite(double v) {
		if (!Double.isFinite(v)) {
			throw new Unsupported("not finite");
		}
		return v;
	}

	/** An int or long token's value; beyond long the reference path decides. */
	private static long longValue(JsonParser p) {
		JsonParser.NumberType type = p.getNumberType();
		if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
			throw new Unsupported("integer beyond long");
		}
		return p.getLongValue();
	}

	/**
	 * Per-request scratch: which features the current row named, and the warnings. Shared
	 * with {@link PredictionJsonScanner}, so both readers finish rows, coerce values and
	 * count ignored keys the same way.
	 */
	static final class RowState {

		private final Schema schema;

		/** Row number + 1 at each feature the current row named. */
		private final int[] stamp;

		/** Categorical features: the current row's category text (null: missing). */
		private final String[] category;

		/** Listed unseen categories: row, feature and the category's text. */
		private final List<Unseen> unseen = new ArrayList<>();

		private int unlistedUnseen;

		/** Key that is not a feature -> {rows naming it, last row counted}. */
		private Map<String, int[]> ignored;

		RowState(Schema schema) {
			this.schema = schema;
			this.stamp = new int[schema.width()];
			this.category = new String[schema.width()];
		}

		void readRow(JsonParser p, int row, double[] values, int base) {
			int mark = row + 1;
			// clients usually send the features in the model's order: the key expected
			// next is matched on its bytes, any other key is looked up by name
			int expected = 0;
			while (true) {
				int f;
				if (expected < stamp.length && p.nextName(schema.serializedNames[expected])) {
					f = expected;
				}
				else {
					// past the last feature nothing was read yet
					String key = expected < stamp.length
							? (p.currentToken() == JsonToken.PROPERTY_NAME ? p.currentName() : null) : p.nextName();
					if (key == null) {
						break;
					}
					Integer j = schema.index.get(key);
					if (j == null) {
						ignore(key, row);
						p.nextToken();
						p.skipChildren();
						continue;
					}
					f = j;
				}
				expected = f + 1;
				JsonToken t = p.nextToken();
				stamp[f] = mark;
				if (schema.numeric[f]) {
					values[base + f] = number(p, t);
				}
				else {
					category[f] = category(p, t);
				}
			}
			finishRow(row, values, base);
		}

		/** Feature f is named in row (the last value named wins, as in a Map). */
		void named(int f, int row) {
			stamp[f] = row + 1;
		}

		/** Categorical feature f's text in the current row (null: missing). */
		void category(int f, String text) {
			category[f] = text;
		}

		/**
		 * After a row's keys: every feature named (else {@link Unsupported}), categories
		 * looked up, in feature order, so warnings come in the reference path's order.
		 */
		void finishRow(int row, double[] values, int base) {
			int mark = row + 1;
			for (int f = 0; f < stamp.length; f++) {
				if (stamp[f] != mark) {
					throw new Unsupported("absent feature");
				}
				if (schema.numeric[f]) {
					continue;
				}
				String c = schema.masked(f, category[f]);
				int index = -1;
				if (c != null) {
					index = schema.categoryIndex(f, c);
					if (index < 0) {
						if (unseen.size() < PredictionService.MAX_LISTED) {
							unseen.add(new Unseen(row, f, c));
						}
						else {
							unlistedUnseen++;
						}
					}
				}
				values[base + f] = index;
			}
		}

		/** A numeric feature's value, NaN when missing (as PredictionService.numeric). */
		private static double number(JsonParser p, JsonToken t) {
			switch (t) {
				case VALUE_NUMBER_FLOAT:
					return finite(p.getDoubleValue());
				case VALUE_NUMBER_INT:
					return longValue(p);
				case VALUE_NULL:
					return Double.NaN;
				case VALUE_STRING:
					return number(p.getString());
				default:
					throw new Unsupported("not a number");
			}
		}

		/** A numeric feature's value sent as a JSON string, NaN when missing. */
		static double number(String s) {
			if (ValueParser.isMissing(s)) {
				return Double.NaN;
			}
			double v = ValueParser.parseNumber(s);
			if (Double.isNaN(v)) {
				throw new Unsupported("not a number");
			}
			return v;
		}

		/**
		 * A categorical feature's text, null when missing (as
		 * PredictionService.category).
		 */
		private static String category(JsonParser p, JsonToken t) {
			switch (t) {
				case VALUE_STRING:
					return category(p.getString());
				case VALUE_NULL:
					return null;
				case VALUE_TRUE:
					return "true";
				case VALUE_FALSE:
					return "false";
				case VALUE_NUMBER_INT:
					return category(longValue(p));
				case VALUE_NUMBER_FLOAT:
					return category(finite(p.getDoubleValue()));
				default:
					throw new Unsupported("not a category");
			}
		}

		/** A categorical feature's text sent as a JSON string, null when missing. */
		static String category(String s) {
			return ValueParser.isMissing(s) ? null : s.strip();
		}

		/** A categorical feature's text sent as a JSON integer. */
		static String category(long l) {
			double v = l;
			return Math.abs(v) < 1e15 ? Long.toString((long) v) : Long.toString(l);
		}

		/**
		 * A categorical feature's text sent as a finite JSON number with a fraction or
		 * exponent.
		 */
		static String category(double v) {
			return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
		}

		void ignore(String key, int row) {
			if (ignored == null) {
				ignored = new HashMap<>();
			}
			int[] counted = ignored.computeIfAbsent(key, k -> new int[] { 0, -1 });
			if (counted[1] != row) {
				// a key repeated within a row counts once, as the row's Map kept it once
				counted[0]++;
				counted[1] = row;
			}
		}

		/**
		 * Adds the warnings of rows read on their own, as rows from firstRow on (they
		 * follow every row read here): the unseen categories listed after these, as far
		 * as the list has room; the ignored keys' row counts added up.
		 */
		void absorb(RowState later, int firstRow) {
			for (Unseen u : later.unseen) {
				if (unseen.size() < PredictionService.MAX_LISTED) {
					unseen.add(new Unseen(u.row() + firstRow, u.feature(), u.category()));
				}
				else {
					unlistedUnseen++;
				}
			}
			unlistedUnseen += later.unlistedUnseen;
			if (later.ignored != null) {
				later.ignored.forEach((key, counted) -> {
					if (ignored == null) {
						ignored = new HashMap<>();
					}
					ignored.computeIfAbsent(key, k -> new int[] { 0, -1 })[0] += counted[0];
				});
			}
		}

		/** The request read: count rows of values, the top-level fields, the warnings. */
		Rows rows(int count, double[] values, Object threshold, Boolean explain, Integer explainSamples,
				Long explainSeed) {
			List<String> listed = new ArrayList<>(unseen.size());
			for (Unseen u : unseen) {
				listed.add("row " + u.row() + ": '" + schema.names[u.feature()] + "' has the unseen category '"
						+ u.category() + "'; treated as missing");
			}
			return new Rows(count, stamp.length, values, threshold, explain, explainSamples, explainSeed, listed,
					unlistedUnseen, ignoredKeys());
		}

		private record Unseen(int row, int feature, String category) {
		}

		Map<String, Integer> ignoredKeys() {
			if (ignored == null) {
				return null;
			}
			Map<String, Integer> sorted = new TreeMap<>();
			ignored.forEach((key, counted) -> sorted.put(key, counted[0]));
			return sorted;
		}

	}

}
