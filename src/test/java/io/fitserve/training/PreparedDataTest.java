package io.fitserve.training;

import io.fitserve.datasets.DatasetFrame;
import io.fitserve.ml.Task;
import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.data.ColumnType;
import io.fitserve.ml.data.Split;
import io.fitserve.ml.data.Splits;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PreparedDataTest {

	private static final int ROWS = 50;

	private static TrainingSpec spec(Task task) {
		return new TrainingSpec(UUID.randomUUID(), "y", List.of("x"), task, "linear_regression", null, 0.2, 0.2, null,
				false, 11);
	}

	private static DatasetFrame frame(ColumnData target) {
		double[] x = new double[ROWS];
		for (int r = 0; r < ROWS; r++) {
			x[r] = r;
		}
		return new DatasetFrame(ROWS, List.of(new ColumnData("x", ColumnType.NUMERIC, x, null, null), target));
	}

	@Test
	void withEveryTargetPresentTheSplitsPositionsAreTheRows() {
		double[] y = new double[ROWS];
		for (int r = 0; r < ROWS; r++) {
			y[r] = 0.5 * r - 3;
		}
		PreparedData data = PreparedData.of(frame(new ColumnData("y", ColumnType.NUMERIC, y, null, null)),
				spec(Task.REGRESSION));

		Split split = Splits.split(ROWS, null, 0.2, 0.2, 11);
		assertThat(data.train()).containsExactly(split.train());
		assertThat(data.validation()).containsExactly(split.validation());
		assertThat(data.test()).containsExactly(split.test());
		assertThat(data.droppedMissingTarget()).isZero();
		assertThat(data.targets(new int[] { 0, 7, 49 })).containsExactly(-3.0, 0.5, 21.5);
	}

	@Test
	void rowsWithoutATargetAreLeftOutOfEveryPart() {
		double[] y = new double[ROWS];
		for (int r = 0; r < ROWS; r++) {
			y[r] = r % 5 == 2 ? Double.NaN : r;
		}
		PreparedData data = PreparedData.of(frame(new ColumnData("y", ColumnType.NUMERIC, y, null, null)),
				spec(Task.REGRESSION));

		// the 40 rows with a target, split by position
		int[] kept = java.util.stream.IntStream.range(0, ROWS).filter(r -> r % 5 != 2).toArray();
		Split split = Splits.split(kept.length, null, 0.2, 0.2, 11);
		assertThat(data.train()).containsExactly(map(split.train(), kept));
		assertThat(data.validation()).containsExactly(map(split.validation(), kept));
		assertThat(data.test()).containsExactly(map(split.test(), kept));
		assertThat(data.droppedMissingTarget()).isEqualTo(10);
		assertThat(java.util.Arrays.stream(data.targets(data.test())))
			.allSatisfy(v -> assertThat(v % 5).isNotEqualTo(2.0));
	}

	@Test
	void classesAreNumberedInLabelOrderAndMissingLabelsAreDropped() {
		int[] codes = new int[ROWS];
		for (int r = 0; r < ROWS; r++) {
			// levels [b, a]: code 0 is "b" (class 1), code 1 is "a" (class 0); every 10th
			// row has no label
			codes[r] = r % 10 == 9 ? -1 : r % 2;
		}
		PreparedData data = PreparedData.of(
				frame(new ColumnData("y", ColumnType.CATEGORICAL, null, codes, List.of("b", "a"))),
				spec(Task.CLASSIFICATION));

		assertThat(data.classLabels()).containsExactly("a", "b");
		assertThat(data.droppedMissingTarget()).isEqualTo(5);
		int[] all = PreparedData.concat(PreparedData.concat(data.train(), data.validation()), data.test());
		assertThat(all).hasSize(45).doesNotHaveDuplicates();
		assertThat(java.util.Arrays.stream(all)).allSatisfy(r -> assertThat(r % 10).isNotEqualTo(9));
		// row 0 has code 0 ("b", class 1), row 1 code 1 ("a", class 0)
		assertThat(data.targets(new int[] { 0, 1, 2, 3 })).containsExactly(1.0, 0.0, 1.0, 0.0);
	}

	private static int[] map(int[] positions, int[] kept) {
		int[] rows = new int[positions.length];
		for (int i = 0; i < rows.length; i++) {
			rows[i] = kept[positions[i]];
		}
		return rows;
	}

}
