package io.fitserve.ml.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Clustering scores against hand-worked cases and scikit-learn (values from
 * src/test/resources/cluster/kmeans_reference.py).
 */
class ClusterMetricsTest {

	@Test
	void silhouetteOfFourPointsWorkedByHand() {
		// two clusters on a line: {0, 1} and {4, 6}
		double[][] x = { { 0 }, { 1 }, { 4 }, { 6 } };
		int[] labels = { 0, 0, 1, 1 };
		// row 0: a = 1, b = (4 + 6) / 2 = 5 -> 4/5
		// row 1: a = 1, b = (3 + 5) / 2 = 4 -> 3/4
		// row 2: a = 2, b = (4 + 3) / 2 = 3.5 -> 1.5/3.5
		// row 3: a = 2, b = (6 + 5) / 2 = 5.5 -> 3.5/5.5
		double expected = (0.8 + 0.75 + 1.5 / 3.5 + 3.5 / 5.5) / 4;
		assertThat(ClusterMetrics.silhouette(x, labels)).isCloseTo(expected, within(1e-12));
		// a row alone in its cluster scores 0
		assertThat(ClusterMetrics.silhouette(new double[][] { { 0 }, { 1 }, { 9 } }, new int[] { 0, 0, 1 }))
			.isCloseTo((8.0 / 9 + 7.0 / 8) / 3, within(1e-12));
	}

	@Test
	void daviesBouldinWorkedByHand() {
		// clusters {0, 2} (mean 1, spread 1) and {10, 14} (mean 12, spread 2): (1 + 2) /
		// 11
		double[][] x = { { 0 }, { 2 }, { 10 }, { 14 } };
		assertThat(ClusterMetrics.daviesBouldin(x, new int[] { 0, 0, 1, 1 })).isCloseTo(3.0 / 11, within(1e-12));
	}

	@Test
	void adjustedRandAndMutualInformationWorkedByHand() {
		int[] truth = { 0, 0, 1, 1 };
		int[] predicted = { 0, 0, 1, 2 };
		// ordered pairs: together in both 2, together only in truth 2, only predicted 0,
		// apart in both 8: ARI = 2 (2 * 8 - 0) / ((2 + 2)(2 + 8) + (2 + 0)(0 + 8)) =
		// 32/56
		assertThat(ClusterMetrics.adjustedRand(truth, predicted)).isCloseTo(32.0 / 56, within(1e-12));
		assertThat(ClusterMetrics.adjustedRand(predicted, new int[] { 5, 5, 3, 4 })).isEqualTo(1.0);
		// MI = H(truth) = ln 2 since truth is a function of predicted
		assertThat(ClusterMetrics.mutualInformation(truth, predicted)).isCloseTo(Math.log(2), within(1e-12));
		// H(predicted) = 1/2 ln 2 + 2 * 1/4 ln 4 = 1.5 ln 2; NMI = ln2 / (1.25 ln 2) =
		// 0.8
		assertThat(ClusterMetrics.normalizedMutualInformation(truth, predicted)).isCloseTo(0.8, within(1e-12));
		assertThat(ClusterMetrics.normalizedMutualInformation(new int[] { 0, 0 }, new int[] { 1, 1 })).isEqualTo(1.0);
		assertThat(ClusterMetrics.adjustedMutualInformation(truth, truth)).isCloseTo(1.0, within(1e-12));
	}

	@Test
	void blobsScoresMatchScikitLearn() {
		ClusterReference.Blobs blobs = ClusterReference.blobs();
		int[] labels = blobs.sklearn();
		assertThat(ClusterMetrics.silhouette(blobs.x(), labels)).isCloseTo(ClusterReference.value("blobs.silhouette"),
				within(1e-9));
		assertThat(ClusterMetrics.daviesBouldin(blobs.x(), labels))
			.isCloseTo(ClusterReference.value("blobs.daviesBouldin"), within(1e-9));
		assertThat(ClusterMetrics.adjustedRand(blobs.blob(), labels)).isCloseTo(ClusterReference.value("blobs.ari"),
				within(1e-12));
		assertThat(ClusterMetrics.mutualInformation(blobs.blob(), labels)).isCloseTo(ClusterReference.value("blobs.mi"),
				within(1e-12));
		assertThat(ClusterMetrics.normalizedMutualInformation(blobs.blob(), labels))
			.isCloseTo(ClusterReference.value("blobs.nmi"), within(1e-12));
		assertThat(ClusterMetrics.adjustedMutualInformation(blobs.blob(), labels))
			.isCloseTo(ClusterReference.value("blobs.ami"), within(1e-9));
	}

	@Test
	void irisScoresMatchScikitLearn() {
		double[][] x = ClusterReference.irisStandardized();
		int[] labels = ClusterReference.irisSklearnLabels();
		int[] species = ClusterReference.irisSpecies();
		assertThat(ClusterMetrics.silhouette(x, labels)).isCloseTo(ClusterReference.value("iris.k3.silhouette"),
				within(1e-9));
		assertThat(ClusterMetrics.daviesBouldin(x, labels)).isCloseTo(ClusterReference.value("iris.k3.daviesBouldin"),
				within(1e-9));
		assertThat(ClusterMetrics.adjustedRand(species, labels)).isCloseTo(ClusterReference.value("iris.k3.ari"),
				within(1e-12));
		assertThat(ClusterMetrics.mutualInformation(species, labels)).isCloseTo(ClusterReference.value("iris.k3.mi"),
				within(1e-12));
		assertThat(ClusterMetrics.normalizedMutualInformation(species, labels))
			.isCloseTo(ClusterReference.value("iris.k3.nmi"), within(1e-12));
		assertThat(ClusterMetrics.adjustedMutualInformation(species, labels))
			.isCloseTo(ClusterReference.value("iris.k3.ami"), within(1e-9));
	}

	@Test
	void sampledSilhouetteIsSeededAndUsesAllRowsWhenFewer() {
		ClusterReference.Blobs blobs = ClusterReference.blobs();
		double all = ClusterMetrics.silhouette(blobs.x(), blobs.sklearn());
		assertThat(ClusterMetrics.silhouette(blobs.x(), blobs.sklearn(), 400, 1)).isEqualTo(all);
		double sampled = ClusterMetrics.silhouette(blobs.x(), blobs.sklearn(), 100, 1);
		assertThat(ClusterMetrics.silhouette(blobs.x(), blobs.sklearn(), 100, 1)).isEqualTo(sampled);
		assertThat(sampled).isNotEqualTo(all).isCloseTo(all, within(0.1));
	}

}
