package io.fitserve.protocols;

import io.fitserve.protocols.KServeTypes.ErrorResponse;
import io.fitserve.protocols.KServeTypes.InferenceRequest;
import io.fitserve.protocols.KServeTypes.InferenceResponse;
import io.fitserve.protocols.KServeTypes.ModelMetadata;
import io.fitserve.protocols.KServeTypes.Ready;
import io.fitserve.protocols.KServeTypes.ServerLive;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The KServe Open Inference Protocol V2 over HTTP/REST, for registered models:
 * {@code {name}} is a registered model, served by its champion alias's version, else its
 * latest; {@code /versions/{version}} picks one. Errors are the protocol's
 * {@code {"error": "..."}} ({@link KServeErrors}).
 */
@RestController
@RequestMapping("/v2")
@Tag(name = "KServe V2", description = "Open Inference Protocol V2 (REST) for registered models")
class KServeController {

	private static final String JSON = MediaType.APPLICATION_JSON_VALUE;

	private final KServeService kserve;

	private final ApplicationAvailability availability;

	KServeController(KServeService kserve, ApplicationAvailability availability) {
		this.kserve = kserve;
		this.availability = availability;
	}

	@GetMapping("/health/live")
	@SecurityRequirements
	@Operation(operationId = "kserveServerLive", summary = "Server live (no key needed)")
	@ApiResponse(responseCode = "200", description = "Live: {\"live\": true}",
			content = @Content(mediaType = JSON, schema = @Schema(implementation = ServerLive.class)))
	@ApiResponse(responseCode = "503", description = "Not live",
			content = @Content(mediaType = JSON, schema = @Schema(implementation = ServerLive.class)))
	ResponseEntity<ServerLive> live() {
		boolean live = availability.getLivenessState() == LivenessState.CORRECT;
		return ResponseEntity.status(live ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(new ServerLive(live));
	}

	@GetMapping("/health/ready")
	@SecurityRequirements
	@Operation(operationId = "kserveServerReady", summary = "Server ready (no key needed)")
	@ApiResponse(responseCode = "200", description = "Ready to serve: {\"ready\": true}",
			content = @Content(mediaType = JSON, schema = @Schema(implementation = Ready.class)))
	@ApiResponse(responseCode = "503", description = "Not ready (starting or shutting down)",
			content = @Content(mediaType = JSON, schema = @Schema(implementation = Ready.class)))
	ResponseEntity<Ready> serverReady() {
		boolean ready = availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
		return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
			.body(new Ready(null, ready));
	}

	@GetMapping("/models/{name}")
	@Operation(operationId = "kserveModelMetadata",
			summary = "Model metadata (the champion's, else the latest version's)")
	@ApiResponse(responseCode = "200",
			description = "The model's name, versions, platform, input tensors (one per feature) and output tensors",
			content = @Content(mediaType = JSON, schema = @Schema(implementation = ModelMetadata.class)))
	@ApiResponse(responseCode = "404", description = "No such registered model, or it has no versions",
			content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorResponse.class)))
	ModelMetadata metadata(@PathVariable String name) {
		return kserve.metadata(name, null);
	}

	@GetMapping("/models/{name}/versions/{version}")
	@Operation(operationId = "kserveModelVersionMetadata", summary = "Model metadata of one version")
	@ApiResponse(responseCode = "200",
			description = "The model's name, versions, platform, input tensors (one per feature) and output tensors",
			content = @Content(mediaType = JSON, schema = @Schema(implementation = ModelMetadata.class)))
	@ApiResponse(responseCode = "404", description = "No such registered model or version",
			content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorResponse.class)))
	ModelMetadata versionMetadata(@PathVariable String name, @PathVariable String version) {
		return kserve.metadata(name, version);
	}

	@GetMapping("/models/{name}/ready")
	@Operation(operationId = "kserveModelReady", summary = "Model ready: its artifact is loaded and checked")
	@ApiResponse(responseCode = "200",
			description = "The model's name and ready: true, its artifact being loaded and checked",
			content = @Content(mediaType = JSON, schema = @Schema(implementation = Ready.class)))
	@ApiResponse(responseCode = "404", description = "No such registered model, or it has no versions",
			content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorResponse.class)))
	Ready ready(@PathVariable String name) {
		return new Ready(kserve.ready(name, null), true);
	}

	@GetMapping("/models/{name}/versions/{version}/ready")
	@Operation(operationId = "kserveModelVersionReady", summary = "Model version ready")
	@ApiResponse(responseCode = "200",
			description = "The model's name and ready: true, its artifact being loaded and checked",
			content = @Content(mediaType = JSON, schema = @Schema(implementation = Ready.class)))
	@ApiResponse(responseCode = "404", description = "No such registered model or version",
			content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorResponse.class)))
	Ready versionReady(@PathVariable String name, @PathVariable String version) {
		return new Ready(kserve.ready(name, version), true);
	}

	@PostMapping(path = "/models/{name}/infer", consumes = JSON)
	@Operation(operationId = "kserveInfer", summary = "Inference with the champion's (else the latest) version",
			description = "Inputs: one tensor per feature (name = feature, shape [n] or [n, 1]; FP64/FP32/INT*/UINT*/"
					+ "BOOL/BYTES), or one FP64/FP32 tensor of shape [n, d] in the model's feature order (metadata's "
					+ "inputs). Outputs: label (BYTES, [n]) and probabilities (FP64, [n, k], columns in the order of "
					+ "the metadata's labels) for classifiers, value (FP64, [n]) for regressors.")
	@ApiResponse(responseCode = "200",
			description = "The output tensors (label and probabilities, or value), with the request's id",
			content = @Content(mediaType = JSON, schema = @Schema(implementation = InferenceResponse.class)))
	@ApiResponse(responseCode = "400", description = "The request cannot be used",
			content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorResponse.class)))
	@ApiResponse(responseCode = "404", description = "No such registered model, or it has no versions",
			content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorResponse.class)))
	InferenceResponse infer(@PathVariable String name, @RequestBody InferenceRequest request) {
		return kserve.infer(name, null, request);
	}

	@PostMapping(path = "/models/{name}/versions/{version}/infer", consumes = JSON)
	@Operation(operationId = "kserveVersionInfer", summary = "Inference with one version",
			description = "As kserveInfer, with the version the path names.")
	@ApiResponse(responseCode = "200",
			description = "The output tensors (label and probabilities, or value), with the request's id",
			content = @Content(mediaType = JSON, schema = @Schema(implementation = InferenceResponse.class)))
	@ApiResponse(responseCode = "400", description = "The request cannot be used",
			content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorResponse.class)))
	@ApiResponse(responseCode = "404", description = "No such registered model or version",
			content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorResponse.class)))
	InferenceResponse versionInfer(@PathVariable String name, @PathVariable String version,
			@RequestBody InferenceRequest request) {
		return kserve.infer(name, version, request);
	}

}
