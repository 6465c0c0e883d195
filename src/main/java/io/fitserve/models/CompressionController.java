package io.fitserve.models;

import java.net.URI;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/models/{id}/compressions")
@Tag(name = "Models", description = "Trained models, their metrics and provenance")
class CompressionController {

	private final CompressionService compressions;

	CompressionController(CompressionService compressions) {
		this.compressions = compressions;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(operationId = "compressModel",
			summary = "Quantise a linear model's or an MLP's weights into a new, smaller model",
			description = "Stores the weight matrices as IEEE half floats (float16) or as int8 with one float32 scale "
					+ "per output neuron (biases stay doubles) in a new model with the same features, preprocessing "
					+ "and threshold, whose provenance names the original (compressedFrom). The new model is served, "
					+ "evaluated and exported like any. The answer gives the artifact sizes before and after and the "
					+ "agreement of the two models' predictions on the original's test split (null when the dataset "
					+ "was deleted or there was no test split). Stored and listed under the original.")
	@ApiResponse(responseCode = "201", description = "Compressed: the new model's id, the sizes and the agreement")
	@ApiResponse(responseCode = "400", description = "No precision, or one other than float16 and int8")
	@ApiResponse(responseCode = "404", description = "Unknown model")
	@ApiResponse(responseCode = "409",
			description = "A model without weight matrices: trees, kernel SVM, k-means "
					+ "(urn:fitserve:problem:compression-not-supported), or a model already compressed "
					+ "(urn:fitserve:problem:already-compressed)")
	ResponseEntity<CompressionResponse> create(@PathVariable String id, @RequestBody CompressionRequest request) {
		ModelCompression compression = compressions.compress(id, request);
		return ResponseEntity
			.created(URI.create("/api/v1/models/" + compression.getModelId() + "/compressions/" + compression.getId()))
			.body(CompressionResponse.from(compression));
	}

	@GetMapping
	@Operation(operationId = "listModelCompressions", summary = "The model's compressions, newest first")
	@ApiResponse(responseCode = "200", description = "The stored compressions")
	@ApiResponse(responseCode = "404", description = "No such model")
	List<CompressionResponse> list(@PathVariable String id) {
		return compressions.list(id).stream().map(CompressionResponse::from).toList();
	}

	@GetMapping("/{compressionId}")
	@Operation(operationId = "getModelCompression", summary = "One of the model's compressions")
	@ApiResponse(responseCode = "200", description = "The compression")
	@ApiResponse(responseCode = "404", description = "No such model, or no such compression of this model")
	CompressionResponse get(@PathVariable String id, @PathVariable String compressionId) {
		return CompressionResponse.from(compressions.get(id, compressionId));
	}

}
