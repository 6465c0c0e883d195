package io.fitserve.ml;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class MetricsTest {

	private static final double TOL = 1e-12;

	@Test
	void regression() {
		// errors 0.5, -0.5, 0, -1: SSres = 0.25+0.25+0+1 = 1.5, mse = 0.375, mae = 2/4 = 0.5
		// mean(yTrue) = 11.5/4 = 2.875; SStot = 0.125^2 + 3.375^2 + 0.875^2 + 4.125^2 = 29.1875
		// r2 = 1 - 1.5/29.1875 = 0.948608137... (the scikit-learn r2_score doc example)
		RegressionMetrics m = Metrics.regression(new double[] { 3, -0.5, 2, 7 }, new double[] { 2.5, 0.0, 2, 8 });
		assertThat(m.mse()).isCloseTo(0.375, within(TOL));
		assertThat(m.rmse()).isCloseTo(Math.sqrt(0.375), within(TOL));
		assertThat(m.mae()).isCloseTo(0.5, within(TOL));
		assertThat(m.r2()).isCloseTo(1 - 1.5 / 29.1875, within(TOL));
		assertThat(m.r2()).isCloseTo(0.9486081370449679, within(TOL));
	}

	@Test
	void regressionWithConstantTarget() {
		// SStot = 0: perfect -> 1, otherwise 0
		assertThat(Metrics.regression(new double[] { 2, 2 }, new double[] { 2, 2 }).r2()).isEqualTo(1.0);
		RegressionMetrics m = Metrics.regression(new double[] { 2, 2 }, new double[] { 1, 2 });
		assertThat(m.r2()).isEqualTo(0.0);
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
		// "no": precision 2/3, recall 2/2 = 1, f1 = 2*(2/3)/(5/3) = 0.8; "yes": precision 1/1, recall 1/2, f1 = 2/3
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
		// sorted scores 0.1(-) 0.35(+) 0.4(-) 0.8(+): ranks of positives 2 + 4 = 6, U = 6 - 2*3/2 = 3, AUC = 3/(2*2)
		assertThat(m.rocAuc()).isCloseTo(0.75, within(TOL));
		assertThat(m.labels()).containsExactly("no", "yes");
	}

	@Test
	void aucAveragesTiedRanks() {
		// scores 0.2(-) 0.5(-) 0.5(+) 0.9(+): ranks 1, 2.5, 2.5, 4; positives 2.5 + 4 = 6.5; U = 6.5 - 3 = 3.5; AUC 3.5/4
		int[] yTrue = { 0, 1, 0, 1 };
		double[][] proba = { { 0.5, 0.5 }, { 0.5, 0.5 }, { 0.8, 0.2 }, { 0.1, 0.9 } };
		ClassificationMetrics m = Metrics.classification(yTrue, proba, List.of("a", "b"));
		assertThat(m.rocAuc()).isCloseTo(0.875, within(TOL));
		// argmax ties -> lowest index: rows 0 and 1 predict "a"
		assertThat(m.confusionMatrix()).isDeepEqualTo(new long[][] { { 2, 0 }, { 1, 1 } });
	}

	@Test
	void aucIsNullWithOneClassPresent() {
		ClassificationMetrics m = Metrics.classification(new int[] { 1, 1 }, new double[][] { { 0.3, 0.7 }, { 0.6, 0.4 } },
				List.of("a", "b"));
		assertThat(m.rocAuc()).isNull();
		// class "a" absent from yTrue but predicted once: precision 0, recall 0 (zero_division=0), still averaged
		// "b": precision 1/1, recall 1/2, f1 2/3 -> macro f1 = (0 + 2/3)/2
		assertThat(m.f1()).isCloseTo(1.0 / 3, within(TOL));
	}

	@Test
	void threeClasses() {
		// yTrue 0 0 0 1 1 2, predicted 0 0 1 1 2 2
		// confusion [[2,1,0],[0,1,1],[0,0,1]]
		// precision: a 2/2 = 1, b 1/2, c 1/2; recall: a 2/3, b 1/2, c 1/1
		// f1: a 2*(2/3)/(5/3) = 0.8, b 0.5, c 2*(1/2)/(3/2) = 2/3; macro f1 = (0.8 + 0.5 + 2/3)/3 = 0.655555...
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
		// p_true: 0.7, 0.5, 0.2, 0.8, 0.3, 1.0 (clipped to 1 - 1e-15)
		double expected = -(Math.log(0.7) + Math.log(0.5) + Math.log(0.2) + Math.log(0.8) + Math.log(0.3)
				+ Math.log(1 - 1e-15)) / 6;
		assertThat(m.logLoss()).isCloseTo(expected, within(TOL));
	}

	@Test
	void classesAbsentEverywhereAreLeftOutOfMacroAverages() {
		// labels a, b, c but only a and b occur (true and predicted): macro over a and b, as scikit-learn
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
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Metrics.classification(new int[] { 2 }, new double[][] { { 0.5, 0.5 } }, List.of("a", "b")));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Metrics.classification(new int[] { 0 }, new double[][] { { 1.0 } }, List.of("a", "b")));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Metrics.classification(new int[0], new double[0][], List.of("a", "b")));
	}

}
