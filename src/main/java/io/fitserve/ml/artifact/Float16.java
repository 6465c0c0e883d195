package io.fitserve.ml.artifact;

/**
 * IEEE 754 binary16 ("half") conversions, which Java 17 lacks
 * ({@code Float.floatToFloat16} came in Java 20): 1 sign bit, 5 exponent bits (bias 15),
 * 10 fraction bits; largest finite 65504, smallest normal 2^-14, smallest subnormal
 * 2^-24.
 */
public final class Float16 {

	/** Positive infinity's bits. */
	public static final short POSITIVE_INFINITY = 0x7c00;

	/** The quiet NaN written for every NaN. */
	public static final short NaN = 0x7e00;

	private Float16() {
	}

	/**
	 * The half nearest to the double, ties to the even one (IEEE's default rounding),
	 * rounded once from the double's own bits (through a float it would round twice).
	 * Magnitudes from 65520 up become infinity; below 2^-25 they become a zero of the
	 * same sign; NaN becomes the quiet NaN 0x7e00 with the double's sign.
	 */
	public static short fromDouble(double value) {
		long bits = Double.doubleToRawLongBits(value);
		int sign = (int) ((bits >>> 48) & 0x8000);
		int exponent = (int) ((bits >>> 52) & 0x7ff);
		long fraction = bits & 0x000f_ffff_ffff_ffffL;
		if (exponent == 0x7ff) {
			return (short) (sign | (fraction != 0 ? NaN : POSITIVE_INFINITY));
		}
		if (exponent == 0) {
			// zero or a double subnormal (< 2^-1022): far below half's smallest subnormal
			return (short) sign;
		}
		int halfExponent = exponent - 1023 + 15;
		if (halfExponent >= 31) {
			return (short) (sign | POSITIVE_INFINITY);
		}
		long significand = fraction | (1L << 52);
		// bits of the double's 53-bit significand that fall below the half's last place:
		// 42 for a normal half, more for a subnormal one (whose exponent field is 0 and
		// whose last place is 2^-24)
		int shift = (halfExponent >= 1) ? 42 : 42 + 1 - halfExponent;
		if (shift > 53) {
			// below half the smallest subnormal: rounds to zero
			return (short) sign;
		}
		long kept = significand >>> shift;
		long rest = significand & ((1L << shift) - 1);
		long halfway = 1L << (shift - 1);
		// a normal half: its exponent field above the 10 fraction bits (the implicit 1 in
		// kept is bit 10, which adds one to the field: hence halfExponent - 1)
		int result = (halfExponent >= 1) ? ((halfExponent - 1) << 10) + (int) kept : (int) kept;
		if (rest > halfway || (rest == halfway && (result & 1) != 0)) {
			// a carry out of the fraction moves to the next exponent, and from 0x7bff to
			// infinity (0x7c00), as it should
			result++;
		}
		return (short) (sign | result);
	}

	/** The half's exact value as a double. */
	public static double toDouble(short half) {
		int bits = half & 0xffff;
		int sign = bits >>> 15;
		int exponent = (bits >>> 10) & 0x1f;
		int fraction = bits & 0x3ff;
		double magnitude;
		if (exponent == 0) {
			magnitude = fraction * 0x1p-24;
		}
		else if (exponent == 31) {
			magnitude = (fraction == 0) ? Double.POSITIVE_INFINITY : Double.NaN;
		}
		else {
			magnitude = Math.scalb(1024 + fraction, exponent - 25);
		}
		return (sign == 0) ? magnitude : -magnitude;
	}

}
