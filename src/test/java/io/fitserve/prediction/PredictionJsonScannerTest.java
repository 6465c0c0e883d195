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
