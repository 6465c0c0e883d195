package io.fitserve.ml.preprocess;

import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.data.ColumnType;
import io.fitserve.ml.data.DenseRows;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class PreprocessingTest {

	private static final double TOL = 1e-12;

	// rows: 0 1 2 3 4 5
	// size (numeric): 1 2 NaN 3 100 5
	// color (categorical): red blue blue red green missing
	// flag (boolean): true false true true missing false
	private static ColumnData size() {
		return new ColumnData("size", ColumnType.NUMERIC, new double[] { 1, 2, Double.NaN, 3, 100, 5 }, null, null);
	}

	private static ColumnData color() {
		return new ColumnData("color", ColumnType.CATEGORICAL, null, new int[] { 0, 1, 1, 0, 2, -1 },
				List.of("red", "blue", "green"));
	}

	private static ColumnData flag() {
		return new ColumnData("flag", ColumnType.BOOLEAN, null, new int[] { 1, 0, 1, 1, -1, 0 },
				List.of("false", "true"));
	}

	private static final int[] TRAIN = { 0, 1, 2, 3 };

	private static Preprocessing fitted() {
		return Preprocessing.fit(List.of(size(), color(), flag()), TRAIN);
	}

	@Test
	void fitsOnTrainingRowsOnly() {
		Preprocessing p = fitted();
		FeatureTransform size = p.features().get(0);
		// training values 1, 2, 3 (NaN skipped): mean 2, population variance (1+0+1)/3 =
		// 2/3
		assertThat(size.type()).isEqualTo("numeric");
		assertThat(size.mean()).isCloseTo(2.0, within(TOL));
		assertThat(size.scale()).isCloseTo(Math.sqrt(2.0 / 3.0), within(TOL));
		assertThat(size.categories()).isEmpty();
		assertThat(size.mostFrequent()).isNull();

		FeatureTransform color = p.features().get(1);
		// training: red x2, blue x2 (green only in row 4): sorted [blue, red], tie ->
		// "blue"
		assertThat(color.type()).isEqualTo("categorical");
		assertThat(color.categories()).containsExactly("blue", "red");
		assertThat(color.mostFrequent()).isEqualTo("blue");

		FeatureTransform flag = p.features().get(2);
		// training: true x3, false x1
		assertThat(flag.type()).isEqualTo("boolean");
		assertThat(flag.categories()).containsExactly("false", "true");
		assertThat(flag.mostFrequent()).isEqualTo("true");

		assertThat(p.outputWidth()).isEqualTo(5);
		assertThat(p.outputNames()).containsExactly("size", "color=blue", "color=red", "flag=false", "flag=true");
	}

	@Test
	void rowOrderAndRepeatsFollowTheRowList() {
		List<ColumnData> columns = List.of(size(), color(), flag());
		// repeats count in the statistics: rows 1 and 3 twice -> size values 1, 2, 2, 3,
		// 3: mean 11/5
		Preprocessing repeated = Preprocessing.fit(columns, new int[] { 3, 1, 0, 1, 3 });
		double mean = 11.0 / 5;
		double variance = (Math.pow(1 - mean, 2) + 2 * Math.pow(2 - mean, 2) + 2 * Math.pow(3 - mean, 2)) / 5;
		assertThat(repeated.features().get(0).mean()).isCloseTo(mean, within(TOL));
		assertThat(repeated.features().get(0).scale()).isCloseTo(Math.sqrt(variance), within(TOL));
		// red x3 (rows 0, 3, 3) against blue x2: red is now the most frequent
		assertThat(repeated.features().get(1).mostFrequent()).isEqualTo("red");

		Preprocessing p = fitted();
		double s = Math.sqrt(2.0 / 3.0);
		// a shuffled list (one write per row, read in storage order) and one with a
		// repeat (read in list order)
		for (int[] rows : new int[][] { { 5, 0, 4, 2 }, { 4, 0, 4, 5 } }) {
			DenseRows x = p.transformRows(columns, rows);
			assertThat(x.rows()).isEqualTo(rows.length);
			assertThat(x.cols()).isEqualTo(5);
			for (int i = 0; i < rows.length; i++) {
				double[] expected = switch (rows[i]) {
					case 0 -> new double[] { -1 / s, 0, 1, 0, 1 };
					case 2 -> new double[] { 0, 1, 0, 0, 1 };
					case 4 -> new double[] { 98 / s, 1, 0, 0, 1 };
					case 5 -> new double[] { 3 / s, 1, 0, 1, 0 };
					default -> throw new IllegalStateException();
				};
				assertThat(x.row(i)).as("output row %d (stored row %d)", i, rows[i])
					.containsExactly(expected, within(TOL));
			}
			// in blocks of 3 rows (a full block and a short one): the same values
			DenseRows blocked = p.transformRows(columns, rows, 3);
			assertThat(blocked.blockCount()).isEqualTo(2);
			assertThat(blocked.block(1)).hasSize(5);
			assertThat(blocked.flat()).containsExactly(x.data());
		}
	}

	@Test
	void transformStandardizesOneHotsAndImputes() {
		Preprocessing p = fitted();
		double s = Math.sqrt(2.0 / 3.0);
		double[][] x = p.transform(List.of(size(), color(), flag()), new int[] { 0, 2, 4, 5 });
		// row 0: (1-2)/s, red, true
		assertThat(x[0]).containsExactly(new double[] { -1 / s, 0, 1, 0, 1 }, within(TOL));
		// row 2: NaN -> mean -> 0, blue, true
		assertThat(x[1]).containsExactly(new double[] { 0, 1, 0, 0, 1 }, within(TOL));
		// row 4: (100-2)/s, unseen green -> most frequent blue, missing flag -> true
		assertThat(x[2]).containsExactly(new double[] { 98 / s, 1, 0, 0, 1 }, within(TOL));
		// row 5: (5-2)/s, missing color -> blue, false
		assertThat(x[3]).containsExactly(new double[] { 3 / s, 1, 0, 1, 0 }, within(TOL));
	}

	@Test
	void transformRowMatchesTransform() {
		Preprocessing p = fitted();
		double s = Math.sqrt(2.0 / 3.0);
		assertThat(p.transformRow(new Object[] { 1.0, "red", "true" }))
			.containsExactly(new double[] { -1 / s, 0, 1, 0, 1 }, within(TOL));
		assertThat(p.transformRow(new Object[] { 5, " red ", Boolean.FALSE }))
			.containsExactly(new double[] { 3 / s, 0, 1, 1, 0 }, within(TOL));
		assertThat(p.transformRow(new Object[] { null, null, null })).containsExactly(new double[] { 0, 1, 0, 0, 1 },
				within(TOL));
		assertThat(p.transformRow(new Object[] { Double.NaN, "purple", "No" }))
			.containsExactly(new double[] { 0, 1, 0, 1, 0 }, within(TOL));
		assertThat(p.transformRow(new Object[] { 2.0, "Red", "maybe" })) // case-sensitive
																			// category;
																			// bad boolean
			.containsExactly(new double[] { 0, 1, 0, 0, 1 }, within(TOL));
		assertThatIllegalArgumentException().isThrownBy(() -> p.transformRow(new Object[] { "1", "red", "true" }));
		assertThatIllegalArgumentException().isThrownBy(() -> p.transformRow(new Object[] { 1.0, "red" }));
	}

	@Test
	void knownCategories() {
		Preprocessing p = fitted();
		assertThat(p.isKnownCategory(1, "red")).isTrue();
		assertThat(p.isKnownCategory(1, "green")).isFalse(); // only outside the training
																// rows
		assertThat(p.isKnownCategory(1, null)).isFalse();
		assertThat(p.isKnownCategory(2, "TRUE")).isTrue();
		assertThat(p.isKnownCategory(2, "maybe")).isFalse();
		assertThat(p.isKnownCategory(0, "1")).isFalse();
	}

	@Test
	void degenerateColumns() {
		ColumnData constant = new ColumnData("c", ColumnType.NUMERIC, new double[] { 4, 4, 4 }, null, null);
		ColumnData empty = new ColumnData("e", ColumnType.NUMERIC, new double[] { Double.NaN, Double.NaN, 7 }, null,
				null);
		ColumnData noLevels = new ColumnData("n", ColumnType.CATEGORICAL, null, new int[] { -1, -1, 0 }, List.of("x"));
		Preprocessing p = Preprocessing.fit(List.of(constant, empty, noLevels), new int[] { 0, 1 });
		assertThat(p.features().get(0).mean()).isEqualTo(4.0);
		assertThat(p.features().get(0).scale()).isEqualTo(1.0);
		assertThat(p.features().get(1).mean()).isEqualTo(0.0);
		assertThat(p.features().get(1).scale()).isEqualTo(1.0);
		assertThat(p.features().get(2).categories()).isEmpty();
		assertThat(p.features().get(2).mostFrequent()).isNull();
		assertThat(p.outputWidth()).isEqualTo(2);
		// row 2: (4-4)/1, (7-0)/1, no columns for the categorical feature
		assertThat(p.transform(List.of(constant, empty, noLevels), new int[] { 2 })[0]).containsExactly(0.0, 7.0);
		assertThat(p.transformRow(new Object[] { 5.0, null, "x" })).containsExactly(1.0, 0.0);
	}

	@Test
	void rejectsBadInput() {
		assertThatIllegalArgumentException().isThrownBy(() -> Preprocessing.fit(List.of(size()), new int[] { 6 }));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FeatureTransform("x", "numeric", 0, 0, List.of(), null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FeatureTransform("x", "categorical", 0, 1, List.of("b", "a"), "a"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FeatureTransform("x", "categorical", 0, 1, List.of("a"), "z"));
		assertThatIllegalArgumentException().isThrownBy(() -> new FeatureTransform("x", "text", 0, 1, List.of(), null));
	}

	@Test
	void jsonRoundTripIsPlain() {
		JsonMapper json = JsonMapper.builder().build();
		Preprocessing p = fitted();
		String text = json.writeValueAsString(p);
		assertThat(text).startsWith("{\"features\":[").doesNotContain("outputWidth", "outputNames", "width", "NaN");
		assertThat(json.readValue(text, Preprocessing.class)).isEqualTo(p);
	}

	/**
	 * Enough rows that fitting and encoding run on several threads in several row ranges:
	 * each value is (v - mean) / scale with mean and scale as one sequential pass over
	 * the training rows computes them, and each listed row lands at its position in the
	 * list.
	 */
	@Test
	void largeColumnsFitAndEncodeAsOneSequentialPass() {
		int n = 3 * Preprocessing.ENCODE_RANGE_ROWS + 123;
		java.util.SplittableRandom random = new java.util.SplittableRandom(3);
		double[] a = new double[n];
		double[] b = new double[n];
		for (int r = 0; r < n; r++) {
			a[r] = 1000 + 7 * random.nextGaussian();
			b[r] = (r % 97 == 0) ? Double.NaN : -3 + 0.01 * random.nextGaussian();
		}
		List<ColumnData> columns = List.of(new ColumnData("a", ColumnType.NUMERIC, a, null, null),
				new ColumnData("b", ColumnType.NUMERIC, b, null, null));
		// every third row, shuffled
		int[] rows = new int[n / 3];
		for (int i = 0; i < rows.length; i++) {
			rows[i] = 3 * i;
		}
		shuffle(rows, random);
		Preprocessing p = Preprocessing.fit(columns, rows);
		double[][] stats = { meanAndScale(a, rows), meanAndScale(b, rows) };
		for (int j = 0; j < 2; j++) {
			assertThat(p.features().get(j).mean()).isEqualTo(stats[j][0]);
			assertThat(p.features().get(j).scale()).isEqualTo(stats[j][1]);
		}
		DenseRows encoded = p.transformRows(columns, rows);
		assertThat(encoded.rows()).isEqualTo(rows.length);
		double[][] data = { a, b };
		for (int i = 0; i < rows.length; i++) {
			for (int j = 0; j < 2; j++) {
				double v = data[j][rows[i]];
				double expected = Double.isNaN(v) ? 0.0 : (v - stats[j][0]) / stats[j][1];
				assertThat(encoded.data()[i * 2 + j]).as("row %d column %d", i, j).isEqualTo(expected);
			}
		}
		// in blocks, written by the parallel ranges: the same values
		DenseRows blocked = p.transformRows(columns, rows, 1000);
		assertThat(blocked.blockCount()).isEqualTo((rows.length + 999) / 1000);
		assertThat(blocked.flat()).containsExactly(encoded.data());
		assertThat(blocked.get(rows.length - 1, 1)).isEqualTo(encoded.data()[2 * rows.length - 1]);
	}

	/**
	 * Numeric columns are fitted four at a time: each column's mean and scale are the
	 * bits of the column fitted alone, including columns that take a fallback (no values
	 * in the training rows, a sum that overflows, no spread) and rows the training list
	 * repeats.
	 */
	@Test
	void numericColumnsFittedFourAtATimeMatchEachColumnFittedAlone() {
		int n = 5000;
		java.util.SplittableRandom random = new java.util.SplittableRandom(17);
		int[] trainRows = new int[4000];
		for (int i = 0; i < trainRows.length; i++) {
			// about one row in five listed more than once
			trainRows[i] = random.nextInt(n);
		}
		java.util.List<ColumnData> columns = new java.util.ArrayList<>();
		for (int j = 0; j < 11; j++) {
			if (j == 3) {
				int[] codes = new int[n];
				for (int r = 0; r < n; r++) {
					codes[r] = random.nextInt(3);
				}
				columns.add(new ColumnData("cat", ColumnType.CATEGORICAL, null, codes, List.of("a", "b", "c")));
				continue;
			}
			double[] values = new double[n];
			double magnitude = Math.pow(10, random.nextInt(-6, 7));
			for (int r = 0; r < n; r++) {
				values[r] = switch (j) {
					case 5 -> Double.NaN; // no values at all
					case 6 -> 1e308 * (1 + random.nextDouble()); // the plain sum
																	// overflows
					case 8 -> 2.5; // no spread
					default -> (r % 13 == 0) ? Double.NaN : magnitude * (3 + random.nextGaussian());
				};
			}
			columns.add(new ColumnData("x" + j, ColumnType.NUMERIC, values, null, null));
		}
		Preprocessing together = Preprocessing.fit(columns, trainRows);
		for (int j = 0; j < columns.size(); j++) {
			FeatureTransform alone = Preprocessing.fit(List.of(columns.get(j)), trainRows).features().get(0);
			assertThat(together.features().get(j)).as("column %d", j).isEqualTo(alone);
		}
		// a plain column worked out here: rows in order, each value times how often the
		// list names its row
		int[] times = new int[n];
		for (int r : trainRows) {
			times[r]++;
		}
		double[] x0 = columns.get(0).values();
		double sum = 0;
		long count = 0;
		for (int r = 0; r < n; r++) {
			if (times[r] > 0 && Double.isFinite(x0[r])) {
				sum += times[r] == 1 ? x0[r] : times[r] * x0[r];
				count += times[r];
			}
		}
		double mean = sum / count;
		double squares = 0;
		for (int r = 0; r < n; r++) {
			if (times[r] > 0 && Double.isFinite(x0[r])) {
				double d = x0[r] - mean;
				squares += times[r] == 1 ? d * d : times[r] * (d * d);
			}
		}
		assertThat(together.features().get(0).mean()).isEqualTo(mean);
		assertThat(together.features().get(0).scale()).isEqualTo(Math.sqrt(squares / count));
		assertThat(together.features().get(5).mean()).isEqualTo(0.0);
		assertThat(together.features().get(5).scale()).isEqualTo(1.0);
		assertThat(together.features().get(6).mean()).isBetween(1e308, Double.MAX_VALUE);
		assertThat(together.features().get(8).scale()).isEqualTo(1.0);
	}

	/**
	 * Rows are encoded column by column a tile at a time: over several tiles, in each of
	 * the three ways rows are listed (a row list over most stored rows, a few rows of
	 * many, a list in order a block at a time), mixed columns come out as
	 * {@link Preprocessing#transformRow} encodes each raw row on its own.
	 */
	@Test
	void tilesAndColumnsOfMixedColumnsMatchTheEncodingOfOneRawRow() {
		int n = 3 * Preprocessing.ENCODE_TILE_ROWS + 17;
		java.util.SplittableRandom random = new java.util.SplittableRandom(11);
		double[] size = new double[n];
		int[] color = new int[n];
		int[] flag = new int[n];
		List<String> colors = List.of("red", "blue", "green", "teal");
		for (int r = 0; r < n; r++) {
			size[r] = r % 31 == 0 ? Double.NaN : 50 + 20 * random.nextGaussian();
			// teal only outside the training rows: an unseen category
			color[r] = r % 29 == 0 ? -1 : r % 2 == 1 && r % 5 == 0 ? 3 : random.nextInt(3);
			flag[r] = r % 37 == 0 ? -1 : random.nextInt(2);
		}
		List<ColumnData> columns = List.of(new ColumnData("size", ColumnType.NUMERIC, size, null, null),
				new ColumnData("color", ColumnType.CATEGORICAL, null, color, colors),
				new ColumnData("flag", ColumnType.BOOLEAN, null, flag, List.of("false", "true")));
		int[] train = java.util.stream.IntStream.range(0, n).filter(r -> r % 2 == 0).toArray();
		int[] listed = java.util.stream.IntStream.range(0, n).filter(r -> r % 7 != 3).toArray();
		shuffle(listed, random);
		int[] few = { n - 1, 5, 400, 2, 777 };
		for (Encoding encoding : Encoding.values()) {
			Preprocessing p = Preprocessing.fit(columns, train, encoding);
			int width = p.outputWidth();
			assertThat(width).isEqualTo(encoding == Encoding.ORDINAL ? 3 : 1 + 3 + 2);
			for (int[] rows : new int[][] { listed, few }) {
				double[] encoded = p.transformRows(columns, rows).data();
				double[] inOrder = new double[rows.length * width];
				Preprocessing.Encoder encoder = p.encoder(columns);
				for (int from = 0; from < rows.length; from += 300) {
					int to = Math.min(rows.length, from + 300);
					double[] block = new double[300 * width];
					java.util.Arrays.fill(block, 42.0);
					encoder.encode(rows, from, to, block);
					System.arraycopy(block, 0, inOrder, from * width, (to - from) * width);
				}
				// column by column, into arrays that hold other values beforehand
				double[] byColumns = new double[rows.length * width];
				double[][] columnBlock = new double[width][300];
				for (int from = 0; from < rows.length; from += 300) {
					int to = Math.min(rows.length, from + 300);
					for (double[] column : columnBlock) {
						java.util.Arrays.fill(column, 42.0);
					}
					encoder.encodeColumns(rows, from, to, columnBlock);
					for (int t = 0; t < to - from; t++) {
						for (int c = 0; c < width; c++) {
							byColumns[(from + t) * width + c] = columnBlock[c][t];
						}
					}
				}
				for (int i = 0; i < rows.length; i++) {
					int r = rows[i];
					Object[] raw = { Double.isNaN(size[r]) ? null : size[r], color[r] < 0 ? null : colors.get(color[r]),
							flag[r] < 0 ? null : flag[r] == 1 ? "true" : "false" };
					double[] expected = p.transformRow(raw);
					double[] got = java.util.Arrays.copyOfRange(encoded, i * width, (i + 1) * width);
					double[] gotInOrder = java.util.Arrays.copyOfRange(inOrder, i * width, (i + 1) * width);
					assertThat(got).as("%s row %d (stored %d)", encoding, i, r).containsExactly(expected);
					assertThat(gotInOrder).as("%s in order, row %d (stored %d)", encoding, i, r)
						.containsExactly(expected);
					assertThat(java.util.Arrays.copyOfRange(byColumns, i * width, (i + 1) * width))
						.as("%s by columns, row %d (stored %d)", encoding, i, r)
						.containsExactly(expected);
				}
			}
		}
	}

	/**
	 * A few rows of a large dataset (held-out splits) are encoded through a sorted list:
	 * each lands at its position in the list, repeats included.
	 */
	@Test
	void fewRowsOfALargeDatasetKeepTheirListOrder() {
		int n = 100_000;
		double[] a = new double[n];
		for (int r = 0; r < n; r++) {
			a[r] = r;
		}
		List<ColumnData> columns = List.of(new ColumnData("a", ColumnType.NUMERIC, a, null, null));
		// mean 2, population standard deviation sqrt(2/3) over rows 1, 2 and 3
		Preprocessing p = Preprocessing.fit(columns, new int[] { 1, 2, 3 });
		double scale = Math.sqrt(2.0 / 3.0);
		assertThat(p.transformRows(columns, new int[] { 99_999, 5, 70_000, 2 }).data())
			.containsExactly((99_999 - 2) / scale, (5 - 2) / scale, (70_000 - 2) / scale, 0.0);
		assertThat(p.transformRows(columns, new int[] { 8, 40_000, 8 }).data()).containsExactly((8 - 2) / scale,
				(40_000 - 2) / scale, (8 - 2) / scale);
		assertThatIllegalArgumentException().isThrownBy(() -> p.transformRows(columns, new int[] { 3, n }));
		// in blocks of 2 rows: the sorted list and the repeat fallback write the same
		assertThat(p.transformRows(columns, new int[] { 99_999, 5, 70_000, 2 }, 2).flat())
			.containsExactly((99_999 - 2) / scale, (5 - 2) / scale, (70_000 - 2) / scale, 0.0);
		assertThat(p.transformRows(columns, new int[] { 8, 40_000, 8 }, 2).flat()).containsExactly((8 - 2) / scale,
				(40_000 - 2) / scale, (8 - 2) / scale);
	}

	private static void shuffle(int[] a, java.util.SplittableRandom random) {
		for (int i = a.length - 1; i > 0; i--) {
			int j = random.nextInt(i + 1);
			int t = a[i];
			a[i] = a[j];
			a[j] = t;
		}
	}

	/** Mean and population standard deviation of the finite values, in storage order. */
	private static double[] meanAndScale(double[] values, int[] rows) {
		boolean[] listed = new boolean[values.length];
		for (int r : rows) {
			listed[r] = true;
		}
		double sum = 0;
		long count = 0;
		for (int r = 0; r < values.length; r++) {
			if (listed[r] && Double.isFinite(values[r])) {
				sum += values[r];
				count++;
			}
		}
		double mean = sum / count;
		double squares = 0;
		for (int r = 0; r < values.length; r++) {
			if (listed[r] && Double.isFinite(values[r])) {
				squares += (values[r] - mean) * (values[r] - mean);
			}
		}
		return new double[] { mean, Math.sqrt(squares / count) };
	}

}
