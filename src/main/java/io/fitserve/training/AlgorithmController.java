package io.fitserve.training;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/algorithms")
@Tag(name = "Algorithms", description = "What fitserve can train and which hyperparameters each algorithm takes")
class AlgorithmController {

	/** Fixed for the life of the process: built once from SpecResolver's rules. */
	private final List<AlgorithmInfo> catalogue = AlgorithmCatalog.all();

	@GetMapping
	@Operation(operationId = "listAlgorithms", summary = "The algorithms, their tasks and hyperparameters",
			description = "One element per algorithm a training job's algorithm field accepts, in a stable order: "
					+ "the tasks it trains, and every hyperparameter it accepts with its type, allowed values or "
					+ "range and the default training applies when it is not given. A hyperparameter not listed for "
					+ "an algorithm is refused with a 400.")
	@ApiResponse(responseCode = "200", description = "Every algorithm",
			content = @Content(array = @ArraySchema(schema = @Schema(implementation = AlgorithmInfo.class))))
	List<AlgorithmInfo> list() {
		return catalogue;
	}

}
