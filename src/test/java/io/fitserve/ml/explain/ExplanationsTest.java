package io.fitserve.ml.explain;

import io.fitserve.ml.Task;
import io.fitserve.ml.nn.Activation;
import io.fitserve.ml.nn.DenseLayer;
import io.fitserve.ml.nn.Network;
import io.fitserve.ml.nn.NetworkWeights;
import io.fitserve.ml.nn.OutputKind;
import io.fitserve.ml.preprocess.FeatureTransform;
import io.fitserve.ml.preprocess.Preprocessing;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class ExplanationsTest {

	private static final double TOL = 1e-12;

	// encoded columns: 0 "signal", 1..3 "color=blue|green|red", 4 "noise"; "empty" has no
	// categories (width 0)
	private static Preprocessing preprocessing() {
		return new Preprocessing(List.of(FeatureTransform.numeric("signal", 0, 1),
				FeatureTransform.categorical("color", FeatureTransform.CATEGORICAL, List.of("blue", "green", "red"),
						"red"),
				FeatureTransform.categorical("empty", FeatureTransform.CATEGORICAL, List.of(), null),
				FeatureTransform.numeric("noise", 0, 1)));
	}

	private static double[][] rows(int n, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		double[][] x = new double[n][5];
		for (int i = 0; i < n; i++) {
			x[i][0] = random.nextGaussian();
			x[i][1 + random.nextInt(3)] = 1.0;
			x[i][4] = random.nextGaussian();
		}
		return x;
	}

	/**
	 * Applies f to each row, first checking that the one-hot block was permuted as a
	 * whole.
	 */
	private static Function<double[][], double[][]> model(Function<double[], double[]> f) {
		return batch -> {
			double[][] out = new double[batch.length][];
			for (int i = 0; i < batch.length; i++) {
				assertThat(batch[i][1] + batch[i][2] + batch[i][3]).isEqualTo(1.0);
				out[i] = f.apply(batch[i]);
			}
			return out;
		};
	}

	@Test
	void regressionImportanceRanksTheSignalFirst() {
		// y = 3*signal + 2*[color=red]; noise is ignored, so permuting it changes
		// nothing: drop exactly 0
		double[][] x = rows(300, 1);
		double[] y = new double[x.length];
		for (int i = 0; i < x.length; i++) {
			y[i] = 3 * x[i][0] + 2 * x[i][3];
		}
		Function<double[][], double[][]> predict = model(r -> new double[] { 3 * r[0] + 2 * r[3] });
		List<Explanations.FeatureImportance> importance = Explanations.permutationImportance(predict, preprocessing(),
				x, y, Task.REGRESSION, 5, 7);
		assertThat(importance).extracting(Explanations.FeatureImportance::feature)
			.containsExactly("signal", "color", "empty", "noise");
		// shuffling a part of y with variance v doubles its squared error on average:
		// drop ~ 2 v / Var(y). Var(y) ~ 9 + 4 * (1/3)(2/3) = 9.89: signal ~ 18/9.89 =
		// 1.82, color ~ 1.78/9.89 = 0.18
		assertThat(importance.get(0).mean()).isBetween(1.5, 2.1);
		assertThat(importance.get(1).mean()).isBetween(0.1, 0.3);
		assertThat(importance.get(2).mean()).isZero();
		assertThat(importance.get(2).std()).isZero();
		assertThat(importance.get(3).mean()).isZero();
		assertThat(importance.get(3).std()).isZero();
		// deterministic per seed
		assertThat(Explanations.permutationImportance(predict, preprocessing(), x, y, Task.REGRESSION, 5, 7))
			.isEqualTo(importance);
	}

	@Test
	void permutationImportanceByHand() {
		// 2 rows, model f(x) = x, y = x = {1, -1}: baseline r2 = 1. A repeat either keeps
		// the order (drop 0) or swaps it: predictions -1, 1, SSres = 4 + 4 = 8, SStot = 2
		// -> r2 = 1 - 8/2 = -3, drop 4. With q = share of swaps: mean = 4q and population
		// std = 4 sqrt(q(1-q)) = sqrt(mean (4 - mean)).
		Preprocessing p = new Preprocessing(List.of(FeatureTransform.numeric("x", 0, 1)));
		double[][] x = { { 1 }, { -1 } };
		Explanations.FeatureImportance fi = Explanations
			.permutationImportance(batch -> batch.clone(), p, x, new double[] { 1, -1 }, Task.REGRESSION, 10, 3)
			.get(0);
		assertThat(fi.mean() / 0.4).isCloseTo(Math.rint(fi.mean() / 0.4), within(1e-9)); // a
																							// multiple
																							// of
																							// 4/10
		assertThat(fi.mean()).isBetween(0.4, 3.6); // this seed mixes both outcomes
		assertThat(fi.std()).isCloseTo(Math.sqrt(fi.mean() * (4 - fi.mean())), within(1e-9));
		// the input is not modified
		assertThat(x).isDeepEqualTo(new double[][] { { 1 }, { -1 } });
	}

	@Test
	void classificationImportanceUsesAccuracyAndMovesOneHotGroupsTogether() {
		// class 1 iff color = red; accuracy baseline 1; signal and noise are ignored
		double[][] x = rows(200, 2);
		double[] y = new double[x.length];
		for (int i = 0; i < x.length; i++) {
			y[i] = x[i][3];
		}
		List<Explanations.FeatureImportance> importance = Explanations.permutationImportance(
				model(r -> r[3] == 1 ? new double[] { 0.2, 0.8 } : new double[] { 0.7, 0.3 }), preprocessing(), x, y,
				Task.CLASSIFICATION, 3, 11);
		assertThat(importance.get(0).feature()).isEqualTo("color");
		// a shuffled red flag disagrees with the true one for about 2 p (1 - p) = 4/9 of
		// the rows (p = 1/3)
		assertThat(importance.get(0).mean()).isBetween(0.3, 0.6);
		assertThat(importance.subList(1, 4)).allSatisfy(fi -> assertThat(fi.mean()).isZero());
	}

	// a hand-built 3-class linear network on columns "age", "color=blue", "color=red"
	private static final Preprocessing SMALL = new Preprocessing(List.of(FeatureTransform.numeric("age", 40, 10),
			FeatureTransform.categorical("color", FeatureTransform.CATEGORICAL, List.of("blue", "red"), "blue")));

	// weights [input][output]: age 1, -2, 3; blue -4, 5, -6; red 7, -8, 9; bias 0.1, 0.2,
	// 0.3
	private static final NetworkWeights THREE = new NetworkWeights(List
		.of(new DenseLayer(3, 3, new double[] { 1, -2, 3, -4, 5, -6, 7, -8, 9 }, new double[] { 0.1, 0.2, 0.3 })),
			Activation.RELU, OutputKind.SOFTMAX);

	@Test
	void coefficientsPerClass() {
		List<Explanations.Coefficient> c = Explanations.standardizedCoefficients(SMALL, THREE, List.of("a", "b", "c"));
		assertThat(c).containsExactly(new Explanations.Coefficient("age", "age", "a", 1),
				new Explanations.Coefficient("color", "color=blue", "a", -4),
				new Explanations.Coefficient("color", "color=red", "a", 7),
				new Explanations.Coefficient("age", "age", "b", -2),
				new Explanations.Coefficient("color", "color=blue", "b", 5),
				new Explanations.Coefficient("color", "color=red", "b", -8),
				new Explanations.Coefficient("age", "age", "c", 3),
				new Explanations.Coefficient("color", "color=blue", "c", -6),
				new Explanations.Coefficient("color", "color=red", "c", 9));
		// |.| summed per feature: a: age 1, color 4 + 7 = 11; b: 2, 5 + 8 = 13; c: 3, 6 +
		// 9 = 15
		assertThat(Explanations.groupedCoefficientMagnitude(SMALL, THREE, List.of("a", "b", "c"))).containsExactly(
				new Explanations.Coefficient("age", null, "a", 1), new Explanations.Coefficient("color", null, "a", 11),
				new Explanations.Coefficient("age", null, "b", 2), new Explanations.Coefficient("color", null, "b", 13),
				new Explanations.Coefficient("age", null, "c", 3),
				new Explanations.Coefficient("color", null, "c", 15));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Explanations.standardizedCoefficients(SMALL, THREE, List.of("a", "b")));
	}

	@Test
	void singleOutputCoefficientsHaveNoClass() {
		NetworkWeights binary = new NetworkWeights(
				List.of(new DenseLayer(3, 1, new double[] { 0.5, -1, 2 }, new double[] { -0.25 })), Activation.RELU,
				OutputKind.SIGMOID);
		assertThat(Explanations.standardizedCoefficients(SMALL, binary, List.of("no", "yes")))
			.extracting(Explanations.Coefficient::classLabel)
			.containsOnlyNulls();
		assertThat(Explanations.groupedCoefficientMagnitude(SMALL, binary, null)).containsExactly(
				new Explanations.Coefficient("age", null, null, 0.5),
				new Explanations.Coefficient("color", null, null, 3));
		NetworkWeights mlp = new NetworkWeights(List.of(new DenseLayer(3, 1, new double[3], new double[1]),
				new DenseLayer(1, 1, new double[1], new double[1])), Activation.RELU, OutputKind.IDENTITY);
		assertThatIllegalArgumentException().isThrownBy(() -> Explanations.standardizedCoefficients(SMALL, mlp, null));
	}

	@Test
	void contributionsSumToTheScore() {
		// row: age 0.5 (standardized), color=red; output "b": age -2*0.5 = -1, color 5*0
		// + -8*1 = -8, intercept 0.2
		Explanations.RowExplanation e = Explanations.contributions(SMALL, THREE, new double[] { 0.5, 0, 1 }, 1);
		assertThat(e.intercept()).isEqualTo(0.2);
		assertThat(e.contributions()).containsExactly(new Explanations.Contribution("age", -1),
				new Explanations.Contribution("color", -8));
		assertThat(e.score()).isCloseTo(0.2 - 1 - 8, within(TOL));
		// for a regression network the score is the prediction
		NetworkWeights regression = new NetworkWeights(
				List.of(new DenseLayer(3, 1, new double[] { 1.5, -0.5, 2 }, new double[] { 10 })), Activation.RELU,
				OutputKind.IDENTITY);
		double[] row = { -1.2, 1, 0 };
		Explanations.RowExplanation r = Explanations.contributions(SMALL, regression, row, 0);
		double sum = r.intercept() + r.contributions().stream().mapToDouble(Explanations.Contribution::value).sum();
		assertThat(r.score()).isCloseTo(sum, within(TOL));
		assertThat(r.score()).isCloseTo(Network.predict(regression, row, 0)[0], within(TOL));
		assertThat(r.score()).isCloseTo(10 - 1.8 - 0.5, within(TOL));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Explanations.contributions(SMALL, THREE, new double[] { 0.5, 0, 1 }, 3));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Explanations.contributions(SMALL, THREE, new double[2], 0));
	}

}
