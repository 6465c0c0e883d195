package io.fitserve.ml.resample;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.fitserve.ml.data.DenseRows;
import io.fitserve.ml.preprocess.FeatureTransform;
import io.fitserve.ml.preprocess.Preprocessing;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The samplers against counts, neighbours and categories worked out by hand: exact rows
 * per class, under-sampling keeps a subset, every SMOTE row on the segment between its
 * row and one of that row's neighbours, and the same seed giving the same plan.
 */
class ResamplerTest {

	/** One numeric feature, already standardized (mean 0, scale 1). */
	static final Preprocessing ONE_NUMBER = new Preprocessing(List.of(FeatureTransform.numeric("x", 0, 1)));

	@Test
	void targetCountsFollowImbalancedLearnsFloatSamplingStrategy() {
		// raise every class below floor(ratio x largest) to it
		assertThat(Resampler.targetCounts(ResampleMethod.OVERSAMPLE, 1.0, new int[] { 6, 2 })).containsExactly(6, 6);
		assertThat(Resampler.targetCounts(ResampleMethod.SMOTE, 0.5, new int[] { 6, 2 })).containsExactly(6, 3);
		// 0.1 x 50 is 5 (not 4 after rounding down a 4.999...)
		assertThat(Resampler.targetCounts(ResampleMethod.SMOTE, 0.1, new int[] { 50, 2 })).containsExactly(50, 5);
		// multiclass: floor(0.5 x 10) = 5; a class above the goal and an absent class
		// stay
		assertThat(Resampler.targetCounts(ResampleMethod.OVERSAMPLE, 0.5, new int[] { 10, 4, 1, 7, 0 }))
			.containsExactly(10, 5, 5, 7, 0);
		// cut every class above floor(smallest / ratio) to it
		assertThat(Resampler.targetCounts(ResampleMethod.UNDERSAMPLE, 1.0, new int[] { 10, 4, 2 })).containsExactly(2,
				2, 2);
		assertThat(Resampler.targetCounts(ResampleMethod.UNDERSAMPLE, 0.5, new int[] { 10, 4, 2, 0 }))
			.containsExactly(4, 4, 2, 0);
		assertThat(Resampler.targetCounts(ResampleMethod.NONE, 0.5, new int[] { 10, 2 })).containsExactly(10, 2);
		assertThatThrownBy(() -> Resampler.targetCounts(ResampleMethod.SMOTE, 0, new int[] { 1, 2 }))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> Resampler.targetCounts(ResampleMethod.SMOTE, 1.5, new int[] { 1, 2 }))
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void oversampleKeepsEveryRowAndRepeatsRowsOfTheSmallClass() {
		int[] classes = { 0, 1, 0, 0, 2, 0, 0, 1, 0, 0 };
		// counts 7, 2, 1; ratio 0.5 -> goal 3: class 1 gets 1 repeat, class 2 gets 2
		ResamplePlan plan = Resampler.plan(ResampleMethod.OVERSAMPLE, 0.5, classes, 3, 7);
		assertThat(plan.countsBefore()).containsExactly(7, 2, 1);
		assertThat(plan.countsAfter()).containsExactly(7, 3, 3);
		assertThat(plan.rows()).isEqualTo(13);
		// the rows first, as they were, then the repeats class by class
		assertThat(Arrays.copyOf(plan.base(), 10)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
		assertThat(plan.base()[10]).isIn(1, 7);
		assertThat(plan.base()[11]).isEqualTo(4);
		assertThat(plan.base()[12]).isEqualTo(4);
		assertThat(Resampler.counts(plan.classes(classes), 3)).containsExactly(7, 3, 3);
		assertThat(plan.partner()).containsOnly(-1);
		assertThat(plan.hasSynthetic()).isFalse();
		assertThat(plan.targets(new double[] { 0, 1, 0, 0, 2, 0, 0, 1, 0, 0 })).containsExactly(0, 1, 0, 0, 2, 0, 0, 1,
				0, 0, 1, 2, 2);
	}

	@Test
	void undersampleKeepsASubsetInItsOrder() {
		int[] classes = new int[30];
		// 24 of class 0, 6 of class 1 at positions 0, 5, 10, ...
		for (int i = 0; i < 30; i++) {
			classes[i] = i % 5 == 0 ? 1 : 0;
		}
		ResamplePlan plan = Resampler.plan(ResampleMethod.UNDERSAMPLE, 0.5, classes, 2, 11);
		// floor(6 / 0.5) = 12 of class 0, all 6 of class 1
		assertThat(plan.countsAfter()).containsExactly(12, 6);
		assertThat(plan.rows()).isEqualTo(18);
		int[] base = plan.base();
		for (int i = 1; i < base.length; i++) {
			assertThat(base[i]).as("ascending, no repeat").isGreaterThan(base[i - 1]);
		}
		assertThat(Arrays.stream(base).filter(p -> p % 5 == 0).toArray()).containsExactly(0, 5, 10, 15, 20, 25);
		assertThat(Resampler.counts(plan.classes(classes), 2)).containsExactly(12, 6);
		DenseRows x = new DenseRows(Arrays.stream(identity(30)).asDoubleStream().toArray(), 30, 1);
		// applying a plan without synthetic rows picks the rows
		assertThat(Resampler.apply(plan, x, ONE_NUMBER).data())
			.containsExactly(Arrays.stream(base).asDoubleStream().toArray());
	}

	@Test
	void theSameSeedGivesTheSamePlanAndAnotherSeedAnother() {
		int[] classes = new int[200];
		for (int i = 0; i < 200; i++) {
			classes[i] = i % 10 == 0 ? 1 : 0;
		}
		DenseRows x = new DenseRows(Arrays.stream(identity(200)).mapToDouble(i -> Math.sin(i)).toArray(), 200, 1);
		for (ResampleMethod method : List.of(ResampleMethod.OVERSAMPLE, ResampleMethod.UNDERSAMPLE)) {
			assertThat(Resampler.plan(method, 1.0, classes, 2, 42).base())
				.containsExactly(Resampler.plan(method, 1.0, classes, 2, 42).base());
			assertThat(Resampler.plan(method, 1.0, classes, 2, 42).base())
				.isNotEqualTo(Resampler.plan(method, 1.0, classes, 2, 43).base());
		}
		ResamplePlan a = Resampler.smote(1.0, 5, classes, 2, x, ONE_NUMBER, 42);
		ResamplePlan b = Resampler.smote(1.0, 5, classes, 2, x, ONE_NUMBER, 42);
		assertThat(a.base()).containsExactly(b.base());
		assertThat(a.partner()).containsExactly(b.partner());
		assertThat(a.gap()).containsExactly(b.gap());
		assertThat(Resampler.apply(a, x, ONE_NUMBER).data()).containsExactly(Resampler.apply(b, x, ONE_NUMBER).data());
		assertThat(Resampler.smote(1.0, 5, classes, 2, x, ONE_NUMBER, 43).gap()).isNotEqualTo(a.gap());
	}

	@Test
	void nearestNeighboursWorkedByHand() {
		// rows 0..3 at 0, 1, 3, 10 (row 4 at 100 belongs to another class)
		DenseRows x = new DenseRows(new double[] { 0, 1, 3, 10, 100 }, 5, 1);
		int[][] nn = Resampler.nearest(x, new int[] { 0, 1, 2, 3 }, 2);
		// 0: 1 (d 1), 3 (d 3); 1: 0 (1), 3 (2); 3: 1 (2), 0 (3); 10: 3 (7), 1 (9)
		assertThat(nn[0]).containsExactly(1, 2);
		assertThat(nn[1]).containsExactly(0, 2);
		assertThat(nn[2]).containsExactly(1, 0);
		assertThat(nn[3]).containsExactly(2, 1);
	}

	@Test
	void everySmoteRowLiesBetweenItsRowAndOneOfItsNeighbours() {
		// majority class 0: 12 rows at 50..61; minority class 1: rows at 0, 1, 3, 10
		double[] values = new double[16];
		int[] classes = new int[16];
		for (int i = 0; i < 12; i++) {
			values[i] = 50 + i;
		}
		double[] minority = { 0, 1, 3, 10 };
		for (int i = 0; i < 4; i++) {
			values[12 + i] = minority[i];
			classes[12 + i] = 1;
		}
		DenseRows x = new DenseRows(values, 16, 1);
		ResamplePlan plan = Resampler.smote(1.0, 2, classes, 2, x, ONE_NUMBER, 5);
		assertThat(plan.countsAfter()).containsExactly(12, 12);
		assertThat(plan.rows()).isEqualTo(24);
		assertThat(plan.neighbours()).isEqualTo(2);
		DenseRows out = Resampler.apply(plan, x, ONE_NUMBER);
		// the rows first, unchanged
		assertThat(Arrays.copyOf(out.data(), 16)).containsExactly(values);
		// neighbours by position: 12 (at 0) -> 13, 14; 13 (1) -> 12, 14; 14 (3) -> 13,
		// 12; 15 (10) -> 14, 13
		int[][] neighbours = { { 13, 14 }, { 12, 14 }, { 13, 12 }, { 14, 13 } };
		Set<Double> gaps = new HashSet<>();
		for (int i = 16; i < 24; i++) {
			int a = plan.base()[i];
			int b = plan.partner()[i];
			assertThat(classes[a]).isEqualTo(1);
			assertThat(neighbours[a - 12]).contains(b);
			double gap = plan.gap()[i];
			assertThat(gap).isGreaterThanOrEqualTo(0).isLessThan(1);
			gaps.add(gap);
			assertThat(out.data()[i]).isCloseTo(values[a] + gap * (values[b] - values[a]), within(1e-12));
			assertThat(out.data()[i]).isBetween(Math.min(values[a], values[b]), Math.max(values[a], values[b]));
		}
		assertThat(gaps).hasSize(8);
		assertThat(Resampler.counts(plan.classes(classes), 2)).containsExactly(12, 12);
	}

	@Test
	void smoteCategoriesAreTheMajorityOfTheNeighbours() {
		// a number and a category (A, B, C) one-hot: [x, A, B, C]
		Preprocessing standard = new Preprocessing(List.of(FeatureTransform.numeric("x", 0, 1),
				FeatureTransform.categorical("c", FeatureTransform.CATEGORICAL, List.of("A", "B", "C"), "A")));
		// minority rows r0 (0, A), r1 (0.1, B), r2 (0.2, B), r3 (5, C) after 6 majority
		// rows. Squared distances (a different category adds 2):
		// r0: r1 2.01, r2 2.04, r3 27 -> {r1, r2}: B
		// r1: r2 0.01, r0 2.01 -> {r2, r0}: A and B tie, the first category: A
		// r2: r1 0.01, r0 2.04 -> {r1, r0}: A
		// r3: r2 25.04, r1 26.01 -> {r2, r1}: B
		double[][] rows = new double[10][];
		int[] classes = new int[10];
		for (int i = 0; i < 6; i++) {
			rows[i] = new double[] { 40 + i, 0, 0, 1 };
		}
		rows[6] = new double[] { 0, 1, 0, 0 };
		rows[7] = new double[] { 0.1, 0, 1, 0 };
		rows[8] = new double[] { 0.2, 0, 1, 0 };
		rows[9] = new double[] { 5, 0, 0, 1 };
		for (int i = 6; i < 10; i++) {
			classes[i] = 1;
		}
		DenseRows x = DenseRows.of(rows);
		ResamplePlan plan = Resampler.smote(1.0, 2, classes, 2, x, standard, 3);
		assertThat(plan.rows()).isEqualTo(12);
		int[] expectedCategory = { 1, 0, 0, 1 };
		DenseRows out = Resampler.apply(plan, x, standard);
		for (int i = 10; i < 12; i++) {
			int a = plan.base()[i];
			int category = expectedCategory[a - 6];
			assertThat(plan.categories()[i]).containsExactly(-1, category);
			double[] row = out.row(i);
			double[] oneHot = new double[3];
			oneHot[category] = 1;
			assertThat(Arrays.copyOfRange(row, 1, 4)).containsExactly(oneHot);
			int b = plan.partner()[i];
			assertThat(row[0]).isCloseTo(rows[a][0] + plan.gap()[i] * (rows[b][0] - rows[a][0]), within(1e-12));
		}
	}

	@Test
	void ordinalRowsInterpolateNumbersWithMissingAsTheMeanAndTakeTheChosenCategory() {
		Preprocessing standard = new Preprocessing(List.of(FeatureTransform.numeric("x", 2, 3),
				FeatureTransform.categorical("c", FeatureTransform.CATEGORICAL, List.of("A", "B", "C"), "A")));
		// raw numbers, categories as their index; row 0's number is missing
		double[][] ordinal = { { Double.NaN, 0 }, { 4, 2 } };
		ResamplePlan plan = new ResamplePlan(ResampleMethod.SMOTE, new int[] { 0, 1, 0 }, new int[] { -1, -1, 1 },
				new double[] { 0, 0, 0.25 }, new int[][] { null, null, { -1, 1 } }, 1, new int[] { 0, 2 },
				new int[] { 0, 3 });
		double[][] out = Resampler.applyOrdinal(plan, ordinal, standard);
		assertThat(out[0][0]).isNaN();
		assertThat(out[1]).containsExactly(4, 2);
		// 2 (the mean) + 0.25 x (4 - 2)
		assertThat(out[2]).containsExactly(2.5, 1);
	}

	@Test
	void smoteRefusesAClassWithNoMoreRowsThanNeighbours() {
		int[] classes = { 0, 0, 0, 0, 0, 0, 1, 1, 1 };
		DenseRows x = new DenseRows(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, 9, 1);
		assertThatThrownBy(() -> Resampler.smote(1.0, 3, classes, 2, x, ONE_NUMBER, 1))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("class 1 has 3 row(s); SMOTE with 3 neighbours needs at least 4");
		// two neighbours are enough for three rows
		assertThat(Resampler.smote(1.0, 2, classes, 2, x, ONE_NUMBER, 1).countsAfter()).containsExactly(6, 6);
		// a class that is not raised needs no neighbours
		assertThat(Resampler.smote(0.5, 3, classes, 2, x, ONE_NUMBER, 1).rows()).isEqualTo(9);
	}

	private static int[] identity(int n) {
		int[] out = new int[n];
		for (int i = 0; i < n; i++) {
			out[i] = i;
		}
		return out;
	}

}
