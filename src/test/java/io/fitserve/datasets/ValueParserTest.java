package io.fitserve.datasets;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ValueParserTest {

	@Test
	void missingTokens() {
		for (String s : new String[] { null, "", "   ", "NA", "na", " n/a ", "N/A", "NaN", "nan", "null", "NULL", "?",
				" ? " }) {
			assertThat(ValueParser.isMissing(s)).as("'%s'", s).isTrue();
		}
		for (String s : new String[] { "0", "none", "nil", "-", "NAN1", "??", "nul" }) {
			assertThat(ValueParser.isMissing(s)).as("'%s'", s).isFalse();
		}
	}

	@Test
	void byteMissingMatchesStringRules() {
		for (String s : new String[] { "", "NA", "na", "n/a", "N/A", "NaN", "nAn", "null", "Null", "?", "0", "n", "no",
				"nb", "n/b", "nax", "nulx", "nulls", "x", "??" }) {
			byte[] b = s.getBytes(StandardCharsets.UTF_8);
			assertThat(ValueParser.isMissing(b, 0, b.length)).as("'%s'", s).isEqualTo(ValueParser.isMissing(s));
		}
	}

	@Test
	void numbers() {
		assertThat(ValueParser.parseNumber("42")).isEqualTo(42.0);
		assertThat(ValueParser.parseNumber(" -3.5 ")).isEqualTo(-3.5);
		assertThat(ValueParser.parseNumber("+.5")).isEqualTo(0.5);
		assertThat(ValueParser.parseNumber("5.")).isEqualTo(5.0);
		assertThat(ValueParser.parseNumber("1e3")).isEqualTo(1000.0);
		assertThat(ValueParser.parseNumber("2.5E-3")).isEqualTo(0.0025);
		assertThat(Double.doubleToRawLongBits(ValueParser.parseNumber("-0"))).isEqualTo(Double.doubleToRawLongBits(-0.0));
		for (String s : new String[] { "Infinity", "-Infinity", "inf", "NaN", "0x1p3", "1,5", "1.2.3", "e5", ".", "-",
				"1e", "1e+", "1d", "1f", "12abc", "", "١٢", "1 2", "1e400" }) {
			assertThat(ValueParser.parseNumber(s)).as("'%s'", s).isNaN();
		}
	}

	@Test
	void fastPathIsBitIdenticalToJdk() {
		SplittableRandom rnd = new SplittableRandom(7);
		String[] fixed = { "0.1", "0.2", "0.3", "1.7976931348623157e308", "4.9e-324", "2.2250738585072014E-308",
				"9007199254740993", "9007199254740992", "123456789012345678901234567890", "0.000000000000000000001",
				"3.141592653589793238462643383279", "1e22", "1e23", "-1e-22", "1e-23", "00001.5000", "99999999999999999" };
		for (String s : fixed) {
			assertSame(s);
		}
		for (int i = 0; i < 200_000; i++) {
			String s = switch (i % 4) {
				case 0 -> Double.toString(rnd.nextDouble() * Math.pow(10, rnd.nextInt(-30, 30)));
				case 1 -> Long.toString(rnd.nextLong(-10_000_000_000L, 10_000_000_000L));
				case 2 -> String.format("%.4f", rnd.nextDouble(-1000, 1000));
				default -> rnd.nextInt(0, 1_000_000) + "." + rnd.nextInt(0, 1000) + "e" + rnd.nextInt(-25, 25);
			};
			assertSame(s);
		}
	}

	private static void assertSame(String s) {
		byte[] b = s.getBytes(StandardCharsets.US_ASCII);
		double expected = Double.parseDouble(s);
		double actual = ValueParser.parseNumber(b, 0, b.length);
		if (Double.doubleToRawLongBits(actual) != Double.doubleToRawLongBits(expected)) {
			assertThat(actual).as(s).isEqualTo(expected);
		}
	}

	@Test
	void booleans() {
		assertThat(ValueParser.parseBoolean(" TRUE ")).isTrue();
		assertThat(ValueParser.parseBoolean("Yes")).isTrue();
		assertThat(ValueParser.parseBoolean("false")).isFalse();
		assertThat(ValueParser.parseBoolean("no")).isFalse();
		assertThat(ValueParser.parseBoolean("1")).isNull();
		assertThat(ValueParser.parseBoolean("y")).isNull();
		assertThat(ValueParser.parseBoolean(null)).isNull();
		byte[] b = "YeS".getBytes(StandardCharsets.US_ASCII);
		assertThat(ValueParser.parseBoolean(b, 0, 3)).isEqualTo(1);
		b = "nO".getBytes(StandardCharsets.US_ASCII);
		assertThat(ValueParser.parseBoolean(b, 0, 2)).isEqualTo(0);
		b = "tru".getBytes(StandardCharsets.US_ASCII);
		assertThat(ValueParser.parseBoolean(b, 0, 3)).isEqualTo(-1);
	}

}
