package io.fitserve.ml.trees;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Bit-for-bit comparison of two models. */
final class TreeAssertions {

	private TreeAssertions() {
	}

	static boolean sameTrees(TreeEnsemble a, TreeEnsemble b) {
		if (a.trees().size() != b.trees().size() || !Arrays.equals(a.baseline(), b.baseline())) {
			return false;
		}
		for (int i = 0; i < a.trees().size(); i++) {
			Tree x = a.trees().get(i);
			Tree y = b.trees().get(i);
			if (!Arrays.equals(x.feature(), y.feature()) || !Arrays.equals(x.threshold(), y.threshold())
					|| !Arrays.equals(x.missingLeft(), y.missingLeft()) || !Arrays.equals(x.left(), y.left())
					|| !Arrays.equals(x.right(), y.right())
					|| !Arrays.deepEquals(x.leftCategories(), y.leftCategories())
					|| !Arrays.equals(x.value(), y.value()) || !Arrays.equals(x.cover(), y.cover())
					|| !Arrays.equals(x.gain(), y.gain())) {
				return false;
			}
		}
		return true;
	}

	static void assertSameModel(TreeEnsemble a, TreeEnsemble b) {
		assertThat(sameTrees(a, b)).as("trees are bit-identical").isTrue();
		assertThat(a.iterations()).isEqualTo(b.iterations());
		assertThat(a.trainLoss()).isEqualTo(b.trainLoss());
	}

}
