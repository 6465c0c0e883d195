package io.fitserve.datasets;

import java.math.BigInteger;

/**
 * The Eisel-Lemire algorithm: a decimal mantissa of up to 19 digits times a power of ten,
 * correctly rounded to a double with one 64 x 128-bit multiplication, or NaN where it
 * cannot decide: near a halfway point, for subnormal and out-of-range results, and for
 * exact decimals the rounded-down table leaves undecided (those with m / 10^k exact are
 * then computed exactly). The caller then asks the JDK, so every answer is the bits
 * {@link Double#parseDouble} gives.
 *
 * <p>
 * Clinger's fast path ({@link ValueParser#exactDecimal}) needs a mantissa of at most
 * 2^53; the 17-digit numbers {@code json.dumps} and pandas write for float32 values
 * widened to double are past it. They went to {@code Double.parseDouble} of a new String
 * (CSV cells: a 74 MB CSV of them ingested at 87 MB/s, now 187) or to FastDoubleParser
 * (prediction JSON: 45 ns a number). This follows Go's {@code strconv.eiselLemire64}
 * (from Nigel Tao's Wuffs), with its table of powers of ten rounded down to 128 bits,
 * computed here exactly at class load.
 */
public final class EiselLemire {

	/** The first power of ten in the table. */
	static final int MIN_EXP10 = -348;

	/** The last power of ten in the table. */
	static final int MAX_EXP10 = 347;

	/**
	 * The high and low 64 bits of each power of ten's 128-bit mantissa, its top bit set,
	 * rounded down: 10^e is about (HI, LO) * 2^(floor(e * log2 10) - 127).
	 */
	private static final long[] HI = new long[MAX_EXP10 - MIN_EXP10 + 1];

	private static final long[] LO = new long[HI.length];

	/** 5^0 to 5^27, every power of five a long holds. */
	private static final long[] POW5 = new long[28];

	static {
		POW5[0] = 1;
		for (int k = 1; k < POW5.length; k++) {
			POW5[k] = POW5[k - 1] * 5;
		}
		BigInteger mask = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
		for (int e = MIN_EXP10; e <= MAX_EXP10; e++) {
			BigInteger m;
			if (e >= 0) {
				BigInteger p = BigInteger.TEN.pow(e);
				int shift = 128 - p.bitLength();
				m = shift >= 0 ? p.shiftLeft(shift) : p.shiftRight(-shift);
			}
			else {
				BigInteger p = BigInteger.TEN.pow(-e);
				// 2^k / p with exactly 128 bits, rounded down
				int k = 127 + p.bitLength();
				m = BigInteger.ONE.shiftLeft(k).divide(p);
				if (m.bitLength() > 128) {
					m = BigInteger.ONE.shiftLeft(k - 1).divide(p);
				}
			}
			HI[e - MIN_EXP10] = m.shiftRight(64).longValue();
			LO[e - MIN_EXP10] = m.and(mask).longValue();
		}
	}

	private EiselLemire() {
	}

	/**
	 * (-)mantissa x 10^exp10, correctly rounded; NaN where this cannot tell (the JDK's
	 * parser then decides).
	 * @param mantissa the decimal digits as an unsigned 64-bit integer (at most 19
	 * digits, so it is exact)
	 */
	public static double toDouble(long mantissa, int exp10, boolean negative) {
		double v = eiselLemire(mantissa, exp10, negative);
		return Double.isNaN(v) ? dyadic(mantissa, exp10, negative) : v;
	}

	/**
	 * A decimal that is a double's exact value (m / 10^k with 5^k dividing m: the
	 * decimals printed for float32 values) is where the rounded-down table leaves
	 * Eisel-Lemire undecided; m / 5^k / 2^k is then one correctly rounded conversion and
	 * an exact scaling. NaN otherwise.
	 */
	private static double dyadic(long mantissa, int exp10, boolean negative) {
		if (exp10 >= 0 || exp10 < -POW5.length + 1 || mantissa < 0 || mantissa % POW5[-exp10] != 0) {
			return Double.NaN;
		}
		double v = Math.scalb((double) (mantissa / POW5[-exp10]), exp10);
		return negative ? -v : v;
	}

	private static double eiselLemire(long mantissa, int exp10, boolean negative) {
		if (mantissa == 0) {
			return negative ? -0.0 : 0.0;
		}
		if (exp10 < MIN_EXP10 || exp10 > MAX_EXP10) {
			return Double.NaN;
		}
		// normalization
		int clz = Long.numberOfLeadingZeros(mantissa);
		long man = mantissa << clz;
		long retExp2 = (((217706L * exp10) >> 16) + 64 + 1023) - clz;
		// multiplication
		int row = exp10 - MIN_EXP10;
		long xHi = unsignedMultiplyHigh(man, HI[row]);
		long xLo = man * HI[row];
		// wider approximation
		if ((xHi & 0x1FF) == 0x1FF && Long.compareUnsigned(xLo + man, man) < 0) {
			long yHi = unsignedMultiplyHigh(man, LO[row]);
			long yLo = man * LO[row];
			long mergedHi = xHi;
			long mergedLo = xLo + yHi;
			if (Long.compareUnsigned(mergedLo, xLo) < 0) {
				mergedHi++;
			}
			if ((mergedHi & 0x1FF) == 0x1FF && mergedLo + 1 == 0 && Long.compareUnsigned(yLo + man, man) < 0) {
				return Double.NaN;
			}
			xHi = mergedHi;
			xLo = mergedLo;
		}
		// shifting to 54 bits
		long msb = xHi >>> 63;
		long retMantissa = xHi >>> (msb + 9);
		retExp2 -= 1 ^ msb;
		// half-way ambiguity
		if (xLo == 0 && (xHi & 0x1FF) == 0 && (retMantissa & 3) == 1) {
			return Double.NaN;
		}
		// from 54 to 53 bits
		retMantissa += retMantissa & 1;
		retMantissa >>>= 1;
		if ((retMantissa >>> 53) > 0) {
			retMantissa >>>= 1;
			retExp2 += 1;
		}
		// zero or below is subnormal, 0x7FF or above infinite: the JDK decides
		if (retExp2 - 1 < 0 || retExp2 - 1 >= 0x7FF - 1) {
			return Double.NaN;
		}
		long bits = (retExp2 << 52) | (retMantissa & 0x000FFFFFFFFFFFFFL);
		if (negative) {
			bits |= 0x8000000000000000L;
		}
		return Double.longBitsToDouble(bits);
	}

	/** The high 64 bits of the unsigned 128-bit product (Math has it from Java 18). */
	static long unsignedMultiplyHigh(long x, long y) {
		return Math.multiplyHigh(x, y) + ((x >> 63) & y) + ((y >> 63) & x);
	}

}
