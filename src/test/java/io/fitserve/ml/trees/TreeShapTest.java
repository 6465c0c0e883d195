package io.fitserve.ml.trees;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TreeShapTest {

	@Test
	void stumpContributionIsLeafValueMinusExpectedValue() {
		double[] x = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
		double[] y = { 0, 0, 0, 5, 5, 5, 5, 5, 5, 5 };
		TreeEnsemble m = GradientBoostingTrainer.fit(
				GradientBoostingParams.defaults(TreeLoss.SQUARED_ERROR).withNEstimators(1).withTree(2, 0, 1),
				FeatureKinds.allNumeric(2), new TreeDataset(new double[][] { x, new double[10] }, y), null, 0, null);
		Tree t = m.trees().get(0);
		double left = t.value()[t.left()[0]];
		double right = t.value()[t.right()[0]];
		// baseline 3.5; residuals -3.5 (3 rows) and 1.5 (7 rows): leaves -0.35 and +0.15
		assertThat(left).isCloseTo(-0.35, within(1e-12));
		assertThat(right).isCloseTo(0.15, within(1e-12));
		double expected = (3 * left + 7 * right) / 10;
		assertThat(expected).isCloseTo(0.0, within(1e-12));
		TreeShap.Explanation e = TreeShap.explain(m, new double[] { 2, 0 });
		assertThat(e.baseValues()[0]).isCloseTo(3.5 + expected, within(1e-12));
		assertThat(e.contributions()[0][0]).isCloseTo(left - expected, within(1e-12));
		// the constant second feature is never split on
		assertThat(e.contributions()[0][1]).isEqualTo(0.0);

		// a one-tree forest on uneven covers: contribution = leaf mean - cover-weighted
		// mean
		double[] y2 = { 1, 1, 1, 2, 2, 2, 2, 2, 2, 2 };
		TreeEnsemble rf = RandomForestTrainer.fit(
				RandomForestParams.regressorDefaults().withNEstimators(1).withBootstrap(false).withTree(1, 2, 1),
				FeatureKinds.allNumeric(2), new TreeDataset(new double[][] { x, new double[10] }, y2), 0, null);
		TreeShap.Explanation e2 = TreeShap.explain(rf, new double[] { 9, 0 });
		assertThat(e2.baseValues()[0]).isCloseTo(1.7, within(1e-12));
		assertThat(e2.contributions()[0][0]).isCloseTo(0.3, within(1e-12));
	}

	@Test
	void baseValuePlusContributionsEqualsRawScoreForEveryModelKind() {
		TreeDataset bin = TreeTestData.classification(1500, 5, 2, true, true, 21);
		TreeDataset multi = TreeTestData.classification(1500, 5, 3, true, true, 22);
		TreeDataset reg = TreeTestData.regression(1500, 5, true, true, 23);
		List<TreeEnsemble> models = List.of(
				GradientBoostingTrainer.fit(GradientBoostingParams.defaults(TreeLoss.LOG_LOSS).withNEstimators(30),
						TreeTestData.kinds(bin, true), bin, null, 2, null),
				GradientBoostingTrainer.fit(GradientBoostingParams.defaults(TreeLoss.LOG_LOSS).withNEstimators(20),
						TreeTestData.kinds(multi, true), multi, null, 3, null),
				GradientBoostingTrainer.fit(GradientBoostingParams.defaults(TreeLoss.SQUARED_ERROR).withNEstimators(30),
						TreeTestData.kinds(reg, true), reg, null, 0, null),
				GradientBoostingTrainer.fit(
						GradientBoostingParams.defaults(TreeLoss.ABSOLUTE_ERROR).withNEstimators(20),
						TreeTestData.kinds(reg, true), reg, null, 0, null),
				RandomForestTrainer.fit(RandomForestParams.classifierDefaults().withNEstimators(10),
						TreeTestData.kinds(multi, true), multi, 3, null),
				RandomForestTrainer.fit(RandomForestParams.regressorDefaults().withNEstimators(10),
						TreeTestData.kinds(reg, true), reg, 0, null));
		TreeDataset[] rowsFrom = { bin, multi, reg, reg, multi, reg };
		for (int i = 0; i < models.size(); i++) {
			TreeEnsemble m = models.get(i);
			TreeDataset d = rowsFrom[i];
			double[][] rows = new double[60][];
			for (int r = 0; r < 50; r++) {
				rows[r] = TreeTestData.row(d, r);
			}
			// rows with missing values, an unseen category code and a non-integer code
			for (int r = 50; r < 60; r++) {
				double[] x = TreeTestData.row(d, r);
				x[r % 5] = Double.NaN;
				x[5] = (r % 2 == 0) ? 7 : 1.5;
				rows[r] = x;
			}
			TreeShap.Explanation[] ex = TreeShap.explainBatch(m, rows);
			for (int r = 0; r < rows.length; r++) {
				double[] raw = m.rawScores(rows[r]);
				assertThat(ex[r].contributions()).hasDimensions(m.numOutputs(), m.numFeatures());
				for (int k = 0; k < m.numOutputs(); k++) {
					assertThat(ex[r].total(k)).as("model %d row %d output %d", i, r, k)
						.isCloseTo(raw[k], within(1e-9 * Math.max(1, Math.abs(raw[k]))));
				}
			}
		}
	}

	@Test
	void matchesBruteForceShapleyValuesOfTheConditionalExpectation() {
		TreeDataset d = TreeTestData.classification(800, 3, 2, true, true, 24);
		FeatureKinds kinds = TreeTestData.kinds(d, true);
		List<TreeEnsemble> models = List.of(
				GradientBoostingTrainer.fit(GradientBoostingParams.defaults(TreeLoss.LOG_LOSS).withNEstimators(5),
						kinds, d, null, 2, null),
				RandomForestTrainer.fit(RandomForestParams.classifierDefaults().withNEstimators(3).withTree(6, 2, 1),
						kinds, d, 2, null));
		for (TreeEnsemble m : models) {
			for (int r = 0; r < 20; r++) {
				double[] x = TreeTestData.row(d, r);
				if (r % 5 == 0) {
					x[r % 3] = Double.NaN;
				}
				TreeShap.Explanation e = TreeShap.explain(m, x);
				for (int k = 0; k < m.numOutputs(); k++) {
					double[] exact = bruteForce(m, x, k);
					for (int f = 0; f < x.length; f++) {
						assertThat(e.contributions()[k][f]).as("%s row %d output %d feature %d", m.kind(), r, k, f)
							.isCloseTo(exact[f], within(1e-10));
					}
				}
			}
		}
	}

	/** Shapley values by enumerating subsets of v(S) = cover-weighted E[f | x_S]. */
	private static double[] bruteForce(TreeEnsemble m, double[] x, int output) {
		int n = x.length;
		double[] phi = new double[n];
		double[] fact = new double[n + 1];
		fact[0] = 1;
		for (int i = 1; i <= n; i++) {
			fact[i] = fact[i - 1] * i;
		}
		for (int i = 0; i < n; i++) {
			for (int s = 0; s < (1 << n); s++) {
				if ((s & (1 << i)) != 0) {
					continue;
				}
				int size = Integer.bitCount(s);
				double weight = fact[size] * fact[n - size - 1] / fact[n];
				phi[i] += weight * (value(m, x, s | (1 << i), output) - value(m, x, s, output));
			}
		}
		return phi;
	}

	private static double value(TreeEnsemble m, double[] x, int subset, int output) {
		double v = m.baseline()[output];
		boolean forest = m.kind() == EnsembleKind.RANDOM_FOREST;
		for (int i = 0; i < m.trees().size(); i++) {
			if (!forest && i % m.numOutputs() != output) {
				continue;
			}
			Tree t = m.trees().get(i);
			double tv = expectation(t, 0, x, subset, m.knownCategories(), forest ? output : 0);
			v += forest ? tv / m.trees().size() : tv;
		}
		return v;
	}

	private static double expectation(Tree t, int node, double[] x, int subset, long[][] known, int k) {
		if (t.left()[node] < 0) {
			return t.value()[node * t.valueDim() + k];
		}
		int f = t.feature()[node];
		if ((subset & (1 << f)) != 0) {
			int next = t.goesLeft(node, x[f], known) ? t.left()[node] : t.right()[node];
			return expectation(t, next, x, subset, known, k);
		}
		double cl = t.cover()[t.left()[node]];
		double cr = t.cover()[t.right()[node]];
		return (cl * expectation(t, t.left()[node], x, subset, known, k)
				+ cr * expectation(t, t.right()[node], x, subset, known, k)) / (cl + cr);
	}

}
