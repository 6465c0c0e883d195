package io.fitserve.prediction;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.fitserve.ml.preprocess.FeatureTransform;
import io.fitserve.ml.preprocess.Preprocessing;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The byte scanner against the Jackson reader it stands in front of: wherever the scanner
 * answers, the Jackson reader answers the same (every value bit for bit, the same
 * top-level fields, warnings and ignored keys); where the scanner refuses a row
 * ({@link PredictionJsonReader.Unsupported}), so does the Jackson reader; everything else
 * it leaves to the Jackson reader (null). The whole path, scanner first, is also checked
 * against the reference path by {@link PredictionJsonReaderTest}.
 */
class PredictionJsonScannerTest {

	static final PredictionJsonReader.Schema SCHEMA = schema(PredictionJsonReaderTest.FEATURES);

	static final PredictionJsonReader JACKSON = new PredictionJsonReader(PredictionJsonReaderTest.JSON);

	static final String OK = "\"a\": 1, \"color\": \"red\", \"b\": 2, \"flag\": true, \"size\": 1";

	static PredictionJsonReader.Schema schema(List<FeatureTransform> features) {
		Map<String, Integer> index = new HashMap<>();
		for (int j = 0; j < features.size(); j++) {
			index.put(features.get(j).name(), j);
		}
		return new PredictionJsonReader.Schema(new Preprocessing(features), index);
	}

	@Test
	void numbersAreReadBitForBitAsJacksonReadsThem() {
		List<String> numbers = new ArrayList<>(List.of("0", "-0", "0.0", "-0.0", "0e0", "-0E-0", "1E+2", "1e-2",
				"12.5e1", "0.1", "0.30000000000000004", "9007199254740993", "9007199254740993.0", "123456789012345678",
				"-123456789012345678", "1e22", "1e23", "8.98846567431158e307", "1.7976931348623157e308",
				"2.2250738585072014E-308", "2.2250738585072011e-308", "4.9e-324", "2.4703282292062328e-324", "1e-400",
				"-1e-400", "3.14159265358979323846264338327950288",
				"1.00000000000000011102230246251565404236316680908203125", "0.000000000000000000000000000001",
				"100000000000000000000000e-10",
				// what json.dumps writes for float32 values widened to double (the
				// benchmark's bodies): 17 digits, past the exact-mantissa path
				"0.32850000262260437", "-0.006500000134110451", "2.7211999893188477", "1.451799988746643"));
		Random random = new Random(11);
		for (int k = 0; k < 3000; k++) {
			numbers.add(randomNumber(random));
		}
		int answered = 0;
		for (String number : numbers) {
			String body = "{\"rows\": [{\"a\": " + number + ", \"color\": \"red\", \"b\": " + number
					+ ", \"flag\": true, \"size\": " + number + "}]}";
			PredictionJsonReader.Rows fast = same(body);
			if (fast != null) {
				answered++;
				// and the value is the correctly rounded one
				assertThat(fast.values()[0]).as(number).isEqualTo(new BigDecimal(number).doubleValue());
			}
		}
		// integers of 19+ digits and tokens over 64 bytes are left to Jackson; the rest
		// is answered here
		assertThat(answered).isGreaterThan(numbers.size() * 9 / 10);
	}

	@Test
	void theUsualBodiesAreAnsweredHereAndAsJacksonAnswersThem() {
		List<String> bodies = List.of("{\"rows\": [{" + OK + "}]}",
				"{\"rows\":[{\"a\":1.25,\"color\":\"red\",\"b\":-2,\"flag\":true,\"size\":1}]}",
				" \t\r\n{ \"rows\" :\n[ { " + OK + " } ,{\"size\": 2.5, \"flag\": \"no\", \"b\": \"1e3\", \"color\": "
						+ "\" blue \", \"a\": null} ] } \n",
				"{\"rows\": [{\"a\": \"NA\", \"color\": \"purple\", \"b\": \" 7 \", \"flag\": \"maybe\", \"size\": 7,"
						+ " \"id\": 3, \"note\": \"x\", \"id\": null, \"z\": false}, {" + OK + ", \"id\": true}]}",
				"{\"threshold\": 0.7, \"rows\": [{" + OK + "}], \"explain\": true, \"explainSamples\": 5, "
						+ "\"explainSeed\": -3}",
				"{\"rows\": [{" + OK + "}], \"threshold\": \"best_f1\", \"explain\": null, \"explainSamples\": null, "
						+ "\"explainSeed\": null}",
				"{\"rows\": [{" + OK + "}], \"threshold\": 1, \"explain\": false}",
				"{\"rows\": [{\"a\": 1, \"color\": 3, \"b\": 2, \"flag\": false, \"size\": 2.0},"
						+ " {\"a\": 1, \"color\": 1e20, \"b\": 2, \"flag\": 0, \"size\": 2.50}]}",
				// duplicate keys: the last one counts
				"{\"rows\": [{\"a\": 100, " + OK + ", \"a\": 0.5, \"color\": \"green\"}]}");
		for (String body : bodies) {
			assertThat(same(body)).as(body).isNotNull();
		}
		PredictionJsonReader.Rows warned = same(bodies.get(3));
		assertThat(warned.unseen()).containsExactly(
				"row 0: 'color' has the unseen category 'purple'; treated as missing",
				"row 0: 'flag' has the unseen category 'maybe'; treated as missing",
				"row 0: 'size' has the unseen category '7'; treated as missing");
		assertThat(warned.ignoredKeys()).containsExactly(Map.entry("id", 2), Map.entry("note", 1), Map.entry("z", 1));
		assertThat(warned.values()[0]).isNaN();
		assertThat(warned.values()[2]).isEqualTo(7.0);
		PredictionJsonReader.Rows fields = same(bodies.get(4));
		assertThat(fields.threshold()).isEqualTo(0.7);
		assertThat(fields.explain()).isTrue();
		assertThat(fields.explainSamples()).isEqualTo(5);
		assertThat(fields.explainSeed()).isEqualTo(-3L);
		assertThat(same(bodies.get(6)).threshold()).isEqualTo(1.0);
		assertThat(same(bodies.get(8)).values()[0]).isEqualTo(0.5);
	}

	@Test
	void whatIsNotPlainStrictJsonIsLeftToJackson() {
		List<String> bodies = List.of("", "null", "[]", "{}", "{\"rows\": []}", "{\"rows\": null}",
				"{\"rows\": [{" + OK + "}]", "{\"rows\": [{" + OK + "}]} x", "{\"rows\": [{" + OK + "}],}",
				"{\"rows\": [{" + OK + ",}]}", "{\"rows\": [{" + OK + "}], \"rows\": [{" + OK + "}]}",
				"{\"rows\": [{" + OK + "}], \"other\": 1}", "\uFEFF{\"rows\": [{" + OK + "}]}",
				// numbers JSON does not allow, or beyond what is read here
				"{\"rows\": [{\"a\": 01, \"color\": \"red\", \"b\": 2, \"flag\": true, \"size\": 1}]}",
				"{\"rows\": [{\"a\": +1, \"color\": \"red\", \"b\": 2, \"flag\": true, \"size\": 1}]}",
				"{\"rows\": [{\"a\": .5, \"color\": \"red\", \"b\": 2, \"flag\": true, \"size\": 1}]}",
				"{\"rows\": [{\"a\": 5., \"color\": \"red\", \"b\": 2, \"flag\": true, \"size\": 1}]}",
				"{\"rows\": [{\"a\": 1e, \"color\": \"red\", \"b\": 2, \"flag\": true, \"size\": 1}]}",
				"{\"rows\": [{\"a\": NaN, \"color\": \"red\", \"b\": 2, \"flag\": true, \"size\": 1}]}",
				"{\"rows\": [{\"a\": -Infinity, \"color\": \"red\", \"b\": 2, \"flag\": true, \"size\": 1}]}",
				"{\"rows\": [{\"a\": 1e400, \"color\": \"red\", \"b\": 2, \"flag\": true, \"size\": 1}]}",
				"{\"rows\": [{\"a\": 1234567890123456789, \"color\": \"red\", \"b\": 2, \"flag\": true, \"size\": 1}]}",
				"{\"rows\": [{\"a\": 1.5x, \"color\": \"red\", \"b\": 2, \"flag\": true, \"size\": 1}]}",
				"{\"rows\": [{\"a\": 1, \"color\": \"r\\u00e9d\", \"b\": 2, \"flag\": true, \"size\": 1}]}",
				"{\"rows\": [{\"a\": 1, \"color\": \"r\u00e9d\", \"b\": 2, \"flag\": true, \"size\": 1}]}",
				"{\"rows\": [{\"a\": 1, \"color\": \"r\ted\", \"b\": 2, \"flag\": true, \"size\": 1}]}",
				"{\"rows\": [{\"\\u0061\": 1, \"color\": \"red\", \"b\": 2, \"flag\": true, \"size\": 1}]}",
				"{\"rows\": [{" + OK + ", \"extra\": {\"x\": 1}}]}", "{\"rows\": [{" + OK + ", \"extra\": [1]}]}",
				"{\"rows\": [{\"a\": true, \"color\": \"red\", \"b\": 2, \"flag\": true, \"size\": 1}]}",
				"{\"rows\": [{\"a\": 1, \"color\": nul, \"b\": 2, \"flag\": true, \"size\": 1}]}",
				"{\"rows\": [{\"a\": 1, \"color\": truex, \"b\": 2, \"flag\": true, \"size\": 1}]}",
				"{\"rows\": [{" + OK + "} {" + OK + "}]}", "{\"rows\": [{" + OK + "}]\u000b}",
				"{\"rows\": [{" + OK + "}], \"threshold\": true}", "{\"rows\": [{" + OK + "}], \"explain\": 1}",
				"{\"rows\": [{" + OK + "}], \"explainSamples\": 1.5}",
				"{\"rows\": [{" + OK + "}], \"explainSamples\": 99999999999}",
				"{\"rows\": [{" + OK + "}], \"explainSeed\": 1.0}",
				"{\"rows\": [{\"a\": 1, \"color\": \"red\", \"b\": 2, \"flag\": true, \"size\": 1" + ", \""
						+ "k".repeat(2000) + "\": 1}]}",
				"{\"rows\": [" + ("{" + OK + "},").repeat(5) + "{" + OK + "}]}");
		for (String body : bodies) {
			assertThat(scan(body)).as(body).isNull();
		}
	}

	@Test
	void aRowWithoutAFeatureIsRefusedByBothReaders() {
		Object scanned = outcome(() -> scan("{\"rows\": [{\"a\": 1, \"color\": \"red\"}]}"));
		assertThat(scanned).isEqualTo(outcome(() -> jackson("{\"rows\": [{\"a\": 1, \"color\": \"red\"}]}")))
			.isEqualTo("Unsupported: absent feature");
		assertThat(outcome(() -> scan("{\"rows\": [{}]}"))).isEqualTo("Unsupported: absent feature");
		assertThat(outcome(() -> scan("{\"rows\": [{\"a\": \"abc\", \"color\": \"red\"}]}")))
			.isEqualTo(outcome(() -> jackson("{\"rows\": [{\"a\": \"abc\", \"color\": \"red\"}]}")))
			.isEqualTo("Unsupported: not a number");
	}

	/**
	 * Expected keys are compared in one 8-byte load when the name and its quote fit
	 * (names of 0 to 7 bytes), byte by byte otherwise or near the body's end: each way
	 * must tell a name from its prefixes and extensions.
	 */
	@Test
	void keysOfEveryLengthAreMatchedExactly() {
		List<String> names = List.of("", "a", "ab", "abcdefg", "abcdefgh", "abcdefghi", "a_long_feature_name");
		List<FeatureTransform> features = new ArrayList<>();
		for (String name : names) {
			features.add(FeatureTransform.numeric(name, 0.0, 1.0));
		}
		PredictionJsonReader.Schema schema = schema(features);
		PredictionJsonReader jackson = new PredictionJsonReader(PredictionJsonReaderTest.JSON);
		Random random = new Random(23);
		List<String> keys = new ArrayList<>(names);
		// prefixes and extensions of the names, which are not features
		keys.addAll(List.of("abc", "abcdef", "abcdefgX", "abcdefghX", "a_long_feature_nam", "b", "\"\""));
		int answered = 0;
		for (int request = 0; request < 600; request++) {
			StringBuilder body = new StringBuilder("{\"rows\":[");
			int rows = 1 + random.nextInt(3);
			for (int r = 0; r < rows; r++) {
				body.append(r == 0 ? "{" : ",{");
				// mostly in the model's order (the matched path), sometimes shuffled or
				// with other keys between
				List<String> row = new ArrayList<>(names);
				if (random.nextInt(3) == 0) {
					java.util.Collections.shuffle(row, random);
				}
				if (random.nextInt(2) == 0) {
					row.add(random.nextInt(row.size() + 1),
							keys.get(names.size() + random.nextInt(keys.size() - names.size())));
				}
				for (int k = 0; k < row.size(); k++) {
					String key = row.get(k);
					body.append(k == 0 ? "" : ",")
						.append(key.equals("\"\"") ? "\"\\\"\"" : "\"" + key + "\"")
						.append(':')
						.append(random.nextInt(1000));
				}
				body.append('}');
			}
			// no whitespace at the end: the last keys lie within 8 bytes of it
			body.append("]}");
			byte[] bytes = PredictionJsonReaderTest.bytes(body.toString());
			Object scanned = outcome(() -> PredictionJsonScanner.read(bytes, schema, 5));
			if (scanned != null) {
				assertThat(scanned).as(body.toString()).isEqualTo(outcome(() -> jackson.read(bytes, schema, 5)));
				answered++;
			}
		}
		assertThat(answered).isGreaterThan(300);
		// a last key that ends 2 bytes before the body does
		byte[] tight = PredictionJsonReaderTest.bytes("{\"rows\":[{\"\":1,\"a\":2,\"ab\":3,\"abcdefg\":4,"
				+ "\"abcdefgh\":5,\"abcdefghi\":6,\"a_long_feature_name\":7}]}");
		PredictionJsonReader.Rows read = PredictionJsonScanner.read(tight, schema, 5);
		assertThat(read.count()).isEqualTo(1);
		assertThat(java.util.Arrays.copyOf(read.values(), 7)).containsExactly(1, 2, 3, 4, 5, 6, 7);
	}

	@Test
	void wordsHoldTheNameAndItsQuote() {
		assertThat(PredictionJsonScanner.word(PredictionJsonScanner.plain(""))).isEqualTo('"');
		assertThat(PredictionJsonScanner.word(PredictionJsonScanner.plain("ab"))).isEqualTo(0x226261L);
		assertThat(PredictionJsonScanner.word(PredictionJsonScanner.plain("abcdefg"))).isEqualTo(0x22676665646362_61L);
		assertThat(PredictionJsonScanner.word(PredictionJsonScanner.plain("abcdefgh"))).isZero();
		assertThat(PredictionJsonScanner.word(null)).isZero();
	}

	@Test
	void generatedRequestsAnswerAsJackson() {
		Random random = new Random(5);
		int answered = 0;
		for (int request = 0; request < 500; request++) {
			StringBuilder body = new StringBuilder("{\"rows\": [");
			int rows = 1 + random.nextInt(5);
			for (int r = 0; r < rows; r++) {
				body.append(r == 0 ? "" : ",")
					.append(space(random))
					.append(PredictionJsonReaderTest.row(random, request % 3 == 0 ? 0.0 : 0.05));
			}
			body.append("]");
			if (random.nextInt(4) == 0) {
				body.append(", \"threshold\": ").append(random.nextBoolean() ? "\"best_f1\"" : "0.25");
			}
			body.append("}");
			Object scanned = outcome(() -> scan(body.toString()));
			if (scanned != null) {
				assertThat(scanned).as(body.toString()).isEqualTo(outcome(() -> jackson(body.toString())));
				answered++;
			}
		}
		assertThat(answered).isGreaterThan(250);
	}

	@Test
	void rowsReadInTwoPartsAnswerAsJackson() {
		// every body of at least two rows is split (from its first row on), and key
		// lookups out of order record the thread they ran on
		java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
		PredictionJsonReader.Schema schema = recordingSchema(threads);
		Random random = new Random(17);
		int answered = 0;
		for (int request = 0; request < 400; request++) {
			StringBuilder body = new StringBuilder("{\"rows\": [");
			int rows = 2 + random.nextInt(60);
			for (int r = 0; r < rows; r++) {
				body.append(r == 0 ? "" : ",")
					.append(space(random))
					.append(PredictionJsonReaderTest.row(random, request % 2 == 0 ? 0.0 : 0.03));
			}
			body.append("]");
			if (random.nextInt(4) == 0) {
				body.append(", \"threshold\": 0.25");
			}
			body.append("}");
			Object split = outcome(() -> PredictionJsonScanner.read(bytes(body), schema, 50, 1));
			assertThat(split).as(body.toString())
				.isEqualTo(outcome(() -> PredictionJsonScanner.read(bytes(body), schema, 50, Integer.MAX_VALUE)));
			if (split != null) {
				assertThat(split).as(body.toString()).isEqualTo(outcome(() -> JACKSON.read(bytes(body), schema, 50)));
				answered++;
			}
		}
		assertThat(answered).isGreaterThan(150);
		assertThat(threads).as("threads that looked keys up").anyMatch(name -> name.startsWith("ForkJoinPool"));
	}

	@Test
	void aSecondPartStartingInsideAStringIsNotUsed() {
		// the middle of the rows falls in a long category the model has not seen, which
		// holds what looks like a row boundary: "}, {"
		String row = "{" + OK + "}";
		String unseen = "y".repeat(3000) + "x}, {y";
		String trap = "{\"a\": 1, \"color\": \"" + unseen + "\", \"b\": 2, \"flag\": true, \"size\": 1}";
		StringBuilder body = new StringBuilder("{\"rows\": [").append(row);
		for (int r = 0; r < 20; r++) {
			body.append(", ").append(row);
		}
		body.append(", ").append(trap);
		for (int r = 0; r < 21; r++) {
			body.append(", ").append(row);
		}
		body.append("]}");
		// where the scanner looks for a row start: from the middle of what follows the
		// first row
		int afterFirst = body.indexOf("}") + 1;
		int middle = afterFirst + (body.length() - afterFirst) / 2;
		assertThat(middle).isBetween(body.indexOf("yyy"), body.indexOf("x}, {"));
		PredictionJsonReader.Rows whole = PredictionJsonScanner.read(bytes(body), SCHEMA, 100, Integer.MAX_VALUE);
		assertThat(whole.count()).isEqualTo(43);
		assertThat(whole.unseen())
			.containsExactly("row 21: 'color' has the unseen category '" + unseen + "'; treated as missing");
		assertThat(comparable(PredictionJsonScanner.read(bytes(body), SCHEMA, 100, 1))).isEqualTo(comparable(whole));
	}

	@Test
	void warningsLimitsAndFailuresOfTheSecondPartAreThoseOfOneRead() {
		// 300 rows, an unseen category in each (more than the 100 listed) and ignored
		// keys in both halves
		StringBuilder body = new StringBuilder("{\"rows\": [");
		for (int r = 0; r < 300; r++) {
			body.append(r == 0 ? "" : ", ")
				.append("{\"a\": ")
				.append(r)
				.append(", \"color\": \"c")
				.append(r % 7)
				.append("\", \"b\": 2.5, \"flag\": true, \"size\": 1")
				.append(r % 3 == 0 ? ", \"id\": " + r : "")
				.append(r >= 200 ? ", \"late\": 1, \"late\": 2" : "")
				.append("}");
		}
		String full = body + "], \"threshold\": \"best_f1\"}";
		PredictionJsonReader.Rows rows = PredictionJsonScanner.read(bytes(full), SCHEMA, 1000, 1);
		assertThat(comparable(rows)).isEqualTo(comparable(JACKSON.read(bytes(full), SCHEMA, 1000)));
		assertThat(rows.count()).isEqualTo(300);
		assertThat(rows.values()[299 * rows.width()]).isEqualTo(299.0);
		assertThat(rows.unseen()).hasSize(100)
			.endsWith("row 99: 'color' has the unseen category 'c1'; treated as missing");
		assertThat(rows.unlistedUnseen()).isEqualTo(200);
		assertThat(rows.ignoredKeys()).containsExactly(Map.entry("id", 100), Map.entry("late", 100));
		assertThat(rows.threshold()).isEqualTo("best_f1");
		// more rows than allowed only when both parts are counted
		assertThat(PredictionJsonScanner.read(bytes(full), SCHEMA, 299, 1)).isNull();
		assertThat(PredictionJsonScanner.read(bytes(full), SCHEMA, 300, 1)).isNotNull();
		// a row without a feature in the second part: refused as by one read
		String absent = full.replace("{\"a\": 250, ", "{");
		assertThat(outcome(() -> PredictionJsonScanner.read(bytes(absent), SCHEMA, 1000, 1)))
			.isEqualTo("Unsupported: absent feature");
		// an escape in the second part: left to Jackson
		String escaped = full.replace("{\"a\": 260, \"color\": \"c1\"", "{\"a\": 260, \"color\": \"c\\u0031\"");
		assertThat(escaped).isNotEqualTo(full);
		assertThat(PredictionJsonScanner.read(bytes(escaped), SCHEMA, 1000, 1)).isNull();
	}

	@Test
	void aBodyPastTheSplitSizeIsReadInTwoPartsByDefault() {
		java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
		PredictionJsonReader.Schema schema = recordingSchema(threads);
		Random random = new Random(23);
		StringBuilder body = new StringBuilder("{\"rows\": [");
		int rows = 0;
		while (body.length() < 2 * PredictionJsonScanner.SPLIT_BYTES) {
			body.append(rows++ == 0 ? "" : ",").append(PredictionJsonReaderTest.row(random, 0.0));
		}
		body.append("]}");
		PredictionJsonReader.Rows read = PredictionJsonScanner.read(bytes(body), schema, 100_000);
		assertThat(read.count()).isEqualTo(rows);
		assertThat(comparable(read)).isEqualTo(comparable(JACKSON.read(bytes(body), schema, 100_000)));
		if (Runtime.getRuntime().availableProcessors() > 1) {
			assertThat(threads).anyMatch(name -> name.startsWith("ForkJoinPool"));
		}
	}

	/** SCHEMA whose name lookups (keys out of the model's order) record their thread. */
	private static PredictionJsonReader.Schema recordingSchema(java.util.Set<String> threads) {
		Map<String, Integer> index = new HashMap<>() {

			@Override
			public Integer get(Object key) {
				threads.add(Thread.currentThread().getName());
				return super.get(key);
			}

		};
		for (int j = 0; j < PredictionJsonReaderTest.FEATURES.size(); j++) {
			index.put(PredictionJsonReaderTest.FEATURES.get(j).name(), j);
		}
		return new PredictionJsonReader.Schema(new Preprocessing(PredictionJsonReaderTest.FEATURES), index);
	}

	private static byte[] bytes(CharSequence body) {
		return PredictionJsonReaderTest.bytes(body.toString());
	}

	/**
	 * Reads body with both; when the scanner answers, returns its rows after comparing.
	 */
	static PredictionJsonReader.Rows same(String body) {
		PredictionJsonReader.Rows fast = scan(body);
		if (fast != null) {
			assertThat(comparable(fast)).as(body).isEqualTo(comparable(jackson(body)));
		}
		return fast;
	}

	static PredictionJsonReader.Rows scan(String body) {
		return PredictionJsonScanner.read(PredictionJsonReaderTest.bytes(body), SCHEMA, 5);
	}

	static PredictionJsonReader.Rows jackson(String body) {
		return JACKSON.read(PredictionJsonReaderTest.bytes(body), SCHEMA, 5);
	}

	/**
	 * The rows as a list that equals another exactly when every field does, each value
	 * compared by its bits.
	 */
	static List<Object> comparable(PredictionJsonReader.Rows rows) {
		List<Long> bits = new ArrayList<>();
		for (int k = 0; k < rows.count() * rows.width(); k++) {
			bits.add(Double.doubleToRawLongBits(rows.values()[k]));
		}
		return java.util.Arrays.asList(rows.count(), rows.width(), bits, rows.threshold(), rows.explain(),
				rows.explainSamples(), rows.explainSeed(), rows.unseen(), rows.unlistedUnseen(), rows.ignoredKeys());
	}

	/** The comparable rows, null, or the Unsupported reason. */
	static Object outcome(java.util.function.Supplier<PredictionJsonReader.Rows> read) {
		try {
			PredictionJsonReader.Rows rows = read.get();
			return rows == null ? null : comparable(rows);
		}
		catch (PredictionJsonReader.Unsupported ex) {
			return "Unsupported: " + ex.getMessage();
		}
	}

	static String space(Random random) {
		return new String[] { "", " ", "\n", "\t", "\r\n  " }[random.nextInt(5)];
	}

	/** A JSON number: sign, 1 to 25 digits, maybe a point and an exponent. */
	static String randomNumber(Random random) {
		StringBuilder s = new StringBuilder(random.nextBoolean() ? "-" : "");
		int digits = 1 + random.nextInt(random.nextBoolean() ? 6 : 25);
		s.append(1 + random.nextInt(9));
		for (int d = 1; d < digits; d++) {
			s.append(random.nextInt(10));
		}
		if (random.nextBoolean()) {
			int point = 1 + random.nextInt(digits);
			if (point < s.length() - (s.charAt(0) == '-' ? 1 : 0)) {
				s.insert(point + (s.charAt(0) == '-' ? 1 : 0), '.');
			}
			else {
				s.append(".0");
			}
		}
		if (random.nextInt(3) == 0) {
			s.append(random.nextBoolean() ? 'e' : 'E')
				.append(new String[] { "", "+", "-" }[random.nextInt(3)])
				.append(random.nextInt(random.nextBoolean() ? 23 : 330));
		}
		return s.toString();
	}

}
