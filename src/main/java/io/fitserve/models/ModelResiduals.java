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

	/** One row's target and the model's prediction of it. */
	@Schema(name = "ResidualPoint", description = "One held-out row's target value and the model's prediction")
	public record Point(@Schema(description = "the row's target value") double actual,
			@Schema(description = "the model's prediction") double predicted) {
	}

}
