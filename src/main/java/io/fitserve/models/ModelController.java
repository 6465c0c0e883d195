package io.fitserve.models;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.fitserve.web.PageResponse;
import io.fitserve.web.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/models")
@Tag(name = "Models", description = "Trained models, their metrics and provenance")
class ModelController {

	private final ModelService models;

	private final EvaluationService evaluations;

	private final ModelExportService exports;

	ModelController(ModelService models, EvaluationService evaluations, ModelExportService exports) {
		this.models = models;
		this.evaluations = evaluations;
		this.exports = exports;
	}

	@GetMapping
	@Operation(operationId = "listModels", summary = "List models, newest first")
	@ApiResponse(responseCode = "200", description = "One page of model summaries")
	PageResponse<ModelSummary> list(@RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size) {
		return PageResponse.of(models.list(Paging.newestFirst(page, size)), ModelSummary::from);
	}

	@GetMapping("/{id}")
	@Operation(operationId = "getModel",
			summary = "A model: features, classes, hyperparameters, test and validation metrics, provenance")
	@ApiResponse(responseCode = "200", description = "The model")
	ModelResponse get(@PathVariable String id) {
		return ModelResponse.from(models.get(id));
	}

	@PostMapping(path = "/{id}/evaluations", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(operationId = "evaluateModel", summary = "Score the model on another uploaded dataset",
			description = "The dataset needs the model's feature columns and its target; the metrics are those of the "
					+ "model's test split. Stored and listed under the model.")
	@ApiResponse(responseCode = "201", description = "Evaluated and stored: the metrics on that dataset")
	@ApiResponse(responseCode = "400", description = "No datasetId, or not a valid id")
	@ApiResponse(responseCode = "404", description = "Unknown model or dataset")
	@ApiResponse(responseCode = "422", description = "The dataset lacks a feature or the target, or types differ")
	ResponseEntity<EvaluationResponse> evaluate(@PathVariable String id, @RequestBody EvaluationRequest request) {
		io.fitserve.web.RequestChecks.datasetId(request == null ? null : request.datasetId());
		ModelEvaluation evaluation = evaluations.evaluate(id, request);
		return ResponseEntity
			.created(URI.create("/api/v1/models/" + evaluation.getModelId() + "/evaluations/" + evaluation.getId()))
			.body(EvaluationResponse.from(evaluation));
	}

	@GetMapping("/{id}/evaluations")
	@Operation(operationId = "listModelEvaluations",
			summary = "The model's evaluations on other datasets, newest first")
	@ApiResponse(responseCode = "200", description = "The stored evaluations")
	List<EvaluationResponse> evaluations(@PathVariable String id) {
		return evaluations.list(id).stream().map(EvaluationResponse::from).toList();
	}

	@GetMapping("/{id}/feature-importance")
	@Operation(operationId = "getFeatureImportance", summary = "Which features the model relies on",
			description = "Permutation importance on the test split (mean and standard deviation of the score drop over "
					+ "seeded repeats; accuracy for classifiers, R^2 for regressors), in original feature names with "
					+ "one-hot columns grouped back; for linear models also the standardized coefficients, per class "
					+ "for multinomial models.")
	@ApiResponse(responseCode = "200", description = "Permutation importance and, for linear models, coefficients",
			content = @Content(schema = @Schema(implementation = ModelSchemas.FeatureImportance.class)))
	Map<String, Object> featureImportance(@PathVariable String id) {
		return models.featureImportance(id);
	}

	@GetMapping("/{id}/residuals")
	@Operation(operationId = "getModelResiduals", summary = "A regression model's actual and predicted values",
			description = "The (actual, predicted) pairs on the model's test split (validation split when the job had "
					+ "no test split), kept when it was trained: every row, or a sample of 1000 drawn with the job's "
					+ "seed when the split had more; sorted by actual value.")
	@ApiResponse(responseCode = "200", description = "The split, its row count and the points")
	@ApiResponse(responseCode = "409",
			description = "A classification model "
					+ "(urn:fitserve:problem:not-a-regression-model), or a regression model without stored residuals: "
					+ "trained with no held-out rows, or before fitserve kept them (urn:fitserve:problem:no-residuals)")
	ModelResiduals residuals(@PathVariable String id) {
		return models.residuals(id);
	}

	@GetMapping("/{id}/export")
	@Operation(operationId = "exportModel", summary = "Download the model with its preprocessing as an ONNX file",
			description = "One input per feature, named as the feature, shape [N, 1]: double for numeric features "
					+ "(NaN is missing), string for categorical and boolean ones (an unseen value, the empty string "
					+ "included, is imputed with the most frequent category). Outputs: label (string [N]) and "
					+ "probabilities (double [N, classes]) for classifiers, value (double [N]) for regressors. "
					+ "Binary classifiers label with the model's decisionThreshold unless threshold is given. "
					+ "Provenance (model id, algorithm, fitserve version, feature names, class labels) is in the "
					+ "model's metadata_props. Linear and logistic regression, linear SVM and MLP models; kernel SVM "
					+ "models get a 409.")
	@ApiResponse(responseCode = "200", description = "The ONNX model (IR 8, opsets ai.onnx 17 and ai.onnx.ml 3)",
			content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
					schema = @Schema(type = "string", format = "binary")))
	@ApiResponse(responseCode = "400",
			description = "Unknown format, or a threshold that is not a number in [0, 1] "
					+ "or is given for a model that is not a binary classifier",
			content = @Content(mediaType = "application/problem+json"))
	@ApiResponse(responseCode = "404", description = "No such model",
			content = @Content(mediaType = "application/problem+json"))
	@ApiResponse(responseCode = "409",
			description = "The model's algorithm cannot be exported in this format yet "
					+ "(urn:fitserve:problem:export-not-supported)",
			content = @Content(mediaType = "application/problem+json"))
	ResponseEntity<byte[]> export(@PathVariable String id,
			@Parameter(description = "Export format; only onnx for now") @RequestParam(
					defaultValue = "onnx") String format,
			@Parameter(description = "Binary classifiers: \"best_f1\" (default: the model's decisionThreshold, 0.5 "
					+ "when it has none) or a number in [0, 1]; the exported label is the second class when its "
					+ "probability is at least this") @RequestParam(required = false) String threshold) {
		ModelExportService.ExportedModel exported = exports.export(id, format, threshold);
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename(exported.filename()).build().toString())
			.body(exported.bytes());
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(operationId = "deleteModel", summary = "Delete a model and its artifact")
	@ApiResponse(responseCode = "204", description = "Deleted; it stops serving at once")
	void delete(@PathVariable String id) {
		models.delete(id);
	}

}
