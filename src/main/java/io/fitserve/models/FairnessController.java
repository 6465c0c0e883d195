package io.fitserve.models;

import java.net.URI;
import java.util.List;

import io.fitserve.web.RequestChecks;
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
@RequestMapping("/api/v1/models/{id}/fairness")
@Tag(name = "Models", description = "Trained models, their metrics and provenance")
class FairnessController {

	private final FairnessService fairness;

	FairnessController(FairnessService fairness) {
		this.fairness = fairness;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(operationId = "createFairnessReport",
			summary = "Measure a classifier's fairness across the groups of a sensitive feature",
			description = "Scores the dataset's rows and reports, per value of the sensitive feature and overall, the "
					+ "rows, selection rate, accuracy and true and false positive rates, and across the groups "
					+ "fairlearn's demographic parity difference and ratio and equalized odds difference. Binary "
					+ "models are measured for their positive label at the decision threshold; multiclass models per "
					+ "class, one-vs-rest, at the most probable class. Rows without a sensitive value form the group "
					+ "\"(missing)\". The sensitive feature need not be a model feature. Stored and listed under the "
					+ "model.")
	@ApiResponse(responseCode = "201", description = "Measured and stored: the rates per group and the disparities")
	@ApiResponse(responseCode = "400",
			description = "No datasetId or sensitiveFeature, an id that is not valid, or a threshold or positiveLabel "
					+ "the model does not take")
	@ApiResponse(responseCode = "404", description = "Unknown model or dataset")
	@ApiResponse(responseCode = "409",
			description = "A regression model (urn:fitserve:problem:not-a-classification-model)")
	@ApiResponse(responseCode = "422",
			description = "The dataset lacks a feature, the target or the sensitive feature, types differ, or the "
					+ "sensitive feature has more groups than fitserve.fairness.max-groups")
	ResponseEntity<FairnessResponse> create(@PathVariable String id, @RequestBody FairnessRequest request) {
		RequestChecks.datasetId(request == null ? null : request.datasetId());
		ModelFairness report = fairness.report(id, request);
		return ResponseEntity
			.created(URI.create("/api/v1/models/" + report.getModelId() + "/fairness/" + report.getId()))
			.body(FairnessResponse.from(report));
	}

	@GetMapping
	@Operation(operationId = "listFairnessReports", summary = "The model's fairness reports, newest first")
	@ApiResponse(responseCode = "200", description = "The stored fairness reports")
	@ApiResponse(responseCode = "404", description = "No such model")
	List<FairnessResponse> list(@PathVariable String id) {
		return fairness.list(id).stream().map(FairnessResponse::from).toList();
	}

	@GetMapping("/{reportId}")
	@Operation(operationId = "getFairnessReport", summary = "One of the model's fairness reports")
	@ApiResponse(responseCode = "200", description = "The fairness report")
	@ApiResponse(responseCode = "404", description = "No such model, or no such report of this model")
	FairnessResponse get(@PathVariable String id, @PathVariable String reportId) {
		return FairnessResponse.from(fairness.get(id, reportId));
	}

}
