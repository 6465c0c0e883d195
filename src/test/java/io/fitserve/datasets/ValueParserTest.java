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
		assertThat(Double.doubleToRawLongBits(ValueParser.parseNumber("-0")))
			.isEqualTo(Double.doubleToRawLongBits(-0.0));
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
				"3.141592653589793238462643383279", "1e22", "1e23", "-1e-22", "1e-23", "00001.5000",
				"99999999999999999",
				// 19 digits overflow a long: these once came back with the wrong sign
				"9999999999999999999", "-9999999999999999999", "9223372036854775808", "9223372036854775807",
				"1844674407370955161.5", "999999999.9999999999", "1234567890123456789", "0000000000000000001",
				"12345678.12345678", "1.23456789e-5", "87654321", "-0.00000000", ".5", "5.", "+.5e+3", "1E5" };
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

	/**
	 * Generated decimals of every shape the parser distinguishes (sign, 0-21 integer and
	 * fraction digits with leading/trailing zeros, optional exponent), each parsed in
	 * place inside a larger buffer with digits around it (the cell bounds must be
	 * respected) and again at the very end of an array (no room for 8-byte reads).
	 */
	@Test
	void generatedDecimalsAreBitIdenticalToJdkWhereverTheyLieInTheBuffer() {
		SplittableRandom rnd = new SplittableRandom(11);
		int checked = 0;
		for (int i = 0; i < 300_000; i++) {
			StringBuilder sb = new StringBuilder();
			sb.append(switch (rnd.nextInt(3)) {
				case 0 -> "";
				case 1 -> "-";
				default -> "+";
			});
			appendDigits(sb, rnd, rnd.nextInt(0, 22));
			if (rnd.nextInt(4) != 0) {
				sb.append('.');
				appendDigits(sb, rnd, rnd.nextInt(0, 22));
			}
			if (rnd.nextInt(4) == 0) {
				sb.append(rnd.nextBoolean() ? 'e' : 'E');
				if (rnd.nextBoolean()) {
					sb.append(rnd.nextBoolean() ? '-' : '+');
				}
				sb.append(rnd.nextInt(0, 40));
			}
			String s = sb.toString();
			double expected;
			try {
				expected = Double.parseDouble(s);
			}
			catch (NumberFormatException ex) {
				expected = Double.NaN; // e.g. "-", ".", "+e5"
			}
			byte[] cell = s.getBytes(StandardCharsets.US_ASCII);
			byte[] padded = new byte[cell.length + 24];
			for (int k = 0; k < padded.length; k++) {
				padded[k] = (byte) ('0' + rnd.nextInt(10));
			}
			int from = rnd.nextInt(0, 8);
			System.arraycopy(cell, 0, padded, from, cell.length);
			assertBits(s + " (inside a buffer)", expected, ValueParser.parseNumber(padded, from, from + cell.length));
			byte[] atEnd = new byte[cell.length + 3];
			atEnd[0] = '7';
			atEnd[1] = '7';
			atEnd[2] = ',';
			System.arraycopy(cell, 0, atEnd, 3, cell.length);
			assertBits(s + " (at the array end)", expected, ValueParser.parseNumber(atEnd, 3, atEnd.length));
			checked++;
		}
		assertThat(checked).isEqualTo(300_000);
	}

	private static void appendDigits(StringBuilder sb, SplittableRandom rnd, int n) {
		int zeros = rnd.nextInt(4) == 0 ? rnd.nextInt(0, n + 1) : 0;
		for (int k = 0; k < n; k++) {
			sb.append(k < zeros ? '0' : (char) ('0' + rnd.nextInt(10)));
		}
	}

	private static void assertBits(String what, double expected, double actual) {
		if (Double.doubleToRawLongBits(actual) != Double.doubleToRawLongBits(expected)) {
			throw new AssertionError(what + ": parsed " + actual + ", Double.parseDouble gives " + expected);
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
