package io.fitserve.ml.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * A classifier's rates per group of a sensitive feature and the disparities between the
 * groups, as fairlearn defines them: selection rate (share predicted as the class),
 * accuracy, true and false positive rates per group; demographic parity difference
 * (largest selection rate minus smallest) and ratio (smallest over largest), and
 * equalized odds difference (the larger of the TPR and the FPR difference, each largest
 * minus smallest over the groups). Binary models are measured for their positive label;
 * multiclass models per class, one-vs-rest.
 *
 * <p>
 * A rate with no rows to divide by (a group without actual positives has no TPR) is null
 * and left out of the differences, where fairlearn would count it as 0; each such case is
 * listed in {@link Report#undefined()}.
 */
public final class GroupFairness {

	private GroupFairness() {
	}

	/** One class's rates in one group (one-vs-rest). */
	public record ClassRates(String label, double selectionRate, Double truePositiveRate, Double falsePositiveRate) {
	}

	/**
	 * One group's rows and rates: for a binary model the positive label's in
	 * selectionRate, truePositiveRate and falsePositiveRate (perClass null); for a
	 * multiclass model every class's in perClass (those three null).
	 */
	public record GroupRates(String group, long rows, double accuracy, Double selectionRate, Double truePositiveRate,
			Double falsePositiveRate, List<ClassRates> perClass) {
	}

	/** The spread of one class's rates over the groups (fairlearn's parity measures). */
	public record Disparity(String label, double demographicParityDifference, Double demographicParityRatio,
			Double equalizedOddsDifference, Double truePositiveRateDifference, Double falsePositiveRateDifference) {
	}

	/**
	 * Every row together (overall), each group with at least one row, and the
	 * disparities: one for a binary model's positive label (disparity), one per class for
	 * a multiclass model (disparityPerClass).
	 */
	public record Report(GroupRates overall, List<GroupRates> groups, Disparity disparity,
			List<Disparity> disparityPerClass, List<String> undefined) {
	}

	/**
	 * Measures the predictions.
	 * @param actual class index per row
	 * @param predicted class index per row
	 * @param labels class labels by index
	 * @param positive the positive class index of a binary model; -1 for per class
	 * (multiclass)
	 * @param group group index per row, in [0, groupNames.size())
	 * @param groupNames group names by index, in the order to report them
	 * @param overallName the name of the row for every row together
	 */
	public static Report measure(int[] actual, int[] predicted, List<String> labels, int positive, int[] group,
			List<String> groupNames, String overallName) {
		int k = labels.size();
		int g = groupNames.size();
		// per group (index g: every row): rows, correct, and per class the counts
		// predicted, actual, and both
		long[] rows = new long[g + 1];
		long[] correct = new long[g + 1];
		long[][] predictedAs = new long[g + 1][k];
		long[][] actuallyIs = new long[g + 1][k];
		long[][] hits = new long[g + 1][k];
		for (int i = 0; i < actual.length; i++) {
			for (int at : new int[] { group[i], g }) {
				rows[at]++;
				predictedAs[at][predicted[i]]++;
				actuallyIs[at][actual[i]]++;
				if (actual[i] == predicted[i]) {
					correct[at]++;
					hits[at][actual[i]]++;
				}
			}
		}
		List<String> undefined = new ArrayList<>();
		List<GroupRates> groups = new ArrayList<>();
		List<List<ClassRates>> groupClassRates = new ArrayList<>();
		for (int j = 0; j < g; j++) {
			if (rows[j] == 0) {
				continue;
			}
			List<ClassRates> rates = classRates(rows[j], predictedAs[j], actuallyIs[j], hits[j], labels);
			groups.add(groupRates(groupNames.get(j), rows[j], correct[j], rates, positive));
			groupClassRates.add(rates);
			for (int c = 0; c < k; c++) {
				if (positive >= 0 && c != positive) {
					continue;
				}
				ClassRates r = rates.get(c);
				if (r.truePositiveRate() == null) {
					undefined.add("group '" + groupNames.get(j) + "' has no row of class '" + labels.get(c)
							+ "': its true positive rate is undefined (null) and left out of the differences");
				}
				if (r.falsePositiveRate() == null) {
					undefined.add("group '" + groupNames.get(j) + "' has only rows of class '" + labels.get(c)
							+ "': its false positive rate is undefined (null) and left out of the differences");
				}
			}
		}
		List<ClassRates> overallRates = classRates(rows[g], predictedAs[g], actuallyIs[g], hits[g], labels);
		GroupRates overall = groupRates(overallName, rows[g], correct[g], overallRates, positive);
		List<Disparity> disparities = new ArrayList<>();
		for (int c = 0; c < k; c++) {
			if (positive < 0 || c == positive) {
				int cls = c;
				disparities.add(disparity(labels.get(c), groupClassRates.stream().map(r -> r.get(cls)).toList()));
			}
		}
		return positive >= 0 ? new Report(overall, groups, disparities.get(0), null, undefined)
				: new Report(overall, groups, null, disparities, undefined);
	}

	private static List<ClassRates> classRates(long rows, long[] predictedAs, long[] actuallyIs, long[] hits,
			List<String> labels) {
		List<ClassRates> rates = new ArrayList<>(labels.size());
		for (int c = 0; c < labels.size(); c++) {
			long negatives = rows - actuallyIs[c];
			long falsePositives = predictedAs[c] - hits[c];
			rates.add(new ClassRates(labels.get(c), (double) predictedAs[c] / rows,
					actuallyIs[c] == 0 ? null : (double) hits[c] / actuallyIs[c],
					negatives == 0 ? null : (double) falsePositives / negatives));
		}
		return rates;
	}

	private static GroupRates groupRates(String name, long rows, long correct, List<ClassRates> rates, int positive) {
		double accuracy = rows == 0 ? 0 : (double) correct / rows;
		if (positive >= 0) {
			ClassRates r = rates.get(positive);
			return new GroupRates(name, rows, accuracy, r.selectionRate(), r.truePositiveRate(), r.falsePositiveRate(),
					null);
		}
		return new GroupRates(name, rows, accuracy, null, null, null, rates);
	}

	private static Disparity disparity(String label, List<ClassRates> perGroup) {
		double minSelection = Double.POSITIVE_INFINITY;
		double maxSelection = Double.NEGATIVE_INFINITY;
		for (ClassRates r : perGroup) {
			minSelection = Math.min(minSelection, r.selectionRate());
			maxSelection = Math.max(maxSelection, r.selectionRate());
		}
		if (perGroup.isEmpty()) {
			return new Disparity(label, 0, null, null, null, null);
		}
		Double tprDifference = spread(perGroup.stream().map(ClassRates::truePositiveRate).toList());
		Double fprDifference = spread(perGroup.stream().map(ClassRates::falsePositiveRate).toList());
		Double equalizedOdds = tprDifference == null ? fprDifference
				: fprDifference == null ? tprDifference : Math.max(tprDifference, fprDifference);
		return new Disparity(label, maxSelection - minSelection, maxSelection == 0 ? null : minSelection / maxSelection,
				equalizedOdds, tprDifference, fprDifference);
	}

	/** Largest minus smallest of the defined values; null when none is. */
	private static Double spread(List<Double> values) {
		Double min = null;
		Double max = null;
		for (Double v : values) {
			if (v != null) {
				min = min == null ? v : Math.min(min, v);
				max = max == null ? v : Math.max(max, v);
			}
		}
		return min == null ? null : max - min;
	}

}
