package io.fitserve.training;

import java.util.Arrays;
import java.util.stream.IntStream;

import io.fitserve.ml.artifact.ModelArtifact;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The background sample of training rows that mlp and svm artifacts carry. */
class ModelFitterBackgroundTest {

	@Test
	void drawsUpToMaxDistinctTrainingRowsWithTheSeed() {
		int[] train = IntStream.range(0, 500).map(i -> 3 * i + 1).toArray();
		int[] a = ModelFitter.backgroundRows(train, 100, 42);
		assertThat(a).hasSize(100).isSorted().doesNotHaveDuplicates();
		assertThat(Arrays.stream(a).allMatch(r -> r % 3 == 1 && r < 1500)).isTrue();
		assertThat(ModelFitter.backgroundRows(train, 100, 42)).containsExactly(a);
		assertThat(ModelFitter.backgroundRows(train, 100, 43)).isNotEqualTo(a);
		// not just the first rows
		assertThat(a[99]).isGreaterThan(3 * 100 + 1);
		// fewer training rows than max: all of them
		assertThat(ModelFitter.backgroundRows(new int[] { 9, 4, 7 }, 100, 1)).containsExactly(4, 7, 9);
		// the caller's array is left alone
		int[] before = train.clone();
		ModelFitter.backgroundRows(train, 10, 5);
		assertThat(train).containsExactly(before);
	}

	@Test
	void wideEncodingsGetFewerBackgroundRows() {
		// 262,144 values at most: 100 rows up to 2,621 columns, then fewer, never none
		assertThat(ModelArtifact.backgroundRows(10)).isEqualTo(100);
		assertThat(ModelArtifact.backgroundRows(2621)).isEqualTo(100);
		assertThat(ModelArtifact.backgroundRows(2622)).isEqualTo(99);
		assertThat(ModelArtifact.backgroundRows(20_000)).isEqualTo(13);
		assertThat(ModelArtifact.backgroundRows(1_000_000)).isEqualTo(1);
	}

}
