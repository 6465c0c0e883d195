package io.fitserve.ml.data;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SplitsTest {

	private static int[] all(Split s) {
		return IntStream
			.concat(IntStream.concat(Arrays.stream(s.train()), Arrays.stream(s.validation())), Arrays.stream(s.test()))
			.sorted()
			.toArray();
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
	void classesRankedThroughAnArrayOrAMapSplitAlike() {
		// class indices 0-4 are ranked through an array; the same classes spread over a
		// range too wide for one (and negative) through a sorted map: the same groups in
		// the same order, so the same split
		java.util.SplittableRandom random = new java.util.SplittableRandom(3);
		int n = 5_000;
		int[] small = new int[n];
		int[] spread = new int[n];
		for (int i = 0; i < n; i++) {
			small[i] = random.nextInt(5);
			spread[i] = small[i] * 1_000_003 - 2_000_000;
		}
		Split a = Splits.split(n, small, 0.1, 0.2, 11);
		Split b = Splits.split(n, spread, 0.1, 0.2, 11);
		assertThat(a.train()).containsExactly(b.train());
		assertThat(a.validation()).containsExactly(b.validation());
		assertThat(a.test()).containsExactly(b.test());
		// a class missing from the range: 0, 2 and 4 only
		int[] gaps = Arrays.stream(small).map(c -> c / 2 * 2).toArray();
		int[] gapsSpread = Arrays.stream(gaps).map(c -> c * 1_000_003 - 2_000_000).toArray();
		assertThat(Splits.split(n, gaps, 0.1, 0.2, 11).test())
			.containsExactly(Splits.split(n, gapsSpread, 0.1, 0.2, 11).test());
	}

	@Test
	void smallClassesKeepATrainingRow() {
		// class 0: 2 rows, round(1.0)=1 test + round(0.8)=1 validation would leave none:
		// validation is cut class 1: 1 row -> train; class 2: 3 rows -> test
		// round(1.5)=2, validation round(1.2)=1 -> validation cut to 0
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

	private static int[] concatenated(List<int[]> folds) {
		return folds.stream().flatMapToInt(Arrays::stream).sorted().toArray();
	}

	@Test
	void plainKFoldSizes() {
		// 10 rows, 3 folds: 10 = 3*3 + 1, so the first fold has one more: 4, 3, 3
		List<int[]> folds = Splits.kFold(10, null, 3, false, 5);
		assertThat(folds).extracting(f -> f.length).containsExactly(4, 3, 3);
		assertThat(concatenated(folds)).containsExactly(IntStream.range(0, 10).toArray());
		assertThat(folds).allSatisfy(f -> assertThat(f).isSorted());
		List<int[]> again = Splits.kFold(10, null, 3, false, 5);
		for (int f = 0; f < 3; f++) {
			assertThat(again.get(f)).containsExactly(folds.get(f));
		}
		// rows are shuffled before cutting, and the seed matters
		assertThat(Splits.kFold(100, null, 4, false, 1).get(0)).isNotEqualTo(IntStream.range(0, 25).toArray());
		assertThat(Splits.kFold(100, null, 4, false, 1).get(0))
			.isNotEqualTo(Splits.kFold(100, null, 4, false, 2).get(0));
		// classes are ignored unless stratified
		assertThat(Splits.kFold(4, new int[] { 0, 0, 0, 1 }, 2, false, 3)).extracting(f -> f.length)
			.containsExactly(2, 2);
		// folds == rows: leave-one-out
		assertThat(Splits.kFold(3, null, 3, false, 9)).extracting(f -> f.length).containsExactly(1, 1, 1);
	}

	@Test
	void stratifiedKFoldDealsEachClassEvenly() {
		// class 0: 5 rows dealt to folds 0,1,2,0,1 -> 2,2,1; class 1 continues: folds
		// 2,0,1 -> 1,1,1 fold sizes 3, 3, 2
		int[] classes = { 1, 0, 0, 1, 0, 0, 1, 0 };
		List<int[]> folds = Splits.kFold(8, classes, 3, true, 17);
		assertThat(folds).extracting(f -> f.length).containsExactly(3, 3, 2);
		assertThat(folds).extracting(f -> count(f, classes, 0)).containsExactly(2L, 2L, 1L);
		assertThat(folds).extracting(f -> count(f, classes, 1)).containsExactly(1L, 1L, 1L);
		assertThat(concatenated(folds)).containsExactly(IntStream.range(0, 8).toArray());

		// three classes of 4 rows, 3 folds: dealing continues across classes, so the
		// extra rows rotate: class 0 -> folds 0,1,2,0 (2,1,1); class 1 -> 1,2,0,1
		// (1,2,1); class 2 -> 2,0,1,2 (1,1,2); sizes 4, 4, 4 (restarting at fold 0 for
		// every class would give 6, 3, 3)
		int[] three = { 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1 };
		List<int[]> f3 = Splits.kFold(12, three, 3, true, 4);
		assertThat(f3).extracting(f -> f.length).containsExactly(4, 4, 4);
		assertThat(f3).extracting(f -> count(f, three, 0)).containsExactly(2L, 1L, 1L);
		assertThat(f3).extracting(f -> count(f, three, 1)).containsExactly(1L, 2L, 1L);
		assertThat(f3).extracting(f -> count(f, three, 2)).containsExactly(1L, 1L, 2L);
		assertThat(concatenated(f3)).containsExactly(IntStream.range(0, 12).toArray());

		// deterministic per seed; which rows of a class land in which fold depends on it
		List<int[]> again = Splits.kFold(12, three, 3, true, 4);
		for (int f = 0; f < 3; f++) {
			assertThat(again.get(f)).containsExactly(f3.get(f));
		}
		int[] many = IntStream.range(0, 200).map(i -> i % 3).toArray();
		assertThat(Splits.kFold(200, many, 5, true, 1).get(0)).isNotEqualTo(Splits.kFold(200, many, 5, true, 2).get(0));
	}

	@Test
	void kFoldRejectsBadArguments() {
		assertThatIllegalArgumentException().isThrownBy(() -> Splits.kFold(10, null, 1, false, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> Splits.kFold(3, null, 4, false, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> Splits.kFold(4, null, 2, true, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> Splits.kFold(4, new int[] { 0, 1 }, 2, true, 1));
	}

	@Test
	void rejectsBadArguments() {
		assertThatIllegalArgumentException().isThrownBy(() -> Splits.split(10, null, 0.5, 0.5, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> Splits.split(10, null, -0.1, 0.2, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> Splits.split(10, null, Double.NaN, 0.2, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> Splits.split(3, new int[] { 0, 1 }, 0.2, 0.2, 1));
	}

}
