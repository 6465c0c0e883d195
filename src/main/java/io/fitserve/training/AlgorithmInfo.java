package io.fitserve.training;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One algorithm of the catalogue: the tasks it trains and every hyperparameter it
 * accepts, with defaults.
 */
@Schema(description = "An algorithm fitserve trains, with the hyperparameters a training job may give it")
public record AlgorithmInfo(
		@Schema(description = "the algorithm's name in a training job's algorithm field",
				example = "logistic_regression") String name,
		@ArraySchema(schema = @Schema(description = "a task it trains", allowableValues = {
				"regression", "classification" })) List<String> tasks,
		@Schema(description = "one line on what it is") String description,
		@Schema(description = "every hyperparameter it accepts, in a stable order; any other name is a 400") List<Parameter> hyperparameters){

	/**
	 * A hyperparameter: its JSON type, the values or range it accepts, and the default
	 * training applies.
	 */
	@Schema(name = "AlgorithmHyperparameter", description = "A hyperparameter an algorithm accepts")
	public record Parameter(
			@Schema(description = "its key in a training job's hyperparameters object",
					example = "learningRate") String name,
			@Schema(description = "JSON type: string (one of values), number, integer, boolean, integer_list (a "
					+ "list of integers, each within minimum..maximum) or schedule (an object whose keys are in "
					+ "fields)",
					allowableValues = {
							"string", "number", "integer", "boolean", "integer_list", "schedule" }) String type,
			@Schema(description = "string: the values it accepts; null for other types",
					nullable = true) List<String> values,
			@JsonProperty("default") @Schema(name = "default",
					description = "the value training applies when it is "
							+ "not given; null when there is none (the description says what happens then)",
					nullable = true) Object defaultValue,
			@Schema(description = "smallest accepted value (number, integer, each integer of an integer_list); "
					+ "the description says when it is excluded; null when unbounded or not numeric",
					nullable = true) Double minimum,
			@Schema(description = "largest accepted value; null when unbounded or not numeric",
					nullable = true) Double maximum,
			@Schema(description = "what it does, and anything the other fields cannot say") String description,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Schema(
					description = "schedule only: the keys of the " + "schedule object, described the same way",
					nullable = true) List<Parameter> fields){
	}

}
