package io.fitserve.registry;

import io.fitserve.prediction.PredictionRequest;
import io.fitserve.prediction.PredictionResponse;
import io.fitserve.prediction.PredictionService;
import io.fitserve.prediction.ServerTiming;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Predictions by name: the alias or version is resolved on every request (one read of the
 * registry), then the request goes to {@link PredictionService} exactly as {@code POST
 * /api/v1/models/{id}/predictions} does.
 */
@RestController
@RequestMapping("/api/v1/registered-models/{name}")
@Tag(name = "Model registry")
class RegistryPredictionController {

	private static final String PROBLEM = "application/problem+json";

	/** Names the version that answered, since an alias can move between two requests. */
	static final String VERSION_HEADER = "Fitserve-Model-Version";

	private final RegistryService registry;

	private final PredictionService predictions;

	RegistryPredictionController(RegistryService registry, PredictionService predictions) {
		this.registry = registry;
		this.predictions = predictions;
	}

	@PostMapping(path = "/aliases/{alias}/predictions", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(operationId = "predictWithAlias", summary = "Predict with the version an alias points at now",
			description = "Same body and answer as POST /api/v1/models/{id}/predictions; the " + VERSION_HEADER
					+ " header names the version that answered.")
	@ApiResponse(responseCode = "200",
			description = "One prediction per row, in order, as POST /api/v1/models/{id}/predictions answers; the "
					+ VERSION_HEADER + " header names the version that answered",
			content = @Content(schema = @Schema(implementation = PredictionResponse.class)))
	@ApiResponse(responseCode = "404", description = "No such name or alias", content = @Content(mediaType = PROBLEM))
	@ApiResponse(responseCode = "422", description = "A row cannot be used; errors name the row and the feature",
			content = @Content(mediaType = PROBLEM))
	ResponseEntity<PredictionResponse> predictWithAlias(@PathVariable String name, @PathVariable String alias,
			@RequestBody PredictionRequest request) {
		long start = System.nanoTime();
		return answer(registry.resolveAlias(name, alias), request, start);
	}

	@PostMapping(path = "/versions/{version}/predictions", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(operationId = "predictWithVersion", summary = "Predict with one version of a registered model",
			description = "Same body and answer as POST /api/v1/models/{id}/predictions.")
	@ApiResponse(responseCode = "200",
			description = "One prediction per row, in order, as POST /api/v1/models/{id}/predictions answers; the "
					+ VERSION_HEADER + " header names the version that answered",
			content = @Content(schema = @Schema(implementation = PredictionResponse.class)))
	@ApiResponse(responseCode = "404", description = "No such name or version", content = @Content(mediaType = PROBLEM))
	@ApiResponse(responseCode = "422", description = "A row cannot be used; errors name the row and the feature",
			content = @Content(mediaType = PROBLEM))
	ResponseEntity<PredictionResponse> predictWithVersion(@PathVariable String name, @PathVariable String version,
			@RequestBody PredictionRequest request) {
		long start = System.nanoTime();
		return answer(registry.resolveVersion(name, version), request, start);
	}

	private ResponseEntity<PredictionResponse> answer(RegistryService.Resolved resolved, PredictionRequest request,
			long start) {
		PredictionResponse response = predictions.predict(resolved.modelId().toString(), request);
		return ResponseEntity.ok()
			.header(ServerTiming.HEADER, ServerTiming.of(System.nanoTime() - start))
			.header(VERSION_HEADER, Integer.toString(resolved.version()))
			.body(response);
	}

}
