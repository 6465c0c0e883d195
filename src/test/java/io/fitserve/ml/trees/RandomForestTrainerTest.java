package io.fitserve.ml.trees;

import java.util.concurrent.CancellationException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RandomForestTrainerTest {

	/** One tree on all rows and all features: a plain CART tree. */
	private static RandomForestParams oneTree(int maxDepth) {
		return RandomForestParams.classifierDefaults()
			.withNEstimators(1)
			.withBootstrap(false)
			.withMaxFeatures(1.0)
			.withTree(maxDepth, 2, 1)
			.withThreads(1);
	}

	@Test
	void depthOneGiniSplitMatchesHandWorkedValues() {
		double[] x = { 1, 2, 3, 4, 5, 6 };
		double[] y = { 0, 0, 1, 0, 1, 1 };
		TreeEnsemble m = RandomForestTrainer.fit(oneTree(1), FeatureKinds.allNumeric(1),
				new TreeDataset(new double[][] { x }, y), 2, null);
		Tree t = m.trees().get(0);
		assertThat(t.nodeCount()).isEqualTo(3);
		// thresholds 2.5 and 4.5 both reach sum(L^2)/W_L + sum(R^2)/W_R = 4.5 (the best);
		// the first one wins. Gini decrease = 4.5 - (3^2 + 3^2)/6 = 1.5
		assertThat(t.threshold()[0]).isEqualTo(2.5);
		assertThat(t.gain()[0]).isCloseTo(1.5, within(1e-12));
		int l = t.left()[0];
		int r = t.right()[0];
		assertThat(new double[] { t.value()[2 * l], t.value()[2 * l + 1] }).containsExactly(1.0, 0.0);
		assertThat(new double[] { t.value()[2 * r], t.value()[2 * r + 1] }).containsExactly(0.25, 0.75);
		assertThat(t.cover()).containsExactly(6.0, 2.0, 4.0);
		assertThat(m.predict(new double[] { 5 })).containsExactly(0.25, 0.75);
	}

	@Test
	void regressionLeavesAreMeans() {
		double[] x = { 1, 2, 3, 4, 5, 6 };
		double[] y = { 1, 2, 3, 10, 11, 12 };
		RandomForestParams p = RandomForestParams.regressorDefaults()
			.withNEstimators(1)
			.withBootstrap(false)
			.withTree(1, 2, 1);
		TreeEnsemble m = RandomForestTrainer.fit(p, FeatureKinds.allNumeric(1),
				new TreeDataset(new double[][] { x }, y), 0, null);
		assertThat(m.trees().get(0).threshold()[0]).isEqualTo(3.5);
		assertThat(m.predict(new double[] { 2 })[0]).isCloseTo(2.0, within(1e-12));
		assertThat(m.predict(new double[] { 6 })[0]).isCloseTo(11.0, within(1e-12));
		// unlimited depth, no bootstrap: every training row is fitted exactly
		TreeEnsemble deep = RandomForestTrainer.fit(p.withTree(0, 2, 1), FeatureKinds.allNumeric(1),
				new TreeDataset(new double[][] { x }, y), 0, null);
		for (int i = 0; i < 6; i++) {
			assertThat(deep.predict(new double[] { x[i] })[0]).isCloseTo(y[i], within(1e-12));
		}
	}

	@Test
	void missingValuesGoToTheSideThatFitsThem() {
		double nan = Double.NaN;
		double[] x = { 1, 2, 3, 4, 5, 6, nan, nan, nan };
		double[] y = { 0, 0, 0, 1, 1, 1, 0, 0, 0 };
		TreeEnsemble m = RandomForestTrainer.fit(oneTree(1), FeatureKinds.allNumeric(1),
				new TreeDataset(new double[][] { x }, y), 2, null);
		Tree t = m.trees().get(0);
		assertThat(t.missingLeft()[0]).isTrue();
		assertThat(m.predict(new double[] { nan })).containsExactly(1.0, 0.0);
		double[] y2 = { 0, 0, 0, 1, 1, 1, 1, 1, 1 };
		TreeEnsemble m2 = RandomForestTrainer.fit(oneTree(1), FeatureKinds.allNumeric(1),
				new TreeDataset(new double[][] { x }, y2), 2, null);
		assertThat(m2.trees().get(0).missingLeft()[0]).isFalse();
		assertThat(m2.predict(new double[] { nan })).containsExactly(0.0, 1.0);
	}

	@Test
	void categoricalSplitSeparatesNonContiguousCodes() {
		int n = 40;
		double[] code = new double[n];
		double[] y = new double[n];
		for (int r = 0; r < n; r++) {
			code[r] = r % 4;
			y[r] = (r % 4 == 1 || r % 4 == 3) ? 1 : 0;
		}
		TreeEnsemble m = RandomForestTrainer.fit(oneTree(1), FeatureKinds.of(1, new int[] { 0 }, new int[] { 4 }),
				new TreeDataset(new double[][] { code }, y), 2, null);
		Tree t = m.trees().get(0);
		assertThat(t.leftCategories()[0]).isNotNull();
		assertThat(t.gain()[0]).isCloseTo(n / 2.0, within(1e-9));
		for (int c = 0; c < 4; c++) {
			assertThat(m.predict(new double[] { c })[1]).isEqualTo((c % 2 == 1) ? 1.0 : 0.0);
		}
	}

	@Test
	void forestClassifiesWithMissingValuesAndCategoricals() {
		TreeDataset train = TreeTestData.classification(2000, 6, 2, true, true, 11);
		TreeDataset test = TreeTestData.classification(1000, 6, 2, true, true, 12);
		TreeEnsemble m = RandomForestTrainer.fit(RandomForestParams.classifierDefaults().withNEstimators(50),
				TreeTestData.kinds(train, true), train, 2, null);
		assertThat(m.trees()).hasSize(50);
		assertThat(TreeTestData.accuracy(m, test)).isGreaterThan(0.85);
		double[] p = m.predict(TreeTestData.row(test, 3));
		assertThat(p[0] + p[1]).isCloseTo(1.0, within(1e-12));
		double[] imp = m.featureImportance();
		assertThat(imp[2]).isGreaterThan(imp[4]);
	}

	@Test
	void forestRegresses() {
		TreeDataset train = TreeTestData.regression(2000, 5, true, true, 13);
		TreeDataset test = TreeTestData.regression(1000, 5, true, true, 14);
		TreeEnsemble m = RandomForestTrainer.fit(RandomForestParams.regressorDefaults().withNEstimators(50),
				TreeTestData.kinds(train, true), train, 0, null);
		assertThat(TreeTestData.r2(m, test)).isGreaterThan(0.85);
	}

	@Test
	void bootstrapDrawsDifferFromTreeToTree() {
		TreeDataset d = TreeTestData.regression(500, 3, false, false, 15);
		TreeEnsemble m = RandomForestTrainer.fit(RandomForestParams.regressorDefaults().withNEstimators(3),
				FeatureKinds.allNumeric(3), d, 0, null);
		assertThat(m.trees().get(0).cover()[0]).isEqualTo(500.0);
		assertThat(m.trees().get(0).value()[0]).isNotEqualTo(m.trees().get(1).value()[0]);
		assertThat(m.trees().get(1).value()[0]).isNotEqualTo(m.trees().get(2).value()[0]);
	}

	@Test
	void sameSeedGivesTheSameForestForAnyThreadCount() {
		TreeDataset d = TreeTestData.classification(3000, 8, 3, true, true, 16);
		RandomForestParams p = RandomForestParams.classifierDefaults().withNEstimators(12).withSeed(5);
		TreeEnsemble one = RandomForestTrainer.fit(p.withThreads(1), TreeTestData.kinds(d, true), d, 3, null);
		TreeEnsemble four = RandomForestTrainer.fit(p.withThreads(4), TreeTestData.kinds(d, true), d, 3, null);
		TreeAssertions.assertSameModel(one, four);
		TreeEnsemble other = RandomForestTrainer.fit(p.withSeed(6).withThreads(4), TreeTestData.kinds(d, true), d, 3,
				null);
		assertThat(TreeAssertions.sameTrees(one, other)).isFalse();
	}

	@Test
	void classWeightsShiftTheForest() {
		TreeDataset d = TreeTestData.classification(1500, 5, 2, false, false, 17);
		double[] w = new double[d.rows()];
		for (int r = 0; r < w.length; r++) {
			w[r] = (d.y()[r] == 1) ? 10 : 1;
		}
		RandomForestParams p = RandomForestParams.classifierDefaults().withNEstimators(20).withTree(3, 2, 1);
		TreeEnsemble plain = RandomForestTrainer.fit(p, FeatureKinds.allNumeric(5), d, 2, null);
		TreeEnsemble heavy = RandomForestTrainer.fit(p, FeatureKinds.allNumeric(5),
				new TreeDataset(d.columns(), d.y(), w), 2, null);
		double a = 0;
		double b = 0;
		for (int r = 0; r < d.rows(); r++) {
			a += plain.predict(TreeTestData.row(d, r))[1];
			b += heavy.predict(TreeTestData.row(d, r))[1];
		}
		assertThat(b).isGreaterThan(a + 0.05 * d.rows());
	}

	@Test
	void cancellationThrows() {
		TreeDataset d = TreeTestData.classification(300, 4, 2, false, false, 18);
		TreeTrainingListener cancel = new TreeTrainingListener() {
			@Override
			public boolean cancelled() {
				return true;
			}
		};
		assertThatThrownBy(() -> RandomForestTrainer.fit(RandomForestParams.classifierDefaults(),
				FeatureKinds.allNumeric(4), d, 2, cancel))
			.isInstanceOf(CancellationException.class);
	}

}
