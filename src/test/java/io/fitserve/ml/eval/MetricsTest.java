package io.fitserve.ml.eval;

import io.fitserve.ml.Task;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class MetricsTest {

	private static final double TOL = 1e-12;

	@Test
	void regression() {
		// errors 0.5, -0.5, 0, -1: SSres = 0.25+0.25+0+1 = 1.5, mse = 0.375, mae = 2/4 =
		// 0.5 mean(yTrue) = 11.5/4 = 2.875; SStot = 0.125^2 + 3.375^2 + 0.875^2 + 4.125^2
		// = 29.1875 r2 = 1 - 1.5/29.1875 = 0.948608137... (the scikit-learn r2_score doc
		// example)
		RegressionMetrics m = Metrics.regression(new double[] { 3, -0.5, 2, 7 }, new double[] { 2.5, 0.0, 2, 8 });
		assertThat(m.mse()).isCloseTo(0.375, within(TOL));
		assertThat(m.rmse()).isCloseTo(Math.sqrt(0.375), within(TOL));
		assertThat(m.mae()).isCloseTo(0.5, within(TOL));
		assertThat(m.r2()).isCloseTo(1 - 1.5 / 29.1875, within(TOL));
		assertThat(m.r2()).isCloseTo(0.9486081370449679, within(TOL));
		// |errors| sorted 0, 0.5, 0.5, 1: median = (0.5 + 0.5)/2 = 0.5
		assertThat(m.medianAbsoluteError()).isCloseTo(0.5, within(TOL));
		// errors e = 0.5, -0.5, 0, -1, mean -0.25; centred 0.75, -0.25, 0.25, -0.75 ->
		// Var(e) = 1.25/4 = 0.3125 Var(y) = 29.1875/4 = 7.296875; EV = 1 -
		// 0.3125/7.296875 sklearn: explained_variance_score([3,-0.5,2,7], [2.5,0.0,2,8])
		// = 0.9571734475374732
		assertThat(m.explainedVariance()).isCloseTo(1 - 0.3125 / 7.296875, within(TOL));
		assertThat(m.explainedVariance()).isCloseTo(0.9571734475374732, within(TOL));
	}

	@Test
	void r2AloneIsTheBitsOfTheFullRegressionMetrics() {
		// the scikit-learn r2_score doc example, as above: 1 - 1.5/29.1875
		assertThat(Metrics.r2(new double[] { 3, -0.5, 2, 7 }, new double[] { 2.5, 0.0, 2, 8 }))
			.isCloseTo(1 - 1.5 / 29.1875, within(TOL));
		assertThat(Metrics.r2(new double[] { 2, 2 }, new double[] { 2, 2 })).isEqualTo(1.0);
		assertThat(Metrics.r2(new double[] { 2, 2 }, new double[] { 1, 2 })).isEqualTo(0.0);
		java.util.SplittableRandom random = new java.util.SplittableRandom(3);
		for (int n : new int[] { 1, 2, 7, 1000, 5001 }) {
			double[] y = random.doubles(n, -50, 300).toArray();
			double[] p = new double[n];
			for (int i = 0; i < n; i++) {
				p[i] = y[i] * 0.9 + random.nextGaussian() * 20;
			}
			assertThat(Metrics.r2(y, p)).as("n = %d", n).isEqualTo(Metrics.regression(y, p).r2());
		}
		assertThatIllegalArgumentException().isThrownBy(() -> Metrics.r2(new double[0], new double[0]));
		assertThatIllegalArgumentException().isThrownBy(() -> Metrics.r2(new double[1], new double[2]));
	}

	@Test
	void regressionOddRowsAndBiasedPredictions() {
		// y = 1,2,4,8,3; pred = 1.5,2,3,9,3.5; e = -0.5,0,1,-1,-0.5 |e| sorted 0, 0.5,
		// 0.5, 1, 1 -> median 0.5; SSres = 0.25+0+1+1+0.25 = 2.5, mse = 0.5 mean y = 3.6,
		// SStot = 6.76+2.56+0.16+19.36+0.36 = 29.2 -> r2 = 1 - 2.5/29.2 mean e = -0.2,
		// centred -0.3,0.2,1.2,-0.8,-0.3 -> squares 0.09+0.04+1.44+0.64+0.09 = 2.3 -> EV
		// = 1 - 2.3/29.2 sklearn (1.2.1): y2=[1,2,4,8,3]; p2=[1.5,2,3,9,3.5]
		// mean_squared_error -> 0.5, r2_score -> 0.9143835616438356,
		// median_absolute_error -> 0.5, explained_variance_score -> 0.9212328767123288
		RegressionMetrics m = Metrics.regression(new double[] { 1, 2, 4, 8, 3 }, new double[] { 1.5, 2, 3, 9, 3.5 });
		assertThat(m.mse()).isCloseTo(0.5, within(TOL));
		assertThat(m.r2()).isCloseTo(1 - 2.5 / 29.2, within(TOL)).isCloseTo(0.9143835616438356, within(TOL));
		assertThat(m.medianAbsoluteError()).isCloseTo(0.5, within(TOL));
		assertThat(m.explainedVariance()).isCloseTo(1 - 2.3 / 29.2, within(TOL))
			.isCloseTo(0.9212328767123288, within(TOL));
		// a constant offset costs r2 but not explained variance (sklearn:
		// explained_variance_score([1,2,3],[2,3,4]) = 1)
		RegressionMetrics shifted = Metrics.regression(new double[] { 1, 2, 3 }, new double[] { 2, 3, 4 });
		assertThat(shifted.explainedVariance()).isCloseTo(1.0, within(TOL));
		assertThat(shifted.r2()).isCloseTo(1 - 3.0 / 2, within(TOL));
	}

	@Test
	void regressionWithConstantTarget() {
		// SStot = 0: perfect -> 1, otherwise 0 explained variance likewise (sklearn
		// force_finite: explained_variance_score([2,2],[2,2]) = 1, [1,2] -> 0)
		RegressionMetrics perfect = Metrics.regression(new double[] { 2, 2 }, new double[] { 2, 2 });
		assertThat(perfect.r2()).isEqualTo(1.0);
		assertThat(perfect.explainedVariance()).isEqualTo(1.0);
		RegressionMetrics m = Metrics.regression(new double[] { 2, 2 }, new double[] { 1, 2 });
		assertThat(m.r2()).isEqualTo(0.0);
		assertThat(m.explainedVariance()).isEqualTo(0.0);
		assertThat(m.mse()).isCloseTo(0.5, within(TOL));
		assertThatIllegalArgumentException().isThrownBy(() -> Metrics.regression(new double[0], new double[0]));
		assertThatIllegalArgumentException().isThrownBy(() -> Metrics.regression(new double[1], new double[2]));
	}

	@Test
	void binary() {
		// p1 = 0.1, 0.4, 0.35, 0.8 -> predicted 0, 0, 0, 1; confusion [[2,0],[1,1]]
		int[] yTrue = { 0, 0, 1, 1 };
		double[][] proba = { { 0.9, 0.1 }, { 0.6, 0.4 }, { 0.65, 0.35 }, { 0.2, 0.8 } };
		ClassificationMetrics m = Metrics.classification(yTrue, proba, List.of("no", "yes"));
		assertThat(m.confusionMatrix()).isDeepEqualTo(new long[][] { { 2, 0 }, { 1, 1 } });
		assertThat(m.accuracy()).isCloseTo(0.75, within(TOL));
		// "no": precision 2/3, recall 2/2 = 1, f1 = 2*(2/3)/(5/3) = 0.8; "yes": precision
		// 1/1, recall 1/2, f1 = 2/3
		assertThat(m.perClass()).extracting(ClassMetrics::label).containsExactly("no", "yes");
		assertThat(m.perClass().get(0).precision()).isCloseTo(2.0 / 3, within(TOL));
		assertThat(m.perClass().get(0).recall()).isCloseTo(1.0, within(TOL));
		assertThat(m.perClass().get(0).f1()).isCloseTo(0.8, within(TOL));
		assertThat(m.perClass().get(0).support()).isEqualTo(2);
		assertThat(m.perClass().get(1).f1()).isCloseTo(2.0 / 3, within(TOL));
		assertThat(m.precision()).isCloseTo((2.0 / 3 + 1) / 2, within(TOL));
		assertThat(m.recall()).isCloseTo(0.75, within(TOL));
		assertThat(m.f1()).isCloseTo((0.8 + 2.0 / 3) / 2, within(TOL));
		// log loss = -(ln 0.9 + ln 0.6 + ln 0.35 + ln 0.8)/4 = 0.4722879...
		assertThat(m.logLoss()).isCloseTo(-(Math.log(0.9) + Math.log(0.6) + Math.log(0.35) + Math.log(0.8)) / 4,
				within(TOL));
		assertThat(m.logLoss()).isCloseTo(0.47228795, within(1e-7));
		// sorted scores 0.1(-) 0.35(+) 0.4(-) 0.8(+): ranks of positives 2 + 4 = 6, U = 6
		// - 2*3/2 = 3, AUC = 3/(2*2)
		assertThat(m.rocAuc()).isCloseTo(0.75, within(TOL));
		assertThat(m.labels()).containsExactly("no", "yes");
		// balanced accuracy = mean recall = (1 + 0.5)/2; sklearn
		// balanced_accuracy_score([0,0,1,1],[0,0,0,1]) = 0.75
		assertThat(m.balancedAccuracy()).isCloseTo(0.75, within(TOL));
		// descending scores 0.8(+) 0.4(-) 0.35(+) 0.1(-): (P, R) = (1, 1/2), (1/2, 1/2),
		// (2/3, 1), (1/2, 1) AP = (1/2 - 0)*1 + 0*(1/2) + (1 - 1/2)*(2/3) + 0 = 5/6
		// sklearn: average_precision_score([0,0,1,1], [0.1,0.4,0.35,0.8]) =
		// 0.8333333333333333
		assertThat(m.prAuc()).isCloseTo(5.0 / 6, within(TOL));
		// sklearn roc_curve: thresholds [1.8, 0.8, 0.4, 0.35, 0.1], fpr [0, 0, .5, .5,
		// 1], tpr [0, .5, .5, 1, 1]
		assertThat(m.curves().roc()).containsExactly(new RocPoint(1.8, 0, 0), new RocPoint(0.8, 0, 0.5),
				new RocPoint(0.4, 0.5, 0.5), new RocPoint(0.35, 0.5, 1), new RocPoint(0.1, 1, 1));
		// sklearn precision_recall_curve (reversed here to decreasing thresholds):
		// precision [1, 1, .5, 2/3, .5], recall [0, .5, .5, 1, 1], thresholds [-, .8, .4,
		// .35, .1]; our first point uses threshold 1.8 like ROC
		assertThat(m.curves().precisionRecall()).containsExactly(new PrPoint(1.8, 1, 0), new PrPoint(0.8, 1, 0.5),
				new PrPoint(0.4, 0.5, 0.5), new PrPoint(0.35, 2.0 / 3, 1), new PrPoint(0.1, 0.5, 1));
	}

	@Test
	void thresholdMovesPredictionsButNotRankingMetrics() {
		// threshold 0.3: p1 = 0.1, 0.4, 0.35, 0.8 -> predicted 0, 1, 1, 1; confusion
		// [[1,1],[0,2]]
		int[] yTrue = { 0, 0, 1, 1 };
		double[][] proba = { { 0.9, 0.1 }, { 0.6, 0.4 }, { 0.65, 0.35 }, { 0.2, 0.8 } };
		ClassificationMetrics m = Metrics.classification(yTrue, proba, List.of("no", "yes"), 0.3);
		assertThat(m.confusionMatrix()).isDeepEqualTo(new long[][] { { 1, 1 }, { 0, 2 } });
		assertThat(m.accuracy()).isCloseTo(0.75, within(TOL));
		// recalls 1/2 and 1 -> balanced 0.75; "yes" precision 2/3, recall 1, f1 0.8; "no"
		// precision 1, recall 1/2
		assertThat(m.balancedAccuracy()).isCloseTo(0.75, within(TOL));
		assertThat(m.perClass().get(1).f1()).isCloseTo(0.8, within(TOL));
		assertThat(m.rocAuc()).isCloseTo(0.75, within(TOL));
		assertThat(m.prAuc()).isCloseTo(5.0 / 6, within(TOL));
		// threshold 0.8 is inclusive: only the last row is positive; threshold 0.81
		// predicts nothing positive
		assertThat(Metrics.classification(yTrue, proba, List.of("no", "yes"), 0.8).confusionMatrix())
			.isDeepEqualTo(new long[][] { { 2, 0 }, { 1, 1 } });
		assertThat(Metrics.classification(yTrue, proba, List.of("no", "yes"), 0.81).confusionMatrix())
			.isDeepEqualTo(new long[][] { { 2, 0 }, { 2, 0 } });
	}

	/**
	 * Reference values from scikit-learn 1.2.1:
	 *
	 * <pre>
	 * rng = np.random.RandomState(0)
	 * yt = rng.randint(0, 2, 30); s = np.round(np.clip(0.5*yt + rng.rand(30)*0.6, 0, 1), 1)
	 * average_precision_score(yt, s)   # 0.9590336134453781
	 * roc_auc_score(yt, s)             # 0.9547511312217194
	 * roc_curve(yt, s); precision_recall_curve(yt, s)
	 * P = np.column_stack([1 - s, s]); log_loss(yt, P)  # 0.33865085146487345
	 * pred = (s >= 0.5).astype(int): accuracy_score 0.8666666666666667, balanced_accuracy_score 0.8461538461538461,
	 *     f1_score(average='macro') 0.8564593301435406
	 * pred = np.argmax(P, axis=1) (ties 0.5/0.5 -> 0): accuracy 0.8333333333333334, macro f1 0.8316498316498316
	 * max over t in set(s) of f1_score(yt, s >= t): 0.8947368421052632 at t = 0.5 (next 0.8667 at 0.7)
	 * </pre>
	 */
	@Test
	void matchesScikitLearnOnTiedScores() {
		int[] y = { 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0 };
		double[] s = { 0.1, 0.5, 1.0, 0.5, 1.0, 1.0, 1.0, 0.8, 1.0, 0.6, 0.9, 0.1, 0.6, 0.8, 0.2, 0.2, 0.5, 0.3, 0.3,
				0.5, 0.4, 0.9, 0.9, 0.6, 0.4, 0.7, 0.8, 0.9, 0.5, 0.4 };
		double[][] proba = new double[s.length][];
		for (int i = 0; i < s.length; i++) {
			proba[i] = new double[] { 1 - s[i], s[i] };
		}
		List<String> labels = List.of("n", "p");
		ClassificationMetrics at = Metrics.classification(y, proba, labels, 0.5);
		assertThat(at.prAuc()).isCloseTo(0.9590336134453781, within(TOL));
		assertThat(at.rocAuc()).isCloseTo(0.9547511312217194, within(TOL));
		assertThat(at.logLoss()).isCloseTo(0.33865085146487345, within(1e-12));
		assertThat(at.accuracy()).isCloseTo(0.8666666666666667, within(TOL));
		assertThat(at.balancedAccuracy()).isCloseTo(0.8461538461538461, within(TOL));
		assertThat(at.f1()).isCloseTo(0.8564593301435406, within(TOL));
		ClassificationMetrics argmax = Metrics.classification(y, proba, labels);
		assertThat(argmax.accuracy()).isCloseTo(0.8333333333333334, within(TOL));
		assertThat(argmax.f1()).isCloseTo(0.8316498316498316, within(TOL));

		// roc_curve thresholds [2.0, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.1] (0.3 and 0.2
		// are dropped: collinear) 17 positives, 13 negatives
		List<RocPoint> roc = at.curves().roc();
		assertThat(roc).extracting(RocPoint::threshold).containsExactly(2.0, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.1);
		assertThat(roc).extracting(RocPoint::fpr)
			.containsExactly(0.0, 0.0, 0.0, 0.0, 0.0, 2.0 / 13, 4.0 / 13, 7.0 / 13, 1.0);
		assertThat(roc).extracting(RocPoint::tpr)
			.containsExactly(0.0, 5.0 / 17, 9.0 / 17, 12.0 / 17, 13.0 / 17, 14.0 / 17, 1.0, 1.0, 1.0);
		// precision_recall_curve (reversed): all 10 distinct scores plus the (precision
		// 1, recall 0) start
		List<PrPoint> pr = at.curves().precisionRecall();
		assertThat(pr).extracting(PrPoint::threshold)
			.containsExactly(2.0, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1);
		assertThat(pr).extracting(PrPoint::precision)
			.containsExactly(1.0, 1.0, 1.0, 1.0, 1.0, 0.875, 0.8095238095238095, 0.7083333333333334, 0.6538461538461539,
					0.6071428571428571, 0.5666666666666667);
		assertThat(pr).extracting(PrPoint::recall)
			.containsExactly(0.0, 0.29411764705882354, 0.5294117647058824, 0.7058823529411765, 0.7647058823529411,
					0.8235294117647058, 1.0, 1.0, 1.0, 1.0, 1.0);

		assertThat(Metrics.bestF1Threshold(y, s)).isEqualTo(0.5);
		assertThat(at.perClass().get(1).f1()).isCloseTo(0.8947368421052632, within(TOL));
	}

	@Test
	void bestF1Threshold() {
		// scores 0.9(+) 0.8(-) 0.7(+) 0.2(-), 2 positives:
		// t=0.9: tp1 fp0 fn1 -> F1 = 2/(2+0+1) = 2/3; t=0.8: tp1 fp1 fn1 -> 2/4 = 1/2;
		// t=0.7: tp2 fp1 fn0 -> 4/5 = 0.8 (best); t=0.2: tp2 fp2 -> 4/6
		assertThat(Metrics.bestF1Threshold(new int[] { 1, 0, 1, 0 }, new double[] { 0.9, 0.8, 0.7, 0.2 }))
			.isEqualTo(0.7);
		// 0.9(+) 0.6(+) 0.5(-) 0.4(-) 0.3(+), 3 positives: t=0.9: 2/(2+0+2) = 0.5; t=0.6:
		// 4/(4+0+1) = 0.8 (best); t=0.5: 4/6; t=0.4: 4/7; t=0.3: 6/(6+2+0) = 0.75
		assertThat(Metrics.bestF1Threshold(new int[] { 1, 1, 0, 0, 1 }, new double[] { 0.9, 0.6, 0.5, 0.4, 0.3 }))
			.isEqualTo(0.6);
		// tie -> the larger threshold: 0.8(+) 0.6(-) 0.4(-) 0.2(+): t=0.8: 2/3; t=0.6:
		// 2/4; t=0.4: 2/5; t=0.2: 4/(4+2+0) = 2/3, equal to t=0.8 -> 0.8
		assertThat(Metrics.bestF1Threshold(new int[] { 1, 0, 0, 1 }, new double[] { 0.8, 0.6, 0.4, 0.2 }))
			.isEqualTo(0.8);
		// undefined without positives, or without rows
		assertThat(Metrics.bestF1Threshold(new int[] { 0, 0 }, new double[] { 0.3, 0.9 })).isEqualTo(0.5);
		assertThat(Metrics.bestF1Threshold(new int[0], new double[0])).isEqualTo(0.5);
	}

	@Test
	void curvesAreThinnedKeepingEndpointsAndStayFinite() {
		// 500 distinct scores, alternating classes: the PR curve would have 501 points
		int n = 500;
		int[] y = new int[n];
		double[][] proba = new double[n][];
		for (int i = 0; i < n; i++) {
			y[i] = i % 2;
			double p = (i + 0.5) / n;
			proba[i] = new double[] { 1 - p, p };
		}
		Curves curves = Metrics.classification(y, proba, List.of("a", "b")).curves();
		assertThat(curves.precisionRecall()).hasSize(Curves.MAX_POINTS);
		assertThat(curves.roc()).hasSizeLessThanOrEqualTo(Curves.MAX_POINTS);
		// endpoints: nothing positive (threshold max + 1), then everything positive
		// (threshold = lowest score)
		assertThat(curves.precisionRecall().get(0)).isEqualTo(new PrPoint(1 + 499.5 / n, 1, 0));
		assertThat(curves.precisionRecall().get(Curves.MAX_POINTS - 1)).isEqualTo(new PrPoint(0.5 / n, 0.5, 1));
		assertThat(curves.roc().get(0)).isEqualTo(new RocPoint(1 + 499.5 / n, 0, 0));
		assertThat(curves.roc().get(curves.roc().size() - 1)).isEqualTo(new RocPoint(0.5 / n, 1, 1));
		assertThat(curves.precisionRecall()).extracting(PrPoint::threshold)
			.isSortedAccordingTo((a, b) -> Double.compare(b, a));
		// infinite and NaN scores are clamped to finite thresholds (NaN ranks lowest)
		Curves odd = Metrics.classification(new int[] { 1, 0, 1 },
				new double[][] { { 0, Double.POSITIVE_INFINITY }, { 0, Double.NaN }, { 0, 0.5 } }, List.of("a", "b"))
			.curves();
		assertThat(odd.roc()).allMatch(pt -> Double.isFinite(pt.threshold()));
		assertThat(odd.precisionRecall()).allMatch(pt -> Double.isFinite(pt.threshold()));
		assertThat(odd.roc().get(odd.roc().size() - 1).threshold()).isEqualTo(-Double.MAX_VALUE);
	}

	@Test
	void jsonHasNoNaNOrInfinity() {
		// Jackson writes NaN / Infinity as bare tokens, which is not JSON: undefined
		// values must be null
		JsonMapper json = JsonMapper.builder().build();
		ClassificationMetrics single = Metrics.classification(new int[] { 1, 1 },
				new double[][] { { 0.3, 0.7 }, { 0.6, 0.4 } }, List.of("a", "b"), 0.5);
		ClassificationMetrics odd = Metrics.classification(new int[] { 1, 0, 1 },
				new double[][] { { 0, Double.POSITIVE_INFINITY }, { 0, Double.NaN }, { 0, 0.5 } }, List.of("a", "b"));
		RegressionMetrics constant = Metrics.regression(new double[] { 2, 2 }, new double[] { 1, 2 });
		for (Object metrics : List.of(single, odd, constant)) {
			String text = json.writeValueAsString(metrics);
			assertThat(text).doesNotContain("NaN").doesNotContain("Infinity");
			assertThat(json.readTree(text).isObject()).isTrue();
		}
		assertThat(json.readTree(json.writeValueAsString(single)).get("rocAuc").isNull()).isTrue();
		assertThat(json.readTree(json.writeValueAsString(odd)).get("curves").get("roc").isArray()).isTrue();
	}

	@Test
	void scoreLooksUpMetricsByName() {
		RegressionMetrics r = Metrics.regression(new double[] { 1, 2, 4, 8, 3 }, new double[] { 1.5, 2, 3, 9, 3.5 });
		assertThat(Metrics.score(r, "mse")).isEqualTo(r.mse());
		assertThat(Metrics.score(r, "rmse")).isEqualTo(r.rmse());
		assertThat(Metrics.score(r, "mae")).isEqualTo(r.mae());
		assertThat(Metrics.score(r, "r2")).isEqualTo(r.r2());
		assertThat(Metrics.score(r, "medianAbsoluteError")).isEqualTo(r.medianAbsoluteError());
		assertThat(Metrics.score(r, "explainedVariance")).isEqualTo(r.explainedVariance());
		assertThat(Metrics.score(r, "accuracy")).isNaN();
		ClassificationMetrics c = Metrics.classification(new int[] { 0, 0, 1, 1 },
				new double[][] { { 0.9, 0.1 }, { 0.6, 0.4 }, { 0.65, 0.35 }, { 0.2, 0.8 } }, List.of("no", "yes"));
		assertThat(Metrics.score(c, "accuracy")).isEqualTo(c.accuracy());
		assertThat(Metrics.score(c, "balancedAccuracy")).isEqualTo(c.balancedAccuracy());
		assertThat(Metrics.score(c, "precision")).isEqualTo(c.precision());
		assertThat(Metrics.score(c, "recall")).isEqualTo(c.recall());
		assertThat(Metrics.score(c, "f1")).isEqualTo(c.f1());
		assertThat(Metrics.score(c, "logLoss")).isEqualTo(c.logLoss());
		assertThat(Metrics.score(c, "rocAuc")).isEqualTo(0.75);
		assertThat(Metrics.score(c, "prAuc")).isCloseTo(5.0 / 6, within(TOL));
		assertThat(Metrics.score(c, "r2")).isNaN();
		ClassificationMetrics single = Metrics.classification(new int[] { 1, 1 },
				new double[][] { { 0.3, 0.7 }, { 0.6, 0.4 } }, List.of("a", "b"));
		assertThat(Metrics.score(single, "rocAuc")).isNaN();
		assertThat(Metrics.score(single, "prAuc")).isNaN();
		assertThatIllegalArgumentException().isThrownBy(() -> Metrics.score(c, "auc"));
		assertThatIllegalArgumentException().isThrownBy(() -> Metrics.score(c, null));
		assertThatIllegalArgumentException().isThrownBy(() -> Metrics.score("x", "f1"));

		assertThat(Metrics.names(Task.CLASSIFICATION)).containsExactly("accuracy", "balancedAccuracy", "precision",
				"recall", "f1", "logLoss", "rocAuc", "prAuc");
		assertThat(Metrics.names(Task.REGRESSION)).containsExactly("mse", "rmse", "mae", "r2", "medianAbsoluteError",
				"explainedVariance");
		assertThat(Metrics.names(Task.CLASSIFICATION)).filteredOn(name -> !Metrics.higherIsBetter(name))
			.containsExactly("logLoss");
		assertThat(Metrics.names(Task.REGRESSION)).filteredOn(Metrics::higherIsBetter)
			.containsExactly("r2", "explainedVariance");
		assertThatIllegalArgumentException().isThrownBy(() -> Metrics.higherIsBetter("loss"));
	}

	@Test
	void aucAveragesTiedRanks() {
		// scores 0.2(-) 0.5(-) 0.5(+) 0.9(+): ranks 1, 2.5, 2.5, 4; positives 2.5 + 4 =
		// 6.5; U = 6.5 - 3 = 3.5; AUC 3.5/4
		int[] yTrue = { 0, 1, 0, 1 };
		double[][] proba = { { 0.5, 0.5 }, { 0.5, 0.5 }, { 0.8, 0.2 }, { 0.1, 0.9 } };
		ClassificationMetrics m = Metrics.classification(yTrue, proba, List.of("a", "b"));
		assertThat(m.rocAuc()).isCloseTo(0.875, within(TOL));
		// argmax ties -> lowest index: rows 0 and 1 predict "a"
		assertThat(m.confusionMatrix()).isDeepEqualTo(new long[][] { { 2, 0 }, { 1, 1 } });
		// an explicit threshold is inclusive: p1 = 0.5 >= 0.5 predicts "b"
		assertThat(Metrics.classification(yTrue, proba, List.of("a", "b"), 0.5).confusionMatrix())
			.isDeepEqualTo(new long[][] { { 1, 1 }, { 0, 2 } });
	}

	@Test
	void aucIsNullWithOneClassPresent() {
		ClassificationMetrics m = Metrics.classification(new int[] { 1, 1 },
				new double[][] { { 0.3, 0.7 }, { 0.6, 0.4 } }, List.of("a", "b"));
		assertThat(m.rocAuc()).isNull();
		assertThat(m.prAuc()).isNull();
		assertThat(m.curves()).isNull();
		// balanced accuracy only averages classes present in yTrue ("b": recall 1/2), as
		// sklearn balanced_accuracy_score([1,1],[1,0]) = 0.5
		assertThat(m.balancedAccuracy()).isCloseTo(0.5, within(TOL));
		// class "a" absent from yTrue but predicted once: precision 0, recall 0
		// (zero_division=0), still averaged "b": precision 1/1, recall 1/2, f1 2/3 ->
		// macro f1 = (0 + 2/3)/2
		assertThat(m.f1()).isCloseTo(1.0 / 3, within(TOL));
	}

	@Test
	void threeClasses() {
		// yTrue 0 0 0 1 1 2, predicted 0 0 1 1 2 2 confusion [[2,1,0],[0,1,1],[0,0,1]]
		// precision: a 2/2 = 1, b 1/2, c 1/2; recall: a 2/3, b 1/2, c 1/1 f1: a
		// 2*(2/3)/(5/3) = 0.8, b 0.5, c 2*(1/2)/(3/2) = 2/3; macro f1 = (0.8 + 0.5 +
		// 2/3)/3 = 0.655555...
		int[] yTrue = { 0, 0, 0, 1, 1, 2 };
		double[][] proba = { { 0.7, 0.2, 0.1 }, { 0.5, 0.25, 0.25 }, { 0.2, 0.6, 0.2 }, { 0.1, 0.8, 0.1 },
				{ 0.3, 0.3, 0.4 }, { 0.0, 0.0, 1.0 } };
		ClassificationMetrics m = Metrics.classification(yTrue, proba, List.of("a", "b", "c"));
		assertThat(m.confusionMatrix()).isDeepEqualTo(new long[][] { { 2, 1, 0 }, { 0, 1, 1 }, { 0, 0, 1 } });
		assertThat(m.accuracy()).isCloseTo(4.0 / 6, within(TOL));
		assertThat(m.precision()).isCloseTo(2.0 / 3, within(TOL));
		assertThat(m.recall()).isCloseTo((2.0 / 3 + 0.5 + 1) / 3, within(TOL));
		assertThat(m.f1()).isCloseTo((0.8 + 0.5 + 2.0 / 3) / 3, within(TOL));
		assertThat(m.f1()).isCloseTo(0.6555555555555556, within(TOL));
		assertThat(m.perClass()).extracting(ClassMetrics::support).containsExactly(3L, 2L, 1L);
		assertThat(m.rocAuc()).isNull();
		assertThat(m.prAuc()).isNull();
		assertThat(m.curves()).isNull();
		// recalls 2/3, 1/2, 1 -> 13/18; sklearn
		// balanced_accuracy_score([0,0,0,1,1,2],[0,0,1,1,2,2]) = 0.7222222222222222
		assertThat(m.balancedAccuracy()).isCloseTo(13.0 / 18, within(TOL)).isCloseTo(0.7222222222222222, within(TOL));
		// p_true: 0.7, 0.5, 0.2, 0.8, 0.3, 1.0 (clipped to 1 - 1e-15)
		double expected = -(Math.log(0.7) + Math.log(0.5) + Math.log(0.2) + Math.log(0.8) + Math.log(0.3)
				+ Math.log(1 - 1e-15)) / 6;
		assertThat(m.logLoss()).isCloseTo(expected, within(TOL));
	}

	@Test
	void classesAbsentEverywhereAreLeftOutOfMacroAverages() {
		// labels a, b, c but only a and b occur (true and predicted): macro over a and b,
		// as scikit-learn
		int[] yTrue = { 0, 1 };
		double[][] proba = { { 0.9, 0.05, 0.05 }, { 0.1, 0.8, 0.1 } };
		ClassificationMetrics m = Metrics.classification(yTrue, proba, List.of("a", "b", "c"));
		assertThat(m.f1()).isEqualTo(1.0);
		assertThat(m.perClass().get(2).support()).isZero();
		assertThat(m.perClass().get(2).f1()).isZero();
	}

	@Test
	void logLossClipsZeroProbability() {
		// p_true = 0 -> clipped to 1e-15 -> -ln(1e-15) = 34.538776394910684
		ClassificationMetrics m = Metrics.classification(new int[] { 0 }, new double[][] { { 0.0, 1.0 } },
				List.of("a", "b"));
		assertThat(m.logLoss()).isCloseTo(34.538776394910684, within(1e-9));
		assertThat(m.accuracy()).isZero();
	}

	@Test
	void rejectsBadInput() {
		assertThatIllegalArgumentException().isThrownBy(
				() -> Metrics.classification(new int[] { 2 }, new double[][] { { 0.5, 0.5 } }, List.of("a", "b")));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Metrics.classification(new int[] { 0 }, new double[][] { { 1.0 } }, List.of("a", "b")));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Metrics.classification(new int[0], new double[0][], List.of("a", "b")));
	}

}
