package io.fitserve.prediction;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/models/{id}/predictions")
@Tag(name = "Predictions", description = "Serve trained models")
class PredictionController {

	private final PredictionService predictions;

	PredictionController(PredictionService predictions) {
		this.predictions = predictions;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(operationId = "predict", summary = "Predict",
			description = "Rows are matched by feature name. Absent feature: 422. null: imputed. Unseen category: "
					+ "treated as missing, with a warning. Extra keys: ignored, with a warning. NaN/Infinity: 422.")
	@ApiResponse(responseCode = "200",
			description = "One prediction per row, in order; the Server-Timing header gives the server's time")
	@ApiResponse(responseCode = "413", description = "Body larger than fitserve.prediction.max-body-size")
	@ApiResponse(responseCode = "422", description = "A row cannot be used; errors name the row and the feature")
	ResponseEntity<PredictionResponse> predict(@PathVariable String id, @RequestBody PredictionRequest request) {
		long start = System.nanoTime();
		PredictionResponse response = predictions.predict(id, request);
		// lets clients and benchmarks see the server's share of a request's latency
		return ResponseEntity.ok().header("Server-Timing", serverTiming(System.nanoTime() - start)).body(response);
	}

	/** "predict;dur=" and the milliseconds with 3 decimals (see {@link ServerTiming}). */
	static String serverTiming(long nanos) {
		return ServerTiming.of(nanos);
	}

}
