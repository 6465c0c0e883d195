package io.fitserve.ml.eval;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GroupFairnessTest {

	private static final double TOL = 1e-12;

	@Test
	void binaryRatesAndDisparitiesLeaveUndefinedRatesOut() {
		// g0: actual 1 0 1 0, predicted 1 1 0 0: selection 2/4, accuracy 2/4, TPR 1/2,
		// FPR 1/2
		// g1: actual 0 0 0, predicted 0 1 1: selection 2/3, accuracy 1/3, TPR undefined
		// (no positive row), FPR 2/3
		// g2: no rows, left out
		// parity difference 2/3 - 1/2 = 1/6, ratio (1/2) / (2/3) = 3/4; TPR difference
		// over g0 alone 0; FPR difference 2/3 - 1/2 = 1/6; equalized odds 1/6
		int[] actual = { 1, 0, 1, 0, 0, 0, 0 };
		int[] predicted = { 1, 1, 0, 0, 0, 1, 1 };
		int[] group = { 0, 0, 0, 0, 1, 1, 1 };
		GroupFairness.Report r = GroupFairness.measure(actual, predicted, List.of("no", "yes"), 1, group,
				List.of("g0", "g1", "g2"), "all");

		assertThat(r.groups()).extracting(GroupFairness.GroupRates::group).containsExactly("g0", "g1");
		GroupFairness.GroupRates g1 = r.groups().get(1);
		assertThat(g1.rows()).isEqualTo(3);
		assertThat(g1.selectionRate()).isCloseTo(2.0 / 3, within(TOL));
		assertThat(g1.accuracy()).isCloseTo(1.0 / 3, within(TOL));
		assertThat(g1.truePositiveRate()).isNull();
		assertThat(g1.falsePositiveRate()).isCloseTo(2.0 / 3, within(TOL));
		assertThat(g1.perClass()).isNull();
		// all 7: selection 4/7, accuracy 3/7, TPR 1/2, FPR 3/5
		assertThat(r.overall().group()).isEqualTo("all");
		assertThat(r.overall().selectionRate()).isCloseTo(4.0 / 7, within(TOL));
		assertThat(r.overall().accuracy()).isCloseTo(3.0 / 7, within(TOL));
		assertThat(r.overall().truePositiveRate()).isCloseTo(0.5, within(TOL));
		assertThat(r.overall().falsePositiveRate()).isCloseTo(0.6, within(TOL));

		GroupFairness.Disparity d = r.disparity();
		assertThat(d.label()).isEqualTo("yes");
		assertThat(d.demographicParityDifference()).isCloseTo(1.0 / 6, within(TOL));
		assertThat(d.demographicParityRatio()).isCloseTo(0.75, within(TOL));
		assertThat(d.truePositiveRateDifference()).isEqualTo(0.0);
		assertThat(d.falsePositiveRateDifference()).isCloseTo(1.0 / 6, within(TOL));
		assertThat(d.equalizedOddsDifference()).isCloseTo(1.0 / 6, within(TOL));
		assertThat(r.disparityPerClass()).isNull();
		assertThat(r.undefined()).singleElement()
			.asString()
			.contains("group 'g1' has no row of class 'yes'")
			.contains("true positive rate");
	}

	@Test
	void ratioIsUndefinedWhenNoGroupIsSelected() {
		GroupFairness.Report r = GroupFairness.measure(new int[] { 1, 0, 1 }, new int[] { 0, 0, 0 },
				List.of("no", "yes"), 1, new int[] { 0, 1, 1 }, List.of("a", "b"), "all");
		assertThat(r.disparity().demographicParityDifference()).isEqualTo(0.0);
		assertThat(r.disparity().demographicParityRatio()).isNull();
		// TPR 0 in both groups (a: 0/1, b: 0/1); FPR only in b (0/1)
		assertThat(r.disparity().equalizedOddsDifference()).isEqualTo(0.0);
	}

	@Test
	void multiclassRatesArePerClassOneVsRest() {
		// a: actual 0 1 2, predicted 0 2 2: class 2 selected 2/3, TPR 1/1, FPR 1/2
		// b: actual 2 2, predicted 0 2: class 2 selected 1/2, TPR 1/2, FPR undefined
		GroupFairness.Report r = GroupFairness.measure(new int[] { 0, 1, 2, 2, 2 }, new int[] { 0, 2, 2, 0, 2 },
				List.of("x", "y", "z"), -1, new int[] { 0, 0, 0, 1, 1 }, List.of("a", "b"), "all");
		assertThat(r.disparity()).isNull();
		GroupFairness.ClassRates z = r.groups().get(0).perClass().get(2);
		assertThat(z.label()).isEqualTo("z");
		assertThat(z.selectionRate()).isCloseTo(2.0 / 3, within(TOL));
		assertThat(z.truePositiveRate()).isEqualTo(1.0);
		assertThat(z.falsePositiveRate()).isCloseTo(0.5, within(TOL));
		assertThat(r.groups().get(1).perClass().get(2).falsePositiveRate()).isNull();
		assertThat(r.groups().get(0).selectionRate()).isNull();
		GroupFairness.Disparity dz = r.disparityPerClass().get(2);
		// selection 2/3 against 1/2: difference 1/6, ratio 3/4; TPR 1 against 1/2; FPR
		// only in a: 0
		assertThat(dz.demographicParityDifference()).isCloseTo(1.0 / 6, within(TOL));
		assertThat(dz.demographicParityRatio()).isCloseTo(0.75, within(TOL));
		assertThat(dz.truePositiveRateDifference()).isCloseTo(0.5, within(TOL));
		assertThat(dz.falsePositiveRateDifference()).isEqualTo(0.0);
		assertThat(dz.equalizedOddsDifference()).isCloseTo(0.5, within(TOL));
		// class y has a row in a only: b's TPR for it is undefined
		assertThat(r.groups().get(1).perClass().get(1).truePositiveRate()).isNull();
		assertThat(r.disparityPerClass()).extracting(GroupFairness.Disparity::label).containsExactly("x", "y", "z");
	}

}
