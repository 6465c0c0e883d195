package io.fitserve.models;

import java.util.List;

import io.fitserve.ml.eval.GroupFairness;

/**
 * What a fairness report measured, as stored in its JSON column.
 *
 * @param classification "binary" (rates of the positive label) or "multiclass" (rates per
 * class, one-vs-rest)
 */
record FairnessFigures(String classification, List<String> classLabels, GroupFairness.GroupRates overall,
		List<GroupFairness.GroupRates> groups, GroupFairness.Disparity disparity,
		List<GroupFairness.Disparity> disparityPerClass) {
}
