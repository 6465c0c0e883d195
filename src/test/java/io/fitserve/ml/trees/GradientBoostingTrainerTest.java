package io.fitserve.ml.trees;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GradientBoostingTrainerTest {

	private static final double[] X6 = { 1, 2, 3, 4, 5, 6 };

	private static GradientBoostingParams stump(TreeLoss loss) {
		return GradientBoostingParams.defaults(loss).withNEstimators(1).withTree(2, 0, 1).withThreads(1);
	}

	private static TreeEnsemble fit(GradientBoostingParams p, double[][] cols, double[] y, int classes) {
		return GradientBoostingTrainer.fit(p, FeatureKinds.allNumeric(cols.length), new TreeDataset(cols, y), null,
				classes, null);
	}

	@Test
	void squaredErrorStumpMatchesHandWorkedValues() {
		double[] y = { 1, 1, 1, 5, 5, 5 };
		TreeEnsemble m = fit(stump(TreeLoss.SQUARED_ERROR), new double[][] { X6 }, y, 0);
		// baseline = mean(y) = 3; gradients raw - y = (2,2,2,-2,-2,-2), hessians 1
		assertThat(m.baseline()).containsExactly(3.0);
		Tree t = m.trees().get(0);
		assertThat(t.nodeCount()).isEqualTo(3);
		assertThat(t.feature()[0]).isEqualTo(0);
		// the bin edge between the distinct values 3 and 4 (scikit-learn's midpoint)
		assertThat(t.threshold()[0]).isEqualTo(3.5);
		// leaf = -lr * G / (H + l2) = -0.1 * 6 / 3 and +0.1 * 6 / 3
		assertThat(t.value()[t.left()[0]]).isCloseTo(-0.2, within(1e-12));
		assertThat(t.value()[t.right()[0]]).isCloseTo(0.2, within(1e-12));
		assertThat(t.cover()).containsExactly(6.0, 3.0, 3.0);
		// gain = GL^2/HL + GR^2/HR - G^2/H = 36/3 + 36/3 - 0
		assertThat(t.gain()[0]).isCloseTo(24.0, within(1e-9));
		assertThat(m.predict(new double[] { 2 })[0]).isCloseTo(2.8, within(1e-12));
		assertThat(m.predict(new double[] { 5 })[0]).isCloseTo(3.2, within(1e-12));

		TreeEnsemble l2 = fit(stump(TreeLoss.SQUARED_ERROR).withL2(1.0), new double[][] { X6 }, y, 0);
		// -0.1 * 6 / (3 + 1)
		assertThat(l2.predict(new double[] { 2 })[0]).isCloseTo(3 - 0.15, within(1e-12));
	}

	@Test
	void absoluteErrorLeavesAreMedianResiduals() {
		double[] y = { 1, 2, 3, 10, 20, 100 };
		TreeEnsemble m = fit(stump(TreeLoss.ABSOLUTE_ERROR), new double[][] { X6 }, y, 0);
		// baseline = median = (3 + 10) / 2
		assertThat(m.baseline()[0]).isEqualTo(6.5);
		Tree t = m.trees().get(0);
		assertThat(t.threshold()[0]).isEqualTo(3.5);
		// left residuals -5.5, -4.5, -3.5 -> median -4.5; right 3.5, 13.5, 93.5 -> 13.5
		assertThat(t.value()[t.left()[0]]).isCloseTo(-0.45, within(1e-12));
		assertThat(t.value()[t.right()[0]]).isCloseTo(1.35, within(1e-12));
	}

	@Test
	void logLossBaselinesAreLogOddsAndCenteredLogPriors() {
		double[] x = new double[10];
		double[] y = { 1, 0, 0, 1, 0, 0, 1, 0, 0, 0 };
		TreeEnsemble m = fit(GradientBoostingParams.defaults(TreeLoss.LOG_LOSS).withNEstimators(0),
				new double[][] { x }, y, 2);
		assertThat(m.numOutputs()).isEqualTo(1);
		assertThat(m.baseline()[0]).isCloseTo(Math.log(0.3 / 0.7), within(1e-12));
		assertThat(m.predict(new double[] { 0 })).containsExactly(new double[] { 0.7, 0.3 }, within(1e-12));

		double[] y3 = { 0, 1, 1, 2, 2, 2, 2, 2, 1, 0 };
		TreeEnsemble m3 = fit(GradientBoostingParams.defaults(TreeLoss.LOG_LOSS).withNEstimators(0),
				new double[][] { x }, y3, 3);
		double mean = (Math.log(0.2) + Math.log(0.3) + Math.log(0.5)) / 3;
		assertThat(m3.baseline()).containsExactly(
				new double[] { Math.log(0.2) - mean, Math.log(0.3) - mean, Math.log(0.5) - mean }, within(1e-12));
		assertThat(m3.predict(new double[] { 0 })).containsExactly(new double[] { 0.2, 0.3, 0.5 }, within(1e-12));
	}

	@Test
	void missingValuesGoToTheSideThatFitsThem() {
		double nan = Double.NaN;
		double[] x = { 1, 2, 3, 4, 5, 6, nan, nan, nan, nan };
		double[] yHigh = { 0, 0, 0, 10, 10, 10, 10, 10, 10, 10 };
		TreeEnsemble high = fit(stump(TreeLoss.SQUARED_ERROR), new double[][] { x }, yHigh, 0);
		Tree t = high.trees().get(0);
		assertThat(t.threshold()[0]).isEqualTo(3.5);
		assertThat(t.missingLeft()[0]).isFalse();
		assertThat(high.predict(new double[] { nan })[0]).isEqualTo(high.predict(new double[] { 5 })[0]);

		double[] yLow = { 0, 0, 0, 10, 10, 10, 0, 0, 0, 0 };
		TreeEnsemble low = fit(stump(TreeLoss.SQUARED_ERROR), new double[][] { x }, yLow, 0);
		assertThat(low.trees().get(0).threshold()[0]).isEqualTo(3.5);
		assertThat(low.trees().get(0).missingLeft()[0]).isTrue();
		assertThat(low.predict(new double[] { nan })[0]).isEqualTo(low.predict(new double[] { 2 })[0]);
	}

	@Test
	void missingValuesUnseenInTrainingGoToTheBiggerChild() {
		double[] x = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
		double[] y = { 0, 0, 0, 5, 5, 5, 5, 5, 5, 5 };
		TreeEnsemble m = fit(stump(TreeLoss.SQUARED_ERROR), new double[][] { x }, y, 0);
		assertThat(m.trees().get(0).missingLeft()[0]).isFalse();
		assertThat(m.predict(new double[] { Double.NaN })[0]).isEqualTo(m.predict(new double[] { 9 })[0]);
		double[] y2 = { 0, 0, 0, 0, 0, 0, 0, 5, 5, 5 };
		TreeEnsemble m2 = fit(stump(TreeLoss.SQUARED_ERROR), new double[][] { x }, y2, 0);
		assertThat(m2.trees().get(0).missingLeft()[0]).isTrue();
		assertThat(m2.predict(new double[] { Double.NaN })[0]).isEqualTo(m2.predict(new double[] { 1 })[0]);
	}

	@Test
	void categoricalSplitSeparatesCodesAThresholdCannot() {
		int n = 80;
		double[] code = new double[n];
		double[] y = new double[n];
		for (int r = 0; r < n; r++) {
			code[r] = r % 4;
			y[r] = (r % 4 == 0 || r % 4 == 2) ? 10 : 0;
		}
		TreeDataset d = new TreeDataset(new double[][] { code }, y);
		GradientBoostingParams p = stump(TreeLoss.SQUARED_ERROR);
		TreeEnsemble cat = GradientBoostingTrainer.fit(p, FeatureKinds.of(1, new int[] { 0 }, new int[] { 5 }), d, null,
				0, null);
		Tree t = cat.trees().get(0);
		long[] left = t.leftCategories()[0];
		assertThat(left).isNotNull();
		boolean zeroTwoLeft = Tree.inBitset(left, 0) && Tree.inBitset(left, 2) && !Tree.inBitset(left, 1)
				&& !Tree.inBitset(left, 3);
		boolean oneThreeLeft = !Tree.inBitset(left, 0) && !Tree.inBitset(left, 2) && Tree.inBitset(left, 1)
				&& Tree.inBitset(left, 3);
		assertThat(zeroTwoLeft || oneThreeLeft).isTrue();
		// baseline 5, residual means -5 / +5: the stump moves each group by lr * 5
		assertThat(cat.predict(new double[] { 0 })[0]).isCloseTo(5.5, within(1e-12));
		assertThat(cat.predict(new double[] { 2 })[0]).isCloseTo(5.5, within(1e-12));
		assertThat(cat.predict(new double[] { 1 })[0]).isCloseTo(4.5, within(1e-12));
		assertThat(cat.predict(new double[] { 3 })[0]).isCloseTo(4.5, within(1e-12));
		// code 4 was never seen in training: treated as missing (like NaN)
		assertThat(cat.predict(new double[] { 4 })[0]).isEqualTo(cat.predict(new double[] { Double.NaN })[0]);

		// the same codes as a numeric feature: no single threshold separates {0,2} from
		// {1,3}; the best one isolates one code (e.g. {0} vs {1,2,3}: 0.1 * (5 + 5/3))
		TreeEnsemble num = fit(p, new double[][] { code }, y, 0);
		double spread = Math.abs(num.predict(new double[] { 0 })[0] - num.predict(new double[] { 1 })[0]);
		assertThat(spread).isCloseTo(0.1 * (5 + 5.0 / 3), within(1e-9));
		assertThat(cat.trainLoss()[0]).isLessThan(num.trainLoss()[0]);
	}

	@Test
	void fitsSeparableClassesWithMissingValuesAndCategoricals() {
		TreeDataset train = TreeTestData.classification(3000, 6, 2, true, true, 1);
		TreeDataset test = TreeTestData.classification(1000, 6, 2, true, true, 2);
		TreeEnsemble m = GradientBoostingTrainer.fit(GradientBoostingParams.defaults(TreeLoss.LOG_LOSS),
				TreeTestData.kinds(train, true), train, null, 2, null);
		assertThat(TreeTestData.accuracy(m, test)).isGreaterThan(0.85);
		double[] p = m.predict(TreeTestData.row(test, 0));
		assertThat(p[0] + p[1]).isCloseTo(1.0, within(1e-12));
		double[] imp = m.featureImportance();
		double sum = 0;
		for (double v : imp) {
			sum += v;
		}
		assertThat(sum).isCloseTo(1.0, within(1e-9));
		// features 3..5 are noise; feature 2 (weight 3) and the categorical carry the
		// signal
		assertThat(imp[2]).isGreaterThan(imp[3] + imp[4] + imp[5]);
		assertThat(imp[6]).isGreaterThan(imp[3]);
		assertThat(m.featureGains()[2]).isGreaterThan(0);
	}

	@Test
	void multinomialGrowsOneTreePerClassAndPredictsProbabilities() {
		TreeDataset train = TreeTestData.classification(3000, 5, 3, false, false, 3);
		TreeDataset test = TreeTestData.classification(1000, 5, 3, false, false, 4);
		TreeEnsemble m = GradientBoostingTrainer.fit(
				GradientBoostingParams.defaults(TreeLoss.LOG_LOSS).withNEstimators(50),
				TreeTestData.kinds(train, false), train, null, 3, null);
		assertThat(m.numOutputs()).isEqualTo(3);
		assertThat(m.trees()).hasSize(150);
		assertThat(m.iterations()).isEqualTo(50);
		double[] p = m.predict(TreeTestData.row(test, 0));
		assertThat(p).hasSize(3);
		assertThat(p[0] + p[1] + p[2]).isCloseTo(1.0, within(1e-12));
		assertThat(TreeTestData.accuracy(m, test)).isGreaterThan(0.75);
	}

	@Test
	void regressionLossesFit() {
		TreeDataset train = TreeTestData.regression(3000, 5, true, true, 5);
		TreeDataset test = TreeTestData.regression(1000, 5, true, true, 6);
		for (TreeLoss loss : new TreeLoss[] { TreeLoss.SQUARED_ERROR, TreeLoss.ABSOLUTE_ERROR, TreeLoss.HUBER }) {
			TreeEnsemble m = GradientBoostingTrainer.fit(GradientBoostingParams.defaults(loss),
					TreeTestData.kinds(train, true), train, null, 0, null);
			assertThat(TreeTestData.r2(m, test)).as(loss.name()).isGreaterThan(0.9);
			assertThat(m.trainLoss()[99]).as(loss.name()).isLessThan(m.trainLoss()[0]);
		}
	}

	@Test
	void earlyStoppingStopsOnNoiseAndKeepsTheBestIteration() {
		SplittableRandom rng = new SplittableRandom(7);
		TreeDataset train = noise(rng, 1000);
		TreeDataset validation = noise(rng, 500);
		List<Double> seen = new ArrayList<>();
		TreeEnsemble m = GradientBoostingTrainer.fit(
				GradientBoostingParams.defaults(TreeLoss.LOG_LOSS).withNEstimators(200),
				FeatureKinds.allNumeric(train.features()), train, validation, 2, new TreeTrainingListener() {
					@Override
					public void onIteration(int iteration, double trainLoss, double validationLoss) {
						seen.add(validationLoss);
					}
				});
		assertThat(m.iterationsRun()).isLessThan(200);
		assertThat(seen).hasSize(m.iterationsRun());
		double[] v = m.validationLoss();
		assertThat(v).hasSize(m.iterationsRun() + 1);
		int best = 0;
		for (int i = 1; i < v.length; i++) {
			if (v[i] < v[best]) {
				best = i;
			}
		}
		assertThat(m.iterations()).isEqualTo(best);
		assertThat(m.trees()).hasSize(best);
		// sklearn's rule: none of the last 10 losses beat the one 11 back by more than
		// tol
		int run = m.iterationsRun();
		for (int i = run - 9; i <= run; i++) {
			assertThat(v[i]).isGreaterThanOrEqualTo(v[run - 10] - 1e-7);
		}
		GradientBoostingParams refit = GradientBoostingParams.defaults(TreeLoss.LOG_LOSS).forRefit(m);
		assertThat(refit.nEstimators()).isEqualTo(m.iterations());
		assertThat(refit.earlyStoppingRounds()).isZero();

		TreeEnsemble all = GradientBoostingTrainer.fit(
				GradientBoostingParams.defaults(TreeLoss.LOG_LOSS)
					.withNEstimators(200)
					.withEarlyStopping(10, 1e-7, false),
				FeatureKinds.allNumeric(train.features()), train, validation, 2, null);
		assertThat(all.iterations()).isEqualTo(all.iterationsRun()).isEqualTo(m.iterationsRun());
	}

	private static TreeDataset noise(SplittableRandom rng, int n) {
		double[][] cols = new double[5][n];
		double[] y = new double[n];
		for (int r = 0; r < n; r++) {
			for (int f = 0; f < 5; f++) {
				cols[f][r] = rng.nextDouble();
			}
			y[r] = rng.nextInt(2);
		}
		return new TreeDataset(cols, y);
	}

	@Test
	void sampleWeightsChangeTheFit() {
		TreeDataset d = TreeTestData.classification(2000, 5, 2, false, false, 8);
		double[] w = new double[d.rows()];
		double n1 = 0;
		for (int r = 0; r < w.length; r++) {
			w[r] = (d.y()[r] == 1) ? 5 : 1;
			n1 += d.y()[r];
		}
		TreeDataset weighted = new TreeDataset(d.columns(), d.y(), w);
		GradientBoostingParams p = GradientBoostingParams.defaults(TreeLoss.LOG_LOSS).withNEstimators(20);
		TreeEnsemble plain = GradientBoostingTrainer.fit(p, FeatureKinds.allNumeric(5), d, null, 2, null);
		TreeEnsemble heavy = GradientBoostingTrainer.fit(p, FeatureKinds.allNumeric(5), weighted, null, 2, null);
		// weighted prior: 5 * n1 / n0
		assertThat(heavy.baseline()[0]).isCloseTo(Math.log(5 * n1 / (d.rows() - n1)), within(1e-12));
		assertThat(plain.baseline()[0]).isCloseTo(Math.log(n1 / (d.rows() - n1)), within(1e-12));
		double meanPlain = 0;
		double meanHeavy = 0;
		for (int r = 0; r < d.rows(); r++) {
			meanPlain += plain.predict(TreeTestData.row(d, r))[1];
			meanHeavy += heavy.predict(TreeTestData.row(d, r))[1];
		}
		assertThat(meanHeavy).isGreaterThan(meanPlain + 0.02 * d.rows());
		// the cover of the root is the total weight
		assertThat(heavy.trees().get(0).cover()[0]).isCloseTo(4 * n1 + d.rows(), within(1e-9));
	}

	@Test
	void sameSeedGivesTheSameModelForAnyThreadCount() {
		TreeDataset d = TreeTestData.classification(30_000, 8, 3, true, true, 9);
		GradientBoostingParams p = GradientBoostingParams.defaults(TreeLoss.LOG_LOSS)
			.withNEstimators(15)
			.withSampling(0.7, 0.8, 42);
		TreeEnsemble one = GradientBoostingTrainer.fit(p.withThreads(1), TreeTestData.kinds(d, true), d, null, 3, null);
		TreeEnsemble four = GradientBoostingTrainer.fit(p.withThreads(4), TreeTestData.kinds(d, true), d, null, 3,
				null);
		TreeAssertions.assertSameModel(one, four);
		TreeEnsemble otherSeed = GradientBoostingTrainer.fit(p.withSampling(0.7, 0.8, 43).withThreads(4),
				TreeTestData.kinds(d, true), d, null, 3, null);
		assertThat(TreeAssertions.sameTrees(one, otherSeed)).isFalse();
	}

	@Test
	void cancellationThrowsBetweenIterations() {
		TreeDataset d = TreeTestData.classification(500, 4, 2, false, false, 10);
		int[] calls = { 0 };
		TreeTrainingListener stopAfterThree = new TreeTrainingListener() {
			@Override
			public void onIteration(int iteration, double trainLoss, double validationLoss) {
				calls[0] = iteration;
			}

			@Override
			public boolean cancelled() {
				return calls[0] >= 3;
			}
		};
		assertThatThrownBy(() -> GradientBoostingTrainer.fit(GradientBoostingParams.defaults(TreeLoss.LOG_LOSS),
				FeatureKinds.allNumeric(4), d, null, 2, stopAfterThree))
			.isInstanceOf(CancellationException.class);
		assertThat(calls[0]).isEqualTo(3);
	}

	@Test
	void rejectsBadTargets() {
		double[][] cols = { X6 };
		assertThatThrownBy(() -> fit(stump(TreeLoss.LOG_LOSS), cols, new double[] { 0, 1, 2, 0, 1, 0 }, 2))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(
				() -> fit(stump(TreeLoss.SQUARED_ERROR), cols, new double[] { 0, 1, Double.NaN, 0, 1, 0 }, 0))
			.isInstanceOf(IllegalArgumentException.class);
	}

}
