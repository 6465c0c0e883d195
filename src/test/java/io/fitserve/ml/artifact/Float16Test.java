package io.fitserve.ml.artifact;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IEEE binary16 against known bit patterns (normal, subnormal, zero, infinity, NaN,
 * overflow, ties to even), and every half's neighbours exhaustively.
 */
class Float16Test {

	private static int bits(double value) {
		return Float16.fromDouble(value) & 0xffff;
	}

	@Test
	void knownValuesHaveTheirBitPatterns() {
		assertThat(bits(1.0)).isEqualTo(0x3c00);
		assertThat(bits(-2.0)).isEqualTo(0xc000);
		assertThat(bits(0.5)).isEqualTo(0x3800);
		// 0.1 is 0.0999755859375 as a half: 1.1001100110 x 2^-4
		assertThat(bits(0.1)).isEqualTo(0x2e66);
		assertThat(Float16.toDouble((short) 0x2e66)).isEqualTo(0.0999755859375);
		// 1/3: 1.0101010101 x 2^-2 = 0.333251953125
		assertThat(bits(1.0 / 3)).isEqualTo(0x3555);
		assertThat(Float16.toDouble((short) 0x3555)).isEqualTo(0.333251953125);
		assertThat(bits(65504)).isEqualTo(0x7bff);
		assertThat(Float16.toDouble((short) 0x7bff)).isEqualTo(65504.0);
		assertThat(bits(0.0)).isEqualTo(0x0000);
		assertThat(bits(-0.0)).isEqualTo(0x8000);
		assertThat(Double.doubleToRawLongBits(Float16.toDouble((short) 0x8000)))
			.isEqualTo(Double.doubleToRawLongBits(-0.0));
	}

	@Test
	void subnormalsRoundAtTwoToTheMinus24() {
		assertThat(bits(0x1p-14)).as("smallest normal").isEqualTo(0x0400);
		assertThat(bits(0x1p-24)).as("smallest subnormal").isEqualTo(0x0001);
		assertThat(Float16.toDouble((short) 0x0001)).isEqualTo(5.960464477539063E-8);
		assertThat(bits(0x1p-14 - 0x1p-24)).as("largest subnormal").isEqualTo(0x03ff);
		assertThat(Float16.toDouble((short) 0x03ff)).isEqualTo(0x1p-14 - 0x1p-24);
		assertThat(bits(0x1p-25)).as("half the smallest subnormal: a tie, to the even zero").isEqualTo(0x0000);
		assertThat(bits(Math.nextUp(0x1p-25))).as("just above the tie").isEqualTo(0x0001);
		assertThat(bits(3 * 0x1p-25)).as("1.5 x 2^-24: a tie, to the even 2").isEqualTo(0x0002);
		assertThat(bits(0x1p-26)).isEqualTo(0x0000);
		assertThat(bits(-0x1p-30)).as("underflow keeps the sign").isEqualTo(0x8000);
		assertThat(bits(Double.MIN_VALUE)).isEqualTo(0x0000);
		// above the midpoint of the largest subnormal and the smallest normal: the carry
		// makes it normal
		assertThat(bits(0x1p-14 - 0x1p-26)).isEqualTo(0x0400);
	}

	@Test
	void overflowInfinityAndNaN() {
		assertThat(bits(65519.99)).as("below the midpoint of 65504 and 65536").isEqualTo(0x7bff);
		assertThat(bits(65520)).as("the midpoint: a tie, to the even infinity").isEqualTo(0x7c00);
		assertThat(bits(1e6)).isEqualTo(0x7c00);
		assertThat(bits(-1e300)).isEqualTo(0xfc00);
		assertThat(bits(Double.POSITIVE_INFINITY)).isEqualTo(0x7c00);
		assertThat(bits(Double.NEGATIVE_INFINITY)).isEqualTo(0xfc00);
		assertThat(Float16.toDouble((short) 0x7c00)).isEqualTo(Double.POSITIVE_INFINITY);
		assertThat(Float16.toDouble((short) 0xfc00)).isEqualTo(Double.NEGATIVE_INFINITY);
		assertThat(bits(Double.NaN)).isEqualTo(0x7e00);
		assertThat(Float16.toDouble((short) 0x7e00)).isNaN();
		assertThat(Float16.toDouble((short) 0x7c01)).as("a signalling NaN pattern").isNaN();
	}

	@Test
	void tiesGoToTheEvenNeighbourAndRoundingHappensOnce() {
		assertThat(bits(1 + 0x1p-11)).as("between 0x3c00 and 0x3c01").isEqualTo(0x3c00);
		assertThat(bits(1 + 3 * 0x1p-11)).as("between 0x3c01 and 0x3c02").isEqualTo(0x3c02);
		assertThat(bits(2 - 0x1p-12)).as("above the midpoint below 2: carries into the exponent").isEqualTo(0x4000);
		// through a float this would round twice: to 1 + 2^-11 (float has 23 fraction
		// bits), then as a tie to 0x3c00
		assertThat(bits(1 + 0x1p-11 + 0x1p-40)).isEqualTo(0x3c01);
	}

	@Test
	void everyHalfRoundTripsAndEveryMidpointGoesToTheEvenNeighbour() {
		for (int h = 0; h < 0x10000; h++) {
			double value = Float16.toDouble((short) h);
			if (Double.isNaN(value)) {
				assertThat((h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0).as("NaN pattern %x", h).isTrue();
				continue;
			}
			assertThat(bits(value)).as("round trip of %x", h).isEqualTo(h);
		}
		for (int h = 0; h < 0x7bff; h++) {
			double low = Float16.toDouble((short) h);
			double high = Float16.toDouble((short) (h + 1));
			double mid = (low + high) / 2;
			int even = (h % 2 == 0) ? h : h + 1;
			assertThat(bits(mid)).as("midpoint above %x", h).isEqualTo(even);
			assertThat(bits(Math.nextDown(mid))).as("below the midpoint above %x", h).isEqualTo(h);
			assertThat(bits(Math.nextUp(mid))).as("above the midpoint above %x", h).isEqualTo(h + 1);
			assertThat(bits(-mid)).as("negative midpoint above %x", h).isEqualTo(0x8000 | even);
		}
	}

}
