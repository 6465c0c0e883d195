package io.fitserve.ml;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SplitsTest {

	private static int[] all(Split s) {
		return IntStream.concat(IntStream.concat(Arrays.stream(s.train()), Arrays.stream(s.validation())),
				Arrays.stream(s.test())).sorted().toArray();
	}

	private static long count(int[] rows, int[] classes, int c) {
		return Arrays.stream(rows).filter(r -> classes[r] == c).count();
	}

	@Test
	void randomSplitSizesAndDeterminism() {
		// 10 rows: test round(3.0) = 3, validation round(2.0) = 2, train 5
		Split s = Splits.split(10, null, 0.2, 0.3, 42);
		assertThat(s.train()).hasSize(5);
		assertThat(s.validation()).hasSize(2);
		assertThat(s.test()).hasSize(3);
		assertThat(all(s)).containsExactly(IntStream.range(0, 10).toArray());
		Split again = Splits.split(10, null, 0.2, 0.3, 42);
		assertThat(again.train()).containsExactly(s.train());
		assertThat(again.validation()).containsExactly(s.validation());
		assertThat(again.test()).containsExactly(s.test());
		Split big1 = Splits.split(1000, null, 0.1, 0.1, 1);
		Split big2 = Splits.split(1000, null, 0.1, 0.1, 2);
		assertThat(big1.train()).isNotEqualTo(big2.train());
		assertThat(big1.train()).isNotEqualTo(IntStream.range(0, 800).toArray()); // shuffled
	}

	@Test
	void zeroFractionsGiveEmptyParts() {
		Split s = Splits.split(7, null, 0.0, 0.0, 3);
		assertThat(s.train()).hasSize(7);
		assertThat(s.validation()).isEmpty();
		assertThat(s.test()).isEmpty();
		Split t = Splits.split(7, new int[] { 0, 1, 0, 1, 0, 1, 2 }, 0.0, 0.4, 3);
		assertThat(t.validation()).isEmpty();
		assertThat(Splits.split(0, null, 0.2, 0.2, 1).train()).isEmpty();
	}

	@Test
	void stratifiedKeepsClassProportions() {
		// class 0: 6 rows -> test round(3.0)=3, validation round(1.2)=1, train 2
		// class 1: 4 rows -> test round(2.0)=2, validation round(0.8)=1, train 1
		int[] classes = { 0, 1, 0, 0, 1, 0, 1, 0, 1, 0 };
		Split s = Splits.split(10, classes, 0.2, 0.5, 7);
		assertThat(count(s.test(), classes, 0)).isEqualTo(3);
		assertThat(count(s.test(), classes, 1)).isEqualTo(2);
		assertThat(count(s.validation(), classes, 0)).isEqualTo(1);
		assertThat(count(s.validation(), classes, 1)).isEqualTo(1);
		assertThat(count(s.train(), classes, 0)).isEqualTo(2);
		assertThat(count(s.train(), classes, 1)).isEqualTo(1);
		assertThat(all(s)).containsExactly(IntStream.range(0, 10).toArray());
		Split again = Splits.split(10, classes, 0.2, 0.5, 7);
		assertThat(again.train()).containsExactly(s.train());
		assertThat(again.test()).containsExactly(s.test());
	}

	@Test
	void smallClassesKeepATrainingRow() {
		// class 0: 2 rows, round(1.0)=1 test + round(0.8)=1 validation would leave none: validation is cut
		// class 1: 1 row -> train; class 2: 3 rows -> test round(1.5)=2, validation round(1.2)=1 -> validation cut to 0
		int[] classes = { 0, 0, 1, 2, 2, 2 };
		Split s = Splits.split(6, classes, 0.4, 0.5, 11);
		assertThat(count(s.train(), classes, 0)).isEqualTo(1);
		assertThat(count(s.test(), classes, 0)).isEqualTo(1);
		assertThat(count(s.train(), classes, 1)).isEqualTo(1);
		assertThat(count(s.train(), classes, 2)).isEqualTo(1);
		assertThat(count(s.test(), classes, 2)).isEqualTo(2);
		assertThat(s.validation()).isEmpty();
		// and for the unstratified case: 1 row stays in train
		assertThat(Splits.split(1, null, 0.3, 0.6, 1).train()).containsExactly(0);
	}

	@Test
	void rejectsBadArguments() {
		assertThatIllegalArgumentException().isThrownBy(() -> Splits.split(10, null, 0.5, 0.5, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> Splits.split(10, null, -0.1, 0.2, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> Splits.split(10, null, Double.NaN, 0.2, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> Splits.split(3, new int[] { 0, 1 }, 0.2, 0.2, 1));
	}

}
