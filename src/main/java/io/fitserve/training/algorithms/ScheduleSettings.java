package io.fitserve.training.algorithms;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/** A learning-rate schedule with its parameters filled in. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Schedule")
public record ScheduleSettings(@Schema(allowableValues = {
		"constant", "step", "exponential", "cosine", "reduce_on_plateau" }) String type,
		@Schema(description = "step: epochs between decays") Integer stepSize,
		@Schema(description = "step, exponential: decay factor") Double gamma,
		@Schema(description = "cosine: linear warm-up epochs") Integer warmupEpochs,
		@Schema(description = "reduce_on_plateau: epochs without improvement") Integer patience,
		@Schema(description = "reduce_on_plateau: multiplier") Double factor){
}
