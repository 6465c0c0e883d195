package io.fitserve.training.algorithms;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RowsTest {

	@Test
	void shuffledDistinctRowsComeBackAscending() {
		SplittableRandom random = new SplittableRandom(3);
		// a split's training rows: a shuffled subset of 0..999, across many 64-row words
		int[] rows = random.ints(0, 1000).distinct().limit(700).toArray();
		int[] expected = rows.clone();
		Arrays.sort(expected);
		int[] before = rows.clone();

		int[] ordered = Rows.storageOrder(rows);

		assertThat(ordered).containsExactly(expected);
		assertThat(ordered[0]).isEqualTo(expected[0]);
		assertThat(rows).as("the input is not modified").containsExactly(before);
	}

	@Test
	void repeatedRowsKeepEveryRepeat() {
		// a bootstrap: row 5 three times, row 64 (the next bit-set word) twice
		int[] rows = { 64, 5, 130, 5, 0, 64, 5 };

		assertThat(Rows.storageOrder(rows)).containsExactly(0, 5, 5, 5, 64, 64, 130);
	}

	@Test
	void wordBoundariesAndTheLargestRowAreKept() {
		int[] rows = { 127, 63, 64, 0, 128, 1 };

		assertThat(Rows.storageOrder(rows)).containsExactly(0, 1, 63, 64, 127, 128);
	}

	@Test
	void ascendingRowsAreReturnedAsTheyAre() {
		int[] rows = { 2, 3, 3, 9 };

		assertThat(Rows.storageOrder(rows)).isSameAs(rows);
		assertThat(Rows.storageOrder(new int[0])).isEmpty();
	}

}
