package io.fitserve.datasets;

/** Shared parsing and coercion rules for CSV cells and prediction JSON values. */
public final class ValueParser {

	/** 2^53: every long up to this is exactly representable as a double. */
	private static final long MAX_EXACT_MANTISSA = 1L << 53;

	/** Powers of ten that are exact doubles, for the Clinger fast path. */
	private static final double[] POW10 = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
			1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

	private ValueParser() {
	}

	/**
	 * Missing = null, empty/blank, or NA, N/A, NaN, null, ? (case-insensitive,
	 * surrounding whitespace ignored).
	 */
	public static boolean isMissing(String s) {
		if (s == null) {
			return true;
		}
		String t = s.strip();
		return t.isEmpty() || t.equalsIgnoreCase("na") || t.equalsIgnoreCase("n/a") || t.equalsIgnoreCase("nan")
				|| t.equalsIgnoreCase("null") || t.equals("?");
	}

	/**
	 * Parses a finite decimal number (optional sign, digits, '.', exponent; surrounding
	 * whitespace ok). Returns Double.NaN when s is not such a number (including
	 * "Infinity", "inf", hex, "1,5").
	 */
	public static double parseNumber(String s) {
		if (s == null) {
			return Double.NaN;
		}
		String t = s.strip();
		int n = t.length();
		if (n == 0) {
			return Double.NaN;
		}
		byte[] b = new byte[n];
		for (int i = 0; i < n; i++) {
			char c = t.charAt(i);
			if (c >= 128) {
				// Only ASCII digits count, so "١٢" or full-width digits are not numbers.
				return Double.NaN;
			}
			b[i] = (byte) c;
		}
		return parseNumber(b, 0, n);
	}

	/**
	 * true/false/yes/no (case-insensitive, trimmed) -> Boolean.TRUE/FALSE; anything else
	 * -> null.
	 */
	public static Boolean parseBoolean(String s) {
		if (s == null) {
			return null;
		}
		String t = s.strip();
		if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("yes")) {
			return Boolean.TRUE;
		}
		if (t.equalsIgnoreCase("false") || t.equalsIgnoreCase("no")) {
			return Boolean.FALSE;
		}
		return null;
	}

	/**
	 * Byte-level twin of {@link #isMissing(String)} for an already trimmed ASCII/UTF-8
	 * cell.
	 */
	static boolean isMissing(byte[] b, int from, int to) {
		int n = to - from;
		if (n == 0) {
			return true;
		}
		if (n > 4) {
			return false;
		}
		int c0 = b[from] | 0x20;
		if (n == 1) {
			return b[from] == '?';
		}
		if (c0 != 'n') {
			return false;
		}
		int c1 = b[from + 1] | 0x20;
		if (n == 2) {
			return c1 == 'a';
		}
		int c2 = b[from + 2] | 0x20;
		if (n == 3) {
			// "n/a" ('/' | 0x20 is still '/') or "nan"
			return (c1 == 'a' && c2 == 'n') || (b[from + 1] == '/' && c2 == 'a');
		}
		int c3 = b[from + 3] | 0x20;
		return c1 == 'u' && c2 == 'l' && c3 == 'l';
	}

	/**
	 * Byte-level twin of {@link #parseBoolean(String)}: 1 = true, 0 = false, -1 = not a
	 * boolean.
	 */
	static int parseBoolean(byte[] b, int from, int to) {
		int n = to - from;
		if (n == 4 && lowerEquals(b, from, "true")) {
			return 1;
		}
		if (n == 3 && lowerEquals(b, from, "yes")) {
			return 1;
		}
		if (n == 5 && lowerEquals(b, from, "false")) {
			return 0;
		}
		if (n == 2 && lowerEquals(b, from, "no")) {
			return 0;
		}
		return -1;
	}

	private static boolean lowerEquals(byte[] b, int from, String lower) {
		for (int i = 0; i < lower.length(); i++) {
			if ((b[from + i] | 0x20) != lower.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Clinger's fast path: (-)mantissa x 10^decimalExponent as one correctly rounded
	 * operation on exact operands, so the same bits as {@link Double#parseDouble}; NaN
	 * where it does not apply (a mantissa not in 1..2^53, an exponent beyond +-22).
	 */
	public static double exactDecimal(long mantissa, long decimalExponent, boolean negative) {
		if (mantissa <= 0 || mantissa > MAX_EXACT_MANTISSA || decimalExponent < -22 || decimalExponent > 22) {
			return Double.NaN;
		}
		double m = (double) mantissa;
		double v = decimalExponent >= 0 ? m * POW10[(int) decimalExponent] : m / POW10[(int) -decimalExponent];
		return negative ? -v : v;
	}

	/**
	 * Parses an already trimmed decimal number from bytes; NaN when it is not one.
	 * Results are bit-identical to {@link Double#parseDouble(String)}: the fast path is
	 * only taken where one correctly rounded operation on exact operands suffices
	 * (Clinger), everything else goes through the JDK.
	 */
	static double parseNumber(byte[] b, int from, int to) {
		int i = from;
		if (i >= to) {
			return Double.NaN;
		}
		boolean negative = false;
		byte first = b[i];
		if (first == '-' || first == '+') {
			negative = first == '-';
			i++;
		}
		// One loop for integer and fraction digits: fewer hard-to-predict loop exits than
		// two loops.
		long mantissa = 0;
		int digits = 0;
		int dotAt = -1;
		for (; i < to; i++) {
			int d = b[i] - '0';
			if (d >= 0 && d <= 9) {
				mantissa = mantissa * 10 + d;
				digits++;
			}
			else if (d == '.' - '0' && dotAt < 0) {
				dotAt = digits;
			}
			else {
				break;
			}
		}
		if (digits == 0) {
			return Double.NaN;
		}
		long exponent = 0;
		if (i < to) {
			if ((b[i] | 0x20) != 'e') {
				return Double.NaN;
			}
			i++;
			boolean negativeExponent = false;
			if (i < to && (b[i] == '-' || b[i] == '+')) {
				negativeExponent = b[i] == '-';
				i++;
			}
			if (i == to) {
				return Double.NaN;
			}
			for (; i < to; i++) {
				int d = b[i] - '0';
				if (d < 0 || d > 9) {
					return Double.NaN;
				}
				// Saturate: anything this large is 0 or infinite anyway and goes to the
				// slow path.
				if (exponent < 100_000_000) {
					exponent = exponent * 10 + d;
				}
			}
			if (negativeExponent) {
				exponent = -exponent;
			}
		}
		// Up to 19 digits cannot overflow the long; more (even leading zeros) just take
		// the slow path.
		if (digits <= 19) {
			if (mantissa == 0) {
				return negative ? -0.0 : 0.0;
			}
			long decimalExponent = exponent - (dotAt < 0 ? 0 : digits - dotAt);
			// A 19-digit mantissa can wrap past Long.MAX_VALUE (once, to a negative
			// value): not exact then, and exactDecimal says so.
			double v = exactDecimal(mantissa, decimalExponent, negative);
			if (Double.isNaN(v) && mantissa > 0 && decimalExponent >= EiselLemire.MIN_EXP10
					&& decimalExponent <= EiselLemire.MAX_EXP10) {
				// past 2^53 (not wrapped: a wrapped mantissa is negative)
				v = EiselLemire.toDouble(mantissa, (int) decimalExponent, negative);
			}
			if (!Double.isNaN(v)) {
				return v;
			}
		}
		double v = Double.parseDouble(new String(b, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1));
		return Double.isInfinite(v) ? Double.NaN : v;
	}

}
