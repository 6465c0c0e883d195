package io.fitserve.models;

import java.util.List;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A regression model's predictions on its held-out split, kept when it was trained.
 *
 * @param split "test", or "validation" when there was no test split
 * @param rows the split's number of rows
 * @param points at most {@link #MAX_POINTS} of them, a seeded sample when there were
 * more, sorted by actual value
 */
@Schema(description = "A regression model's actual and predicted values on its held-out split, kept at training")
public record ModelResiduals(
		@Schema(description = "the split the points come from: test, or validation when the job had no test split",
				allowableValues = {
						"test", "validation" }) String split,
		@Schema(description = "rows in that split") int rows,
		@ArraySchema(arraySchema = @Schema(
				description = "every row of the split, or a sample of " + ModelResiduals.MAX_POINTS
						+ " drawn with the job's seed when it had more; sorted by actual value")) List<Point> points){

	/**
	 * At most this many points are kept: enough for a scatter plot, small enough to store
	 * with every model.
	 */
	public static final int MAX_POINTS = 1000;

	/**
	 * The residuals of a split: every row, or a uniform sample of {@link #MAX_POINTS}
	 * drawn with the seed (a partial Fisher-Yates shuffle, the same for the same seed),
	 * sorted by actual then predicted value.
	 */
	public static ModelResiduals of(String split, double[] actual, double[] predicted, long seed) {
		int n = actual.length;
		int[] picked = new int[n];
		for (int i = 0; i < n; i++) {
			picked[i] = i;
		}
		int keep = Math.min(n, MAX_POINTS);
		if (keep < n) {
			java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
			for (int i = 0; i < keep; i++) {
				int j = i + random.nextInt(n - i);
				int t = picked[i];
				picked[i] = picked[j];
				picked[j] = t;
			}
		}
		List<Point> points = new java.util.ArrayList<>(keep);
		for (int i = 0; i < keep; i++) {
			points.add(new Point(actual[picked[i]], predicted[picked[i]]));
		}
		points.sort(java.util.Comparator.comparingDouble(Point::actual).thenComparingDouble(Point::predicted));
		return new ModelResiduals(split, n, List.copyOf(points));
	}

	/** One row's target and the model's prediction of it. */
	@Schema(name = "ResidualPoint", description = "One held-out row's target value and the model's prediction")
	public record Point(@Schema(description = "the row's target value") double actual,
			@Schema(description = "the model's prediction") double predicted) {
	}

}
