package io.fitserve.datasets;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every answer Eisel-Lemire gives is the double the JDK's parser reads from the same
 * decimal, bit for bit; it leaves only rare inputs to the JDK.
 */
class EiselLemireTest {

	@Test
	void theTableHoldsTheTruncatedMantissasOfPowersOfTen() {
		// 10^0 is exactly 2^127 x 2^-127 when normalized to 128 bits: 1 then zeros
		assertThat(EiselLemire.toDouble(1, 0, false)).isEqualTo(1.0);
		// Go's strconv documents two rows: 1e43 and 1e-348's neighbour are checked
		// through the values they give
		assertThat(EiselLemire.toDouble(1, 43, false)).isEqualTo(1e43);
		assertThat(EiselLemire.toDouble(1, 22, false)).isEqualTo(1e22);
		assertThat(EiselLemire.toDouble(1, -1, false)).isEqualTo(0.1);
		assertThat(EiselLemire.toDouble(3, -1, true)).isEqualTo(-0.3);
	}

	@Test
	void float32ValuesWidenedToDoubleAreReadAsTheJdkReadsThem() {
		SplittableRandom random = new SplittableRandom(5);
		int answered = 0;
		int tried = 0;
		for (int i = 0; i < 200_000; i++) {
			float f = (float) (Math.round(random.nextGaussian() * 1e4 * Math.pow(10, random.nextInt(-3, 4))) / 1e4);
			String text = Double.toString(f);
			if (text.contains("E")) {
				continue;
			}
			BigDecimal exact = new BigDecimal(text);
			BigInteger unscaled = exact.unscaledValue().abs();
			if (unscaled.bitLength() > 63) {
				continue;
			}
			tried++;
			// as the parsers ask: Clinger's exact path first (it takes the dyadic
			// decimals
			// Eisel-Lemire's rounded-down table cannot settle), then Eisel-Lemire
			double v = ValueParser.exactDecimal(unscaled.longValue(), -exact.scale(), exact.signum() < 0);
			if (Double.isNaN(v)) {
				v = EiselLemire.toDouble(unscaled.longValue(), -exact.scale(), exact.signum() < 0);
			}
			if (!Double.isNaN(v)) {
				answered++;
				assertThat(Double.doubleToRawLongBits(v)).as(text)
					.isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
			}
		}
		assertThat(tried).isGreaterThan(100_000);
		assertThat(answered).isGreaterThan(tried * 99 / 100);
	}

	@Test
	void everyPowerOfTenInTheTableGivesTheJdksBits() {
		SplittableRandom random = new SplittableRandom(17);
		long answered = 0;
		long tried = 0;
		for (int e = EiselLemire.MIN_EXP10; e <= EiselLemire.MAX_EXP10; e++) {
			for (int k = 0; k < 400; k++) {
				// 1 to 19 digits, the top ones too
				int digits = 1 + random.nextInt(19);
				long m = digits == 19 ? random.nextLong(1_000_000_000_000_000_000L, Long.MAX_VALUE)
						: random.nextLong(1, pow10(digits));
				boolean negative = random.nextBoolean();
				check(m, e, negative);
				tried++;
				if (!Double.isNaN(EiselLemire.toDouble(m, e, negative))) {
					answered++;
				}
			}
		}
		// subnormal and infinite results are left to the JDK; the rest is answered
		assertThat(answered).isGreaterThan(tried * 8 / 10);
	}

	@Test
	void halfwayAndNearHalfwayDecimalsAreRoundedAsTheJdkRoundsThem() {
		// 2^53 + 1 is halfway between two doubles: ties to even. Its neighbours, and
		// the same at other scales, are just above and below a halfway point.
		long[] mantissas = { 9007199254740993L, 9007199254740992L, 9007199254740994L, 9007199254740995L,
				4503599627370497L, 18014398509481985L, 18014398509481986L, 1152921504606846977L, 999999999999999999L,
				1000000000000000000L, 7205759403792794L, 9223372036854775807L, 2225073858507201L, 17976931348623157L,
				49406564584124654L };
		for (long m : mantissas) {
			for (int e = -330; e <= 310; e++) {
				check(m, e, false);
				check(m, e, true);
			}
		}
	}

	private static void check(long m, int e, boolean negative) {
		double v = EiselLemire.toDouble(m, e, negative);
		if (Double.isNaN(v)) {
			return;
		}
		String text = (negative ? "-" : "") + Long.toUnsignedString(m) + "e" + e;
		assertThat(Double.doubleToRawLongBits(v)).as(text)
			.isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
	}

	private static long pow10(int digits) {
		long p = 1;
		for (int i = 0; i < digits; i++) {
			p *= 10;
		}
		return p;
	}

}
